//! `BkashClient`: typed calls to the Checkout (iFrame) family. Create,
//! execute, refund, capture and void are sent once, never retried on our own;
//! query and search retry a few times with backoff, because reading twice is
//! harmless. A 401 from the gateway means the request never reached payment
//! logic, so any call is retried once with a new token.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use serde::de::DeserializeOwned;
use serde_json::json;
use tracing::Instrument;

use super::config::{BkashConfig, ConfigError, Secret};
use super::tokens::{Clock, SystemClock, TokenManager, TokenPolicy, TokenStore};
use super::wire::{decode, Amount, CreatedPayment, PaymentResult, RefundResult, SearchResult, TransactionStatus, MAX_AMOUNT_POISHA};
use super::BkashError;

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
/// the request may have reached bKash.
pub(crate) async fn send<T: DeserializeOwned>(request: reqwest::RequestBuilder, endpoint: Endpoint) -> Result<T, BkashError> {
    let result = async {
        let response = request.send().await.map_err(|e| transport_error(&e))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| BkashError::unknown(format!("the answer broke off ({})", reason(&e))))?;
        decode::<T>(status, &body)
    }
    .await;
    match &result {
        Ok(_) => tracing::info!(endpoint = endpoint.name(), outcome = "ok", "bKash call"),
        Err(e) => tracing::info!(endpoint = endpoint.name(), outcome = kind(e), code = e.code(), "bKash call"),
    }
    result
}

fn kind(e: &BkashError) -> &'static str {
    match e {
        BkashError::Refused { .. } => "refused",
        BkashError::AlreadyDone { .. } => "already_done",
        BkashError::Gateway { .. } => "gateway",
        BkashError::OutcomeUnknown { .. } => "unknown",
        BkashError::NotSent { .. } => "not_sent",
        BkashError::Invalid { .. } => "invalid",
        BkashError::TokenBudgetSpent { .. } => "token_budget",
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

/// What the cashier's sale asks bKash for.
#[derive(Debug, Clone)]
pub struct CreatePayment {
    pub amount: Amount,
    pub merchant_invoice_number: String,
}

pub const MIN_AMOUNT_POISHA: u64 = 100;

/// bKash's invoice rule: unique per payment (the journal's job), at most 255
/// characters, no `<`, `>` or `&`. `None` when the invoice is acceptable.
pub fn invoice_problem(invoice: &str) -> Option<&'static str> {
    if invoice.trim().is_empty() {
        Some("must not be empty")
    } else if invoice.chars().count() > 255 {
        Some("must be at most 255 characters")
    } else if invoice.contains(['<', '>', '&']) || invoice.chars().any(char::is_control) {
        Some("must not contain <, >, & or control characters")
    } else {
        None
    }
}

fn check_invoice(invoice: &str) -> Result<(), BkashError> {
    match invoice_problem(invoice) {
        Some(problem) => Err(BkashError::Invalid { field: "merchantInvoiceNumber", problem: problem.into() }),
        None => Ok(()),
    }
}

/// An ID we put into a URL path: bKash's are letters and digits only.
fn check_id(field: &'static str, id: &str) -> Result<(), BkashError> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(BkashError::Invalid { field, problem: format!("`{}` is not a bKash ID", id.chars().take(64).collect::<String>()) });
    }
    Ok(())
}

pub struct BkashClient {
    http: reqwest::Client,
    config: Arc<BkashConfig>,
    tokens: TokenManager,
    /// Pause before each retry of a read.
    read_backoff: Vec<StdDuration>,
}

impl BkashClient {
    pub fn new(config: BkashConfig, store: Arc<dyn TokenStore>) -> Result<Self, ConfigError> {
        Self::with_clock(config, store, Arc::new(SystemClock), TokenPolicy::default())
    }

    pub fn with_clock(
        config: BkashConfig,
        store: Arc<dyn TokenStore>,
        clock: Arc<dyn Clock>,
        policy: TokenPolicy,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .https_only(config.environment != super::Environment::Training)
            .build()
            .map_err(|e| ConfigError { setting: "base_url", problem: format!("cannot build an HTTP client: {e}") })?;
        let config = Arc::new(config);
        let tokens = TokenManager::new(http.clone(), config.clone(), store, clock, policy);
        Ok(Self { http, config, tokens, read_backoff: vec![StdDuration::from_millis(250), StdDuration::from_secs(1)] })
    }

    /// Shorter pauses between read retries (tests).
    pub fn with_read_backoff(mut self, backoff: Vec<StdDuration>) -> Self {
        self.read_backoff = backoff;
        self
    }

    pub fn config(&self) -> &BkashConfig {
        &self.config
    }

    pub fn tokens(&self) -> &TokenManager {
        &self.tokens
    }

    fn url(&self, path: &str) -> String {
        format!("{}/checkout/{path}", self.config.base_url)
    }

