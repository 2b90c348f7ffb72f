//! Where bKash is and who we are to it: URLs, credentials, timeouts, with
//! presets for Training, Sandbox and Production.

use std::time::Duration;

use super::Environment;
use crate::money::{Product, Secret};

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
    /// Which of bKash's products these credentials are for.
    pub product: Product,
    /// The API base, ending in `/v1.2.0-beta` (each product has its own host).
    pub base_url: String,
    /// bKash's checkout.js for the checkout window (Checkout only).
    pub script_url: String,
    /// Where bKash sends the customer's browser after its page (Tokenized
    /// only): an https URL on the merchant's domain, as registered with
    /// bKash. The checkout window stops that navigation and never loads it.
    pub callback_url: String,
    /// Training only: the simulator's payment page for phones on the shop's
    /// Wi-Fi (`http://IP:PORT/p/TOKEN`), which Create's `bkashURL` may name.
    pub training_phone_page: Option<String>,
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
pub const TOKENIZED_SANDBOX_BASE_URL: &str = "https://tokenized.sandbox.bka.sh/v1.2.0-beta";
pub const TOKENIZED_PRODUCTION_BASE_URL: &str = "https://tokenized.pay.bka.sh/v1.2.0-beta";
/// Training's callback: never loaded (the checkout window stops the
/// navigation), and `.invalid` can never resolve to anyone's server.
pub const TRAINING_CALLBACK_URL: &str = "https://counter.invalid/bkash/callback";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl BkashConfig {
    pub fn sandbox(credentials: Credentials) -> Self {
        Self {
            environment: Environment::Sandbox,
            product: Product::Checkout,
            base_url: SANDBOX_BASE_URL.into(),
            script_url: SANDBOX_SCRIPT_URL.into(),
            callback_url: String::new(),
            training_phone_page: None,
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

    /// The same environment and credentials with `product`'s default host
    /// (Training's simulator serves both products on one host).
    pub fn with_product(mut self, product: Product) -> Self {
        self.product = product;
        if self.environment != Environment::Training {
            self.base_url = match (self.environment, product) {
                (Environment::Production, Product::Checkout) => PRODUCTION_BASE_URL,
                (Environment::Production, Product::Tokenized) => TOKENIZED_PRODUCTION_BASE_URL,
                (_, Product::Checkout) => SANDBOX_BASE_URL,
                (_, Product::Tokenized) => TOKENIZED_SANDBOX_BASE_URL,
            }
            .into();
        }
        self
    }

    /// Refuses anything that cannot work, naming the setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_url("base_url", &self.base_url, self.environment)?;
        match self.product {
            Product::Checkout => check_url("script_url", &self.script_url, self.environment)?,
            Product::Tokenized => check_callback_url(&self.callback_url)?,
        }
        if self.training_phone_page.is_some() && self.environment != Environment::Training {
            return Err(problem("training_phone_page", "phones may reach the simulator's page only in Training"));
        }
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

/// The callback bKash redirects to: https always (bKash's page is https, and
/// bKash refuses an invalid one with 2049), on a named host, no fragment. It
/// may carry a query; bKash appends its own parameters.
pub fn check_callback_url(value: &str) -> Result<(), ConfigError> {
    let url = reqwest::Url::parse(value).map_err(|e| problem("callback_url", format!("`{value}` is not a URL ({e})")))?;
    if url.scheme() != "https" {
        return Err(problem("callback_url", "must be an https URL on the shop's own domain, as registered with bKash"));
    }
    if url.host_str().is_none_or(|h| h.is_empty()) || !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(problem("callback_url", "must name a host, with no user name, password or #fragment"));
    }
    Ok(())
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

/// `http://127.0.0.1:PORT` → `http://localhost:PORT`, for URLs a webview loads.
pub fn loopback_by_name(url: &str) -> String {
    url.replacen("://127.0.0.1:", "://localhost:", 1)
}

/// Training's bKash: the simulator at `sim_base` (`http://127.0.0.1:PORT`),
/// with the first set of sandbox credentials bKash publishes (API.md §1A),
/// which the simulator accepts because bKash's sandbox does.
pub fn training_config(sim_base: &str) -> BkashConfig {
    BkashConfig {
        environment: super::Environment::Training,
        product: crate::money::Product::Checkout,
        base_url: format!("{sim_base}/v1.2.0-beta"),
        callback_url: TRAINING_CALLBACK_URL.into(),
        // The webview loads the script by name: see `loopback_by_name`.
        script_url: format!("{}/versions/1.2.0-beta/checkout/bKash-checkout-sandbox.js", loopback_by_name(sim_base)),
        training_phone_page: None,
        credentials: Credentials {
            username: "sandboxTestUser".into(),
            password: crate::money::Secret::new("hWD@8vtzw0"),
            app_key: "5tunt4masn6pv2hnvte1sb5n3j".into(),
            app_secret: crate::money::Secret::new("1vggbqd4hqk9g96o9rrrp2jftvek578v7d2bnerim12a87dbrrka"),
        },
        timeout: DEFAULT_TIMEOUT,
        connect_timeout: DEFAULT_CONNECT_TIMEOUT,
    }
}
