//! `StoreTokenStore`: the merchant's one bKash token pair, shared by every
//! counter of the store through PostgreSQL.
//!
//! - **Sealed.** The pair is kept as ChaCha20-Poly1305 ciphertext. The key
//!   is derived from the merchant's bKash app_secret, which every counter
//!   already holds in its own vault (it needs it to call bKash at all) and
//!   which never reaches PostgreSQL. A dump of the database alone gives no
//!   usable token. Rotating the app_secret makes the old pair unreadable,
//!   which costs one grant.
//! - **One call at a time.** A grant or refresh happens under a PostgreSQL
//!   advisory lock (per merchant and environment), after re-reading the
//!   pair: a counter that waited finds the token another one just got.
//! - **One budget.** Every call any counter sends is a row in `token_calls`;
//!   the rolling-hour budget is counted over all of them.
//! - **Offline rule.** Cut off from PostgreSQL, a counter keeps its last
//!   token while bKash still takes it (no refresh). Only when it has no valid
//!   token left may it grant alone, and only if its own last view of the
//!   store's calls plus its own since leaves budget. Such calls are kept in
//!   its local vault and reported to `token_calls` (marked `offline`) the
//!   next time it reaches the store, so the count stays honest.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use chrono::{DateTime, Duration, Utc};
use sha2::Digest;

use super::pool::PgSlot;
use super::{StoreConfig, StoreError};
use crate::bkash::{Environment, SharedTokens, StoredTokens, TokenStore};
use crate::money::{Clock, Secret};

pub struct StoreTokenStore {
    config: StoreConfig,
    environment: Environment,
    key: Key,
    /// This counter's own copy (its vault): what it uses when the store is
    /// unreachable, and where unreported offline calls wait.
    local: Arc<dyn TokenStore>,
    clock: Arc<dyn Clock>,
    pg: PgSlot,
    /// What this counter last read from or wrote to the store: the pair's
    /// generation and id_token, and the calls already counted there.
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    generation: i64,
    id_token: Option<Secret>,
    calls: BTreeSet<DateTime<Utc>>,
    /// How many times this counter holds the store's token lock (taken in
    /// `begin_token_call`, given back in `end_token_call`): a new pair is
    /// written only while it is held.
    locks: u32,
}

/// The sealed part: only the pair and its timing. The token calls are
/// plain rows (timestamps are no secret) so every counter can count them.
#[derive(serde::Serialize, serde::Deserialize)]
struct SealedPair {
    id_token: Option<Secret>,
    refresh_token: Option<Secret>,
    issued_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    accepted: bool,
    rejected: bool,
    cooling_until: Option<DateTime<Utc>>,
}

/// The sealing key: SHA-256 over a fixed label, the merchant, the
/// environment and the app_secret (high-entropy, so one hash is enough).
pub fn seal_key(app_secret: &Secret, merchant: &str, environment: Environment) -> Key {
    derived_key("bkash-pos store token seal v1", app_secret, merchant, environment)
}

