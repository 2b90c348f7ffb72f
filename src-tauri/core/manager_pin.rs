//! The `ManagerPin`: what stands between a cashier and a manager's actions
//! (refunds, settings, resolving unknown payments, reports).
//!
//! Contract: set on first use; stored only as an Argon2id hash (PHC string)
//! in the `SecretVault`, together with the failure count, so a restart does
//! not reset the lockout. Five wrong tries lock it, for 30 s the first time
//! and twice as long each time after (at most an hour); a right PIN clears
//! both. The PIN itself is never stored, logged or returned.

use std::sync::Arc;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::money::{Clock, Secret};
use crate::vault::{SecretVault, VaultError};

pub const TRIES_BEFORE_LOCK: u32 = 5;
const KEY: &str = "manager-pin";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PinError {
    #[error("The PIN must be 4 to 8 digits.")]
    BadFormat,
    #[error("A manager PIN is already set; change it with the current PIN.")]
    AlreadySet,
    #[error("No manager PIN is set yet.")]
    NotSet,
    #[error("Wrong PIN. {left} tries left before it locks.")]
    Wrong { left: u32 },
    #[error("Too many wrong PINs. Try again after {until} (Bangladesh time).")]
    Locked { until: String },
    #[error("Enter the manager PIN first.")]
    SessionClosed,
    #[error("The PIN store cannot be used: {0}")]
    Vault(String),
}

impl From<VaultError> for PinError {
    fn from(e: VaultError) -> Self {
        PinError::Vault(e.to_string())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    /// Argon2id, PHC string format (algorithm, parameters, salt and hash).
    hash: String,
    failures: u32,
    lockouts: u32,
    locked_until: Option<DateTime<Utc>>,
}

pub struct ManagerPin {
    vault: Arc<dyn SecretVault>,
    clock: Arc<dyn Clock>,
}

/// 4–8 digits: the only PINs there are.
pub fn check_format(pin: &str) -> Result<(), PinError> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(PinError::BadFormat)
    }
}

/// The PIN as it is hashed: Bengali digits read as Latin ones (২৪৬৮ is
/// 2468), surrounding spaces dropped. Anything that is still not 4–8 digits
/// is refused before it is compared, so it never counts as a wrong try.
pub fn normalise(pin: &str) -> Result<String, PinError> {
    let pin = crate::money::ascii_digits(pin.trim());
    check_format(&pin)?;
    Ok(pin)
}

fn hash(pin: &str) -> String {
    Argon2::default().hash_password(pin.as_bytes(), &SaltString::generate(&mut OsRng)).expect("argon2 hashes a short PIN").to_string()
}

/// How long the `n`th lockout (from 0) lasts: 30 s, doubling, at most 1 h.
pub fn lockout(n: u32) -> Duration {
    Duration::seconds(30i64.saturating_mul(1 << n.min(7))).min(Duration::hours(1))
}

impl ManagerPin {
    pub fn new(vault: Arc<dyn SecretVault>, clock: Arc<dyn Clock>) -> Self {
        Self { vault, clock }
    }

    fn load(&self) -> Result<Option<Stored>, PinError> {
        Ok(self.vault.get(KEY)?.and_then(|json| serde_json::from_str(json.expose()).ok()))
    }

    fn save(&self, stored: &Stored) -> Result<(), PinError> {
        Ok(self.vault.set(KEY, &Secret::new(serde_json::to_string(stored).expect("serialises")))?)
    }

    pub fn is_set(&self) -> Result<bool, PinError> {
        Ok(self.load()?.is_some())
    }

    /// The first PIN, on first use. Refused once one exists.
    pub fn set_first(&self, pin: &str) -> Result<(), PinError> {
        let pin = normalise(pin)?;
        if self.is_set()? {
            return Err(PinError::AlreadySet);
        }
        self.save(&Stored { hash: hash(&pin), ..Default::default() })
    }

