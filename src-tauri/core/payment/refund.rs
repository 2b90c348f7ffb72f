//! Refunds: written to the journal before the Refund call, sent once and
//! never retried, settled by bKash's answer; an unanswered refund is settled
//! later by Refund Status (`check_refund`), through `decide_refund`.

use super::service::facts_of;
use super::{PaymentError, PaymentService};
use crate::bkash::{BkashError, RefundResult, TransactionStatus};
use crate::journal::{JournalError, JournalRead, PaymentElsewhere, RefundFacts, RefundRow, StoreRefundRow};
use crate::money::{Amount, PaymentState, RefundState};

fn said(detail: &str) -> RefundFacts {
    RefundFacts { detail: Some(detail.into()), ..Default::default() }
}

/// What the Refund call's answer makes of a refund: only bKash's own
/// refusal says no money moved; no answer leaves it to Refund Status.
fn refund_verdict(answer: Result<RefundResult, BkashError>) -> (RefundState, RefundFacts) {
    match answer {
        Ok(done) if done.transaction_status == TransactionStatus::Completed => {
            (RefundState::Completed, RefundFacts { refund_trx_id: Some(done.refund_trx_id), ..said("refund: bKash completed it") })
        }
        Ok(other) => (RefundState::Unknown, said(&format!("refund answered {}", other.transaction_status))),
        Err(e) if e.outcome_unknown() => (RefundState::Unknown, facts_of(&e, "refund").into()),
        Err(e) => (RefundState::Failed, facts_of(&e, "refund").into()),
    }
}

/// What Refund Status tells about one unsettled refund, with no I/O.
/// `recorded` are the refund trxIDs this payment's other refunds already
/// have. `None`: not enough to say; ask again later.
///
/// Refund Status names one refund of the transaction, not necessarily the
/// one asked about, and no field ties its answer to our request. So an
/// answer naming a refund already recorded for another of our refunds says
/// nothing about this one: bKash may have made it after that one and be
/// answering stale (a ৳10 refund was once marked failed because Refund
/// Status still named the earlier ৳5). Only bKash's "no refund exists"
/// (2033) may fail a refund here; the client has already refused an
/// answer about another transaction.
pub fn decide_refund(
    amount_poisha: u64,
    recorded: &[String],
    answer: &Result<RefundResult, BkashError>,
) -> Option<(RefundState, RefundFacts)> {
    match answer {
        Ok(latest) if recorded.contains(&latest.refund_trx_id) => None,
        Ok(latest) if latest.transaction_status == TransactionStatus::Completed && latest.amount.poisha() == amount_poisha => Some((
            RefundState::Completed,
            RefundFacts { refund_trx_id: Some(latest.refund_trx_id.clone()), ..said("refund status: bKash completed this refund") },
        )),
        Ok(_) => None,
        // bKash knows no refund of this transaction: this one never happened.
        Err(BkashError::Refused { code, .. }) if code == "2033" => {
            Some((RefundState::Failed, RefundFacts { bkash_code: Some(code.clone()), ..said("refund status: no refund exists") }))
        }
        Err(_) => None,
    }
}

