//! `Secret`: a credential or token (app_secret, password, tokens, the manager
//! PIN's hash key). Its `Debug` never shows the value; only [`Secret::expose`]
//! does, at the one boundary that must send or store it.

use serde::{Deserialize, Serialize};

/// A secret string (password, app_secret, token). Its `Debug` and `Display`
/// never show the value; only [`Secret::expose`] does, at the HTTP boundary.
/// Shared, not copied: a token is handed to every call.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(std::sync::Arc<str>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Serialised only into the vault (keyring or sealed file), never to the UI
/// or a log: the types the UI receives hold no `Secret`.
impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}
