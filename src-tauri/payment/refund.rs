//! Refunds: written to the journal before the Refund call, sent once and
//! never retried, settled by bKash's answer; an unanswered refund is settled
//! later by Refund Status (`check_refund`), through `decide_refund`.

use super::{PaymentError, PaymentService, PaymentState};
use crate::bkash::{Amount, BkashError, RefundResult, TransactionStatus};
use crate::journal::{RefundFacts, RefundRow};

fn refused_facts(error: &BkashError, call: &str) -> RefundFacts {
    let message = match error {
        BkashError::Refused { message, .. } | BkashError::AlreadyDone { message, .. } => Some(message.clone()),
        _ => None,
    };
    RefundFacts {
        bkash_code: error.code().map(str::to_string),
        bkash_message: message,
        detail: Some(format!("{call}: {error}")),
        ..Default::default()
    }
}

/// What Refund Status tells about one unsettled refund, with no I/O.
/// `recorded` are the refund trxIDs this payment's other refunds already
/// have. `None`: not enough to say; ask again later.
pub fn decide_refund(
    refund: &RefundRow,
    recorded: &[String],
    answer: &Result<RefundResult, BkashError>,
) -> Option<(&'static str, RefundFacts)> {
    match answer {
        Ok(latest) if recorded.contains(&latest.refund_trx_id) => Some((
            "failed",
            RefundFacts {
                detail: Some("refund status: bKash's latest refund is an earlier one, so this one did not happen".into()),
                ..Default::default()
            },
        )),
        Ok(latest) if latest.transaction_status == TransactionStatus::Completed && latest.amount.poisha() == refund.amount_poisha => {
            Some((
                "completed",
                RefundFacts {
                    refund_trx_id: Some(latest.refund_trx_id.clone()),
                    detail: Some("refund status: bKash completed this refund".into()),
                    ..Default::default()
                },
            ))
        }
        Ok(_) => None,
        // bKash knows no refund of this transaction: this one never happened.
        Err(BkashError::Refused { code, .. }) if code == "2033" => Some((
            "failed",
            RefundFacts { bkash_code: Some(code.clone()), detail: Some("refund status: no refund exists".into()), ..Default::default() },
        )),
        Err(_) => None,
    }
}

impl PaymentService {
    /// Refunds `amount_poisha` of a completed payment, once. Refused here,
    /// before anything is sent, when it exceeds what is left to refund.
    pub async fn refund(&self, id: i64, amount_poisha: u64, sku: &str, reason: &str) -> Result<RefundRow, PaymentError> {
        let payment = self.get(id)?;
        let (Some(payment_id), Some(trx_id), PaymentState::Completed) = (payment.payment_id.clone(), payment.trx_id.clone(), payment.state)
        else {
            return Err(PaymentError::WrongState { id, state: payment.state, action: "refund" });
        };
        let refund = self.journal().start_refund(id, amount_poisha, sku, reason, self.clock.now())?;
        crate::failpoint::hit("refund_requested");
        let answer = self.bkash.refund(&payment_id, &trx_id, Amount::from_poisha(amount_poisha), sku, reason).await;
        let (to, facts) = match answer {
            Ok(done) if done.transaction_status == TransactionStatus::Completed => (
                "completed",
                RefundFacts {
                    refund_trx_id: Some(done.refund_trx_id),
                    detail: Some("refund: bKash completed it".into()),
                    ..Default::default()
                },
            ),
            Ok(other) => {
                ("unknown", RefundFacts { detail: Some(format!("refund answered {:?}", other.transaction_status)), ..Default::default() })
            }
            Err(e) if e.outcome_unknown() => ("unknown", refused_facts(&e, "refund")),
            Err(e) => ("failed", refused_facts(&e, "refund")),
        };
        let row = self.journal().settle_refund(refund.id, to, &facts, self.clock.now())?;
        tracing::info!(payment = id, refund = row.id, state = %row.state, "refund settled");
        Ok(row)
    }

    pub fn refunds_unsettled(&self) -> Result<Vec<RefundRow>, PaymentError> {
        Ok(self.journal().refunds_unsettled()?)
    }

    /// Asks Refund Status about a refund whose outcome is not known.
    pub async fn check_refund(&self, refund_id: i64, payment: i64) -> Result<RefundRow, PaymentError> {
        let row = self.get(payment)?;
        let refunds = self.journal().refunds_of(payment)?;
        let refund = refunds.iter().find(|r| r.id == refund_id).cloned().ok_or(crate::journal::JournalError::NotFound(refund_id))?;
        if !matches!(refund.state.as_str(), "requested" | "unknown") {
            return Ok(refund);
        }
        let (Some(payment_id), Some(trx_id)) = (row.payment_id.as_deref(), row.trx_id.as_deref()) else { return Ok(refund) };
        let answer = self.bkash.refund_status(payment_id, trx_id).await;
        let recorded: Vec<String> = refunds.iter().filter(|r| r.id != refund_id).filter_map(|r| r.refund_trx_id.clone()).collect();
        match decide_refund(&refund, &recorded, &answer) {
            Some((to, facts)) => Ok(self.journal().settle_refund(refund_id, to, &facts, self.clock.now())?),
            None if refund.state == "requested" => Ok(self.journal().settle_refund(
                refund_id,
                "unknown",
                &RefundFacts { detail: Some("refund status gave no verdict yet".into()), ..Default::default() },
                self.clock.now(),
            )?),
            None => Ok(refund),
        }
    }
}
