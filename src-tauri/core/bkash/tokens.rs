//! `TokenManager`: bKash's token rules. Grant once, refresh ahead of expiry,
//! one grant or refresh in flight at a time, fall back from a failed refresh
//! to a grant, and never call the token APIs more often than bKash allows.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::config::BkashConfig;
use super::transport::{send, token_url, Endpoint, JsonRequests};
use super::wire::TokenResponse;
use super::BkashError;
use crate::money::{Cause, Clock, Secret};

/// What survives a restart: the token pair and the recent token calls, so a
/// restart neither spends a grant nor forgets the hourly budget.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredTokens {
    pub id_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    pub issued_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    /// When each grant or refresh was sent, for the rolling-hour budget.
    pub token_calls: Vec<DateTime<Utc>>,
    /// bKash's own logic has answered a call made with `id_token`, so the
    /// gateway took it at least once.
    #[serde(default)]
    pub accepted: bool,
    /// The gateway refused `id_token` although bKash had just issued it.
    #[serde(default)]
    pub rejected: bool,
    /// No token call before this: the last one got no definitive answer
    /// (or bKash said 429).
    #[serde(default)]
    pub cooling_until: Option<DateTime<Utc>>,
    /// Token calls this counter sent while the store it shares its token
    /// with was unreachable, not yet reported to it (see `store::tokens`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreported_calls: Vec<DateTime<Utc>>,
    /// bKash refused a grant with these credentials: no token call is sent
    /// with them again until they change, or an hour has passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_refused: Option<SignInRefused>,
}

/// A grant bKash refused: the credentials were wrong, not the moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRefused {
    /// [`credentials_fingerprint`] of the refused credentials.
    pub credentials: String,
    /// bKash's words, shown to the manager.
    pub message: String,
    pub at: DateTime<Utc>,
}

/// Tells one set of credentials from another without keeping any of them:
/// a SHA-256 over all four, keyed by the app_secret (bKash's, 50 random
/// characters), so the digest reveals nothing about the password.
pub fn credentials_fingerprint(c: &super::config::Credentials) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for part in ["bkash-pos sign-in v1", c.app_secret.expose(), &c.username, &c.app_key, c.password.expose()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What a shared store says before a grant or refresh.
pub enum SharedTokens {
    /// This counter's own store: nothing to coordinate.
    NotShared,
    /// The store-wide lock is held until [`TokenStore::end_token_call`];
    /// this is the pair (and the store's token calls) as the store holds it
    /// now: another counter may have renewed it meanwhile.
    Locked(StoredTokens),
    /// The shared store cannot be reached: the offline rule applies (keep
    /// a valid token; grant alone only when none is left and this counter's
    /// view of the budget allows it).
    Unreachable,
}

/// Where the token pair is kept between runs. The app implements it with the
/// OS keyring; tests use [`MemoryTokenStore`].
pub trait TokenStore: Send + Sync {
    fn load(&self) -> Option<StoredTokens>;
    fn save(&self, tokens: &StoredTokens);
    /// Called before a grant or refresh; a store shared by several counters
    /// takes its lock here. Blocking: called on a blocking thread.
    fn begin_token_call(&self) -> SharedTokens {
        SharedTokens::NotShared
    }
    /// Releases what [`begin_token_call`](Self::begin_token_call) locked.
    fn end_token_call(&self) {}
}

/// Holds a shared store's lock until dropped, so a caller that gives up
/// (a cancelled payment) never leaves the store locked.
struct SharedLock(Option<Arc<dyn TokenStore>>);

impl Drop for SharedLock {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            // Off the runtime's threads: the store may be a network database.
            std::thread::spawn(move || store.end_token_call());
        }
    }
}

#[derive(Default)]
pub struct MemoryTokenStore(pub Mutex<Option<StoredTokens>>);

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Option<StoredTokens> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    fn save(&self, tokens: &StoredTokens) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(tokens.clone());
    }
}

/// How the token calls are spent. bKash allows about two grants or
/// refreshes per merchant per rolling hour and blocks a merchant for an hour
/// beyond that (API.md §2). A steady shop needs one refresh every 50
/// minutes, so the second call of the hour is the reserve for trouble. These
/// rules keep one broken minute from spending that reserve:
///
/// - a call counts against the budget whenever it may have reached bKash
///   (everything but a connection that was never made);
/// - after a token call that got no definitive answer (timeout, 5xx,
///   redirect, garbage), the next waits `cool_down`: a broken minute costs
///   one call, not both, and token calls resume minutes later, not an hour;
/// - after bKash's 429 on a token call, token calls wait an hour, as bKash
///   says it blocks;
/// - a 401 on a token bKash issued less than `fresh_window` ago spends no
///   call at all (unless bKash had accepted it and now says it expired: a
///   clock an hour off): a new token would be refused the same way, because
///   the credentials, the environment or the gateway are wrong. So a gateway
///   that answers 401 to everything for a minute costs no token call.
#[derive(Debug, Clone, Copy)]
pub struct TokenPolicy {
    /// Refresh once a token is this old (bKash: about the 50th minute of 60).
    pub refresh_after: Duration,
    /// Grants plus refreshes allowed per rolling hour (bKash: 2).
    pub budget_per_hour: u32,
    /// The pause after a token call without a definitive answer.
    pub cool_down: Duration,
    /// How long a token that bKash has not yet accepted counts as just issued.
    pub fresh_window: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self {
            refresh_after: Duration::minutes(50),
            budget_per_hour: 2,
            cool_down: Duration::minutes(5),
            fresh_window: Duration::minutes(10),
        }
    }
}