/// A key of the store's, under its own `label`, from what every counter of
/// the merchant already holds and PostgreSQL never does.
pub(super) fn derived_key(label: &str, app_secret: &Secret, merchant: &str, environment: Environment) -> Key {
    let mut hash = sha2::Sha256::new();
    for part in [label, merchant, environment.as_str(), app_secret.expose()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    Key::clone_from_slice(&hash.finalize())
}

impl StoreTokenStore {
    pub fn new(
        config: StoreConfig,
        password: Secret,
        environment: Environment,
        app_secret: &Secret,
        local: Arc<dyn TokenStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let key = seal_key(app_secret, &config.merchant, environment);
        let pg = PgSlot::new(config.clone(), password, StdDuration::from_secs(3));
        Self { config, environment, key, local, clock, pg, seen: Mutex::default() }
    }

    fn lock_key(&self) -> String {
        format!("bkash-pos tokens {} {}", self.config.merchant, self.environment.as_str())
    }

    fn aad(&self, generation: i64) -> Vec<u8> {
        format!("{}|{}|{generation}", self.config.merchant, self.environment.as_str()).into_bytes()
    }

    /// The pair and the last hour's calls as the store holds them, with any
    /// offline calls of this counter reported first.
    fn read_store(&self, pg: &mut postgres::Client) -> Result<StoredTokens, StoreError> {
        let now = self.clock.now();
        let mut local = self.local.load().unwrap_or_default();
        let (m, env) = (&self.config.merchant, self.environment.as_str());
        if !local.unreported_calls.is_empty() {
            for at in &local.unreported_calls {
                pg.execute(
                    "INSERT INTO token_calls (merchant, environment, call_id, at, counter_id, offline)
                     VALUES ($1, $2, $3, $4, $5, true) ON CONFLICT DO NOTHING",
                    &[m, &env, &call_id(&self.config.counter_id, *at), at, &self.config.counter_id],
                )?;
            }
            tracing::info!(calls = local.unreported_calls.len(), "reported bKash token calls made while the store was unreachable");
            local.unreported_calls.clear();
            self.local.save(&local);
        }
        let calls: Vec<DateTime<Utc>> = pg
            .query(
                "SELECT at FROM token_calls WHERE merchant = $1 AND environment = $2 AND at > $3 ORDER BY at",
                &[m, &env, &(now - Duration::hours(1))],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let row =
            pg.query_opt("SELECT generation, nonce, sealed FROM bkash_tokens WHERE merchant = $1 AND environment = $2", &[m, &env])?;
        let mut tokens = StoredTokens { token_calls: calls.clone(), ..Default::default() };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.calls = calls.into_iter().collect();
        seen.generation = 0;
        seen.id_token = None;
        if let Some(row) = row {
            let (generation, nonce, sealed): (i64, Vec<u8>, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
            seen.generation = generation;
            match self.open(generation, &nonce, &sealed) {
                Some(pair) => {
                    seen.id_token = pair.id_token.clone();
                    tokens.id_token = pair.id_token;
                    tokens.refresh_token = pair.refresh_token;
                    tokens.issued_at = pair.issued_at;
                    tokens.expires_at = pair.expires_at;
                    tokens.accepted = pair.accepted;
                    tokens.rejected = pair.rejected;
                    tokens.cooling_until = pair.cooling_until;
                }
                // Sealed under another app_secret (rotated credentials):
                // as good as no pair; the next call grants a new one.
                None => tracing::warn!("the store's bKash token pair does not open with this counter's credentials; it will be replaced"),
            }
        }
        Ok(tokens)
    }

    fn open(&self, generation: i64, nonce: &[u8], sealed: &[u8]) -> Option<SealedPair> {
        if nonce.len() != 12 {
            return None;
        }
        let plain =
            ChaCha20Poly1305::new(&self.key).decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: &self.aad(generation) }).ok()?;
        serde_json::from_slice(&plain).ok()
    }

    fn seal(&self, generation: i64, tokens: &StoredTokens) -> (Vec<u8>, Vec<u8>) {
        let pair = SealedPair {
            id_token: tokens.id_token.clone(),
            refresh_token: tokens.refresh_token.clone(),
            issued_at: tokens.issued_at,
            expires_at: tokens.expires_at,
            accepted: tokens.accepted,
            rejected: tokens.rejected,
            cooling_until: tokens.cooling_until,
        };
        let plain = serde_json::to_vec(&pair).expect("the pair serialises");
        let nonce: [u8; 12] = rand::random();
        let sealed = ChaCha20Poly1305::new(&self.key)
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: &plain, aad: &self.aad(generation) })
            .expect("sealing cannot fail for a short message");
        (nonce.to_vec(), sealed)
    }

    fn write_store(&self, pg: &mut postgres::Client, tokens: &StoredTokens) -> Result<(), StoreError> {
        let (m, env) = (&self.config.merchant, self.environment.as_str());
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let mut tx = pg.transaction()?;
        for at in tokens.token_calls.iter().filter(|at| !seen.calls.contains(at)) {
            tx.execute(
                "INSERT INTO token_calls (merchant, environment, call_id, at, counter_id) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT DO NOTHING",
                &[m, &env, &call_id(&self.config.counter_id, *at), at, &self.config.counter_id],
            )?;
        }
        if tokens.id_token.is_none() {
            // A token this counter dropped (bKash refused it here) is
            // dropped here only. The store's pair may be newer: another
            // counter may have renewed it, and a counter whose clock runs
            // slow sees bKash refuse the old one first. The next call
            // re-reads the store under the lock.
            tx.commit()?;
            seen.id_token = None;
        } else if tokens.id_token != seen.id_token {
            if seen.locks == 0 {
                // Granted while the store was unreachable: kept in this
                // counter's own vault until it expires; the store's pair is
                // renewed by whoever next holds the lock.
                tx.commit()?;
                tracing::info!("a bKash token obtained without the store's lock is kept at this counter only");
            } else {
                // A new pair, under the lock, and only ever forwards: a
                // generation below the store's is never written over it.
                let generation = seen.generation + 1;
                let (nonce, sealed) = self.seal(generation, tokens);
                let written = tx.execute(
                    "INSERT INTO bkash_tokens (merchant, environment, generation, nonce, sealed, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (merchant, environment) DO UPDATE
                        SET generation = EXCLUDED.generation, nonce = EXCLUDED.nonce, sealed = EXCLUDED.sealed,
                            updated_at = now(), updated_by = EXCLUDED.updated_by
                        WHERE bkash_tokens.generation < EXCLUDED.generation",
                    &[m, &env, &generation, &nonce, &sealed, &self.config.counter_id],
                )?;
                tx.commit()?;
                if written == 1 {
                    seen.generation = generation;
                    seen.id_token = tokens.id_token.clone();
                } else {
                    tracing::warn!(generation, "the store's bKash token is newer than this counter's; it is kept");
                }
            }
        } else {
            // The same pair with new flags (bKash accepted or refused it):
            // written only if no other counter has replaced it meanwhile.
            let (nonce, sealed) = self.seal(seen.generation, tokens);
            tx.execute(
                "UPDATE bkash_tokens SET nonce = $4, sealed = $5, updated_at = now(), updated_by = $6
                 WHERE merchant = $1 AND environment = $2 AND generation = $3",
                &[m, &env, &seen.generation, &nonce, &sealed, &self.config.counter_id],
            )?;
            tx.commit()?;
        }
        seen.calls.extend(tokens.token_calls.iter().copied());
        Ok(())
    }
}

