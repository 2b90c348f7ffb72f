//! The bKash credentials, one set per environment and product, sealed in
//! the `SecretVault`; the settings screen sees only their summary.

use serde::{Deserialize, Serialize};

use super::{field, FieldError};
use crate::bkash::{Credentials, Environment};
use crate::money::{Product, Secret};
use crate::vault::{SecretVault, VaultError};

/// What the settings screen sends for credentials. An empty field means
/// "keep what is stored", so the screen never needs to show a secret.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CredentialsForm {
    pub username: String,
    #[ts(type = "string")]
    pub password: Secret,
    pub app_key: String,
    #[ts(type = "string")]
    pub app_secret: Secret,
}

/// What the settings screen may see of stored credentials: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CredentialsSummary {
    pub stored: bool,
    pub username: String,
    pub app_key: String,
}

#[derive(Serialize, Deserialize)]
struct StoredCredentials {
    username: String,
    password: Secret,
    app_key: String,
    app_secret: Secret,
}

/// Each product comes with its own credentials. Checkout keeps the key it
/// had before products existed, so stored credentials still open.
fn credentials_key(environment: Environment, product: Product) -> String {
    match product {
        Product::Checkout => format!("bkash-credentials.{}", environment.as_str()),
        Product::Tokenized => format!("bkash-credentials.{}.{}", environment.as_str(), product.as_str()),
    }
}

/// The stored credentials for an environment's product, if any.
pub fn load_credentials(vault: &dyn SecretVault, environment: Environment, product: Product) -> Result<Option<Credentials>, VaultError> {
    let Some(json) = vault.get(&credentials_key(environment, product))? else { return Ok(None) };
    Ok(serde_json::from_str::<StoredCredentials>(json.expose()).ok().map(|c| Credentials {
        username: c.username,
        password: c.password,
        app_key: c.app_key,
        app_secret: c.app_secret,
    }))
}

pub fn summarize_credentials(credentials: Option<&Credentials>) -> CredentialsSummary {
    match credentials {
        Some(c) => CredentialsSummary { stored: true, username: c.username.clone(), app_key: c.app_key.clone() },
        None => CredentialsSummary { stored: false, username: String::new(), app_key: String::new() },
    }
}

/// Merges a form into what is stored (empty fields keep the stored value)
/// and checks the result. Training needs none: it uses the simulator's.
pub fn merge_credentials(form: &CredentialsForm, stored: Option<&Credentials>) -> Result<Credentials, Vec<FieldError>> {
    let keep =
        |typed: &str, kept: Option<&str>| if typed.trim().is_empty() { kept.unwrap_or("").to_string() } else { typed.trim().to_string() };
    let keep_secret =
        |typed: &Secret, kept: Option<&Secret>| if typed.is_empty() { kept.cloned().unwrap_or_default() } else { typed.clone() };
    let merged = Credentials {
        username: keep(&form.username, stored.map(|c| c.username.as_str())),
        password: keep_secret(&form.password, stored.map(|c| &c.password)),
        app_key: keep(&form.app_key, stored.map(|c| c.app_key.as_str())),
        app_secret: keep_secret(&form.app_secret, stored.map(|c| &c.app_secret)),
    };
    let mut problems = Vec::new();
    for (name, empty) in [
        ("username", merged.username.is_empty()),
        ("password", merged.password.is_empty()),
        ("appKey", merged.app_key.is_empty()),
        ("appSecret", merged.app_secret.is_empty()),
    ] {
        if empty {
            problems.push(field(name, "Required for Sandbox and Production: bKash gives it to the merchant."));
        }
    }
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(problems)
    }
}

pub fn store_credentials(
    vault: &dyn SecretVault,
    environment: Environment,
    product: Product,
    credentials: &Credentials,
) -> Result<(), VaultError> {
    let stored = StoredCredentials {
        username: credentials.username.clone(),
        password: credentials.password.clone(),
        app_key: credentials.app_key.clone(),
        app_secret: credentials.app_secret.clone(),
    };
    vault.set(&credentials_key(environment, product), &Secret::new(serde_json::to_string(&stored).expect("credentials serialise")))
}