    /// One authorised call: a fresh token, and one more try with a new token
    /// if the gateway says the first was no good.
    async fn call<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        build: impl Fn(&Secret) -> reqwest::RequestBuilder,
        payment_id: &str,
    ) -> Result<T, BkashError> {
        let span = tracing::info_span!("bkash", endpoint = endpoint.name(), payment_id);
        async {
            let mut attempt = 0usize;
            loop {
                let token = self.tokens.token().await?;
                let authorised =
                    |t: &Secret| build(t).header("authorization", t.expose()).header("x-app-key", &self.config.credentials.app_key);
                let mut result = send::<T>(authorised(&token), endpoint).await;
                if matches!(&result, Err(e) if e.is_expired_token()) {
                    self.tokens.invalidate(&token).await;
                    let token = self.tokens.token().await?;
                    result = send::<T>(authorised(&token), endpoint).await;
                }
                let retry = endpoint.may_retry() && matches!(result, Err(BkashError::OutcomeUnknown { .. } | BkashError::NotSent { .. }));
                match self.read_backoff.get(attempt) {
                    Some(pause) if retry => tokio::time::sleep(*pause).await,
                    _ => return result,
                }
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }

    pub async fn create_payment(&self, request: &CreatePayment) -> Result<CreatedPayment, BkashError> {
        let poisha = request.amount.poisha();
        if poisha < MIN_AMOUNT_POISHA {
            return Err(BkashError::Invalid { field: "amount", problem: "bKash takes at least 1 taka".into() });
        }
        if poisha > MAX_AMOUNT_POISHA {
            return Err(BkashError::Invalid { field: "amount", problem: "is larger than any payment this app sends".into() });
        }
        check_invoice(&request.merchant_invoice_number)?;
        let body = json!({
            "amount": request.amount.to_string(),
            "currency": "BDT",
            "intent": "sale",
            "merchantInvoiceNumber": request.merchant_invoice_number,
        });
        let created: CreatedPayment = self.call(Endpoint::Create, |_| self.http.post(self.url("payment/create")).json(&body), "").await?;
        check_id("paymentID", &created.payment_id).map_err(|_| BkashError::unknown("bKash answered create with a malformed paymentID"))?;
        if created.amount != request.amount {
            return Err(BkashError::unknown(format!("bKash created {} instead of {}", created.amount, request.amount)));
        }
        Ok(created)
    }

    /// Sent exactly once. `OutcomeUnknown` means: ask Query, never execute again.
    pub async fn execute_payment(&self, payment_id: &str) -> Result<PaymentResult, BkashError> {
        check_id("paymentID", payment_id)?;
        let result: PaymentResult =
            self.call(Endpoint::Execute, |_| self.http.post(self.url(&format!("payment/execute/{payment_id}"))), payment_id).await?;
        settled_result(result, payment_id)
    }

    pub async fn query_payment(&self, payment_id: &str) -> Result<PaymentResult, BkashError> {
        check_id("paymentID", payment_id)?;
        let result: PaymentResult =
            self.call(Endpoint::Query, |_| self.http.get(self.url(&format!("payment/query/{payment_id}"))), payment_id).await?;
        settled_result(result, payment_id)
    }

    pub async fn search_transaction(&self, trx_id: &str) -> Result<SearchResult, BkashError> {
        check_id("trxID", trx_id)?;
        self.call(Endpoint::Search, |_| self.http.get(self.url(&format!("payment/search/{trx_id}"))), "").await
    }

    pub async fn refund(
        &self,
        payment_id: &str,
        trx_id: &str,
        amount: Amount,
        sku: &str,
        reason: &str,
    ) -> Result<RefundResult, BkashError> {
        check_id("paymentID", payment_id)?;
        check_id("trxID", trx_id)?;
        for (field, value) in [("sku", sku), ("reason", reason)] {
            if value.trim().is_empty() || value.chars().count() > 255 {
                return Err(BkashError::Invalid { field, problem: "must be 1 to 255 characters".into() });
            }
        }
        if amount.poisha() == 0 {
            return Err(BkashError::Invalid { field: "amount", problem: "must be more than zero".into() });
        }
        let body = json!({"paymentID": payment_id, "amount": amount.to_string(), "trxID": trx_id, "sku": sku, "reason": reason});
        self.call(Endpoint::Refund, |_| self.http.post(self.url("payment/refund")).json(&body), payment_id).await
    }

    pub async fn refund_status(&self, payment_id: &str, trx_id: &str) -> Result<RefundResult, BkashError> {
        check_id("paymentID", payment_id)?;
        check_id("trxID", trx_id)?;
        let body = json!({"paymentID": payment_id, "trxID": trx_id});
        self.call(Endpoint::RefundStatus, |_| self.http.post(self.url("payment/refund")).json(&body), payment_id).await
    }

    pub async fn capture(&self, payment_id: &str) -> Result<PaymentResult, BkashError> {
        check_id("paymentID", payment_id)?;
        self.call(Endpoint::Capture, |_| self.http.post(self.url(&format!("payment/capture/{payment_id}"))), payment_id).await
    }

    pub async fn void(&self, payment_id: &str) -> Result<PaymentResult, BkashError> {
        check_id("paymentID", payment_id)?;
        self.call(Endpoint::Void, |_| self.http.post(self.url(&format!("payment/void/{payment_id}"))), payment_id).await
    }
}

/// An answer about a different payment, or a completion without a trxID, is
/// not evidence of anything.
fn settled_result(result: PaymentResult, payment_id: &str) -> Result<PaymentResult, BkashError> {
    if result.payment_id != payment_id {
        return Err(BkashError::unknown("bKash answered about a different paymentID"));
    }
    if result.transaction_status == TransactionStatus::Completed && result.trx_id.as_deref().is_none_or(|t| check_id("trxID", t).is_err()) {
        return Err(BkashError::unknown("bKash said Completed without a valid trxID"));
    }
    Ok(result)
}
