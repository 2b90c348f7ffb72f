//! bKash's wire format: amounts as strings, its own timestamp shape, the
//! typed answers of the Checkout (iFrame) family. What an HTTP answer means
//! is decided in `answer.rs`.

use chrono::{DateTime, FixedOffset};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::money::Amount;

/// bKash's timestamp: `2024-07-25T19:35:17:574 GMT+0600` (colon before the
/// milliseconds; the offset is kept). Read by position: it is fixed-width,
/// and chrono's format-string parser cost more than the rest of an answer.
pub fn parse_time(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let bad = || format!("`{}` is not a bKash timestamp", text.chars().take(40).collect::<String>());
    let b = text.as_bytes();
    let shape = b.len() == 32
        && [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b':'), (23, b' ')].iter().all(|&(i, c)| b[i] == c)
        && &b[24..27] == b"GMT"
        && (b[27] == b'+' || b[27] == b'-');
    if !shape {
        return Err(bad());
    }
    let num = |from: usize, to: usize| -> Result<u32, String> {
        b[from..to].iter().try_fold(0u32, |n, d| if d.is_ascii_digit() { Ok(n * 10 + u32::from(d - b'0')) } else { Err(bad()) })
    };
    let offset_secs = (num(28, 30)? * 3600 + num(30, 32)? * 60) as i32;
    let offset = FixedOffset::east_opt(if b[27] == b'-' { -offset_secs } else { offset_secs }).ok_or_else(bad)?;
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?).ok_or_else(bad)?;
    let time = chrono::NaiveTime::from_hms_milli_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 23)?).ok_or_else(bad)?;
    date.and_time(time).and_local_timezone(offset).single().ok_or_else(bad)
}

fn time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    parse_time(&String::deserialize(d)?).map_err(D::Error::custom)
}

fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) if !s.is_empty() => parse_time(&s).map(Some).map_err(D::Error::custom),
        _ => Ok(None),
    }
}

fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    // Some SDKs report expires_in as a string; accept both.
    match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().ok_or_else(|| D::Error::custom("expires_in is not a whole number")),
        Value::String(s) => s.trim().parse().map_err(|_| D::Error::custom("expires_in is not a whole number")),
        _ => Err(D::Error::custom("expires_in is not a number")),
    }
}

/// bKash's `transactionStatus`. Values bKash has not documented are kept as
/// they came, never guessed into one of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransactionStatus {
    Initiated,
    Completed,
    Authorized,
    Cancelled,
    Other(String),
}

impl TransactionStatus {
    /// bKash's own spelling, for the checkout page and the journal's details.
    pub fn as_bkash(&self) -> &str {
        match self {
            TransactionStatus::Initiated => "Initiated",
            TransactionStatus::Completed => "Completed",
            TransactionStatus::Authorized => "Authorized",
            TransactionStatus::Cancelled => "Cancelled",
            TransactionStatus::Other(text) => text,
        }
    }
}

impl std::fmt::Display for TransactionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_bkash())
    }
}

impl<'de> Deserialize<'de> for TransactionStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StatusText;
        impl serde::de::Visitor<'_> for StatusText {
            type Value = TransactionStatus;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a transactionStatus string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<TransactionStatus, E> {
                Ok(match text {
                    "Initiated" => TransactionStatus::Initiated,
                    "Completed" => TransactionStatus::Completed,
                    "Authorized" => TransactionStatus::Authorized,
                    "Cancelled" => TransactionStatus::Cancelled,
                    other => TransactionStatus::Other(other.chars().take(64).collect()),
                })
            }
        }
        d.deserialize_str(StatusText)
    }
}

/// Tokenized Query's `verificationStatus`: whether the customer has entered
/// wallet, OTP and PIN on bKash's page (API.md §3). Only `Complete` lets the
/// counter send Execute for a payment the customer makes on their phone; a
/// word bKash has not documented means "not yet".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationStatus {
    Incomplete,
    Complete,
    Undocumented,
}

impl<'de> Deserialize<'de> for VerificationStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match String::deserialize(d)?.as_str() {
            "Incomplete" => VerificationStatus::Incomplete,
            "Complete" => VerificationStatus::Complete,
            _ => VerificationStatus::Undocumented,
        })
    }
}

#[derive(Deserialize)]
pub struct TokenResponse {
    pub id_token: String,
    #[serde(deserialize_with = "seconds")]
    pub expires_in: i64,
    pub refresh_token: String,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse").field("expires_in", &self.expires_in).finish_non_exhaustive()
    }
}

/// Create's answer, of either product (Tokenized names the time
/// `paymentCreateTime` and adds `bkashURL`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedPayment {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    #[serde(deserialize_with = "time", alias = "paymentCreateTime")]
    pub create_time: DateTime<FixedOffset>,
    pub transaction_status: TransactionStatus,
    pub amount: Amount,
    pub currency: String,
    pub intent: String,
    pub merchant_invoice_number: String,
    #[serde(default)]
    pub org_name: Option<String>,
    /// Tokenized: bKash's own page where the customer pays.
    #[serde(rename = "bkashURL", default)]
    pub bkash_url: Option<String>,
}

/// The answer of Execute, Query, Capture and Void, of either product
/// (Tokenized's Query names the invoice `merchantInvoice` and the times
/// `paymentCreateTime` / `paymentExecuteTime`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResult {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    #[serde(rename = "trxID", default)]
    pub trx_id: Option<String>,
    pub transaction_status: TransactionStatus,
    pub amount: Amount,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, alias = "merchantInvoice")]
    pub merchant_invoice_number: Option<String>,
    #[serde(default, deserialize_with = "opt_time", alias = "paymentCreateTime")]
    pub create_time: Option<DateTime<FixedOffset>>,
    #[serde(default, deserialize_with = "opt_time", alias = "paymentExecuteTime")]
    pub update_time: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub customer_msisdn: Option<String>,
    /// Tokenized Query only.
    #[serde(default)]
    pub verification_status: Option<VerificationStatus>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    #[serde(rename = "trxID")]
    pub trx_id: String,
    pub transaction_status: TransactionStatus,
    pub amount: Amount,
    #[serde(default)]
    pub customer_msisdn: Option<String>,
    #[serde(default, deserialize_with = "opt_time")]
    pub completed_time: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundResult {
    #[serde(rename = "originalTrxID")]
    pub original_trx_id: String,
    #[serde(rename = "refundTrxID")]
    pub refund_trx_id: String,
    pub transaction_status: TransactionStatus,
    pub amount: Amount,
    #[serde(default, deserialize_with = "opt_time")]
    pub completed_time: Option<DateTime<FixedOffset>>,
}
