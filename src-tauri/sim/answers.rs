//! What the simulated bKash answers, one type per answer, with bKash's own
//! field names (`../shared/bkash/API.md` §2–§4). These are the simulator's
//! types, written from the documentation: the app's client has its own and
//! must not share these, or a test would only check the client against
//! itself.
//!
//! A field bKash leaves out when it has nothing to say is
//! `skip_serializing_if`; one it sends as `null` is a plain `Option`.

use serde::Serialize;

use super::codes::{self, Code};
use super::model::{format_amount, Agreement, Family, Payment, Refund};

/// The API gateway's own answer, with a 4xx status.
#[derive(Debug, Serialize)]
pub struct GatewayMessage<'a> {
    pub message: &'a str,
}

/// A business error in Checkout's envelope (HTTP 200).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutError {
    pub error_code: &'static str,
    pub error_message: &'static str,
}

impl CheckoutError {
    /// What the gateway answers, with HTTP 503, while bKash is down for
    /// maintenance (in Checkout's envelope, whichever family was called).
    pub const MAINTENANCE: Self = Self { error_code: "503", error_message: "System is undergoing maintenance. Please try again later" };
}

impl From<Code> for CheckoutError {
    fn from(code: Code) -> Self {
        Self { error_code: code.as_str(), error_message: code.message() }
    }
}

/// A Tokenized answer: its body with `statusCode`/`statusMessage` beside
/// it, `0000` on success.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenizedEnvelope<T: Serialize> {
    #[serde(flatten)]
    pub body: Option<T>,
    pub status_code: &'static str,
    pub status_message: &'static str,
}

impl<T: Serialize> TokenizedEnvelope<T> {
    pub fn success(body: T) -> Self {
        Self { body: Some(body), status_code: codes::SUCCESSFUL, status_message: "Successful" }
    }

    pub fn error(code: Code) -> Self {
        Self { body: None, status_code: code.as_str(), status_message: code.message() }
    }
}

/// Checkout's payment: Create, Execute, Query, Capture and Void.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutPayment {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    pub create_time: String,
    /// Not in Create's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    #[serde(rename = "trxID", skip_serializing_if = "Option::is_none")]
    pub trx_id: Option<String>,
    pub transaction_status: &'static str,
    pub amount: String,
    pub currency: String,
    pub intent: String,
    pub merchant_invoice_number: String,
    /// Execute's and Query's answers name the payer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_msisdn: Option<String>,
    /// Create's answer: the shop's name and logo for bKash's frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_logo: Option<String>,
    /// Query's answer says how much has been refunded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<String>,
}

impl CheckoutPayment {
    /// As Capture and Void answer: no payer, nothing refunded.
    pub fn of(p: &Payment) -> Self {
        Self {
            payment_id: p.payment_id.clone(),
            create_time: p.create_time.clone(),
            update_time: Some(p.execute_time.clone().unwrap_or_else(|| p.create_time.clone())),
            trx_id: p.trx_id.clone(),
            transaction_status: p.transaction_status.as_str(),
            amount: p.amount.clone(),
            currency: p.currency.clone(),
            intent: p.intent.clone(),
            merchant_invoice_number: p.merchant_invoice_number.clone(),
            customer_msisdn: None,
            org_name: None,
            org_logo: None,
            refund_amount: None,
        }
    }

    pub fn created(p: &Payment, org_name: String, org_logo: String) -> Self {
        Self { update_time: None, org_name: Some(org_name), org_logo: Some(org_logo), ..Self::of(p) }
    }

    pub fn executed(p: &Payment) -> Self {
        Self { customer_msisdn: p.customer_msisdn.clone(), ..Self::of(p) }
    }

    pub fn queried(p: &Payment) -> Self {
        Self { refund_amount: Some(format_amount(p.refunded_poisha)), ..Self::executed(p) }
    }
}

