//! The simulated bKash's rules, free of HTTP: tokens and their budget, the
//! payment state machine, the customer's wallet/OTP/PIN steps, refunds and
//! agreements. Every method takes `now` from the simulator's movable clock.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::codes::{intent, mode, Code};
use super::model::*;

/// Why the simulated bKash refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    /// A bKash error code, answered inside the family's envelope (HTTP 200).
    Code(Code),
    /// The API gateway refused it before any payment logic: `{"message": …}`.
    Gateway(u16, &'static str),
}

pub type SimResult<T> = Result<T, SimError>;

#[derive(Debug, Clone, Serialize)]
pub struct TokenPair {
    pub id_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
}

struct IssuedToken {
    merchant: String,
    expires_at: DateTime<Utc>,
}

/// What a merchant asks Create Payment for, already read from either family.
#[derive(Debug, Clone, Default)]
pub struct CreateRequest {
    pub mode: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub intent: Option<String>,
    pub merchant_invoice_number: Option<String>,
    pub merchant_association_info: Option<String>,
    pub payer_reference: Option<String>,
    pub callback_url: Option<String>,
    pub agreement_id: Option<String>,
}

#[derive(Clone, Copy)]
enum Secret {
    Otp,
    Pin,
}

/// What the customer did in the frame, step by step.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepOutcome {
    pub step: CustomerStep,
}

/// Counters a test can assert on ("exactly one grant").
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub token_grants: u64,
    pub token_refreshes: u64,
    pub calls: HashMap<String, u64>,
    /// When each grant or refresh was accepted (the simulator's clock), for
    /// a rolling-hour check over any window a test likes.
    pub token_calls_at: Vec<DateTime<Utc>>,
    /// Token calls refused with 429 because the merchant's budget was spent.
    pub token_budget_refusals: u64,
}

#[derive(Default)]
pub struct Engine {
    pub config: SimConfig,
    tokens: HashMap<String, IssuedToken>,
    refresh_tokens: HashMap<String, IssuedToken>,
    token_calls: HashMap<String, VecDeque<DateTime<Utc>>>,
    payments: HashMap<String, Payment>,
    /// paymentIDs in creation order, so the ledger reads like a journal.
    order: Vec<String>,
    by_trx: HashMap<String, String>,
    /// When each (merchant, wallet, amount) last paid: the 2029 check
    /// without a scan. bKash's duplicate rule is per merchant: the same
    /// wallet may pay the same amount at two different shops.
    last_paid: HashMap<(String, String, u64), DateTime<Utc>>,
    agreements: HashMap<String, Agreement>,
    pub stats: Stats,
}

impl Engine {
    pub fn new(config: SimConfig) -> Self {
        Self { config, ..Default::default() }
    }

    /// Forgets every payment, token, agreement and counter; keeps the config.
    pub fn reset(&mut self) {
        *self = Self::new(std::mem::take(&mut self.config));
    }

    fn merchant_by_username(&self, username: &str) -> Option<&Merchant> {
        self.config.merchants.iter().find(|m| m.username == username)
    }

    // ---- tokens ---------------------------------------------------------------

    fn check_credentials(&self, username: &str, password: &str, app_key: &str, app_secret: &str) -> SimResult<()> {
        let merchant = match self.merchant_by_username(username) {
            Some(m) if m.password == password => m,
            // Token calls authenticate with username/password headers at the gateway.
            _ => return Err(SimError::Gateway(401, "Unauthorized")),
        };
        if merchant.app_key != app_key {
            return Err(SimError::Code(Code::InvalidAppKey));
        }
        if merchant.app_secret != app_secret {
            return Err(SimError::Code(Code::WrongCredential));
        }
        Ok(())
    }

    /// bKash blocks merchants who call the token APIs too often; the budget
    /// covers grants and refreshes together, over a rolling hour.
    fn spend_token_budget(&mut self, username: &str, now: DateTime<Utc>) -> SimResult<()> {
        let calls = self.token_calls.entry(username.to_string()).or_default();
        while calls.front().is_some_and(|t| *t <= now - Duration::hours(1)) {
            calls.pop_front();
        }
        if calls.len() as u32 >= self.config.token_budget_per_hour {
            self.stats.token_budget_refusals += 1;
            return Err(SimError::Gateway(429, "Too Many Requests"));
        }
        calls.push_back(now);
        self.stats.token_calls_at.push(now);
        Ok(())
    }

