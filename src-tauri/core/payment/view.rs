//! What the screens are told about a payment: the journal row as a cashier
//! needs it, with the wallet masked and the reason as a typed code. The UI
//! words every reason in the user's language (`reason.*` in the catalogs);
//! no customer-facing sentence is written here.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::bkash::codes;
use crate::journal::PaymentRow;
use crate::money::{Cause, PayAt, PaymentState};

/// "01770618575" → "017XXXXX575": enough for the customer to recognise their
/// wallet on a receipt, not enough to reuse it.
pub fn mask_wallet(msisdn: &str) -> String {
    let digits: Vec<char> = msisdn.chars().collect();
    if digits.len() < 7 {
        return "X".repeat(digits.len());
    }
    let (head, tail) = (3, 3);
    digits[..head].iter().chain(std::iter::repeat_n(&'X', digits.len() - head - tail)).chain(&digits[digits.len() - tail..]).collect()
}

/// Why a payment failed, ended or waits, as the UI words it (`reason.<code>`
/// or `reason.<kind>` in the catalogs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Reason {
    /// bKash's own error code ("2023").
    Bkash(String),
    /// Why there is no bKash verdict.
    Cause(Cause),
    /// Execute's outcome is not known yet; Query is asked.
    Checking,
    /// Proven not charged, with no more specific cause.
    NotCharged,
    /// Stopped before the customer paid.
    Cancelled,
    /// Refused, with neither a bKash code nor a cause recorded.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentView {
    pub id: i64,
    pub order_id: String,
    pub invoice: String,
    pub state: PaymentState,
    pub amount_poisha: u64,
    #[serde(rename = "paymentID")]
    pub payment_id: Option<String>,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    pub masked_wallet: Option<String>,
    /// Why it failed, ended or waits; `None` while it simply proceeds.
    pub reason: Option<Reason>,
    /// bKash's own words for its code, for a code the catalogs do not know.
    pub bkash_message: Option<String>,
    pub counter_id: Option<String>,
    /// At the counter, or on the customer's phone (QR).
    pub pay_at: PayAt,
    /// How many times bKash was asked whether the customer had finished on
    /// their phone.
    pub status_polls: u32,
    /// RFC 3339, UTC, on the wire.
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub settled_at: Option<DateTime<Utc>>,
}

impl Reason {
    /// The catalog text that words this reason (`reason.2023`, `reason.checking`).
    pub fn catalog_key(&self) -> String {
        match self {
            Reason::Bkash(code) => format!("reason.{code}"),
            Reason::Cause(cause) => format!("reason.{}", cause.as_str()),
            Reason::Checking => "reason.checking".into(),
            Reason::NotCharged => "reason.not_charged".into(),
            Reason::Cancelled => "reason.cancelled".into(),
            Reason::Refused => "reason.refused".into(),
        }
    }
}

impl PaymentView {
    /// The reason a payment in `state` shows. bKash's own code says most; our
    /// cause says why there is none. An unanswered or mismatched create still
    /// proves nothing moved (execute was never sent), so those read as plain
    /// "not charged".
    fn reason_of(row: &PaymentRow) -> Option<Reason> {
        let cause = match row.state {
            PaymentState::NotCharged => row.cause.filter(|c| !matches!(c, Cause::NoAnswer | Cause::Mismatch)),
            _ => row.cause,
        };
        match row.state {
            PaymentState::Failed => Some(match (&row.bkash_code, cause) {
                (Some(code), _) => Reason::Bkash(code.clone()),
                (None, Some(cause)) => Reason::Cause(cause),
                (None, None) => Reason::Refused,
            }),
            PaymentState::Unknown if cause == Some(Cause::Mismatch) => Some(Reason::Cause(Cause::Mismatch)),
            PaymentState::Unknown => Some(Reason::Checking),
            PaymentState::NotCharged => Some(cause.map(Reason::Cause).unwrap_or(Reason::NotCharged)),
            PaymentState::Cancelled => Some(cause.map(Reason::Cause).unwrap_or(Reason::Cancelled)),
            _ => None,
        }
    }
}

impl From<&PaymentRow> for PaymentView {
    fn from(row: &PaymentRow) -> Self {
        let reason = Self::reason_of(row);
        let bkash_message = match &reason {
            Some(Reason::Bkash(code)) => row.bkash_message.clone().or_else(|| codes::message(code).map(str::to_string)),
            _ => None,
        };
        Self {
            id: row.id,
            order_id: row.order_id.clone(),
            invoice: row.invoice.clone(),
            state: row.state,
            amount_poisha: row.amount_poisha,
            payment_id: row.payment_id.clone(),
            trx_id: row.trx_id.clone(),
            masked_wallet: row.customer_msisdn.as_deref().map(mask_wallet),
            reason,
            bkash_message,
            counter_id: row.counter_id.clone(),
            pay_at: row.pay_at,
            status_polls: row.status_polls,
            created_at: row.created_at,
            settled_at: row.settled_at,
        }
    }
}
