//! A manager settling an `Unknown` payment by hand, only with evidence: the
//! customer's trxID, checked with Search Transaction. When bKash cannot be
//! reached the claim is written down as unverified and the payment stays
//! `Unknown`, so Query still settles it; nothing is ever marked paid on a
//! person's word alone.

use super::{PaymentError, PaymentService};
use crate::bkash::{BkashError, TransactionStatus};
use crate::journal::{JournalError, PaymentRow, TransitionFacts};
use crate::money::{Amount, PaymentState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// bKash confirmed the trxID: completed, with the evidence in the log.
    Verified(PaymentRow),
    /// bKash could not be asked: the claim is logged, the payment stays
    /// `Unknown` and is re-checked.
    Unverified(PaymentRow),
}

impl PaymentService {
    pub async fn resolve_by_hand(&self, id: i64, trx_id: &str, reason: &str) -> Result<Resolution, PaymentError> {
        let row = self.get(id).await?;
        if row.state != PaymentState::Unknown {
            return Err(PaymentError::WrongState { id, state: row.state, action: "resolve by hand" });
        }
        let trx_id = trx_id.trim().to_uppercase();
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(JournalError::Invalid { field: "reason", problem: "must be 1 to 200 characters".into() }.into());
        }
        if trx_id.is_empty() || trx_id.len() > 20 || !trx_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(JournalError::Invalid { field: "trxID", problem: "must be the letters and digits of bKash's trxID".into() }.into());
        }
        let claim = format!("resolved by hand with trxID {trx_id}: {reason}");
        let found = async { self.client_for(row.product)?.search_transaction(&trx_id).await }.await;
        match found {
            Ok(found) if found.transaction_status == TransactionStatus::Completed && found.amount.poisha() == row.amount_poisha => {
                let facts = TransitionFacts {
                    trx_id: Some(found.trx_id),
                    customer_msisdn: found.customer_msisdn,
                    detail: Some(format!("{claim}; verified by Search Transaction")),
                    ..Default::default()
                };
                Ok(Resolution::Verified(self.commit(id, PaymentState::Completed, facts).await?))
            }
            Ok(found) => Err(JournalError::Invalid {
                field: "trxID",
                problem: format!(
                    "is {} for {} at bKash, not this payment of {}",
                    found.transaction_status,
                    found.amount,
                    Amount::from_poisha(row.amount_poisha)
                ),
            }
            .into()),
            Err(BkashError::Refused { code, message }) => {
                Err(JournalError::Invalid { field: "trxID", problem: format!("is not known to bKash ({code}: {message})") }.into())
            }
            Err(e) => {
                self.note(
                    id,
                    "resolution_unverified",
                    TransitionFacts { detail: Some(format!("{claim}; not verified, bKash could not be asked: {e}")), ..Default::default() },
                )
                .await?;
                Ok(Resolution::Unverified(self.get(id).await?))
            }
        }
    }
}
