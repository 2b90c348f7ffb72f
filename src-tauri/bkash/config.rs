//! Where bKash is and who we are to it: URLs, credentials, timeouts, with
//! presets for Training, Sandbox and Production.

use std::time::Duration;

use super::Environment;
use crate::money::Secret;

/// The four values bKash issues a merchant at onboarding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: Secret,
    pub app_key: String,
    pub app_secret: Secret,
}

#[derive(Clone, Debug)]
pub struct BkashConfig {
    pub environment: Environment,
    /// The Checkout API base, ending in `/v1.2.0-beta`.
    pub base_url: String,
    /// bKash's checkout.js for the checkout window.
    pub script_url: String,
    pub credentials: Credentials,
    /// Per call. bKash: "API timeout of 30sec should be set for all the APIs."
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

/// A setting that cannot be used, named so the settings screen can put the
/// message on the right field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub problem: String,
}

fn problem(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { setting, problem: problem.into() }
}

pub const SANDBOX_BASE_URL: &str = "https://checkout.sandbox.bka.sh/v1.2.0-beta";
pub const SANDBOX_SCRIPT_URL: &str = "https://scripts.sandbox.bka.sh/versions/1.2.0-beta/checkout/bKash-checkout-sandbox.js";
pub const PRODUCTION_BASE_URL: &str = "https://checkout.pay.bka.sh/v1.2.0-beta";
pub const PRODUCTION_SCRIPT_URL: &str = "https://scripts.pay.bka.sh/versions/1.2.0-beta/checkout/bKash-checkout.js";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl BkashConfig {
    pub fn sandbox(credentials: Credentials) -> Self {
        Self {
            environment: Environment::Sandbox,
            base_url: SANDBOX_BASE_URL.into(),
            script_url: SANDBOX_SCRIPT_URL.into(),
            credentials,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    pub fn production(credentials: Credentials) -> Self {
        Self {
            environment: Environment::Production,
            base_url: PRODUCTION_BASE_URL.into(),
            script_url: PRODUCTION_SCRIPT_URL.into(),
            ..Self::sandbox(credentials)
        }
    }

    /// Refuses anything that cannot work, naming the setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_url("base_url", &self.base_url, self.environment)?;
        check_url("script_url", &self.script_url, self.environment)?;
        let c = &self.credentials;
        for (setting, empty) in [
            ("username", c.username.trim().is_empty()),
            ("password", c.password.is_empty()),
            ("app_key", c.app_key.trim().is_empty()),
            ("app_secret", c.app_secret.is_empty()),
        ] {
            if empty {
                return Err(problem(setting, "must not be empty"));
            }
        }
        for (setting, value) in [("timeout", self.timeout), ("connect_timeout", self.connect_timeout)] {
            if value < Duration::from_millis(100) || value > Duration::from_secs(120) {
                return Err(problem(setting, "must be between 0.1 and 120 seconds"));
            }
        }
        Ok(())
    }
}

pub(crate) fn check_url(setting: &'static str, value: &str, environment: Environment) -> Result<(), ConfigError> {
    let url = reqwest::Url::parse(value).map_err(|e| problem(setting, format!("`{value}` is not a URL ({e})")))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => {}
        "http" if loopback && environment == Environment::Training => {}
        "http" => return Err(problem(setting, "must use https (plain http is only for the local Training simulator)")),
        other => return Err(problem(setting, format!("must be an https URL, not {other}:"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(setting, "must not carry a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(problem(setting, "must not have a ?query or #fragment"));
    }
    Ok(())
}
