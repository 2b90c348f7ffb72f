//! The `Reconciler`: settles payments whose outcome is not known.
//!
//! Contract: fetch facts (Query Payment), decide in a pure function, apply in
//! one transaction. Queries only `Executing` or `Unknown` payments, never one
//! that a successful Execute already settled. When the evidence is not enough,
//! it leaves the row alone (an `Executing` row becomes `Unknown`, so the
//! cashier sees "checking with bKash").

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::bkash::{BkashError, ExpectedPayment, PaymentResult, TransactionStatus};
use crate::journal::{PaymentRow, TransitionFacts};
use crate::money::EventKind;
use crate::money::{Cause, PayAt, PaymentState};
use crate::payment::{PaymentError, PaymentService, Step};

mod board;
pub use board::{RecoveryBoard, RecoveryEntry, RecoverySnapshot};

/// What we know about one payment when deciding.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// Nothing to ask: the row's own state proves execute was never sent.
    Journal,
    /// bKash's answer to Query Payment, or why there was none.
    Query(Result<PaymentResult, BkashError>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Settle {
        to: PaymentState,
        facts: TransitionFacts,
    },
    /// Not enough evidence: keep checking later.
    Leave {
        reason: String,
        cause: Option<Cause>,
    },
}

fn settle(to: PaymentState, detail: &str) -> Decision {
    Decision::Settle { to, facts: TransitionFacts { detail: Some(detail.into()), ..Default::default() } }
}

fn leave(reason: String, cause: Option<Cause>) -> Decision {
    Decision::Leave { reason, cause }
}

/// The whole of recovery's judgement, with no I/O.
pub fn decide(row: &PaymentRow, evidence: &Evidence) -> Decision {
    use PaymentState::*;
    match (row.state, evidence) {
        (New, _) => settle(Cancelled, "recovery: the app stopped before create was sent"),
        (Creating, _) => settle(NotCharged, "recovery: execute was never sent (the app stopped while creating)"),
        // A customer who finished on their phone after the app stopped is not
        // charged either: only this app's Execute moves the money, and it was
        // never sent (bKash lets an unexecuted paymentID expire).
        (AwaitingCustomer, _) if row.pay_at == PayAt::Phone => settle(
            NotCharged,
            "recovery: execute was never sent (the app stopped while the customer was paying on their phone); not charged",
        ),
        (AwaitingCustomer, _) => {
            settle(NotCharged, "recovery: execute was never sent (the app stopped while the customer was in bKash's window)")
        }
        (Executing | Unknown, Evidence::Query(Ok(result))) if result.payment_id.as_str() == row.payment_id.as_deref().unwrap_or("") => {
            match &result.transaction_status {
                TransactionStatus::Completed => Decision::Settle {
                    to: Completed,
                    facts: TransitionFacts {
                        trx_id: result.trx_id.clone(),
                        customer_msisdn: result.customer_msisdn.clone(),
                        detail: Some("query: bKash says Completed".into()),
                        ..Default::default()
                    },
                },
                TransactionStatus::Initiated => settle(NotCharged, "query: bKash says Initiated, so the customer was not charged"),
                other => leave(format!("query: bKash says {other}, which a sale never becomes"), Some(Cause::NoAnswer)),
            }
        }
        (Executing | Unknown, Evidence::Query(Ok(_))) => leave("query answered about another paymentID".into(), Some(Cause::Mismatch)),
        (Executing | Unknown, Evidence::Query(Err(e))) => leave(format!("query: {e}"), e.cause()),
        (Executing | Unknown, Evidence::Journal) => leave("not queried yet".into(), None),
        (Completed | Failed | Cancelled | NotCharged, _) => leave("already settled".into(), None),
    }
}

