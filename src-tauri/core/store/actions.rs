//! `StoreActions`: a manager refunds, checks or resolves any payment of the
//! store, from any counter (refunds: `store::refunds` holds their claims).
//!
//! At the counter where the manager acts, the action is journaled (`asking`)
//! before bKash is asked (Query Payment for *Check now*, Search Transaction
//! for *Resolve by hand*) and bKash's answer is kept on it. It reaches the
//! store through the outbox. It never changes the payment itself: the
//! counter that took the payment is the only writer of its journal, so it
//! finds the action in the store (its sync reads them, [`pending_for`]),
//! asks bKash itself and writes a receipt ([`StoreActions::carry_out`]). A
//! payment is therefore settled only by bKash's own answer to the counter
//! that holds it, never on a copy in PostgreSQL, which every counter's role
//! may write.
//!
//! The store is needed to act on another counter's payment (its copy says
//! what to ask about); without it only this counter's own payments can be
//! acted on, as always.

use std::sync::Arc;

use super::day::StoreReader;
use super::{StoreConfig, StoreError, SyncNudge};
use crate::bkash::ExpectedPayment;
use crate::journal::{ActionTarget, JournalError, PaymentElsewhere, PaymentRow, ResolutionClaim, StoreActionRow, TransitionFacts};
use crate::money::{ActionOutcome, Amount, PaymentState, StoreActionKind};
use crate::payment::{resolution_claim, search_verdict, PaymentError, PaymentService, Resolution, SearchVerdict};
use crate::reconcile::{decide, Decision, Evidence, Reconciler};
use crate::report::RefundView;

/// An action of another counter on one of this counter's payments, as the
/// store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRequest {
    pub acting_counter: String,
    pub action_id: i64,
    pub kind: StoreActionKind,
    /// The payment's id in this counter's journal.
    pub payment: i64,
    pub claim: Option<ResolutionClaim>,
}

/// How far back a counter's sync looks for actions on its payments.
pub const ACTIONS_KEPT_DAYS: i32 = 30;

/// Actions on `c.counter_id`'s payments that it has not carried out yet
/// (no receipt in the store), oldest first. A refused resolution is not
/// among them: bKash already said the trxID is not this payment's. Only
/// the last [`ACTIONS_KEPT_DAYS`] days are looked at (this runs after every
/// push): a counter away from its store for longer settles its payments by
/// its own recovery, which never stops querying.
pub fn pending_for(pg: &mut postgres::Client, c: &StoreConfig, limit: i64) -> Result<Vec<ActionRequest>, StoreError> {
    let rows = pg.query(
        "SELECT a.counter_id, a.local_id, a.kind, a.origin_payment, a.body->>'claimed_trx_id', a.body->>'reason'
         FROM store_actions a
         WHERE a.merchant = $1 AND a.store_id = $2 AND a.origin_counter = $3 AND a.outcome <> $4
           AND a.updated_at > now() - make_interval(days => $6)
           AND NOT EXISTS (SELECT 1 FROM store_action_receipts r
                           WHERE (r.merchant, r.store_id, r.acting_counter, r.action_id) = (a.merchant, a.store_id, a.counter_id, a.local_id))
         ORDER BY a.updated_at, a.counter_id, a.local_id LIMIT $5",
        &[&c.merchant, &c.store_id, &c.counter_id, &ActionOutcome::Refused.as_str(), &limit, &ACTIONS_KEPT_DAYS],
    )?;
    rows.iter()
        .map(|r| {
            let kind: String = r.get(2);
            let claim = match (r.get::<_, Option<String>>(4), r.get::<_, Option<String>>(5)) {
                (Some(trx_id), Some(reason)) => Some(ResolutionClaim { trx_id, reason }),
                _ => None,
            };
            Ok(ActionRequest {
                acting_counter: r.get(0),
                action_id: r.get(1),
                kind: kind.parse().map_err(|e| StoreError::Database(format!("a stored action cannot be read: {e}")))?,
                payment: r.get(3),
                claim,
            })
        })
        .collect()
}