    fn issue_pair(&mut self, username: &str, now: DateTime<Utc>) -> TokenPair {
        let pair = TokenPair {
            id_token: new_token(),
            token_type: "Bearer",
            expires_in: self.config.token_lifetime_secs,
            refresh_token: new_token(),
        };
        self.tokens.insert(
            pair.id_token.clone(),
            IssuedToken { merchant: username.into(), expires_at: now + Duration::seconds(self.config.token_lifetime_secs) },
        );
        self.refresh_tokens.insert(
            pair.refresh_token.clone(),
            IssuedToken { merchant: username.into(), expires_at: now + Duration::seconds(self.config.refresh_lifetime_secs) },
        );
        pair
    }

    pub fn grant(&mut self, username: &str, password: &str, app_key: &str, app_secret: &str, now: DateTime<Utc>) -> SimResult<TokenPair> {
        self.check_credentials(username, password, app_key, app_secret)?;
        self.spend_token_budget(username, now)?;
        self.stats.token_grants += 1;
        Ok(self.issue_pair(username, now))
    }

    pub fn refresh(
        &mut self,
        username: &str,
        password: &str,
        app_key: &str,
        app_secret: &str,
        refresh_token: &str,
        now: DateTime<Utc>,
    ) -> SimResult<TokenPair> {
        self.check_credentials(username, password, app_key, app_secret)?;
        match self.refresh_tokens.get(refresh_token) {
            Some(t) if t.merchant == username && t.expires_at > now => {}
            Some(t) if t.merchant == username => return Err(SimError::Gateway(401, "The incoming token has expired")),
            _ => return Err(SimError::Gateway(401, "Unauthorized")),
        }
        self.spend_token_budget(username, now)?;
        // A refresh token stays usable while it is valid (API.md §2: new
        // tokens may be obtained with it for up to 28 days); it is not spent.
        self.stats.token_refreshes += 1;
        Ok(self.issue_pair(username, now))
    }

    /// The gateway check on every non-token call: a known, unexpired id_token
    /// (raw or `Bearer …`) and the matching x-app-key. Returns the merchant.
    pub fn authorize(&self, authorization: Option<&str>, app_key: Option<&str>, now: DateTime<Utc>) -> SimResult<String> {
        // The scheme is case-insensitive, as HTTP says ("bearer", "BEARER").
        let raw = authorization
            .map(|a| match a.get(..7) {
                Some(scheme) if scheme.eq_ignore_ascii_case("bearer ") => &a[7..],
                _ => a,
            })
            .map(str::trim)
            .unwrap_or("");
        let token = self.tokens.get(raw).ok_or(SimError::Gateway(401, "Unauthorized"))?;
        if token.expires_at <= now {
            return Err(SimError::Gateway(401, "The incoming token has expired"));
        }
        let merchant = self.merchant_by_username(&token.merchant).ok_or(SimError::Gateway(401, "Unauthorized"))?;
        if app_key != Some(merchant.app_key.as_str()) {
            return Err(SimError::Code(Code::InvalidAppKey));
        }
        Ok(token.merchant.clone())
    }

    pub fn org_name(&self, merchant: &str) -> String {
        self.merchant_by_username(merchant).map(|m| m.org_name.clone()).unwrap_or_default()
    }

    // ---- payments -------------------------------------------------------------

    pub fn create(&mut self, merchant: &str, family: Family, req: CreateRequest, now: DateTime<Utc>) -> SimResult<Payment> {
        let amount = req.amount.ok_or(SimError::Code(Code::MandatoryFieldMissing))?;
        let amount_poisha = parse_amount(&amount).ok_or(SimError::Code(Code::InvalidAmount))?;
        let currency = req.currency.ok_or(SimError::Code(Code::MandatoryFieldMissing))?;
        if currency != "BDT" {
            return Err(SimError::Code(Code::InvalidCurrency));
        }
        let intent = req.intent.ok_or(SimError::Code(Code::MandatoryFieldMissing))?;
        if intent != intent::SALE && intent != intent::AUTHORIZATION {
            return Err(SimError::Code(Code::InvalidIntent));
        }
        let invoice = req.merchant_invoice_number.ok_or(SimError::Code(Code::MandatoryFieldMissing))?;
        if invoice.is_empty() || invoice.chars().count() > 255 || invoice.contains(['<', '>', '&']) {
            return Err(SimError::Code(Code::InvalidInvoiceNumber));
        }
        if let Some(tlv) = &req.merchant_association_info {
            if !valid_tlv(tlv) {
                return Err(SimError::Code(Code::TlvDataFormatError));
            }
        }
        if family == Family::Tokenized {
            self.check_tokenized_create(merchant, &req.mode, req.callback_url.as_deref(), req.agreement_id.as_deref())?;
        }
        let payment = Payment {
            amount,
            amount_poisha,
            currency,
            intent,
            merchant_invoice_number: invoice,
            payer_reference: req.payer_reference,
            callback_url: req.callback_url,
            agreement_id: req.agreement_id,
            ..Payment::initiated(family, &req.mode, merchant, now)
        };
        self.order.push(payment.payment_id.clone());
        self.payments.insert(payment.payment_id.clone(), payment.clone());
        Ok(payment)
    }

