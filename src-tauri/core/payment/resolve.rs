//! A manager settling an `Unknown` payment by hand, only with evidence: the
//! customer's trxID, checked with Search Transaction. When bKash cannot be
//! reached the claim is written down as unverified and the payment stays
//! `Unknown`, so Query still settles it; nothing is ever marked paid on a
//! person's word alone.

use super::{PaymentError, PaymentService};
use crate::bkash::{BkashError, SearchResult, TransactionStatus};
use crate::journal::{JournalError, PaymentRow, ResolutionClaim, TransitionFacts};
use crate::money::EventKind;
use crate::money::{Amount, PaymentState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// bKash confirmed the trxID: completed, with the evidence in the log.
    Verified(PaymentRow),
    /// bKash could not be asked: the claim is logged, the payment stays
    /// `Unknown` and is re-checked.
    Unverified(PaymentRow),
}

/// What Search Transaction says of a trxID claimed for a payment of
/// `amount_poisha`, with no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchVerdict {
    /// Completed, for this amount: the payment's trxID and wallet.
    Confirmed { trx_id: String, customer_msisdn: Option<String> },
    /// bKash does not know it, or it is another payment's: why, in words.
    Refused(String),
    /// bKash could not be asked: why.
    NotAsked(String),
}

pub fn search_verdict(found: Result<SearchResult, BkashError>, amount_poisha: u64) -> SearchVerdict {
    match found {
        Ok(found) if found.transaction_status == TransactionStatus::Completed && found.amount.poisha() == amount_poisha => {
            SearchVerdict::Confirmed { trx_id: found.trx_id, customer_msisdn: found.customer_msisdn }
        }
        Ok(found) => SearchVerdict::Refused(format!(
            "is {} for {} at bKash, not this payment of {}",
            found.transaction_status,
            found.amount,
            Amount::from_poisha(amount_poisha)
        )),
        Err(BkashError::Refused { code, message }) => SearchVerdict::Refused(format!("is not known to bKash ({code}: {message})")),
        Err(e) => SearchVerdict::NotAsked(e.to_string()),
    }
}

/// The customer's trxID and the manager's reason, checked for form before
/// anything is written or sent: bKash's trxIDs are letters and digits.
pub fn resolution_claim(trx_id: &str, reason: &str) -> Result<ResolutionClaim, JournalError> {
    let trx_id = trx_id.trim().to_uppercase();
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(JournalError::Invalid { field: "reason", problem: "must be 1 to 200 characters".into() });
    }
    if trx_id.is_empty() || trx_id.len() > 20 || !trx_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(JournalError::Invalid { field: "trxID", problem: "must be the letters and digits of bKash's trxID".into() });
    }
    Ok(ResolutionClaim { trx_id, reason: reason.to_string() })
}

impl PaymentService {
    pub async fn resolve_by_hand(&self, id: i64, trx_id: &str, reason: &str) -> Result<Resolution, PaymentError> {
        let row = self.get(id).await?;
        if row.state != PaymentState::Unknown {
            return Err(PaymentError::WrongState { id, state: row.state, action: "resolve by hand" });
        }
        let ResolutionClaim { trx_id, reason } = resolution_claim(trx_id, reason)?;
        let claim = format!("resolved by hand with trxID {trx_id}: {reason}");
        let found = async { self.client_for(row.product)?.search_transaction(&trx_id).await }.await;
        match search_verdict(found, row.amount_poisha) {
            SearchVerdict::Confirmed { trx_id, customer_msisdn } => {
                let facts = TransitionFacts {
                    trx_id: Some(trx_id),
                    customer_msisdn,
                    detail: Some(format!("{claim}; verified by Search Transaction")),
                    ..Default::default()
                };
                Ok(Resolution::Verified(self.commit(id, PaymentState::Completed, facts).await?))
            }
            SearchVerdict::Refused(problem) => Err(JournalError::Invalid { field: "trxID", problem }.into()),
            SearchVerdict::NotAsked(why) => {
                self.note(
                    id,
                    EventKind::ResolutionUnverified,
                    TransitionFacts {
                        detail: Some(format!("{claim}; not verified, bKash could not be asked: {why}")),
                        ..Default::default()
                    },
                )
                .await?;
                Ok(Resolution::Unverified(self.get(id).await?))
            }
        }
    }
}