/// Search Transaction, in either family.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchAnswer {
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    pub transaction_status: &'static str,
    pub transaction_type: &'static str,
    pub amount: String,
    pub currency: String,
    pub customer_msisdn: Option<String>,
    pub organization_short_code: &'static str,
    pub initiation_time: String,
    pub completed_time: Option<String>,
    /// Tokenized's answer names the payer and what is left to refund.
    #[serde(flatten)]
    pub tokenized: Option<TokenizedSearchPart>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenizedSearchPart {
    pub payer_account: Option<String>,
    pub payer_type: &'static str,
    pub max_refundable_amount: String,
}

/// The organisation short code the simulated merchant searches under.
pub const SHORT_CODE: &str = "01770618575";

impl SearchAnswer {
    pub fn of(p: &Payment, family: Family) -> Self {
        let tokenized = (family == Family::Tokenized).then(|| TokenizedSearchPart {
            payer_account: p.customer_msisdn.clone(),
            payer_type: "Customer",
            max_refundable_amount: left_to_refund(p),
        });
        Self {
            trx_id: p.trx_id.clone(),
            transaction_status: p.transaction_status.as_str(),
            transaction_type: match family {
                Family::Checkout => "bKash Checkout via API",
                Family::Tokenized => "bKash Tokenized Checkout via API",
            },
            amount: p.amount.clone(),
            currency: p.currency.clone(),
            customer_msisdn: p.customer_msisdn.clone(),
            organization_short_code: SHORT_CODE,
            initiation_time: p.create_time.clone(),
            completed_time: p.execute_time.clone(),
            tokenized,
        }
    }
}

fn left_to_refund(p: &Payment) -> String {
    format_amount(p.amount_poisha.saturating_sub(p.refunded_poisha))
}

/// Refund and Refund Status, in either family.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundAnswer {
    pub completed_time: String,
    pub transaction_status: &'static str,
    #[serde(rename = "originalTrxID")]
    pub original_trx_id: Option<String>,
    #[serde(rename = "refundTrxID")]
    pub refund_trx_id: String,
    pub amount: String,
    pub currency: String,
    pub charge: &'static str,
}

impl RefundAnswer {
    pub fn of(p: &Payment, r: &Refund) -> Self {
        Self {
            completed_time: r.completed_time.clone(),
            transaction_status: "Completed",
            original_trx_id: p.trx_id.clone(),
            refund_trx_id: r.refund_trx_id.clone(),
            amount: r.amount.clone(),
            currency: p.currency.clone(),
            charge: "0.00",
        }
    }
}

/// Tokenized Create: bKash's page and the three callback URLs, then what
/// was created.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenizedCreated {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    #[serde(rename = "bkashURL")]
    pub bkash_url: String,
    #[serde(rename = "callbackURL")]
    pub callback_url: String,
    #[serde(rename = "successCallbackURL")]
    pub success_callback_url: String,
    #[serde(rename = "failureCallbackURL")]
    pub failure_callback_url: String,
    #[serde(rename = "cancelledCallbackURL")]
    pub cancelled_callback_url: String,
    pub payer_reference: Option<String>,
    #[serde(flatten)]
    pub what: Created,
}

/// What a Tokenized Create made: an agreement (mode 0000) or a payment.
#[derive(Debug, Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub enum Created {
    Agreement {
        agreement_status: &'static str,
        agreement_create_time: String,
    },
    Payment {
        amount: String,
        intent: String,
        currency: String,
        payment_create_time: String,
        transaction_status: &'static str,
        merchant_invoice_number: String,
        #[serde(rename = "agreementID", skip_serializing_if = "Option::is_none")]
        agreement_id: Option<String>,
    },
}

impl Created {
    pub fn of(p: &Payment) -> Self {
        if p.mode == codes::mode::CREATE_AGREEMENT {
            Self::Agreement { agreement_status: "Initiated", agreement_create_time: p.create_time.clone() }
        } else {
            Self::Payment {
                amount: p.amount.clone(),
                intent: p.intent.clone(),
                currency: p.currency.clone(),
                payment_create_time: p.create_time.clone(),
                transaction_status: "Initiated",
                merchant_invoice_number: p.merchant_invoice_number.clone(),
                agreement_id: p.agreement_id.clone(),
            }
        }
    }
}

