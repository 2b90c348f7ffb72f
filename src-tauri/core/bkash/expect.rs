//! What the client checks on its own side of a call: the IDs and invoice it
//! sends, and that an answer is about the payment or refund it asked about.
//! An answer about anything else is not evidence (`answer.rs` decides
//! whether an answer is definitive at all; this decides what it is about).

use super::answer::short;
use super::wire::{CreatedPayment, PaymentResult, RefundResult, TransactionStatus};
use super::BkashError;
use crate::money::{invoice_problem, Amount};

pub(super) fn check_invoice(invoice: &str) -> Result<(), BkashError> {
    match invoice_problem(invoice) {
        Some(problem) => Err(BkashError::Invalid { field: "merchantInvoiceNumber", problem: problem.into() }),
        None => Ok(()),
    }
}

/// An ID we put into a URL path: bKash's are letters and digits only.
pub(super) fn check_id(field: &'static str, id: &str) -> Result<(), BkashError> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(BkashError::Invalid { field, problem: format!("`{}` is not a bKash ID", id.chars().take(64).collect::<String>()) });
    }
    Ok(())
}

/// A refund answer speaks of this payment's transaction, and a completed
/// refund names its own refund trxID; anything else proves nothing about
/// the refund asked about (a Refund Status about another refund of the
/// shop once marked this one refunded).
pub(super) fn about_this_transaction(answer: RefundResult, trx_id: &str) -> Result<RefundResult, BkashError> {
    if answer.original_trx_id != trx_id {
        return Err(mismatch("originalTrxID", trx_id, &answer.original_trx_id));
    }
    if answer.transaction_status == TransactionStatus::Completed && check_id("refundTrxID", &answer.refund_trx_id).is_err() {
        return Err(BkashError::unknown("bKash said the refund completed without a valid refundTrxID"));
    }
    Ok(answer)
}

pub(super) fn mismatch(field: &'static str, expected: &str, answered: &str) -> BkashError {
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
    pub(super) fn checked_id(&self) -> Result<&str, BkashError> {
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