    fn check_tokenized_create(&self, merchant: &str, mode: &str, callback: Option<&str>, agreement: Option<&str>) -> SimResult<()> {
        match callback {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {}
            _ => return Err(SimError::Code(Code::InvalidCallbackUrl)),
        }
        match mode {
            mode::PAY_WITHOUT_AGREEMENT => Ok(()),
            mode::PAY_WITH_AGREEMENT => match agreement.and_then(|id| self.agreements.get(id)) {
                Some(a) if a.merchant == merchant && a.agreement_status == AgreementStatus::Completed => Ok(()),
                Some(a) if a.merchant == merchant && a.agreement_status == AgreementStatus::Cancelled => {
                    Err(SimError::Code(Code::AgreementCancelled))
                }
                _ => Err(SimError::Code(Code::InvalidAgreementId)),
            },
            _ => Err(SimError::Code(Code::InvalidMode)),
        }
    }

    fn payment_mut(&mut self, merchant: &str, payment_id: &str) -> SimResult<&mut Payment> {
        match self.payments.get_mut(payment_id) {
            Some(p) if p.merchant == merchant => Ok(p),
            _ => Err(SimError::Code(Code::InvalidPaymentId)),
        }
    }

    /// A payment as the merchant may read it (Query Payment).
    pub fn query(&self, merchant: &str, payment_id: &str) -> SimResult<Payment> {
        match self.payments.get(payment_id) {
            Some(p) if p.merchant == merchant => Ok(p.clone()),
            _ => Err(SimError::Code(Code::InvalidPaymentId)),
        }
    }

    pub fn execute(&mut self, merchant: &str, payment_id: &str, now: DateTime<Utc>) -> SimResult<Payment> {
        let lifetime = Duration::seconds(self.config.payment_lifetime_secs);
        let window = Duration::seconds(self.config.duplicate_window_secs);
        // Field access, not payment_mut(): the 2029 index below is borrowed too.
        let payment = self.payments.get_mut(payment_id).filter(|p| p.merchant == merchant).ok_or(SimError::Code(Code::InvalidPaymentId))?;
        if payment.executed {
            return Err(SimError::Code(Code::AlreadyExecuted));
        }
        if now >= payment.created_at + lifetime {
            return Err(SimError::Code(Code::InvalidPaymentState));
        }
        if payment.customer_step != CustomerStep::Verified {
            return Err(SimError::Code(if payment.family == Family::Tokenized {
                Code::PaymentNotReady
            } else {
                Code::InvalidPaymentState
            }));
        }
        payment.executed = true;
        let wallet = payment.customer_msisdn.clone().unwrap_or_default();
        let amount = payment.amount_poisha;
        let refusal = match wallet_kind(&wallet) {
            WalletKind::InsufficientBalance => Some(Code::InsufficientBalance),
            WalletKind::DebitBlocked => Some(Code::DebitPartyBlocked),
            WalletKind::Funded => None,
        };
        if let Some(code) = refusal {
            payment.execute_error = Some(code.as_str().into());
            return Err(SimError::Code(code));
        }
        // 2029: the same wallet paying the same amount to the same merchant again within the window.
        let key = (merchant.to_string(), wallet, amount);
        if self.last_paid.get(&key).is_some_and(|t| now - *t < window) {
            payment.execute_error = Some(Code::Duplicate.as_str().into());
            return Err(SimError::Code(Code::Duplicate));
        }
        self.last_paid.insert(key, now);
        let trx = new_trx_id();
        payment.trx_id = Some(trx.clone());
        payment.transaction_status = if payment.intent == intent::AUTHORIZATION { TxStatus::Authorized } else { TxStatus::Completed };
        payment.execute_time = Some(bkash_time(now));
        payment.executed_at = Some(now);
        let result = payment.clone();
        self.by_trx.insert(trx, payment_id.to_string());
        Ok(result)
    }

