//! What the screens are told about a payment: the journal row in the words a
//! cashier needs, with the wallet masked and bKash's reason in plain words.

use serde::Serialize;

use super::PaymentState;
use crate::bkash::{codes, Cause};
use crate::journal::PaymentRow;

/// bKash takes at least 1 BDT.
pub const MIN_SALE_POISHA: u64 = crate::bkash::MIN_AMOUNT_POISHA;
/// A counter sale above 10 lakh taka is almost certainly a typo.
pub const MAX_SALE_POISHA: u64 = 1_000_000 * 100;

/// Why a sale cannot be paid, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaleProblem {
    #[error("The amount must be at least ৳1.00 (bKash's minimum).")]
    TooSmall,
    #[error("The amount must be at most ৳10,00,000.00 for one counter sale.")]
    TooLarge,
    #[error("The order number must be 1–64 letters, digits or dashes.")]
    BadOrder,
}

/// Checks a sale as the UI sends it. The UI checks too; this is the rule.
pub fn check_sale(order_id: &str, amount_poisha: u64) -> Result<(), SaleProblem> {
    if order_id.is_empty() || order_id.len() > 64 || !order_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(SaleProblem::BadOrder);
    }
    if amount_poisha < MIN_SALE_POISHA {
        return Err(SaleProblem::TooSmall);
    }
    if amount_poisha > MAX_SALE_POISHA {
        return Err(SaleProblem::TooLarge);
    }
    Ok(())
}

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

/// bKash's answer, said the way a cashier would say it to a customer.
pub fn plain_reason(code: &str) -> String {
    let plain = match code {
        "2023" => "The customer's bKash balance is too low for this amount.",
        "2014" | "2011" => "The customer entered a wrong PIN.",
        "2015" => "Too many wrong PINs: the customer's wallet is locked for now.",
        "2010" | "2016" | "2017" => "The verification code (OTP) was wrong.",
        "2018" | "2019" => "The customer took too long to confirm.",
        "2009" => "That is not a valid bKash wallet number.",
        "2029" => "The same amount was paid from this wallet moments ago. Check the last sale before trying again.",
        "2056" => "bKash says this payment can no longer be completed.",
        "2065" | "2070" | "2071" => "bKash has blocked this wallet from paying.",
        "503" => "bKash is under maintenance. Try again in a few minutes.",
        _ => "",
    };
    let published = codes::message(code).unwrap_or("bKash refused the payment");
    if plain.is_empty() {
        format!("{published} (bKash {code})")
    } else {
        format!("{plain} (bKash {code}: {published})")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentView {
    pub id: i64,
    pub order_id: String,
    pub invoice: String,
    pub state: &'static str,
    pub amount_poisha: u64,
    #[serde(rename = "paymentID")]
    pub payment_id: Option<String>,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    pub masked_wallet: Option<String>,
    /// Why it failed or what is being waited for, in plain words (English).
    pub reason: Option<String>,
    /// What `reason` says, as a stable code the UI words in its own
    /// language: a bKash error code ("2023"), a `Cause` ("bkash_unreachable",
    /// "answer_mismatch", "token_budget" …), or "checking", "not_charged",
    /// "cancelled", "refused".
    pub reason_code: Option<String>,
    pub counter_id: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub settled_at: Option<String>,
}

/// Why a payment ended or waits without bKash's own word, in plain words.
pub fn cause_text(cause: Cause) -> &'static str {
    match cause {
        Cause::Unreachable => "bKash could not be reached, so nothing was sent and the customer was not charged. Check the internet connection.",
        Cause::NoAnswer => "bKash did not give a clear answer, so the app is asking bKash what happened. Do not take the money again until this clears.",
        Cause::Mismatch => "bKash's answer did not match this payment (another payment, amount or invoice). It proves nothing, so the app keeps asking bKash. Do not take the money again until this clears.",
        Cause::GatewayRefused => "bKash's gateway refused the request before it reached payments; the customer was not charged.",
        Cause::TokenRejected => "bKash refused the app's sign-in: check the bKash credentials and the environment in Settings. Nothing was sent; the customer was not charged.",
        Cause::TokenBudget => "bKash payments are paused to stay within bKash's limit of sign-ins per hour. Nothing was sent to bKash; the customer was not charged.",
        Cause::TokenCoolingDown => "bKash did not answer the app's sign-in, so it waits a few minutes before trying again. Nothing was sent; the customer was not charged.",
        Cause::Invalid => "The app refused to send this request (see the details); the customer was not charged.",
    }
}

impl From<&PaymentRow> for PaymentView {
    fn from(row: &PaymentRow) -> Self {
        // bKash's own code says most; our cause says why there is none. An
        // unanswered or mismatched create still proves nothing moved (execute
        // was never sent), so those read as plain "not charged".
        let cause = match row.state {
            PaymentState::NotCharged => row.cause.filter(|c| !matches!(c, Cause::NoAnswer | Cause::Mismatch)),
            _ => row.cause,
        };
        let reason_code = match row.state {
            PaymentState::Failed => {
                Some(row.bkash_code.clone().or(cause.map(|c| c.as_str().to_string())).unwrap_or_else(|| "refused".into()))
            }
            PaymentState::Unknown if cause == Some(Cause::Mismatch) => Some(Cause::Mismatch.as_str().into()),
            PaymentState::Unknown => Some("checking".into()),
            PaymentState::NotCharged => Some(cause.map(|c| c.as_str().to_string()).unwrap_or_else(|| "not_charged".into())),
            PaymentState::Cancelled => Some("cancelled".into()),
            _ => None,
        };
        let reason = match row.state {
            PaymentState::Failed => Some(match (&row.bkash_code, cause) {
                (Some(code), _) => plain_reason(code),
                (None, Some(cause)) => cause_text(cause).into(),
                (None, None) => "bKash refused the payment.".into(),
            }),
            PaymentState::Unknown => {
                Some(cause_text(if cause == Some(Cause::Mismatch) { Cause::Mismatch } else { Cause::NoAnswer }).into())
            }
            PaymentState::NotCharged => {
                Some(cause.map(cause_text).unwrap_or("The payment did not go through; the customer was not charged.").into())
            }
            PaymentState::Cancelled => Some("Cancelled before the customer paid; nothing was charged.".into()),
            _ => None,
        };
        Self {
            id: row.id,
            order_id: row.order_id.clone(),
            invoice: row.invoice.clone(),
            state: row.state.as_str(),
            amount_poisha: row.amount_poisha,
            payment_id: row.payment_id.clone(),
            trx_id: row.trx_id.clone(),
            masked_wallet: row.customer_msisdn.as_deref().map(mask_wallet),
            reason,
            reason_code,
            counter_id: row.counter_id.clone(),
            created_at: row.created_at.to_rfc3339(),
            settled_at: row.settled_at.map(|t| t.to_rfc3339()),
        }
    }
}
