//! `BkashClient`: typed calls to the Checkout (iFrame) family. Create,
//! execute, refund, capture and void are sent once, never retried on our own;
//! query and search retry a few times with backoff, because reading twice is
//! harmless. A 401 from the gateway means the request never reached payment
//! logic, so any call is retried once with a new token.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use serde::de::DeserializeOwned;
use serde_json::json;

use super::answer::{decode, redirect_host, short, MAX_ANSWER_BYTES};
use super::config::{BkashConfig, ConfigError};
use super::tokens::{TokenManager, TokenPolicy, TokenStore};
use super::wire::{CreatedPayment, PaymentResult, RefundResult, SearchResult, TransactionStatus};
use super::BkashError;
use crate::money::{invoice_problem, Amount, Clock, Product, Secret, SystemClock, MAX_AMOUNT_POISHA, MIN_SALE_POISHA};

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

/// What the cashier's sale asks bKash for.
#[derive(Debug, Clone)]
pub struct CreatePayment {
    pub amount: Amount,
    pub merchant_invoice_number: String,
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
            // A redirect is never followed: it would carry the credentials and
            // the token to another host, and its answer is not bKash's.
            .redirect(reqwest::redirect::Policy::none())
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

    /// Where `endpoint` goes for this product, and how `id` (a paymentID or
    /// a trxID) travels: in the path for Checkout (iFrame), in a JSON body for
    /// Tokenized, whose every call is a POST. Create and refund add their
    /// own bodies.
    fn route(&self, endpoint: Endpoint, id: &str) -> reqwest::RequestBuilder {
        let base = &self.config.base_url;
        let http = &JsonRequests(&self.http);
        match self.config.product {
            Product::Checkout => match endpoint {
                Endpoint::Grant | Endpoint::Refresh => http.post(token_url(&self.config, endpoint)),
                Endpoint::Create => http.post(format!("{base}/checkout/payment/create")),
                Endpoint::Execute => http.post(format!("{base}/checkout/payment/execute/{id}")),
                Endpoint::Query => http.get(format!("{base}/checkout/payment/query/{id}")),
                Endpoint::Search => http.get(format!("{base}/checkout/payment/search/{id}")),
                Endpoint::Refund | Endpoint::RefundStatus => http.post(format!("{base}/checkout/payment/refund")),
                Endpoint::Capture => http.post(format!("{base}/checkout/payment/capture/{id}")),
                Endpoint::Void => http.post(format!("{base}/checkout/payment/void/{id}")),
            },
            Product::Tokenized => match endpoint {
                Endpoint::Grant | Endpoint::Refresh => http.post(token_url(&self.config, endpoint)),
                Endpoint::Create => http.post(format!("{base}/tokenized/checkout/create")),
                Endpoint::Execute => http.post(format!("{base}/tokenized/checkout/execute")).json(&json!({"paymentID": id})),
                Endpoint::Query => http.post(format!("{base}/tokenized/checkout/payment/status")).json(&json!({"paymentID": id})),
                Endpoint::Search => http.post(format!("{base}/tokenized/checkout/general/searchTransaction")).json(&json!({"trxID": id})),
                Endpoint::Refund | Endpoint::RefundStatus => http.post(format!("{base}/tokenized/checkout/payment/refund")),
                Endpoint::Capture => {
                    http.post(format!("{base}/tokenized/checkout/payment/confirm/capture")).json(&json!({"paymentID": id}))
                }
                Endpoint::Void => http.post(format!("{base}/tokenized/checkout/payment/confirm/void")).json(&json!({"paymentID": id})),
            },
        }
    }

    pub fn product(&self) -> Product {
        self.config.product
    }