    /// Capture (`true`) or void (`false`) an Authorized payment.
    pub fn settle_authorization(&mut self, merchant: &str, payment_id: &str, capture: bool, now: DateTime<Utc>) -> SimResult<Payment> {
        let payment = self.payment_mut(merchant, payment_id)?;
        match payment.transaction_status {
            TxStatus::Authorized => {}
            TxStatus::Completed | TxStatus::Cancelled if payment.intent == intent::AUTHORIZATION => {
                return Err(SimError::Code(Code::AuthorizationAlreadyProcessed))
            }
            _ => return Err(SimError::Code(Code::InvalidPaymentState)),
        }
        payment.transaction_status = if capture { TxStatus::Completed } else { TxStatus::Cancelled };
        payment.execute_time = Some(bkash_time(now));
        Ok(payment.clone())
    }

    pub fn search(&self, merchant: &str, trx_id: &str) -> SimResult<Payment> {
        self.by_trx
            .get(trx_id)
            .and_then(|pid| self.payments.get(pid))
            .filter(|p| p.merchant == merchant)
            .cloned()
            .ok_or(SimError::Code(Code::TransactionNotFound))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn refund(
        &mut self,
        merchant: &str,
        payment_id: &str,
        trx_id: &str,
        amount: Option<&str>,
        sku: Option<&str>,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> SimResult<(Payment, Refund)> {
        let payment = self.payment_mut(merchant, payment_id)?;
        if payment.trx_id.as_deref() != Some(trx_id) {
            return Err(SimError::Code(Code::NoSuchTransactionToReverse));
        }
        if payment.transaction_status != TxStatus::Completed {
            return Err(SimError::Code(Code::TransactionNotCompleted));
        }
        let sku = sku.filter(|s| !s.trim().is_empty()).ok_or(SimError::Code(Code::InvalidSku))?;
        if sku.chars().count() > 255 {
            return Err(SimError::Code(Code::SkuTooLong));
        }
        let reason = reason.filter(|s| !s.trim().is_empty()).ok_or(SimError::Code(Code::InvalidReason))?;
        if reason.chars().count() > 255 {
            return Err(SimError::Code(Code::ReasonTooLong));
        }
        let amount_text = amount.ok_or(SimError::Code(Code::MandatoryFieldMissing))?;
        let amount_poisha = parse_amount(amount_text).ok_or(SimError::Code(Code::InvalidAmount))?;
        if payment.refunded_poisha >= payment.amount_poisha {
            return Err(SimError::Code(Code::AlreadyReversed));
        }
        if amount_poisha > payment.amount_poisha - payment.refunded_poisha {
            return Err(SimError::Code(Code::RefundAboveAmount));
        }
        let refund = Refund {
            refund_trx_id: new_trx_id(),
            amount: amount_text.into(),
            amount_poisha,
            sku: sku.into(),
            reason: reason.into(),
            completed_time: bkash_time(now),
        };
        payment.refunded_poisha += amount_poisha;
        payment.refunds.push(refund.clone());
        Ok((payment.clone(), refund))
    }

    /// Refund Status: the latest refund of a transaction.
    pub fn refund_status(&self, merchant: &str, payment_id: &str, trx_id: &str) -> SimResult<(Payment, Refund)> {
        let payment = self.query(merchant, payment_id)?;
        if payment.trx_id.as_deref() != Some(trx_id) {
            return Err(SimError::Code(Code::NoSuchTransactionToReverse));
        }
        let refund = payment.refunds.last().cloned().ok_or(SimError::Code(Code::TransactionNotFound))?;
        Ok((payment, refund))
    }

    // ---- the customer in bKash's frame ---------------------------------------

    /// Steps are open to anyone holding the paymentID, like bKash's frame.
    fn customer_payment(&mut self, payment_id: &str, now: DateTime<Utc>) -> SimResult<&mut Payment> {
        let lifetime = Duration::seconds(self.config.payment_lifetime_secs);
        let payment = self.payments.get_mut(payment_id).ok_or(SimError::Code(Code::InvalidPaymentId))?;
        if payment.executed || payment.customer_step == CustomerStep::Ended || now >= payment.created_at + lifetime {
            return Err(SimError::Code(Code::InvalidPaymentState));
        }
        Ok(payment)
    }

    pub fn customer_wallet(&mut self, payment_id: &str, wallet: &str, now: DateTime<Utc>) -> SimResult<StepOutcome> {
        let payment = self.customer_payment(payment_id, now)?;
        if payment.customer_step != CustomerStep::Wallet {
            return Err(SimError::Code(Code::InvalidPaymentState));
        }
        if !valid_wallet(wallet) {
            return Err(SimError::Code(Code::InvalidWallet));
        }
        payment.customer_msisdn = Some(wallet.into());
        payment.customer_step = CustomerStep::Otp;
        Ok(StepOutcome { step: payment.customer_step })
    }

    pub fn customer_resend_otp(&mut self, payment_id: &str, now: DateTime<Utc>) -> SimResult<StepOutcome> {
        let limit = self.config.otp_resends;
        let payment = self.customer_payment(payment_id, now)?;
        if payment.customer_step != CustomerStep::Otp {
            return Err(SimError::Code(Code::InvalidPaymentState));
        }
        if payment.otp_resends >= limit {
            return Err(SimError::Code(Code::ResendLimitExceeded));
        }
        payment.otp_resends += 1;
        Ok(StepOutcome { step: payment.customer_step })
    }

    pub fn customer_otp(&mut self, payment_id: &str, otp: &str, now: DateTime<Utc>) -> SimResult<StepOutcome> {
        self.customer_secret(payment_id, Secret::Otp, otp, now)
    }

    pub fn customer_pin(&mut self, payment_id: &str, pin: &str, now: DateTime<Utc>) -> SimResult<StepOutcome> {
        self.customer_secret(payment_id, Secret::Pin, pin, now)
    }

    /// The OTP and PIN steps share one rule: a wrong entry is refused, and the
    /// last allowed wrong entry ends the session.
    fn customer_secret(&mut self, payment_id: &str, secret: Secret, entered: &str, now: DateTime<Utc>) -> SimResult<StepOutcome> {
        let (at, expected, limit, wrong, exhausted, next) = match secret {
            Secret::Otp => {
                (CustomerStep::Otp, SANDBOX_OTP, self.config.otp_attempts, Code::WrongOtp, Code::WrongOtpLimitExceeded, CustomerStep::Pin)
            }
            Secret::Pin => (
                CustomerStep::Pin,
                SANDBOX_PIN,
                self.config.pin_attempts,
                Code::WrongPin,
                Code::WrongPinCountExceeded,
                CustomerStep::Verified,
            ),
        };
        let payment = self.customer_payment(payment_id, now)?;
        if payment.customer_step != at {
            return Err(SimError::Code(Code::InvalidPaymentState));
        }
        if entered != expected {
            let failures = match secret {
                Secret::Otp => &mut payment.otp_failures,
                Secret::Pin => &mut payment.pin_failures,
            };
            *failures += 1;
            if *failures >= limit {
                payment.customer_step = CustomerStep::Ended;
                return Err(SimError::Code(exhausted));
            }
            return Err(SimError::Code(wrong));
        }
        payment.customer_step = next;
        Ok(StepOutcome { step: next })
    }

    /// The customer closed the frame: the payment stays Initiated at bKash.
    pub fn customer_cancel(&mut self, payment_id: &str, now: DateTime<Utc>) -> SimResult<StepOutcome> {
        let payment = self.customer_payment(payment_id, now)?;
        payment.customer_step = CustomerStep::Ended;
        Ok(StepOutcome { step: CustomerStep::Ended })
    }

    /// All three steps at once, through the same checks as the frame.
    pub fn customer_pays(&mut self, payment_id: &str, wallet: &str, otp: &str, pin: &str, now: DateTime<Utc>) -> SimResult<StepOutcome> {
        self.customer_wallet(payment_id, wallet, now)?;
        self.customer_otp(payment_id, otp, now)?;
        self.customer_pin(payment_id, pin, now)
    }

    /// What the frame shows: merchant, invoice, amount and the current step.
    pub fn frame_view(&self, payment_id: &str) -> SimResult<(Payment, String)> {
        let payment = self.payments.get(payment_id).ok_or(SimError::Code(Code::InvalidPaymentId))?;
        Ok((payment.clone(), self.org_name(&payment.merchant)))
    }

    // ---- agreements (tokenized) ---------------------------------------------

    pub fn create_agreement(
        &mut self,
        merchant: &str,
        payer_reference: Option<String>,
        callback: Option<String>,
        now: DateTime<Utc>,
    ) -> SimResult<Payment> {
        let payer_reference = payer_reference.filter(|p| !p.is_empty()).ok_or(SimError::Code(Code::InvalidPayerReference))?;
        match callback.as_deref() {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {}
            _ => return Err(SimError::Code(Code::InvalidCallbackUrl)),
        }
        let payment = Payment {
            payer_reference: Some(payer_reference.clone()),
            callback_url: callback,
            ..Payment::initiated(Family::Tokenized, mode::CREATE_AGREEMENT, merchant, now)
        };
        let payment_id = payment.payment_id.clone();
        let agreement = Agreement {
            agreement_id: new_agreement_id(now),
            payment_id: payment_id.clone(),
            merchant: merchant.into(),
            payer_reference,
            customer_msisdn: None,
            agreement_status: AgreementStatus::Initiated,
            agreement_create_time: bkash_time(now),
            agreement_execute_time: None,
            agreement_void_time: None,
        };
        self.agreements.insert(agreement.agreement_id.clone(), agreement);
        self.order.push(payment_id.clone());
        self.payments.insert(payment_id, payment.clone());
        Ok(payment)
    }

    pub fn execute_agreement(&mut self, merchant: &str, payment_id: &str, now: DateTime<Utc>) -> SimResult<Agreement> {
        let payment = self.payment_mut(merchant, payment_id)?;
        if payment.executed {
            return Err(SimError::Code(Code::AgreementAlreadyExecuted));
        }
        if payment.customer_step != CustomerStep::Verified {
            return Err(SimError::Code(Code::AgreementNotReady));
        }
        payment.executed = true;
        payment.transaction_status = TxStatus::Completed;
        let wallet = payment.customer_msisdn.clone();
        let agreement =
            self.agreements.values_mut().find(|a| a.payment_id == payment_id).ok_or(SimError::Code(Code::InvalidAgreementId))?;
        agreement.agreement_status = AgreementStatus::Completed;
        agreement.customer_msisdn = wallet;
        agreement.agreement_execute_time = Some(bkash_time(now));
        Ok(agreement.clone())
    }

    pub fn agreement_status(&self, merchant: &str, agreement_id: &str) -> SimResult<Agreement> {
        self.agreements.get(agreement_id).filter(|a| a.merchant == merchant).cloned().ok_or(SimError::Code(Code::InvalidAgreementId))
    }

    pub fn cancel_agreement(&mut self, merchant: &str, agreement_id: &str, now: DateTime<Utc>) -> SimResult<Agreement> {
        let agreement =
            self.agreements.get_mut(agreement_id).filter(|a| a.merchant == merchant).ok_or(SimError::Code(Code::InvalidAgreementId))?;
        match agreement.agreement_status {
            AgreementStatus::Cancelled => return Err(SimError::Code(Code::AgreementCancelled)),
            AgreementStatus::Initiated => return Err(SimError::Code(Code::AgreementIncomplete)),
            AgreementStatus::Completed => {}
        }
        agreement.agreement_status = AgreementStatus::Cancelled;
        agreement.agreement_void_time = Some(bkash_time(now));
        Ok(agreement.clone())
    }

    pub fn is_agreement_payment(&self, payment_id: &str) -> bool {
        self.payments.get(payment_id).is_some_and(|p| p.mode == mode::CREATE_AGREEMENT)
    }

    // ---- the ledger -----------------------------------------------------------

    /// Every payment in creation order: the truth tests compare journals with.
    pub fn ledger(&self) -> Vec<Payment> {
        self.order.iter().filter_map(|id| self.payments.get(id).cloned()).collect()
    }

    pub fn ledger_entry(&self, payment_id: &str) -> Option<Payment> {
        self.payments.get(payment_id).cloned()
    }

    pub fn agreements(&self) -> Vec<Agreement> {
        self.agreements.values().cloned().collect()
    }
}