/// A refund's claim on what is left of a payment, asked of the store before
/// the Refund call is sent (see `store::refunds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundClaim {
    /// This counter's refund (`refunds.id`) of its own payment.
    Own { payment: i64, payment_amount_poisha: u64, refund: i64, amount_poisha: u64 },
    /// This counter's refund (`store_refunds.id`) of another counter's payment.
    Elsewhere { of: PaymentElsewhere, refund: i64, amount_poisha: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimRefused {
    #[error("the store has {left} poisha left to refund on this payment")]
    TooLarge { left: u64 },
    #[error("the store's database cannot be reached ({0}); only this counter's own payments can be refunded now")]
    StoreUnreachable(String),
    /// The store will not take this counter (its id is another PC's, say):
    /// nothing of it may be recorded there.
    #[error("the store refused this counter ({0})")]
    StoreRefused(String),
}

/// Serialises refunds across the counters of a store. Blocking: called on
/// a blocking thread after the refund is journaled, before bKash is called.
pub trait RefundGate: Send + Sync {
    fn claim(&self, claim: &RefundClaim) -> Result<(), ClaimRefused>;

    /// The refund trxIDs the store holds for a payment's refunds, made at
    /// any counter: `origin` is the counter that took the payment (`None`:
    /// this one). Refund Status naming one of them says nothing about the
    /// refund being checked.
    fn recorded_refunds(&self, origin: Option<&str>, payment: i64) -> Result<Vec<String>, ClaimRefused>;
}

impl ClaimRefused {
    /// The refusal as the refund's error: what is left, or why the store was not asked.
    fn into_error(self, payment: i64, asked: u64) -> PaymentError {
        match self {
            ClaimRefused::TooLarge { left } => JournalError::RefundTooLarge { payment, asked, left }.into(),
            ClaimRefused::StoreUnreachable(why) => PaymentError::StoreUnreachable(why),
            ClaimRefused::StoreRefused(why) => PaymentError::StoreRefused(why),
        }
    }
}

fn refusal_facts(refused: &ClaimRefused) -> RefundFacts {
    said(&format!("refund not sent: {refused}"))
}

impl PaymentService {
    /// Asks the store's gate, if any, on a blocking thread.
    async fn claim(&self, claim: RefundClaim) -> Result<(), ClaimRefused> {
        let Some(gate) = self.refund_gate.clone() else { return Ok(()) };
        tokio::task::spawn_blocking(move || gate.claim(&claim))
            .await
            .unwrap_or_else(|e| Err(ClaimRefused::StoreUnreachable(format!("the claim stopped: {e}"))))
    }

    /// Refunds `amount_poisha` of a completed payment another counter of
    /// the store took: journaled here, claimed in the store, then sent once.
    pub async fn refund_elsewhere(
        &self,
        of: PaymentElsewhere,
        amount_poisha: u64,
        sku: &str,
        reason: &str,
    ) -> Result<StoreRefundRow, PaymentError> {
        let (sku_text, reason_text, target) = (sku.to_string(), reason.to_string(), of.clone());
        let started = self.journal(move |j, now| j.start_store_refund(&target, amount_poisha, &sku_text, &reason_text, now)).await?;
        crate::failpoint::hit("store_refund_requested");
        let refund = started.refund.id;
        if let Err(refused) = self.claim(RefundClaim::Elsewhere { of: of.clone(), refund, amount_poisha }).await {
            let facts = refusal_facts(&refused);
            self.journal(move |j, now| j.settle_store_refund(refund, RefundState::Failed, &facts, now)).await?;
            return Err(refused.into_error(of.id, amount_poisha));
        }
        let answer = async {
            self.client_for(of.product)?.refund(&of.payment_id, &of.trx_id, Amount::from_poisha(amount_poisha), sku, reason).await
        }
        .await;
        crate::failpoint::hit("store_refund_sent");
        let (to, facts) = refund_verdict(answer);
        let row = self.journal(move |j, now| j.settle_store_refund(refund, to, &facts, now)).await?;
        tracing::info!(counter = %of.counter, payment = of.id, refund = row.refund.id, state = %row.refund.state, "refund of another counter's payment settled");
        Ok(row)
    }

    /// Refunds `amount_poisha` of a completed payment, once. Refused here,
    /// before anything is sent, when it exceeds what is left to refund.
    pub async fn refund(&self, id: i64, amount_poisha: u64, sku: &str, reason: &str) -> Result<RefundRow, PaymentError> {
        let payment = self.get(id).await?;
        let (Some(payment_id), Some(trx_id), PaymentState::Completed) = (payment.payment_id.clone(), payment.trx_id.clone(), payment.state)
        else {
            return Err(PaymentError::WrongState { id, state: payment.state, action: "refund" });
        };
        let (sku_text, reason_text) = (sku.to_string(), reason.to_string());
        let refund = self.journal(move |j, now| j.start_refund(id, amount_poisha, &sku_text, &reason_text, now)).await?;
        crate::failpoint::hit("refund_requested");
        let claim = RefundClaim::Own { payment: id, payment_amount_poisha: payment.amount_poisha, refund: refund.id, amount_poisha };
        if let Err(refused) = self.claim(claim).await {
            let facts = refusal_facts(&refused);
            self.journal(move |j, now| j.settle_refund(refund.id, RefundState::Failed, &facts, now)).await?;
            return Err(refused.into_error(id, amount_poisha));
        }
        let answer =
            async { self.client_for(payment.product)?.refund(&payment_id, &trx_id, Amount::from_poisha(amount_poisha), sku, reason).await }
                .await;
        let (to, facts) = refund_verdict(answer);
        let row = self.journal(move |j, now| j.settle_refund(refund.id, to, &facts, now)).await?;
        tracing::info!(payment = id, refund = row.id, state = %row.state, "refund settled");
        Ok(row)
    }

    pub async fn refunds_unsettled(&self) -> Result<Vec<RefundRow>, PaymentError> {
        self.journal(|j, _| j.refunds_unsettled()).await
    }

    pub async fn store_refunds_unsettled(&self) -> Result<Vec<StoreRefundRow>, PaymentError> {
        self.journal(|j, _| j.store_refunds_unsettled()).await
    }

    /// What the store holds of a payment's refunds, on a blocking thread;
    /// `None` when there is no store or it cannot be read.
    async fn store_recorded(&self, origin: Option<String>, payment: i64) -> Option<Vec<String>> {
        let gate = self.refund_gate.clone()?;
        let asked = tokio::task::spawn_blocking(move || gate.recorded_refunds(origin.as_deref(), payment)).await;
        match asked {
            Ok(Ok(recorded)) => Some(recorded),
            Ok(Err(e)) => {
                tracing::warn!(payment, error = %e, "the store's refunds of this payment cannot be read");
                None
            }
            Err(_) => None,
        }
    }

    /// Asks Refund Status about a refund of another counter's payment whose
    /// outcome is not known (a stopped app, or no answer). Its payment's
    /// other refunds are the store's to list: without the store, only
    /// bKash's "no refund exists" may settle it.
    pub async fn check_store_refund(&self, refund_id: i64) -> Result<StoreRefundRow, PaymentError> {
        let asked = self
            .journal(move |j, _| j.store_refunds_unsettled())
            .await?
            .into_iter()
            .find(|r| r.refund.id == refund_id)
            .ok_or(JournalError::NotFound(refund_id))?;
        let answer = async { self.client_for(asked.product)?.refund_status(&asked.payment_id, &asked.trx_id).await }.await;
        let recorded = self.store_recorded(Some(asked.origin_counter.clone()), asked.refund.payment).await;
        let verdict = match (decide_refund(asked.refund.amount_poisha, recorded.as_deref().unwrap_or_default(), &answer), &recorded) {
            (Some((RefundState::Completed, _)), None) => None,
            (verdict, _) => verdict,
        };
        let (to, facts) = match verdict {
            Some(verdict) => verdict,
            None => {
                let mut detail = no_verdict(&answer);
                if recorded.is_none() {
                    detail.push_str("; the store's list of this payment's refunds could not be read");
                }
                if asked.refund.state == RefundState::Requested {
                    (RefundState::Unknown, said(&detail))
                } else {
                    return self.journal(move |j, now| j.note_store_refund(refund_id, &detail, now)).await;
                }
            }
        };
        let row = self.journal(move |j, now| j.settle_store_refund(refund_id, to, &facts, now)).await?;
        tracing::info!(refund = refund_id, state = %row.refund.state, "refund of another counter's payment checked with Refund Status");
        Ok(row)
    }

    /// Asks Refund Status about a refund whose outcome is not known.
    pub async fn check_refund(&self, refund_id: i64, payment: i64) -> Result<RefundRow, PaymentError> {
        let row = self.get(payment).await?;
        let refunds = self.journal(move |j, _| j.refunds_of(payment)).await?;
        let refund = refunds.iter().find(|r| r.id == refund_id).cloned().ok_or(JournalError::NotFound(refund_id))?;
        if refund.state.is_final() {
            return Ok(refund);
        }
        let (Some(payment_id), Some(trx_id)) = (row.payment_id.as_deref(), row.trx_id.as_deref()) else { return Ok(refund) };
        let answer = async { self.client_for(row.product)?.refund_status(payment_id, trx_id).await }.await;
        let mut recorded: Vec<String> = refunds.iter().filter(|r| r.id != refund_id).filter_map(|r| r.refund_trx_id.clone()).collect();
        // Other counters of a store may have refunded this payment too.
        recorded.extend(self.store_recorded(None, payment).await.unwrap_or_default());
        let (to, facts) = match decide_refund(refund.amount_poisha, &recorded, &answer) {
            Some(verdict) => verdict,
            None => {
                let detail = no_verdict(&answer);
                if refund.state == RefundState::Requested {
                    (RefundState::Unknown, said(&detail))
                } else {
                    self.journal(move |j, now| j.note_refund(refund_id, &detail, now)).await?;
                    return Ok(refund);
                }
            }
        };
        self.journal(move |j, now| j.settle_refund(refund_id, to, &facts, now)).await
    }
}

/// Why a Refund Status answer settled nothing, for the journal.
fn no_verdict(answer: &Result<RefundResult, BkashError>) -> String {
    match answer {
        Ok(latest) => format!(
            "refund status gave no verdict: it names refund {} of {} ({}), which may not be this one",
            latest.refund_trx_id, latest.amount, latest.transaction_status
        ),
        Err(e) => format!("refund status gave no verdict: {e}"),
    }
}