/// A completed payment's wallet, for its receipt. Tokenized's payment status
/// answer carries none, but Search Transaction's does: it is asked once,
/// for a payment Query has just found completed, and its answer only adds
/// the wallet (a Search that fails or speaks of another amount adds nothing).
async fn with_wallet(client: &crate::bkash::BkashClient, mut answer: PaymentResult) -> PaymentResult {
    let Some(trx) = answer.trx_id.clone().filter(|_| answer.transaction_status == TransactionStatus::Completed) else { return answer };
    if answer.customer_msisdn.is_some() {
        return answer;
    }
    match client.search_transaction(&trx).await {
        Ok(found) if found.amount == answer.amount && found.transaction_status == TransactionStatus::Completed => {
            answer.customer_msisdn = found.customer_msisdn;
        }
        Ok(_) => tracing::warn!(trx = %trx, "Search Transaction's answer does not match the payment; its wallet is not taken"),
        Err(e) => tracing::info!(trx = %trx, error = %e, "the wallet of a recovered payment could not be read; the receipt shows none"),
    }
    answer
}

/// What applying one verdict did.
enum Applied {
    Settled(PaymentState),
    Left,
}

/// The journal step for `decide`'s verdict on `row`: a settlement, or (when
/// the evidence is not enough) `Unknown` for an `Executing` row and a note
/// for the rest.
fn step_for(row: &PaymentRow, evidence: &Evidence) -> (Step, Applied) {
    if matches!(evidence, Evidence::Query(_)) {
        crate::failpoint::hit("reconcile_answered_not_stored");
    }
    match decide(row, evidence) {
        Decision::Settle { to, facts } => (Step::Transition { id: row.id, to, facts }, Applied::Settled(to)),
        Decision::Leave { reason, cause } => {
            let facts = TransitionFacts { detail: Some(reason), cause, ..Default::default() };
            let step = if row.state == PaymentState::Executing {
                Step::Transition { id: row.id, to: PaymentState::Unknown, facts }
            } else {
                Step::Note { id: row.id, kind: EventKind::QueryUnanswered, facts }
            };
            (step, Applied::Left)
        }
    }
}

/// What one pass settled and left.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pass {
    pub settled: Vec<(i64, PaymentState)>,
    pub still_unknown: Vec<i64>,
}

pub struct Reconciler {
    service: Arc<PaymentService>,
    concurrency: usize,
    /// Failed attempts per payment, for the growing backoff while running.
    attempts: Mutex<HashMap<i64, u32>>,
}

impl Reconciler {
    pub fn new(service: Arc<PaymentService>, concurrency: usize) -> Self {
        Self { service, concurrency: concurrency.max(1), attempts: Mutex::default() }
    }

    /// How long to wait before re-querying a payment that failed `attempts`
    /// times: 5 s, 10 s, 20 s … capped at 10 minutes.
    pub fn backoff(attempts: u32) -> Duration {
        Duration::from_secs(5u64.saturating_mul(1 << attempts.min(7))).min(Duration::from_secs(600))
    }

    /// The startup pass: over every payment not settled, closing those
    /// execute never reached without asking anyone and querying the rest.
    /// Only right after opening the journal, before any new payment starts:
    /// a payment in `New`..`AwaitingCustomer` is live once the counter opens.
    pub async fn pass(&self) -> Result<Pass, PaymentError> {
        let rows = self.service.in_flight().await?;
        self.pass_over(rows).await
    }

    /// A pass while the counter is taking payments: only `Unknown` rows,
    /// because every other unsettled row may belong to a live checkout (and
    /// an `Executing` one is waiting for its own answer).
    pub async fn recheck(&self) -> Result<Pass, PaymentError> {
        let rows = self.service.in_flight().await?.into_iter().filter(|row| row.state == PaymentState::Unknown).collect();
        self.pass_over(rows).await
    }