    /// One authorised call. A 401 from the gateway means the request never
    /// reached payment logic: the call is sent once more with a new token,
    /// unless the refused token was one bKash had just issued (then the
    /// credentials or the gateway are wrong, and another token would only
    /// spend the hourly budget).
    async fn call<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        build: impl Fn(&Secret) -> reqwest::RequestBuilder,
        payment_id: &str,
    ) -> Result<T, BkashError> {
        let mut attempt = 0usize;
        loop {
            let result = self.send_authorised(endpoint, &build, payment_id).await;
            let retry = endpoint.may_retry() && matches!(result, Err(BkashError::OutcomeUnknown { .. } | BkashError::NotSent { .. }));
            match self.read_backoff.get(attempt) {
                Some(pause) if retry => tokio::time::sleep(*pause).await,
                _ => return result,
            }
            attempt += 1;
        }
    }

    async fn send_authorised<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        build: &impl Fn(&Secret) -> reqwest::RequestBuilder,
        payment_id: &str,
    ) -> Result<T, BkashError> {
        let authorised = |t: &Secret| build(t).header("authorization", t.expose()).header("x-app-key", &self.config.credentials.app_key);
        let (mut token, mut known_good) = self.tokens.token_for_call().await?;
        let mut result = send::<T>(authorised(&token), endpoint, payment_id).await;
        if let Err(e) = &result {
            if e.is_token_refused() {
                self.tokens.refused(&token, e).await?;
                (token, known_good) = self.tokens.token_for_call().await?;
                result = send::<T>(authorised(&token), endpoint, payment_id).await;
                if let Err(e) = &result {
                    if e.is_token_refused() {
                        self.tokens.refused(&token, e).await?;
                    }
                }
            }
        }
        // bKash's own logic answered, so the gateway took this token.
        if !known_good && matches!(result, Ok(_) | Err(BkashError::Refused { .. } | BkashError::AlreadyDone { .. })) {
            self.tokens.accepted(&token).await;
        }
        result
    }

    pub async fn create_payment(&self, request: &CreatePayment) -> Result<CreatedPayment, BkashError> {
        let poisha = request.amount.poisha();
        if poisha < MIN_SALE_POISHA {
            return Err(BkashError::Invalid { field: "amount", problem: "bKash takes at least 1 taka".into() });
        }
        if poisha > MAX_AMOUNT_POISHA {
            return Err(BkashError::Invalid { field: "amount", problem: "is larger than any payment this app sends".into() });
        }
        check_invoice(&request.merchant_invoice_number)?;
        let mut body = json!({
            "amount": request.amount.to_string(),
            "currency": "BDT",
            "intent": "sale",
            "merchantInvoiceNumber": request.merchant_invoice_number,
        });
        if self.config.product == Product::Tokenized {
            // Mode 0011: pay on bKash's page without an agreement. bKash
            // pre-fills its wallet field from payerReference; the counter does
            // not know the customer's wallet, so it sends the single space
            // bKash's own samples send.
            body["mode"] = json!("0011");
            body["payerReference"] = json!(" ");
            body["callbackURL"] = json!(self.config.callback_url);
        }
        let created: CreatedPayment = self.call(Endpoint::Create, |_| self.route(Endpoint::Create, "").json(&body), "").await?;
        check_id("paymentID", &created.payment_id).map_err(|_| BkashError::unknown("bKash answered create with a malformed paymentID"))?;
        if self.config.product == Product::Tokenized {
            let page = created.bkash_url.as_deref().unwrap_or_default();
            if !bkash_page_allowed(page, &self.config) {
                return Err(BkashError::unknown(format!(
                    "bKash's create answer sends the customer to {}, which is not a bKash page",
                    redirect_host(Some(page))
                )));
            }
        }
        if created.amount != request.amount {
            return Err(mismatch("amount", &request.amount.to_string(), &created.amount.to_string()));
        }
        if created.currency != "BDT" {
            return Err(mismatch("currency", "BDT", &created.currency));
        }
        // An authorization only holds the money until a capture this
        // counter never sends; a sale must be a sale.
        if created.intent != "sale" {
            return Err(mismatch("intent", "sale", &created.intent));
        }
        if created.merchant_invoice_number != request.merchant_invoice_number {
            return Err(mismatch("merchantInvoiceNumber", &request.merchant_invoice_number, &created.merchant_invoice_number));
        }
        Ok(created)
    }

    /// Sent exactly once. `OutcomeUnknown` means: ask Query, never execute again.
    pub async fn execute_payment(&self, payment: &ExpectedPayment) -> Result<PaymentResult, BkashError> {
        let id = payment.checked_id()?;
        let result: PaymentResult = self.call(Endpoint::Execute, |_| self.route(Endpoint::Execute, id), id).await?;
        payment.check(result)
    }

    pub async fn query_payment(&self, payment: &ExpectedPayment) -> Result<PaymentResult, BkashError> {
        let id = payment.checked_id()?;
        let result: PaymentResult = self.call(Endpoint::Query, |_| self.route(Endpoint::Query, id), id).await?;
        payment.check(result)
    }

    pub async fn search_transaction(&self, trx_id: &str) -> Result<SearchResult, BkashError> {
        check_id("trxID", trx_id)?;
        let found: SearchResult = self.call(Endpoint::Search, |_| self.route(Endpoint::Search, trx_id), "").await?;
        if found.trx_id != trx_id {
            return Err(mismatch("trxID", trx_id, &found.trx_id));
        }
        Ok(found)
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
        let done: RefundResult = self.call(Endpoint::Refund, |_| self.route(Endpoint::Refund, payment_id).json(&body), payment_id).await?;
        if done.amount != amount {
            return Err(mismatch("amount", &amount.to_string(), &done.amount.to_string()));
        }
        about_this_transaction(done, trx_id)
    }

    pub async fn refund_status(&self, payment_id: &str, trx_id: &str) -> Result<RefundResult, BkashError> {
        check_id("paymentID", payment_id)?;
        check_id("trxID", trx_id)?;
        let body = json!({"paymentID": payment_id, "trxID": trx_id});
        let latest = self.call(Endpoint::RefundStatus, |_| self.route(Endpoint::RefundStatus, payment_id).json(&body), payment_id).await?;
        about_this_transaction(latest, trx_id)
    }

    pub async fn capture(&self, payment: &ExpectedPayment) -> Result<PaymentResult, BkashError> {
        let id = payment.checked_id()?;
        let result = self.call(Endpoint::Capture, |_| self.route(Endpoint::Capture, id), id).await?;
        payment.check(result)
    }

    pub async fn void(&self, payment: &ExpectedPayment) -> Result<PaymentResult, BkashError> {
        let id = payment.checked_id()?;
        let result = self.call(Endpoint::Void, |_| self.route(Endpoint::Void, id), id).await?;
        payment.check(result)
    }
}