/// What the counter and the manager are told about bKash's tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenStatus {
    pub calls_in_last_hour: u32,
    pub budget_per_hour: u32,
    /// Payments that need a new token cannot start before this (RFC 3339, UTC).
    #[ts(type = "string | null")]
    pub paused_until: Option<DateTime<Utc>>,
    /// Why: `TokenBudget` or `TokenCoolingDown`.
    #[ts(type = "\"token_budget\" | \"token_cooling_down\" | null")]
    pub paused_because: Option<Cause>,
    /// The gateway refused the token bKash had just issued.
    pub token_rejected: bool,
}

pub struct TokenManager {
    http: reqwest::Client,
    config: Arc<BkashConfig>,
    store: Arc<dyn TokenStore>,
    clock: Arc<dyn Clock>,
    policy: TokenPolicy,
    /// Held across a grant or refresh: that is the single flight. Callers
    /// that arrive meanwhile wait here and then find the fresh token.
    state: tokio::sync::Mutex<Option<StoredTokens>>,
}

impl TokenManager {
    pub fn new(
        http: reqwest::Client,
        config: Arc<BkashConfig>,
        store: Arc<dyn TokenStore>,
        clock: Arc<dyn Clock>,
        policy: TokenPolicy,
    ) -> Self {
        Self { http, config, store, clock, policy, state: tokio::sync::Mutex::new(None) }
    }