    /// Settles `rows`, querying at most `concurrency` at a time. The
    /// verdicts of the queries that have answered by then are written in one
    /// trip to the journal's blocking thread, each in its own transaction.
    pub async fn pass_over(&self, rows: Vec<PaymentRow>) -> Result<Pass, PaymentError> {
        let semaphore = Arc::new(Semaphore::new(self.concurrency));
        let mut queries = tokio::task::JoinSet::new();
        let mut pass = Pass::default();
        let mut closed = Vec::new();
        for row in rows {
            if matches!(row.state, PaymentState::Executing | PaymentState::Unknown) {
                let service = self.service.clone();
                let permit = semaphore.clone().acquire_owned().await.expect("never closed");
                queries.spawn(async move {
                    let answer = async {
                        let client = service.client_for(row.product)?;
                        let answer = client.query_payment(&ExpectedPayment::from(&row)).await?;
                        Ok(with_wallet(client, answer).await)
                    }
                    .await;
                    drop(permit);
                    (row, Evidence::Query(answer))
                });
            } else {
                closed.push((row, Evidence::Journal));
            }
        }
        self.apply(closed, &mut pass).await?;
        while let Some(done) = queries.join_next().await {
            let mut answered = vec![done.expect("a query task panicked")];
            while let Some(more) = queries.try_join_next() {
                answered.push(more.expect("a query task panicked"));
            }
            self.apply(answered, &mut pass).await?;
        }
        Ok(pass)
    }

    async fn apply(&self, verdicts: Vec<(PaymentRow, Evidence)>, pass: &mut Pass) -> Result<(), PaymentError> {
        if verdicts.is_empty() {
            return Ok(());
        }
        let (steps, applied): (Vec<Step>, Vec<(i64, Applied)>) = verdicts
            .iter()
            .map(|(row, evidence)| {
                let (step, applied) = step_for(row, evidence);
                (step, (row.id, applied))
            })
            .unzip();
        self.service.record(steps).await?;
        for (id, applied) in applied {
            self.count(id, applied, pass);
        }
        Ok(())
    }

    /// Keeps the tally of one applied verdict, and the attempts that set the backoff.
    fn count(&self, id: i64, applied: Applied, pass: &mut Pass) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        match applied {
            Applied::Settled(to) => {
                attempts.remove(&id);
                pass.settled.push((id, to));
            }
            Applied::Left => {
                *attempts.entry(id).or_default() += 1;
                pass.still_unknown.push(id);
            }
        }
    }

    /// The manager's *Check now*: Query for one payment, only if its
    /// outcome is unknown (never for one a successful execute settled).
    pub async fn check_one(&self, id: i64) -> Result<PaymentRow, PaymentError> {
        let row = self.service.get(id).await?;
        if row.state == PaymentState::Unknown {
            self.pass_over(vec![row]).await?;
        }
        self.service.get(id).await
    }

    /// Refunds whose outcome is not known (`requested` left by a stopped app,
    /// or `unknown`), each asked of Refund Status once. Returns how many are
    /// still not known.
    pub async fn settle_refunds(&self) -> Result<usize, PaymentError> {
        let unsettled = self.service.refunds_unsettled().await?;
        let mut still = 0;
        for refund in unsettled {
            let row = self.service.check_refund(refund.id, refund.payment).await?;
            if !row.state.is_final() {
                still += 1;
            }
        }
        // Refunds this counter made of other counters' payments: the store
        // holds their claims until they settle, so they are asked too.
        for refund in self.service.store_refunds_unsettled().await? {
            let row = self.service.check_store_refund(refund.refund.id).await?;
            if !row.refund.state.is_final() {
                still += 1;
            }
        }
        Ok(still)
    }

    /// While the app runs: keep re-checking what is still `Unknown`, waiting
    /// longer after each unanswered round. Returns when nothing is left.
    pub async fn run_until_settled(&self) -> Result<(), PaymentError> {
        loop {
            let pass = self.recheck().await?;
            if pass.still_unknown.is_empty() {
                return Ok(());
            }
            // Wait as long as the least-tried payment deserves, so a newly
            // unknown payment is not held back by an old, long-silent one.
            let fewest_attempts = {
                let attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
                pass.still_unknown.iter().filter_map(|id| attempts.get(id)).copied().min().unwrap_or(1)
            };
            tokio::time::sleep(Self::backoff(fewest_attempts.saturating_sub(1))).await;
        }
    }
}
