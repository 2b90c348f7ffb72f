//! PINs: their form, their hash, the seal around the hash, and the lockout.
//!
//! A PIN is 4–8 digits (Bengali digits read as Latin). It is kept only as an
//! Argon2id hash (PHC string), and the hash only sealed with ChaCha20-Poly1305
//! under a key kept in the vault, with the account's id and role bound in:
//! the journal alone (a copy of the file, `sqlite3`) lets nobody try PINs,
//! and a sealed PIN moved onto another account or a raised role opens nothing.
//!
//! Wrong PINs are counted for the whole counter (sign-in is by PIN alone, so
//! a wrong one belongs to no account): five lock sign-in for 30 s, twice as
//! long each time after, at most an hour. The count is in the vault, so a
//! restart does not reset it.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::StaffError;
use crate::journal::SealedPin;
use crate::money::{Role, Secret};
use crate::vault::SecretVault;

pub const TRIES_BEFORE_LOCK: u32 = 5;
/// The vault entry of the key PIN hashes are sealed with.
pub(super) const SEAL_KEY: &str = "staff.pin-seal-key";
/// The vault entry of the counter's wrong-PIN count and lockout.
pub(super) const LOCKOUT_KEY: &str = "staff.pin-lockout";
/// Where the one manager PIN of earlier versions was kept (hash and lockout).
pub(super) const LEGACY_MANAGER_PIN: &str = "manager-pin";

/// 4–8 digits: the only PINs there are.
pub fn check_format(pin: &str) -> Result<(), StaffError> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(StaffError::BadPin)
    }
}

/// The PIN as it is hashed: Bengali digits read as Latin ones (২৪৬৮ is
/// 2468), surrounding spaces dropped. Anything that is still not 4–8 digits
/// is refused before it is compared, so it never counts as a wrong try.
pub fn normalise(pin: &str) -> Result<String, StaffError> {
    let pin = crate::money::ascii_digits(pin.trim());
    check_format(&pin)?;
    Ok(pin)
}

pub(super) fn hash(pin: &str) -> String {
    Argon2::default().hash_password(pin.as_bytes(), &SaltString::generate(&mut OsRng)).expect("argon2 hashes a short PIN").to_string()
}

pub(super) fn matches(pin: &str, phc: &str) -> Result<bool, StaffError> {
    let parsed = PasswordHash::new(phc).map_err(|e| StaffError::Damaged(format!("a stored PIN hash is damaged ({e})")))?;
    Ok(Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok())
}

/// How long the `n`th lockout (from 0) lasts: 30 s, doubling, at most 1 h.
pub fn lockout(n: u32) -> Duration {
    Duration::seconds(30i64.saturating_mul(1 << n.min(7))).min(Duration::hours(1))
}

/// Seals and opens PIN hashes with the vault's key.
pub(super) struct PinSeal {
    cipher: ChaCha20Poly1305,
}

fn bound(id: i64, role: Role) -> String {
    format!("bkash-pos staff pin {id} {role}")
}

impl PinSeal {
    /// The vault's key, made on first use.
    pub(super) fn from_vault(vault: &dyn SecretVault) -> Result<Self, StaffError> {
        let key = match vault.get(SEAL_KEY)? {
            Some(hex) => decode_key(hex.expose()).ok_or_else(|| StaffError::Damaged("the PIN seal key in the vault is damaged".into()))?,
            None => {
                let mut key = [0u8; 32];
                rand::rng().fill_bytes(&mut key);
                vault.set(SEAL_KEY, &Secret::new(key.iter().map(|b| format!("{b:02x}")).collect::<String>()))?;
                key
            }
        };
        Ok(Self { cipher: ChaCha20Poly1305::new(Key::from_slice(&key)) })
    }

    pub(super) fn seal(&self, id: i64, role: Role, phc: &str) -> SealedPin {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let aad = bound(id, role);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: phc.as_bytes(), aad: aad.as_bytes() })
            .expect("sealing a short text cannot fail");
        (sealed, nonce.to_vec())
    }

    /// The hash, or `None` when the seal does not open for this account
    /// and role (moved, edited, or sealed under another key).
    pub(super) fn open(&self, id: i64, role: Role, sealed: &[u8], nonce: &[u8]) -> Option<String> {
        if nonce.len() != 12 {
            return None;
        }
        let aad = bound(id, role);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: aad.as_bytes() }).ok()?;
        String::from_utf8(plain).ok()
    }
}

fn decode_key(hex: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect::<Option<_>>()?;
    bytes.try_into().ok()
}

/// The counter's wrong-PIN count, as the vault keeps it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Lockout {
    failures: u32,
    lockouts: u32,
    locked_until: Option<DateTime<Utc>>,
}

impl Lockout {
    pub(super) fn load(vault: &dyn SecretVault) -> Result<Self, StaffError> {
        Ok(vault.get(LOCKOUT_KEY)?.and_then(|json| serde_json::from_str(json.expose()).ok()).unwrap_or_default())
    }

    fn save(&self, vault: &dyn SecretVault) -> Result<(), StaffError> {
        Ok(vault.set(LOCKOUT_KEY, &Secret::new(serde_json::to_string(self).expect("serialises")))?)
    }

    /// Refuses while locked.
    pub(super) fn check(&self, now: DateTime<Utc>) -> Result<(), StaffError> {
        match self.locked_until.filter(|until| *until > now) {
            Some(until) => Err(StaffError::Locked { until: crate::money::time::local_time(until) }),
            None => Ok(()),
        }
    }

    /// A right PIN: the count starts again.
    pub(super) fn cleared(self, vault: &dyn SecretVault) -> Result<(), StaffError> {
        if self.failures > 0 || self.lockouts > 0 || self.locked_until.is_some() {
            Lockout::default().save(vault)?;
        }
        Ok(())
    }

    /// A wrong PIN: counted, and the fifth locks.
    pub(super) fn failed(mut self, vault: &dyn SecretVault, now: DateTime<Utc>) -> StaffError {
        self.failures += 1;
        let error = if self.failures >= TRIES_BEFORE_LOCK {
            let until = now + lockout(self.lockouts);
            self.failures = 0;
            self.lockouts += 1;
            self.locked_until = Some(until);
            tracing::warn!(until = %until, "PIN sign-in is locked after repeated wrong tries");
            StaffError::Locked { until: crate::money::time::local_time(until) }
        } else {
            StaffError::WrongPin { left: TRIES_BEFORE_LOCK - self.failures }
        };
        match self.save(vault) {
            Ok(()) => error,
            Err(e) => e,
        }
    }
}

/// The one manager PIN of earlier versions, as its vault entry held it.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct LegacyManagerPin {
    pub(super) hash: String,
}