/// Requests with the headers bKash's gateway requires on every call of
/// both products, a GET and a POST without a body included: production
/// refused a Checkout Query without `Content-Type` with HTTP 400 (API.md
/// §1A). A JSON body added later keeps this one `Content-Type`.
pub(super) struct JsonRequests<'a>(pub &'a reqwest::Client);

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
pub(super) fn token_url(config: &BkashConfig, endpoint: Endpoint) -> String {
    let family = match config.product {
        Product::Checkout => "checkout",
        Product::Tokenized => "tokenized/checkout",
    };
    let call = if endpoint == Endpoint::Refresh { "refresh" } else { "grant" };
    format!("{}/{family}/token/{call}", config.base_url)
}

/// May the checkout window show `url` as bKash's payment page? An https page
/// on bKash's own domains (`payment.bkash.com`, `*.bka.sh`); in Training,
/// the simulator's own host.
pub fn bkash_page_allowed(url: &str, config: &BkashConfig) -> bool {
    let Ok(page) = reqwest::Url::parse(url) else { return false };
    if config.environment == super::Environment::Training {
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

/// A refund answer speaks of this payment's transaction, and a completed
/// refund names its own refund trxID; anything else proves nothing about
/// the refund asked about (a Refund Status about another refund of the
/// shop once marked this one refunded).
fn about_this_transaction(answer: RefundResult, trx_id: &str) -> Result<RefundResult, BkashError> {
    if answer.original_trx_id != trx_id {
        return Err(mismatch("originalTrxID", trx_id, &answer.original_trx_id));
    }
    if answer.transaction_status == TransactionStatus::Completed && check_id("refundTrxID", &answer.refund_trx_id).is_err() {
        return Err(BkashError::unknown("bKash said the refund completed without a valid refundTrxID"));
    }
    Ok(answer)
}

fn mismatch(field: &'static str, expected: &str, answered: &str) -> BkashError {
    BkashError::Mismatch { field, expected: expected.to_string(), answered: short(answered).chars().take(64).collect() }
}

/// The payment an answer must be about, as the journal knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedPayment {
    pub payment_id: String,
    pub amount: Amount,
    pub invoice: String,
}

impl From<&CreatedPayment> for ExpectedPayment {
    fn from(created: &CreatedPayment) -> Self {
        Self { payment_id: created.payment_id.clone(), amount: created.amount, invoice: created.merchant_invoice_number.clone() }
    }
}

impl ExpectedPayment {
    fn checked_id(&self) -> Result<&str, BkashError> {
        check_id("paymentID", &self.payment_id)?;
        Ok(&self.payment_id)
    }

    /// An answer about a different payment (paymentID, amount, currency or
    /// invoice, where bKash returns them), or a completion without a trxID,
    /// is not evidence of anything.
    pub fn check(&self, result: PaymentResult) -> Result<PaymentResult, BkashError> {
        if result.payment_id != self.payment_id {
            return Err(mismatch("paymentID", &self.payment_id, &result.payment_id));
        }
        if result.amount != self.amount {
            return Err(mismatch("amount", &self.amount.to_string(), &result.amount.to_string()));
        }
        if let Some(currency) = result.currency.as_deref().filter(|c| *c != "BDT") {
            return Err(mismatch("currency", "BDT", currency));
        }
        if let Some(invoice) = result.merchant_invoice_number.as_deref().filter(|i| *i != self.invoice) {
            return Err(mismatch("merchantInvoiceNumber", &self.invoice, invoice));
        }
        if result.transaction_status == TransactionStatus::Completed
            && result.trx_id.as_deref().is_none_or(|t| check_id("trxID", t).is_err())
        {
            return Err(BkashError::unknown("bKash said Completed without a valid trxID"));
        }
        Ok(result)
    }
}