    /// Checks a PIN, counting failures and locking after five.
    pub fn verify(&self, pin: &str) -> Result<(), PinError> {
        let mut stored = self.load()?.ok_or(PinError::NotSet)?;
        let now = self.clock.now();
        if let Some(until) = stored.locked_until.filter(|until| *until > now) {
            return Err(PinError::Locked { until: crate::money::time::local_time(until) });
        }
        let pin = normalise(pin)?;
        let parsed = PasswordHash::new(&stored.hash).map_err(|e| PinError::Vault(format!("the stored PIN hash is damaged ({e})")))?;
        if Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok() {
            if stored.failures > 0 || stored.lockouts > 0 || stored.locked_until.is_some() {
                stored = Stored { hash: stored.hash, ..Default::default() };
                self.save(&stored)?;
            }
            return Ok(());
        }
        stored.failures += 1;
        if stored.failures >= TRIES_BEFORE_LOCK {
            let until = now + lockout(stored.lockouts);
            stored.failures = 0;
            stored.lockouts += 1;
            stored.locked_until = Some(until);
            self.save(&stored)?;
            tracing::warn!(until = %until, "the manager PIN is locked after repeated wrong tries");
            return Err(PinError::Locked { until: crate::money::time::local_time(until) });
        }
        self.save(&stored)?;
        Err(PinError::Wrong { left: TRIES_BEFORE_LOCK - stored.failures })
    }

    /// A new PIN, given the current one (which counts as a try).
    pub fn change(&self, current: &str, new: &str) -> Result<(), PinError> {
        let new = normalise(new)?;
        self.verify(current)?;
        self.save(&Stored { hash: hash(&new), ..Default::default() })
    }
}

/// How long the manager's screens stay open after the PIN, without use.
pub const SESSION_IDLE: Duration = Duration::minutes(10);

/// Whether the manager's screens are open: unlocked by the PIN, closed by
/// Lock or after [`SESSION_IDLE`] without a manager action.
pub struct ManagerSession {
    pin: ManagerPin,
    clock: Arc<dyn Clock>,
    open_until: std::sync::Mutex<Option<DateTime<Utc>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ManagerStatus {
    pub pin_set: bool,
    pub unlocked: bool,
}

impl ManagerSession {
    pub fn new(vault: Arc<dyn SecretVault>, clock: Arc<dyn Clock>) -> Self {
        Self { pin: ManagerPin::new(vault, clock.clone()), clock, open_until: std::sync::Mutex::new(None) }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<DateTime<Utc>>> {
        self.open_until.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn status(&self) -> Result<ManagerStatus, PinError> {
        let unlocked = self.slot().is_some_and(|until| until > self.clock.now());
        Ok(ManagerStatus { pin_set: self.pin.is_set()?, unlocked })
    }

    fn open(&self) {
        *self.slot() = Some(self.clock.now() + SESSION_IDLE);
    }

    /// The first PIN; the screens open with it.
    pub fn set_first(&self, pin: &str) -> Result<(), PinError> {
        self.pin.set_first(pin)?;
        self.open();
        Ok(())
    }

    pub fn unlock(&self, pin: &str) -> Result<(), PinError> {
        self.pin.verify(pin)?;
        self.open();
        Ok(())
    }

    pub fn change(&self, current: &str, new: &str) -> Result<(), PinError> {
        self.pin.change(current, new)
    }

    pub fn lock(&self) {
        *self.slot() = None;
    }

    /// Refuses a manager action unless the screens are open; each action
    /// keeps them open for another [`SESSION_IDLE`].
    pub fn require(&self) -> Result<(), PinError> {
        let now = self.clock.now();
        let mut slot = self.slot();
        match *slot {
            Some(until) if until > now => {
                *slot = Some(now + SESSION_IDLE);
                Ok(())
            }
            _ => Err(PinError::SessionClosed),
        }
    }
}
