//! The wire under both products' calls: one request out, one bounded
//! answer back, sorted by whether the request may have reached bKash. The
//! payment calls (`client`) and the token calls (`tokens`) both go through it.

use serde::de::DeserializeOwned;

use super::answer::{decode, redirect_host, MAX_ANSWER_BYTES};
use super::config::BkashConfig;
use super::BkashError;
use crate::money::Product;

/// Which call, for logs, spans and retry rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Grant,
    Refresh,
    Create,
    Execute,
    Query,
    Search,
    Refund,
    RefundStatus,
    Capture,
    Void,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Grant => "token.grant",
            Endpoint::Refresh => "token.refresh",
            Endpoint::Create => "payment.create",
            Endpoint::Execute => "payment.execute",
            Endpoint::Query => "payment.query",
            Endpoint::Search => "payment.search",
            Endpoint::Refund => "payment.refund",
            Endpoint::RefundStatus => "payment.refund_status",
            Endpoint::Capture => "payment.capture",
            Endpoint::Void => "payment.void",
        }
    }

    /// Reads may be repeated; anything that can move money may not.
    pub fn may_retry(self) -> bool {
        matches!(self, Endpoint::Query | Endpoint::Search | Endpoint::RefundStatus)
    }
}

/// Sends one request and decodes the answer. Errors are sorted by whether
/// the request may have reached bKash. The body is read in chunks and
/// abandoned past [`MAX_ANSWER_BYTES`], so an endless answer costs a
/// megabyte, not the counter's memory; the client's total timeout bounds a
/// drip-fed one.
///
/// One log line per call, with the endpoint, the paymentID, the outcome and
/// the time it took (never a header or a body). No span: entering one on every poll of the
/// request cost more than the line itself.
pub(crate) async fn send<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
    endpoint: Endpoint,
    payment_id: &str,
) -> Result<T, BkashError> {
    let started = std::time::Instant::now();
    let result = async {
        let mut response = request.send().await.map_err(|e| transport_error(&e))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok());
            tracing::warn!(endpoint = endpoint.name(), payment_id, status, target_host = %redirect_host(location), "bKash call redirected; not followed");
            return decode::<T>(status, location, &[]);
        }
        if response.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| BkashError::unknown(format!("the answer broke off ({})", reason(&e))))? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        decode::<T>(status, None, &body)
    }
    .await;
    // bKash's own time, so a slow counter can be told from a slow bKash.
    // Tenths of a millisecond: Training's in-process simulator answers in less than one.
    let elapsed_ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
    match &result {
        Ok(_) => tracing::info!(endpoint = endpoint.name(), payment_id, outcome = "ok", elapsed_ms, "bKash call"),
        Err(e) => {
            tracing::info!(endpoint = endpoint.name(), payment_id, outcome = kind(e), code = e.code(), error = %e, elapsed_ms, "bKash call")
        }
    }
    result
}

fn too_large() -> BkashError {
    BkashError::unknown(format!(
        "the answer is larger than {} KiB, far more than any bKash answer; reading stopped",
        MAX_ANSWER_BYTES / 1024
    ))
}

fn kind(e: &BkashError) -> &'static str {
    match e {
        BkashError::Refused { .. } => "refused",
        BkashError::AlreadyDone { .. } => "already_done",
        BkashError::Gateway { .. } => "gateway",
        BkashError::OutcomeUnknown { .. } => "unknown",
        BkashError::NotSent { .. } => "not_sent",
        BkashError::Invalid { .. } => "invalid",
        BkashError::Mismatch { .. } => "mismatch",
        BkashError::TokenBudgetSpent { .. } => "token_budget",
        BkashError::TokenCoolingDown { .. } => "token_cooling_down",
        BkashError::TokenRejected { .. } => "token_rejected",
    }
}

/// reqwest's own text names the URL; ours does not need to, and never the headers.
fn reason(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "connection refused or unreachable".to_string()
    } else {
        "connection closed".to_string()
    };
    if let Some(source) = std::error::Error::source(e) {
        text.push_str(&format!(": {source}"));
    }
    text.chars().take(200).collect()
}

fn transport_error(e: &reqwest::Error) -> BkashError {
    if e.is_connect() && !e.is_timeout() {
        // The TCP/TLS connection was never made: nothing was sent.
        BkashError::NotSent { reason: reason(e) }
    } else {
        BkashError::unknown(reason(e))
    }
}

/// Requests with the headers bKash's gateway requires on every call of
/// both products, a GET and a POST without a body included: production
/// refused a Checkout Query without `Content-Type` with HTTP 400 (API.md
/// §1A). A JSON body added later keeps this one `Content-Type`.
pub(crate) struct JsonRequests<'a>(pub &'a reqwest::Client);

impl JsonRequests<'_> {
    fn with_headers(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.header(reqwest::header::CONTENT_TYPE, "application/json").header(reqwest::header::ACCEPT, "application/json")
    }

    pub fn post(&self, url: String) -> reqwest::RequestBuilder {
        Self::with_headers(self.0.post(url))
    }

    pub fn get(&self, url: String) -> reqwest::RequestBuilder {
        Self::with_headers(self.0.get(url))
    }
}

/// The token calls' URL: each product has its own.
pub(crate) fn token_url(config: &BkashConfig, endpoint: Endpoint) -> String {
    let family = match config.product {
        Product::Checkout => "checkout",
        Product::Tokenized => "tokenized/checkout",
    };
    let call = if endpoint == Endpoint::Refresh { "refresh" } else { "grant" };
    format!("{}/{family}/token/{call}", config.base_url)
}