    /// The pair in memory, read from the store on first use. The store may
    /// be the OS keyring (D-Bus), so it is read and written on a blocking
    /// thread, never on the runtime's.
    async fn loaded<'a>(&self, guard: &'a mut Option<StoredTokens>) -> &'a mut StoredTokens {
        if guard.is_none() {
            let store = self.store.clone();
            let stored = tokio::task::spawn_blocking(move || store.load()).await.ok().flatten();
            *guard = Some(stored.unwrap_or_default());
        }
        guard.as_mut().expect("just loaded")
    }

    /// Writes the pair while the caller still holds the state lock, so
    /// writes reach the store in the order they were made.
    async fn persist(&self, tokens: &StoredTokens) {
        let (store, tokens) = (self.store.clone(), tokens.clone());
        if tokio::task::spawn_blocking(move || store.save(&tokens)).await.is_err() {
            tracing::error!("saving the bKash token pair panicked; it will be asked for again after a restart");
        }
    }

    /// A usable id_token, granting or refreshing only when needed.
    pub async fn token(&self) -> Result<Secret, BkashError> {
        self.token_for_call().await.map(|(token, _)| token)
    }

    /// A usable id_token, and whether bKash has already accepted it and has
    /// not refused it since (then the caller need not report
    /// [`accepted`](Self::accepted) again).
    pub async fn token_for_call(&self) -> Result<(Secret, bool), BkashError> {
        let mut guard = self.state.lock().await;
        let tokens = self.loaded(&mut guard).await;
        if let Some(fresh) = self.fresh(tokens) {
            return Ok(fresh);
        }
        let store = self.store.clone();
        let shared = tokio::task::spawn_blocking(move || store.begin_token_call()).await.unwrap_or(SharedTokens::Unreachable);
        match shared {
            SharedTokens::NotShared => self.renew(tokens).await,
            SharedTokens::Locked(current) => {
                let _lock = SharedLock(Some(self.store.clone()));
                *tokens = current;
                match self.fresh(tokens) {
                    // Another counter renewed it while this one waited.
                    Some(fresh) => Ok(fresh),
                    None => self.renew(tokens).await,
                }
            }
            SharedTokens::Unreachable => match self.valid(tokens) {
                // Cut off from the store: a token that still works is used
                // to its end rather than spend a call the store cannot count.
                Some(valid) => Ok(valid),
                None => self.renew(tokens).await,
            },
        }
    }

    /// The token, while it is young enough not to need a refresh.
    fn fresh(&self, tokens: &StoredTokens) -> Option<(Secret, bool)> {
        let now = self.clock.now();
        // Refresh at minute 50 of 60, or at 5/6 of a shorter lifetime.
        let fresh = match (tokens.id_token.as_ref(), tokens.issued_at, tokens.expires_at) {
            (Some(_), Some(issued), Some(expires)) => now < issued + self.policy.refresh_after.min((expires - issued) * 5 / 6),
            _ => false,
        };
        if fresh {
            self.valid(tokens)
        } else {
            None
        }
    }

    /// The token, while bKash will still take it.
    fn valid(&self, tokens: &StoredTokens) -> Option<(Secret, bool)> {
        let now = self.clock.now();
        let current = tokens.id_token.clone().filter(|_| tokens.expires_at.is_some_and(|exp| now < exp - Duration::seconds(30)));
        current.map(|token| (token, tokens.accepted && !tokens.rejected))
    }

    /// Refresh (falling back to a grant), or keep a still-valid token when
    /// the budget or bKash say not now.
    async fn renew(&self, tokens: &mut StoredTokens) -> Result<(Secret, bool), BkashError> {
        let current = self.valid(tokens);
        if let Some(refresh) = tokens.refresh_token.clone() {
            match self.call_token_api(tokens, Some(&refresh)).await {
                Ok(token) => return Ok((token, false)),
                Err(
                    BkashError::TokenBudgetSpent { .. }
                    | BkashError::TokenCoolingDown { .. }
                    | BkashError::NotSent { .. }
                    | BkashError::OutcomeUnknown { .. },
                ) if current.is_some() => {
                    // Still valid for a while: keep using it rather than fail a sale.
                    return Ok(current.expect("checked"));
                }
                Err(e @ (BkashError::TokenBudgetSpent { .. } | BkashError::TokenCoolingDown { .. })) => return Err(e),
                Err(e) => tracing::warn!(error = %e, "bKash token refresh failed; granting a new token"),
            }
        }
        self.call_token_api(tokens, None).await.map(|token| (token, false))
    }

    /// The gateway refused `failed` (401). Whether another token can help:
    /// only when bKash says this one has expired and bKash had accepted it
    /// before (a clock that runs behind bKash's), or when it is old. A token
    /// issued moments ago that is refused as "Unauthorized", or was never
    /// accepted, is `TokenRejected`, and no token call is spent on it: a new
    /// token would be refused the same way. Only the token that failed is
    /// dropped, so a 401 on an old token does not throw away a newer one.
    pub async fn refused(&self, failed: &Secret, error: &BkashError) -> Result<(), BkashError> {
        let mut guard = self.state.lock().await;
        let Some(tokens) = guard.as_mut().filter(|t| t.id_token.as_ref() == Some(failed)) else { return Ok(()) };
        let just_issued = tokens.issued_at.is_some_and(|at| self.clock.now() < at + self.policy.fresh_window);
        let message = match error {
            BkashError::Gateway { message, .. } => message.clone(),
            other => other.to_string(),
        };
        let says_expired = message == "The incoming token has expired";
        if just_issued && !(tokens.accepted && says_expired) {
            if !tokens.rejected {
                tokens.rejected = true;
                self.persist(tokens).await;
            }
            tracing::warn!(error = %error, "bKash's gateway refused a token it had just issued; not asking for another");
            return Err(BkashError::TokenRejected { message });
        }
        tokens.id_token = None;
        tokens.issued_at = None;
        tokens.expires_at = None;
        self.persist(tokens).await;
        Ok(())
    }

    /// bKash's own logic answered a call made with `token`.
    pub async fn accepted(&self, token: &Secret) {
        let mut guard = self.state.lock().await;
        if let Some(tokens) = guard.as_mut().filter(|t| t.id_token.as_ref() == Some(token) && (!t.accepted || t.rejected)) {
            tokens.accepted = true;
            tokens.rejected = false;
            self.persist(tokens).await;
        }
    }

    fn budget_check(&self, tokens: &mut StoredTokens, now: DateTime<Utc>) -> Result<(), BkashError> {
        tokens.token_calls.retain(|t| *t > now - Duration::hours(1));
        tokens.token_calls.sort();
        if tokens.token_calls.len() as u32 >= self.policy.budget_per_hour {
            let oldest = tokens.token_calls[0];
            return Err(BkashError::TokenBudgetSpent { budget: self.policy.budget_per_hour, retry_after: oldest + Duration::hours(1) });
        }
        if let Some(until) = tokens.cooling_until.filter(|until| now < *until) {
            return Err(BkashError::TokenCoolingDown { retry_after: until });
        }
        Ok(())
    }

    /// One grant (`refresh` None) or refresh, counted against the budget
    /// whenever it may have reached bKash.
    async fn call_token_api(&self, tokens: &mut StoredTokens, refresh: Option<&Secret>) -> Result<Secret, BkashError> {
        let now = self.clock.now();
        let c = &self.config.credentials;
        let fingerprint = credentials_fingerprint(c);
        if let Some(refused) = tokens.sign_in_refused.as_ref() {
            if refused.credentials == fingerprint && now < refused.at + Duration::hours(1) {
                return Err(BkashError::TokenRejected { message: refused.message.clone() });
            }
        }
        self.budget_check(tokens, now)?;
        let (endpoint, path) = if refresh.is_some() { (Endpoint::Refresh, "refresh") } else { (Endpoint::Grant, "grant") };
        let mut body = json!({"app_key": c.app_key, "app_secret": c.app_secret.expose()});
        if let Some(r) = refresh {
            body["refresh_token"] = json!(r.expose());
        }
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            let request = JsonRequests(&self.http)
                .post(token_url(&self.config, endpoint))
                .header("username", &c.username)
                .header("password", c.password.expose())
                .json(&body);
            let result = send::<TokenResponse>(request, endpoint, "").await;
            match result {
                // Nothing reached bKash: safe to try again, and free of budget.
                Err(BkashError::NotSent { .. }) if attempt < 3 => tokio::time::sleep(StdDuration::from_millis(200 * attempt)).await,
                other => break other,
            }
        };
        if !matches!(result, Err(BkashError::NotSent { .. })) {
            tokens.token_calls.push(now);
        }
        tokens.cooling_until = match &result {
            Err(BkashError::Gateway { status: 429, .. }) => Some(now + Duration::hours(1)),
            Err(e) if e.outcome_unknown() => Some(now + self.policy.cool_down),
            _ => None,
        };
        let result = result.and_then(|pair| {
            if pair.id_token.is_empty() || pair.refresh_token.is_empty() || pair.expires_in <= 0 {
                return Err(BkashError::unknown("bKash's token answer was incomplete"));
            }
            Ok(pair)
        });
        // A grant that bKash refused (a code, or the gateway's 401/403 on
        // the username and password) will be refused again with the same
        // credentials: say so, and spend nothing more on them.
        let sign_in = match &result {
            Err(BkashError::Refused { message, code }) if refresh.is_none() => Some(format!("{message} ({code})")),
            Err(BkashError::Gateway { status: 401 | 403, message }) if refresh.is_none() => Some(message.clone()),
            _ => None,
        };
        if let Some(message) = sign_in {
            tracing::warn!(%message, "bKash refused the app's sign-in; no token call until the credentials change");
            tokens.sign_in_refused = Some(SignInRefused { credentials: fingerprint, message: message.clone(), at: now });
            tokens.rejected = true;
            self.persist(tokens).await;
            return Err(BkashError::TokenRejected { message });
        }
        match result {
            Ok(pair) => {
                tokens.sign_in_refused = None;
                let expires_in = pair.expires_in.min(24 * 3600);
                tokens.id_token = Some(Secret::new(pair.id_token));
                tokens.refresh_token = Some(Secret::new(pair.refresh_token));
                tokens.issued_at = Some(now);
                tokens.expires_at = Some(now + Duration::seconds(expires_in));
                tokens.accepted = false;
                tokens.rejected = false;
                self.persist(tokens).await;
                tracing::info!(kind = path, expires_in, "bKash token obtained");
                Ok(tokens.id_token.clone().expect("just set"))
            }
            Err(e) => {
                if refresh.is_some() && matches!(e, BkashError::Gateway { .. } | BkashError::Refused { .. }) {
                    tokens.refresh_token = None; // spent or refused: do not try it again
                }
                self.persist(tokens).await;
                Err(e)
            }
        }
    }

    /// Grants and refreshes sent in the last hour, and whether and until when
    /// payments that need a new token must wait.
    pub async fn status(&self) -> TokenStatus {
        let now = self.clock.now();
        let mut guard = self.state.lock().await;
        let tokens = self.loaded(&mut guard).await;
        let calls = tokens.token_calls.iter().filter(|c| **c > now - Duration::hours(1)).count() as u32;
        let usable = tokens.id_token.is_some() && tokens.expires_at.is_some_and(|exp| now < exp - Duration::seconds(30));
        let (paused_until, paused_because) = match self.budget_check(&mut tokens.clone(), now) {
            // A valid token keeps payments going while token calls wait.
            Err(_) if usable => (None, None),
            Err(BkashError::TokenBudgetSpent { retry_after, .. }) => (Some(retry_after), Some(Cause::TokenBudget)),
            Err(BkashError::TokenCoolingDown { retry_after }) => (Some(retry_after), Some(Cause::TokenCoolingDown)),
            _ => (None, None),
        };
        TokenStatus {
            calls_in_last_hour: calls,
            budget_per_hour: self.policy.budget_per_hour,
            paused_until,
            paused_because,
            token_rejected: tokens.rejected,
        }
    }
}
