//! `StaffExchange`: the store's staff accounts, so a cashier's account works
//! at every counter of the store (store schema version 5).
//!
//! Each counter keeps every account in its own journal, so sign-in never
//! needs the store. The exchange swaps changes both ways, one account per
//! name, the newest change winning: a counter's account changed after the
//! store's copy goes up; the store's copy changed after the counter's comes
//! down. The PIN's hash travels only sealed (ChaCha20-Poly1305) under a key
//! derived from the merchant's bKash app_secret, which PostgreSQL never
//! holds, so nothing in the store lets a reader try PINs. The seal binds
//! the name, role, whether the account may sign in and when it changed: a
//! row edited in PostgreSQL (a cashier made manager) opens nothing, and the
//! counters keep what they had.

use std::time::Duration as StdDuration;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use chrono::{DateTime, Utc};
use rand::RngCore;

use super::pool::PgSlot;
use super::{StoreConfig, StoreError};
use crate::bkash::Environment;
use crate::money::{Role, Secret};
use crate::staff::{Staff, StoreAccount};

/// What one exchange did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exchanged {
    /// This counter's changes sent to the store.
    pub sent: usize,
    /// Other counters' changes taken into this journal.
    pub taken: usize,
    /// Store rows whose seal did not open (edited there, or sealed under
    /// another app_secret): left alone, and logged.
    pub unopened: usize,
}

pub struct StaffExchange {
    pg: PgSlot,
    key: Key,
}

/// The staff seal's key: SHA-256 over a label of its own, the merchant, the
/// environment and the app_secret (like the token seal's, never the same key).
pub fn staff_seal_key(app_secret: &Secret, merchant: &str, environment: Environment) -> Key {
    super::tokens::derived_key("bkash-pos store staff seal v1", app_secret, merchant, environment)
}

/// What the seal binds: whose account, and as what, as of when.
fn bound(merchant: &str, store: &str, name_key: &str, role: Role, active: bool, changed_at: DateTime<Utc>) -> String {
    format!("bkash-pos store staff\n{merchant}\n{store}\n{name_key}\n{role}\n{active}\n{}", changed_at.timestamp_micros())
}

/// A store row as read: the account's facts and its sealed hash.
struct StoreRow {
    name: String,
    role: Role,
    active: bool,
    nonce: Vec<u8>,
    sealed: Vec<u8>,
    changed_at: DateTime<Utc>,
}

impl StaffExchange {
    pub fn new(config: StoreConfig, password: Secret, app_secret: &Secret, environment: Environment) -> Self {
        let key = staff_seal_key(app_secret, &config.merchant, environment);
        Self { pg: PgSlot::new(config, password, StdDuration::from_secs(5)), key }
    }

    fn seal(&self, account: &StoreAccount) -> (Vec<u8>, Vec<u8>) {
        let c = self.pg.config();
        let aad = bound(&c.merchant, &c.store_id, &account.name.to_lowercase(), account.role, account.active, account.changed_at);
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = ChaCha20Poly1305::new(&self.key)
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: account.phc.expose().as_bytes(), aad: aad.as_bytes() })
            .expect("sealing a short text cannot fail");
        (nonce.to_vec(), sealed)
    }

    fn open(&self, row: &StoreRow) -> Option<StoreAccount> {
        let c = self.pg.config();
        if row.nonce.len() != 12 {
            return None;
        }
        let aad = bound(&c.merchant, &c.store_id, &row.name.to_lowercase(), row.role, row.active, row.changed_at);
        let plain = ChaCha20Poly1305::new(&self.key)
            .decrypt(Nonce::from_slice(&row.nonce), Payload { msg: &row.sealed, aad: aad.as_bytes() })
            .ok()?;
        Some(StoreAccount {
            name: row.name.clone(),
            role: row.role,
            active: row.active,
            phc: Secret::new(String::from_utf8(plain).ok()?),
            changed_at: row.changed_at,
        })
    }

    /// Swaps changes with the store. Blocking (PostgreSQL, the vault): the
    /// sync thread runs it after each push.
    pub fn exchange(&self, staff: &Staff) -> Result<Exchanged, StoreError> {
        let local = staff.store_copies().map_err(|e| StoreError::Journal(e.to_string()))?;
        let (m, s, counter) = {
            let c = self.pg.config();
            (c.merchant.clone(), c.store_id.clone(), c.counter_id.clone())
        };
        let stored: Vec<StoreRow> = self.pg.with(|pg| {
            pg.query(
                "SELECT name, role, active, nonce, sealed, changed_at FROM staff_accounts WHERE merchant = $1 AND store_id = $2",
                &[&m, &s],
            )?
            .iter()
            .map(|r| {
                let role: String = r.get(1);
                Ok(StoreRow {
                    name: r.get(0),
                    role: role.parse().map_err(|_| super::snapshot::bad("staff role", &role))?,
                    active: r.get(2),
                    nonce: r.get(3),
                    sealed: r.get(4),
                    changed_at: r.get(5),
                })
            })
            .collect()
        })?;
        let mut done = Exchanged::default();
        let newer_here: Vec<&StoreAccount> =
            local.iter().filter(|a| !stored.iter().any(|r| r.name.eq_ignore_ascii_case(&a.name) && r.changed_at >= a.changed_at)).collect();
        if !newer_here.is_empty() {
            self.pg.with(|pg| {
                let mut tx = pg.transaction()?;
                for account in &newer_here {
                    let (nonce, sealed) = self.seal(account);
                    // Only over an older copy: two counters sending at once
                    // leave the newer change, whichever commits last.
                    tx.execute(
                        "INSERT INTO staff_accounts (merchant, store_id, name_key, name, role, active, nonce, sealed, changed_at, changed_by)
                         VALUES ($1, $2, lower($3), $3, $4, $5, $6, $7, $8, $9)
                         ON CONFLICT (merchant, store_id, name_key) DO UPDATE
                            SET name = EXCLUDED.name, role = EXCLUDED.role, active = EXCLUDED.active, nonce = EXCLUDED.nonce,
                                sealed = EXCLUDED.sealed, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by
                            WHERE staff_accounts.changed_at < EXCLUDED.changed_at",
                        &[&m, &s, &account.name, &account.role.as_str(), &account.active, &nonce, &sealed, &account.changed_at, &counter],
                    )?;
                }
                tx.commit()?;
                Ok(())
            })?;
            done.sent = newer_here.len();
        }
        for row in &stored {
            let ours = local.iter().find(|a| a.name.eq_ignore_ascii_case(&row.name));
            if ours.is_some_and(|a| a.changed_at >= row.changed_at) {
                continue;
            }
            let Some(account) = self.open(row) else {
                tracing::warn!(account = %row.name, "a staff account in the store does not open here; this counter keeps what it had");
                done.unopened += 1;
                continue;
            };
            match staff.take_from_store(&account) {
                Ok(()) => done.taken += 1,
                // The journal refuses what would break it (the last manager
                // demoted, say): this counter keeps what it had.
                Err(e) => tracing::warn!(account = %row.name, error = %e, "a staff account from the store was not taken"),
            }
        }
        Ok(done)
    }
}