/// Tokenized Execute of an agreement's Create (mode 0000).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementExecuted {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    #[serde(rename = "agreementID")]
    pub agreement_id: String,
    pub customer_msisdn: Option<String>,
    pub payer_reference: String,
    pub agreement_execute_time: Option<String>,
    pub agreement_status: &'static str,
}

impl AgreementExecuted {
    pub fn of(a: &Agreement) -> Self {
        Self {
            payment_id: a.payment_id.clone(),
            agreement_id: a.agreement_id.clone(),
            customer_msisdn: a.customer_msisdn.clone(),
            payer_reference: a.payer_reference.clone(),
            agreement_execute_time: a.agreement_execute_time.clone(),
            agreement_status: "Completed",
        }
    }
}

/// What Tokenized's Execute, Capture and Void all say of the payment.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenizedTransaction {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    pub transaction_status: &'static str,
    pub amount: String,
    pub currency: String,
}

impl TokenizedTransaction {
    fn of(p: &Payment) -> Self {
        Self {
            payment_id: p.payment_id.clone(),
            trx_id: p.trx_id.clone(),
            transaction_status: p.transaction_status.as_str(),
            amount: p.amount.clone(),
            currency: p.currency.clone(),
        }
    }
}

/// Tokenized Execute of a payment.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenizedExecuted {
    #[serde(flatten)]
    pub transaction: TokenizedTransaction,
    pub intent: String,
    pub payment_execute_time: Option<String>,
    pub merchant_invoice_number: String,
    pub payer_reference: Option<String>,
    pub customer_msisdn: Option<String>,
    #[serde(rename = "agreementID", skip_serializing_if = "Option::is_none")]
    pub agreement_id: Option<String>,
}

impl TokenizedExecuted {
    pub fn of(p: &Payment) -> Self {
        Self {
            transaction: TokenizedTransaction::of(p),
            intent: p.intent.clone(),
            payment_execute_time: p.execute_time.clone(),
            merchant_invoice_number: p.merchant_invoice_number.clone(),
            payer_reference: p.payer_reference.clone(),
            customer_msisdn: p.customer_msisdn.clone(),
            agreement_id: p.agreement_id.clone(),
        }
    }
}

/// Tokenized Payment Status (its Query). It carries no wallet: that is
/// Search Transaction's.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenizedStatus {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    pub mode: String,
    pub payment_create_time: String,
    pub amount: String,
    pub currency: String,
    pub intent: String,
    pub merchant_invoice: String,
    pub transaction_status: &'static str,
    pub verification_status: &'static str,
    pub payer_reference: Option<String>,
    pub max_refundable_amount: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_execute_time: Option<String>,
    #[serde(rename = "trxID", skip_serializing_if = "Option::is_none")]
    pub trx_id: Option<String>,
    #[serde(rename = "agreementID", skip_serializing_if = "Option::is_none")]
    pub agreement_id: Option<String>,
}

impl TokenizedStatus {
    pub fn of(p: &Payment) -> Self {
        Self {
            payment_id: p.payment_id.clone(),
            mode: p.mode.clone(),
            payment_create_time: p.create_time.clone(),
            amount: p.amount.clone(),
            currency: p.currency.clone(),
            intent: p.intent.clone(),
            merchant_invoice: p.merchant_invoice_number.clone(),
            transaction_status: p.transaction_status.as_str(),
            verification_status: p.verification_status(),
            payer_reference: p.payer_reference.clone(),
            max_refundable_amount: left_to_refund(p),
            payment_execute_time: p.execute_time.clone(),
            trx_id: p.trx_id.clone(),
            agreement_id: p.agreement_id.clone(),
        }
    }
}

/// Tokenized Capture and Void.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenizedSettled {
    #[serde(flatten)]
    pub transaction: TokenizedTransaction,
    pub completed_time: String,
}

impl TokenizedSettled {
    pub fn of(p: &Payment, completed_time: String) -> Self {
        Self { transaction: TokenizedTransaction::of(p), completed_time }
    }
}
