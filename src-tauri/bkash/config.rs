//! Where bKash is and who we are to it: URLs, credentials, timeouts, with
//! presets for Training, Sandbox and Production.

use std::time::Duration;

use super::Environment;

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
    /// Training: the embedded simulator at `sim_base` (`http://127.0.0.1:PORT`)
    /// with the first published sandbox credential set.
    pub fn training(sim_base: &str) -> Self {
        Self {
            environment: Environment::Training,
            base_url: format!("{sim_base}/v1.2.0-beta"),
            // The webview loads this one, by name (see `sim::loopback_by_name`).
            script_url: format!("{}/versions/1.2.0-beta/checkout/bKash-checkout-sandbox.js", crate::sim::loopback_by_name(sim_base)),
            credentials: Credentials {
                username: "sandboxTestUser".into(),
                password: Secret::new("hWD@8vtzw0"),
                app_key: "5tunt4masn6pv2hnvte1sb5n3j".into(),
                app_secret: Secret::new("1vggbqd4hqk9g96o9rrrp2jftvek578v7d2bnerim12a87dbrrka"),
            },
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

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
