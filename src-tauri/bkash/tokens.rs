//! `TokenManager`: bKash's token rules. Grant once, refresh ahead of expiry,
//! one grant or refresh in flight at a time, fall back from a failed refresh
//! to a grant, and never call the token APIs more often than bKash allows.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tracing::Instrument;

use super::client::{send, Endpoint};
use super::config::{BkashConfig, Secret};
use super::wire::TokenResponse;
use super::BkashError;

/// "Now", injectable so expiry is tested by moving a clock, not by sleeping.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock tests move by hand.
#[derive(Default)]
pub struct ManualClock(Mutex<Duration>);

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

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
}

/// Where the token pair is kept between runs. The app implements it with the
/// OS keyring; tests use [`MemoryTokenStore`].
pub trait TokenStore: Send + Sync {
    fn load(&self) -> Option<StoredTokens>;
    fn save(&self, tokens: &StoredTokens);
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

#[derive(Debug, Clone, Copy)]
pub struct TokenPolicy {
    /// Refresh once a token is this old (bKash: about the 50th minute of 60).
    pub refresh_after: Duration,
    /// Grants plus refreshes allowed per rolling hour (bKash: 2).
    pub budget_per_hour: u32,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self { refresh_after: Duration::minutes(50), budget_per_hour: 2 }
    }
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

    /// A usable id_token, granting or refreshing only when needed.
    pub async fn token(&self) -> Result<Secret, BkashError> {
        let mut guard = self.state.lock().await;
        let tokens = guard.get_or_insert_with(|| self.store.load().unwrap_or_default());
        let now = self.clock.now();
        // Refresh at minute 50 of 60, or at 5/6 of a shorter lifetime.
        let fresh = match (tokens.id_token.as_ref(), tokens.issued_at, tokens.expires_at) {
            (Some(_), Some(issued), Some(expires)) => now < issued + self.policy.refresh_after.min((expires - issued) * 5 / 6),
            _ => false,
        };
        let current = tokens.id_token.clone().filter(|_| tokens.expires_at.is_some_and(|exp| now < exp - Duration::seconds(30)));
        if fresh {
            if let Some(token) = current {
                return Ok(token);
            }
        }
        if let Some(refresh) = tokens.refresh_token.clone() {
            match self.call_token_api(tokens, Some(&refresh)).await {
                Ok(token) => return Ok(token),
                Err(BkashError::TokenBudgetSpent { .. } | BkashError::NotSent { .. } | BkashError::OutcomeUnknown { .. })
                    if current.is_some() =>
                {
                    // Still valid for a while: keep using it rather than fail a sale.
                    return Ok(current.expect("checked"));
                }
                Err(e @ BkashError::TokenBudgetSpent { .. }) => return Err(e),
                Err(e) => tracing::warn!(error = %e, "bKash token refresh failed; granting a new token"),
            }
        }
        self.call_token_api(tokens, None).await
    }

    /// The gateway said this token is no good (401): the next caller gets a
    /// new one. Only the token that failed is dropped, so a 401 on an old
    /// token does not throw away a newer one.
    pub async fn invalidate(&self, failed: &Secret) {
        let mut guard = self.state.lock().await;
        if let Some(tokens) = guard.as_mut() {
            if tokens.id_token.as_ref() == Some(failed) {
                tokens.id_token = None;
                tokens.issued_at = None;
                tokens.expires_at = None;
                self.store.save(tokens);
            }
        }
    }

    fn budget_check(&self, tokens: &mut StoredTokens, now: DateTime<Utc>) -> Result<(), BkashError> {
        tokens.token_calls.retain(|t| *t > now - Duration::hours(1));
        tokens.token_calls.sort();
        if tokens.token_calls.len() as u32 >= self.policy.budget_per_hour {
            let oldest = tokens.token_calls[0];
            return Err(BkashError::TokenBudgetSpent { budget: self.policy.budget_per_hour, retry_after: oldest + Duration::hours(1) });
        }
        Ok(())
    }

    /// One grant (`refresh` None) or refresh, counted against the budget
    /// whenever it may have reached bKash.
    async fn call_token_api(&self, tokens: &mut StoredTokens, refresh: Option<&Secret>) -> Result<Secret, BkashError> {
        let now = self.clock.now();
        self.budget_check(tokens, now)?;
        let c = &self.config.credentials;
        let (endpoint, path) = if refresh.is_some() { (Endpoint::Refresh, "refresh") } else { (Endpoint::Grant, "grant") };
        let mut body = json!({"app_key": c.app_key, "app_secret": c.app_secret.expose()});
        if let Some(r) = refresh {
            body["refresh_token"] = json!(r.expose());
        }
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            let request = self
                .http
                .post(format!("{}/checkout/token/{path}", self.config.base_url))
                .header("username", &c.username)
                .header("password", c.password.expose())
                .json(&body);
            let span = tracing::info_span!("bkash", endpoint = endpoint.name(), attempt);
            let result = send::<TokenResponse>(request, endpoint).instrument(span).await;
            match result {
                // Nothing reached bKash: safe to try again, and free of budget.
                Err(BkashError::NotSent { .. }) if attempt < 3 => tokio::time::sleep(StdDuration::from_millis(200 * attempt)).await,
                other => break other,
            }
        };
        if !matches!(result, Err(BkashError::NotSent { .. })) {
            tokens.token_calls.push(now);
        }
        let result = result.and_then(|pair| {
            if pair.id_token.is_empty() || pair.refresh_token.is_empty() || pair.expires_in <= 0 {
                return Err(BkashError::unknown("bKash's token answer was incomplete"));
            }
            Ok(pair)
        });
        match result {
            Ok(pair) => {
                let expires_in = pair.expires_in.min(24 * 3600);
                tokens.id_token = Some(Secret::new(pair.id_token));
                tokens.refresh_token = Some(Secret::new(pair.refresh_token));
                tokens.issued_at = Some(now);
                tokens.expires_at = Some(now + Duration::seconds(expires_in));
                self.store.save(tokens);
                tracing::info!(kind = path, expires_in, "bKash token obtained");
                Ok(tokens.id_token.clone().expect("just set"))
            }
            Err(e) => {
                if refresh.is_some() && matches!(e, BkashError::Gateway { .. } | BkashError::Refused { .. }) {
                    tokens.refresh_token = None; // spent or refused: do not try it again
                }
                self.store.save(tokens);
                Err(e)
            }
        }
    }

    /// Grants and refreshes sent in the last hour (for the manager's screen).
    pub async fn calls_in_last_hour(&self) -> usize {
        let now = self.clock.now();
        let guard = self.state.lock().await;
        guard.as_ref().map(|t| t.token_calls.iter().filter(|c| **c > now - Duration::hours(1)).count()).unwrap_or(0)
    }
}
