//! Which origins the counter's windows may load, in one place: the
//! checkout window's CSP and navigation rules for both products, the hosts
//! a script URL may name, and where bKash's payment page may be. The
//! app-wide CSP in tauri.conf.json is the outer bound these narrow.

use super::callback::{is_callback, parse_callback, Callback, CallbackError};
use super::{BkashConfig, Environment};

/// The hosts the app-wide CSP in tauri.conf.json admits scripts from. That
/// policy is fixed at build time, so a script URL elsewhere could never load.
pub fn script_host_allowed(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else { return false };
    match (url.scheme(), url.host_str()) {
        ("https", Some(host)) => host.ends_with(".bka.sh"),
        ("http", Some(host)) => matches!(host, "127.0.0.1" | "localhost"),
        _ => false,
    }
}
/// May bKash's frame (or its script's page) come from `url`? The script's
/// own origin always; outside Training, any https `bka.sh` host as well.
pub fn frame_origin_allowed(url: &str, config: &BkashConfig) -> bool {
    let (Ok(url), Ok(script)) = (reqwest::Url::parse(url), reqwest::Url::parse(&config.script_url)) else { return false };
    if url.origin() == script.origin() {
        return true;
    }
    config.environment != Environment::Training && url.scheme() == "https" && url.host_str().is_some_and(|h| h.ends_with(".bka.sh"))
}
/// The checkout page's own Content-Security-Policy, set as a `<meta>` that
/// narrows the app-wide one (tauri.conf.json) to our files, bKash's script
/// and frame from the configured origin, and IPC. bKash does not publish
/// its frame's host, so outside Training frames may come from any
/// `https://*.bka.sh` host. (`frame-ancestors` cannot be set by a `<meta>`;
/// the app-wide header sets it.)
pub fn checkout_csp(config: &BkashConfig) -> String {
    let mut origins: Vec<String> = Vec::new();
    if let Ok(parsed) = reqwest::Url::parse(&config.script_url) {
        origins.push(parsed.origin().ascii_serialization());
    }
    if config.environment != Environment::Training {
        origins.push("https://*.bka.sh".into());
    }
    let bkash = origins.join(" ");
    [
        "default-src 'self'".to_string(),
        format!("script-src 'self' {bkash}"),
        format!("frame-src {bkash}"),
        format!("img-src 'self' data: {bkash}"),
        // bKash's script styles its overlay with inline style attributes.
        "style-src 'self' 'unsafe-inline'".to_string(),
        "connect-src ipc: http://ipc.localhost".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'none'".to_string(),
        "form-action 'none'".to_string(),
    ]
    .join("; ")
}
/// May the checkout window show `url` as bKash's payment page? An https page
/// on bKash's own domains (`payment.bkash.com`, `*.bka.sh`); in Training,
/// the simulator's own host.
pub fn bkash_page_allowed(url: &str, config: &BkashConfig) -> bool {
    let Ok(page) = reqwest::Url::parse(url) else { return false };
    if config.environment == Environment::Training {
        let Ok(base) = reqwest::Url::parse(&config.base_url) else { return false };
        let loopback = |u: &reqwest::Url| matches!(u.host_str(), Some("127.0.0.1" | "localhost"));
        let phones = config.training_phone_page.as_deref().is_some_and(|base| url.starts_with(&format!("{base}/")));
        return phones || (loopback(&page) && loopback(&base) && page.port_or_known_default() == base.port_or_known_default());
    }
    page.scheme() == "https"
        && page.host_str().is_some_and(|h| h == "bkash.com" || h.ends_with(".bkash.com") || h.ends_with(".bka.sh"))
        && page.username().is_empty()
        && page.password().is_none()
}
/// What the checkout window does with a navigation while it shows bKash's
/// page (Tokenized).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Navigation {
    /// bKash's own page, on the origin its create answer gave.
    Load,
    /// bKash's return to the callback URL: read, never loaded.
    Returned(Result<Callback, CallbackError>),
    /// Anywhere else: refused.
    Refuse,
}
/// The checkout window's rule for Tokenized: only `page`'s origin loads, the
/// callback is read and stopped, everything else is refused.
pub fn navigation(url: &reqwest::Url, page: &reqwest::Url, callback_url: &str) -> Navigation {
    if is_callback(url, callback_url) {
        Navigation::Returned(parse_callback(url))
    } else if url.origin() == page.origin() {
        Navigation::Load
    } else {
        Navigation::Refuse
    }
}