fn call_id(counter: &str, at: DateTime<Utc>) -> String {
    format!("{counter}@{}", at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true))
}

impl TokenStore for StoreTokenStore {
    fn load(&self) -> Option<StoredTokens> {
        match self.pg.with(|pg| self.read_store(pg)) {
            Ok(tokens) => {
                let mut local = tokens.clone();
                local.unreported_calls = Vec::new();
                self.local.save(&local);
                Some(tokens)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the store's bKash token cannot be read; using this counter's own copy");
                self.local.load()
            }
        }
    }

    fn save(&self, tokens: &StoredTokens) {
        let mut local = tokens.clone();
        match self.pg.with(|pg| self.write_store(pg, tokens)) {
            Ok(()) => local.unreported_calls.clear(),
            Err(e) => {
                tracing::warn!(error = %e, "the store is unreachable; this counter's token calls are reported when it is back");
                let known = self.seen.lock().unwrap_or_else(|p| p.into_inner()).calls.clone();
                let previous = self.local.load().map(|t| t.unreported_calls).unwrap_or_default();
                let mut unreported: BTreeSet<DateTime<Utc>> = previous.into_iter().collect();
                unreported.extend(tokens.token_calls.iter().filter(|at| !known.contains(at)));
                local.unreported_calls = unreported.into_iter().collect();
            }
        }
        self.local.save(&local);
    }

    fn begin_token_call(&self) -> SharedTokens {
        let key = self.lock_key();
        let locked = self.pg.with(|pg| {
            // Waits for another counter's grant or refresh (bounded by the
            // session's statement timeout), then reads what it left.
            pg.execute("SELECT pg_advisory_lock(hashtextextended($1, 0))", &[&key])?;
            match self.read_store(pg) {
                Ok(tokens) => Ok(tokens),
                Err(e) => {
                    let _ = pg.execute("SELECT pg_advisory_unlock(hashtextextended($1, 0))", &[&key]);
                    Err(e)
                }
            }
        });
        match locked {
            Ok(tokens) => {
                self.seen.lock().unwrap_or_else(|p| p.into_inner()).locks += 1;
                SharedTokens::Locked(tokens)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the store cannot be reached for the bKash token; the offline rule applies");
                SharedTokens::Unreachable
            }
        }
    }

    fn end_token_call(&self) {
        let key = self.lock_key();
        {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            seen.locks = seen.locks.saturating_sub(1);
        }
        // A lost connection has released the lock already.
        let _ = self.pg.with(|pg| pg.execute("SELECT pg_advisory_unlock(hashtextextended($1, 0))", &[&key]).map_err(StoreError::from));
    }
}