/// Runs a read of the store off the runtime's threads (PostgreSQL's client
/// blocks). A payment the store does not hold is `NotFound(id)`; any other
/// failure means the store cannot be asked.
async fn off_runtime<T: Send + 'static>(read: impl FnOnce() -> Result<T, StoreError> + Send + 'static, id: i64) -> Result<T, PaymentError> {
    tokio::task::spawn_blocking(read).await.map_err(|e| PaymentError::Interrupted(e.to_string()))?.map_err(|e| match e {
        StoreError::NotFound(_) => PaymentError::Journal(JournalError::NotFound(id)),
        other if other.refuses_this_counter() => PaymentError::StoreRefused(other.to_string()),
        other => PaymentError::StoreUnreachable(other.to_string()),
    })
}

/// Why a trxID cannot settle this payment: another payment of the store
/// has it, or holds it for a resolution by hand.
fn taken_problem((counter, id): &(String, i64)) -> String {
    format!("already belongs to payment {id} at counter {counter}")
}

fn taken(other: (String, i64)) -> PaymentError {
    JournalError::Invalid { field: "trxID", problem: taken_problem(&other) }.into()
}

/// What the manager is told after acting on a payment of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionDone {
    /// This counter's own payment, acted on directly as always.
    Own(PaymentRow),
    /// Another counter's payment: bKash's answer here; that counter records
    /// it when it hears of the action.
    Elsewhere(StoreActionRow),
}

/// What the manager is shown after *Check now* or *Resolve by hand* on a
/// payment of the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionReport {
    pub counter: String,
    pub id: i64,
    pub outcome: ActionOutcome,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    /// Another counter's payment: that counter records bKash's answer in
    /// its journal once it hears of the action through the store.
    pub elsewhere: bool,
}

impl From<&ActionDone> for ActionReport {
    fn from(done: &ActionDone) -> Self {
        match done {
            ActionDone::Own(row) => Self {
                counter: row.counter_id.clone().unwrap_or_default(),
                id: row.id,
                outcome: match row.state {
                    PaymentState::Completed => ActionOutcome::Completed,
                    PaymentState::NotCharged => ActionOutcome::NotCharged,
                    _ => ActionOutcome::NoVerdict,
                },
                trx_id: row.trx_id.clone(),
                elsewhere: false,
            },
            ActionDone::Elsewhere(action) => Self {
                counter: action.target.counter.clone(),
                id: action.target.id,
                outcome: action.outcome,
                trx_id: action.trx_id.clone(),
                elsewhere: true,
            },
        }
    }
}

pub struct StoreActions {
    service: Arc<PaymentService>,
    reconciler: Arc<Reconciler>,
    reader: Arc<StoreReader>,
    counter_id: String,
    nudge: Option<Arc<SyncNudge>>,
}

impl StoreActions {
    pub fn new(service: Arc<PaymentService>, reconciler: Arc<Reconciler>, reader: Arc<StoreReader>, counter_id: &str) -> Self {
        Self { service, reconciler, reader, counter_id: counter_id.to_string(), nudge: None }
    }

    /// Wakes the store's sync after an action or a receipt is journaled, so
    /// the other counter hears of it at once rather than at the next tick.
    pub fn with_nudge(mut self, nudge: Arc<SyncNudge>) -> Self {
        self.nudge = Some(nudge);
        self
    }

    fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            nudge.nudge();
        }
    }

    /// Payment `id` of `counter` as the store has it.
    async fn stored_payment(&self, counter: &str, id: i64) -> Result<PaymentRow, PaymentError> {
        let (reader, origin) = (self.reader.clone(), counter.to_string());
        off_runtime(move || reader.payment(&origin, id), id).await
    }

    /// The payment as the store has it, unsettled.
    async fn unsettled_elsewhere(&self, counter: &str, id: i64, action: &'static str) -> Result<(ActionTarget, PaymentRow), PaymentError> {
        let row = self.stored_payment(counter, id).await?;
        let Some(payment_id) = row.payment_id.clone().filter(|_| row.state == PaymentState::Unknown) else {
            return Err(PaymentError::WrongState { id, state: row.state, action });
        };
        let target = ActionTarget {
            counter: counter.to_string(),
            id,
            payment_id,
            invoice: row.invoice.clone(),
            product: row.product,
            amount_poisha: row.amount_poisha,
        };
        Ok((target, row))
    }

    /// A refund of any payment of the store: this counter's own through its
    /// journal as always, another counter's as a refund made here (journaled
    /// here). Both are claimed in the store's database before bKash is called.
    pub async fn refund(&self, counter: &str, id: i64, amount_poisha: u64, sku: &str, reason: &str) -> Result<RefundView, PaymentError> {
        if counter == self.counter_id {
            return Ok(RefundView::from(&self.service.refund(id, amount_poisha, sku, reason).await?));
        }
        let row = self.stored_payment(counter, id).await?;
        let (Some(payment_id), Some(trx_id), PaymentState::Completed) = (row.payment_id, row.trx_id, row.state) else {
            return Err(PaymentError::WrongState { id, state: row.state, action: "refund" });
        };
        let of = PaymentElsewhere {
            counter: counter.to_string(),
            id,
            payment_id,
            trx_id,
            product: row.product,
            amount_poisha: row.amount_poisha,
        };
        let done = self.service.refund_elsewhere(of, amount_poisha, sku, reason).await?;
        self.nudge();
        Ok(RefundView::from(&done.refund))
    }

    /// *Check now* on any payment of the store whose outcome is unknown.
    pub async fn check(&self, counter: &str, id: i64, by_whom: &str) -> Result<ActionDone, PaymentError> {
        if counter == self.counter_id {
            return Ok(ActionDone::Own(self.reconciler.check_one(id).await?));
        }
        let (target, row) = self.unsettled_elsewhere(counter, id, "check").await?;
        let action = self.start(target.clone(), StoreActionKind::Check, None, by_whom).await?;
        let expected =
            ExpectedPayment { payment_id: target.payment_id, amount: Amount::from_poisha(target.amount_poisha), invoice: target.invoice };
        let answer = async { self.service.client_for(target.product)?.query_payment(&expected).await }.await;
        let (outcome, facts) = match decide(&row, &Evidence::Query(answer)) {
            Decision::Settle { to: PaymentState::Completed, facts } => (ActionOutcome::Completed, facts),
            Decision::Settle { to: PaymentState::NotCharged, facts } => (ActionOutcome::NotCharged, facts),
            Decision::Settle { to, facts } => {
                (ActionOutcome::NoVerdict, TransitionFacts { detail: Some(format!("query pointed to {to}; left to the counter")), ..facts })
            }
            Decision::Leave { reason, .. } => (ActionOutcome::NoVerdict, TransitionFacts { detail: Some(reason), ..Default::default() }),
        };
        Ok(ActionDone::Elsewhere(self.settle(action.id, outcome, facts).await?))
    }

    /// *Resolve by hand* on any payment of the store whose outcome is
    /// unknown: the customer's trxID must be confirmed by Search
    /// Transaction, and must not already be another payment's in the store.
    pub async fn resolve(&self, counter: &str, id: i64, trx_id: &str, reason: &str, by_whom: &str) -> Result<ActionDone, PaymentError> {
        if counter == self.counter_id {
            let (Resolution::Verified(row) | Resolution::Unverified(row)) = self.resolve_own(id, trx_id, reason).await?;
            return Ok(ActionDone::Own(row));
        }
        let claim = resolution_claim(trx_id, reason)?;
        let (target, _) = self.unsettled_elsewhere(counter, id, "resolve by hand").await?;
        let (reader, trx, origin) = (self.reader.clone(), claim.trx_id.clone(), counter.to_string());
        if let Some(other) = off_runtime(move || reader.trx_taken(&trx, &origin, id), id).await? {
            return Err(taken(other));
        }
        let action = self.start(target.clone(), StoreActionKind::Resolve, Some(claim.clone()), by_whom).await?;
        let found = async { self.service.client_for(target.product)?.search_transaction(&claim.trx_id).await }.await;
        let (outcome, facts, refused) = match search_verdict(found, target.amount_poisha) {
            // Confirmed: held for this payment in the store before the
            // counter that took it is told, so no other payment can take it.
            SearchVerdict::Confirmed { trx_id, customer_msisdn } => match self.claim_trx(&trx_id, counter, id).await {
                Ok(None) => (
                    ActionOutcome::Completed,
                    TransitionFacts {
                        trx_id: Some(trx_id),
                        customer_msisdn,
                        detail: Some("verified by Search Transaction".into()),
                        ..Default::default()
                    },
                    None,
                ),
                Ok(Some(other)) => {
                    let problem = taken_problem(&other);
                    (
                        ActionOutcome::Refused,
                        TransitionFacts { detail: Some(format!("trxID {problem}")), ..Default::default() },
                        Some(problem),
                    )
                }
                Err(e) => (
                    ActionOutcome::NoVerdict,
                    TransitionFacts {
                        detail: Some(format!("verified by Search Transaction, but the store could not hold it: {e}")),
                        ..Default::default()
                    },
                    None,
                ),
            },
            SearchVerdict::Refused(problem) => {
                (ActionOutcome::Refused, TransitionFacts { detail: Some(format!("trxID {problem}")), ..Default::default() }, Some(problem))
            }
            SearchVerdict::NotAsked(why) => (
                ActionOutcome::NoVerdict,
                TransitionFacts { detail: Some(format!("not verified, bKash could not be asked: {why}")), ..Default::default() },
                None,
            ),
        };
        let done = self.settle(action.id, outcome, facts).await?;
        match refused {
            Some(problem) => Err(JournalError::Invalid { field: "trxID", problem }.into()),
            None => Ok(ActionDone::Elsewhere(done)),
        }
    }

    /// This counter's own payment, resolved by hand. In a store the trxID
    /// is held for it first, so another counter cannot settle a payment
    /// with it too; cut off from the store, it is resolved on its journal's
    /// word, as a counter alone always has been.
    pub async fn resolve_own(&self, id: i64, trx_id: &str, reason: &str) -> Result<Resolution, PaymentError> {
        let claim = resolution_claim(trx_id, reason)?;
        let row = self.service.get(id).await?;
        if row.state != PaymentState::Unknown {
            return Err(PaymentError::WrongState { id, state: row.state, action: "resolve by hand" });
        }
        let counter = self.counter_id.clone();
        let held = match self.claim_trx(&claim.trx_id, &counter, id).await {
            Ok(None) => true,
            Ok(Some(other)) => return Err(taken(other)),
            Err(e) => {
                tracing::warn!(error = %e, "the store cannot hold this trxID; resolving this counter's own payment on its journal's word");
                false
            }
        };
        match self.service.resolve_by_hand(id, &claim.trx_id, &claim.reason).await {
            Ok(resolution) => Ok(resolution),
            Err(refused) => {
                if held {
                    self.release_trx(&claim.trx_id, &counter, id).await;
                }
                Err(refused)
            }
        }
    }

    /// Holds `trx_id` for payment `id` of `counter` in the store: None when
    /// held, or the payment that already has it.
    async fn claim_trx(&self, trx_id: &str, counter: &str, id: i64) -> Result<Option<(String, i64)>, PaymentError> {
        let (reader, trx, origin) = (self.reader.clone(), trx_id.to_string(), counter.to_string());
        off_runtime(move || reader.claim_trx(&trx, &origin, id), id).await
    }

    /// Gives the trxID back after bKash refused it for this payment (a
    /// failure only leaves it held for a payment it will never settle).
    async fn release_trx(&self, trx_id: &str, counter: &str, id: i64) {
        let (reader, trx, origin) = (self.reader.clone(), trx_id.to_string(), counter.to_string());
        if let Err(e) = off_runtime(move || reader.release_trx(&trx, &origin, id), id).await {
            tracing::warn!(error = %e, "a refused trxID could not be given back in the store");
        }
    }

    async fn start(
        &self,
        target: ActionTarget,
        kind: StoreActionKind,
        claim: Option<ResolutionClaim>,
        by_whom: &str,
    ) -> Result<StoreActionRow, PaymentError> {
        let by = by_whom.to_string();
        let action = self.service.journal(move |j, now| j.start_store_action(&target, kind, claim.as_ref(), Some(&by), now)).await?;
        crate::failpoint::hit("store_action_journaled");
        self.nudge();
        Ok(action)
    }

    async fn settle(&self, id: i64, outcome: ActionOutcome, facts: TransitionFacts) -> Result<StoreActionRow, PaymentError> {
        let done = self.service.journal(move |j, now| j.settle_store_action(id, outcome, &facts, now)).await?;
        tracing::info!(counter = %done.target.counter, payment = done.target.id, action = done.id, outcome = %done.outcome, "action on another counter's payment answered");
        self.nudge();
        Ok(done)
    }

    /// Carries out another counter's action on one of this counter's
    /// payments: asks bKash itself (Query, or Search for the claimed trxID)
    /// if the payment is still unknown here, then writes the receipt.
    /// Returns the payment's state afterwards. Once per action: a second
    /// call finds the receipt.
    pub async fn carry_out(&self, request: &ActionRequest) -> Result<PaymentState, PaymentError> {
        let (acting, action_id, id) = (request.acting_counter.clone(), request.action_id, request.payment);
        let key = acting.clone();
        if let Some(state) = self.service.journal(move |j, _| j.store_action_receipt(&key, action_id)).await? {
            return Ok(state);
        }
        let row = self.service.get(id).await?;
        if row.state == PaymentState::Unknown {
            match (&request.kind, &request.claim) {
                (StoreActionKind::Resolve, Some(claim)) => {
                    let counter = self.counter_id.clone();
                    // Only with the trxID held for this payment in the store
                    // (the acting counter took it; it may not have managed to).
                    if let Some(other) = self.claim_trx(&claim.trx_id, &counter, id).await? {
                        tracing::warn!(
                            action = action_id,
                            ?other,
                            "a resolution's trxID belongs to another payment of the store; not applied"
                        );
                    } else {
                        let reason = format!("{} (asked at counter {acting}, action {action_id})", claim.reason);
                        match self.service.resolve_by_hand(id, &claim.trx_id, &reason).await {
                            Ok(_) => {}
                            // bKash refused the trxID here too: the payment stays unknown, and Query goes on.
                            Err(PaymentError::Journal(JournalError::Invalid { .. })) => self.release_trx(&claim.trx_id, &counter, id).await,
                            Err(e) => return Err(e),
                        }
                    }
                }
                _ => {
                    self.reconciler.check_one(id).await?;
                }
            }
        }
        let after = self.service.get(id).await?.state;
        self.service.journal(move |j, now| j.record_store_action_receipt(&acting, action_id, id, after, now)).await?;
        tracing::info!(counter = %request.acting_counter, action = action_id, payment = id, state = %after, "another counter's action carried out");
        self.nudge();
        Ok(after)
    }

    /// For the app's life: carries out each batch the sync found.
    pub async fn carry_out_all(self: Arc<Self>, mut inbox: tokio::sync::mpsc::Receiver<Vec<ActionRequest>>) {
        while let Some(batch) = inbox.recv().await {
            for request in batch {
                if let Err(e) = self.carry_out(&request).await {
                    tracing::warn!(error = %e, counter = %request.acting_counter, action = request.action_id, "another counter's action not carried out yet; it is tried again");
                }
            }
        }
    }
}
