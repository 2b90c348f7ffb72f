//! `BkashClient`: typed calls to the Checkout (iFrame) family. Create,
//! execute, refund, capture and void are sent once, never retried on our own;
//! query and search retry a few times with backoff, because reading twice is
//! harmless. A 401 from the gateway means the request never reached payment
//! logic, so any call is retried once with a new token.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use serde::de::DeserializeOwned;
use serde_json::json;

use super::answer::redirect_host;
use super::config::{BkashConfig, ConfigError};
use super::expect::{about_this_transaction, check_id, check_invoice, mismatch, ExpectedPayment};
use super::tokens::{TokenManager, TokenPolicy, TokenStore};
use super::transport::{send, Endpoint};
use super::wire::{CreatedPayment, PaymentResult, RefundResult, SearchResult};
use super::BkashError;
use crate::money::{Amount, Clock, Product, Secret, SystemClock, MAX_AMOUNT_POISHA, MIN_SALE_POISHA};

/// What the cashier's sale asks bKash for.
#[derive(Debug, Clone)]
pub struct CreatePayment {
    pub amount: Amount,
    pub merchant_invoice_number: String,
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
        let created: CreatedPayment =
            self.call(Endpoint::Create, |_| super::routes::route(&self.config, &self.http, Endpoint::Create, "").json(&body), "").await?;
        check_id("paymentID", &created.payment_id).map_err(|_| BkashError::unknown("bKash answered create with a malformed paymentID"))?;
        if self.config.product == Product::Tokenized {
            let page = created.bkash_url.as_deref().unwrap_or_default();
            if !super::origins::bkash_page_allowed(page, &self.config) {
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
        let result: PaymentResult =
            self.call(Endpoint::Execute, |_| super::routes::route(&self.config, &self.http, Endpoint::Execute, id), id).await?;
        payment.check(result)
    }

    pub async fn query_payment(&self, payment: &ExpectedPayment) -> Result<PaymentResult, BkashError> {
        let id = payment.checked_id()?;
        let result: PaymentResult =
            self.call(Endpoint::Query, |_| super::routes::route(&self.config, &self.http, Endpoint::Query, id), id).await?;
        payment.check(result)
    }

    pub async fn search_transaction(&self, trx_id: &str) -> Result<SearchResult, BkashError> {
        check_id("trxID", trx_id)?;
        let found: SearchResult =
            self.call(Endpoint::Search, |_| super::routes::route(&self.config, &self.http, Endpoint::Search, trx_id), "").await?;
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
        let done: RefundResult = self
            .call(
                Endpoint::Refund,
                |_| super::routes::route(&self.config, &self.http, Endpoint::Refund, payment_id).json(&body),
                payment_id,
            )
            .await?;
        if done.amount != amount {
            return Err(mismatch("amount", &amount.to_string(), &done.amount.to_string()));
        }
        about_this_transaction(done, trx_id)
    }

    pub async fn refund_status(&self, payment_id: &str, trx_id: &str) -> Result<RefundResult, BkashError> {
        check_id("paymentID", payment_id)?;
        check_id("trxID", trx_id)?;
        let body = json!({"paymentID": payment_id, "trxID": trx_id});
        let latest = self
            .call(
                Endpoint::RefundStatus,
                |_| super::routes::route(&self.config, &self.http, Endpoint::RefundStatus, payment_id).json(&body),
                payment_id,
            )
            .await?;
        about_this_transaction(latest, trx_id)
    }

    pub async fn capture(&self, payment: &ExpectedPayment) -> Result<PaymentResult, BkashError> {
        let id = payment.checked_id()?;
        let result = self.call(Endpoint::Capture, |_| super::routes::route(&self.config, &self.http, Endpoint::Capture, id), id).await?;
        payment.check(result)
    }

    pub async fn void(&self, payment: &ExpectedPayment) -> Result<PaymentResult, BkashError> {
        let id = payment.checked_id()?;
        let result = self.call(Endpoint::Void, |_| super::routes::route(&self.config, &self.http, Endpoint::Void, id), id).await?;
        payment.check(result)
    }
}
