//! `PaymentService`: one payment, step by step, each step committed to the
//! journal before the call to bKash that it announces.
//!
//! Every journal access runs on a blocking thread (`spawn_blocking`): a
//! commit waits for fsync, and neither that wait nor the journal's lock may
//! hold up a runtime thread that is serving the counter's other work.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio::sync::broadcast;

use super::PaymentView;
use crate::bkash::{BkashClient, BkashError, CreatePayment, CreatedPayment, ExpectedPayment, TransactionStatus};
use crate::journal::{Journal, JournalError, JournalRead, NewPayment, PaymentRow, TransitionFacts};
use crate::money::EventKind;
use crate::money::{Amount, Cause, Clock, PayAt, PaymentState, Product};

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("payment {id} is {state}; {action} is not possible now")]
    WrongState { id: i64, state: PaymentState, action: &'static str },
    /// A journal step panicked on its thread. SQLite rolled back whatever it
    /// had not committed; recovery settles the payment on the next start.
    #[error("a journal step stopped unexpectedly: {0}")]
    Interrupted(String),
    /// Another counter's payment cannot be acted on without the store.
    #[error("the store's database cannot be reached ({0}); only this counter's own payments can be acted on now")]
    StoreUnreachable(String),
    /// The store will not take this counter (its id is another PC's, its
    /// login was refused): no store action goes through.
    #[error("the store refused this counter: {0}")]
    StoreRefused(String),
    /// A payment of the same amount at this counter is still being checked
    /// with bKash: the cashier must see it and confirm a new payment (bKash
    /// or cash) on purpose, since the customer may already have paid.
    #[error("A payment of the same amount (invoice {}) is still being checked with bKash; it may be this sale. Confirm to take a new payment anyway.", .0.invoice)]
    SameAmountBeingChecked(Box<PaymentRow>),
}

/// The cashier's answer to "a payment of this amount is still being checked".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anyway {
    /// Not asked yet: refuse while one is being checked, and say which.
    No,
    /// Seen and confirmed: take a new payment.
    Yes,
}

/// One write to a payment's journal entry (see [`PaymentService::record`]).
#[derive(Debug, Clone)]
pub enum Step {
    /// A guarded state change, with what bKash (or the app) said.
    Transition { id: i64, to: PaymentState, facts: TransitionFacts },
    /// An event that changes no state (a Query that got no answer).
    Note { id: i64, kind: EventKind, facts: TransitionFacts },
}

/// What `create` gives the checkout page: the row, and bKash's create answer
/// for `bKash.create().onSuccess(…)`.
#[derive(Debug, Clone)]
pub struct Created {
    pub row: PaymentRow,
    pub bkash: Option<CreatedPayment>,
}

pub struct PaymentService {
    pub(super) journal: Arc<Mutex<Journal>>,
    /// The product new payments are taken with.
    pub(super) bkash: Arc<BkashClient>,
    /// Clients of other products, for the payments they created (a shop
    /// that changed product still refunds and checks its older payments).
    others: Vec<Arc<BkashClient>>,
    pub(super) clock: Arc<dyn Clock>,
    /// Every committed change, as the screens show it (the app turns each
    /// into a Tauri event, so the UI never re-reads the journal for it).
    events: broadcast::Sender<PaymentView>,
    /// The store's refund claims, when this counter belongs to a store.
    pub(super) refund_gate: Option<Arc<dyn super::RefundGate>>,
}

impl PaymentService {
    pub fn new(journal: Arc<Mutex<Journal>>, bkash: Arc<BkashClient>, clock: Arc<dyn Clock>) -> Self {
        Self { journal, bkash, others: Vec::new(), clock, events: broadcast::channel(256).0, refund_gate: None }
    }

    /// Refuses a new payment of `amount_poisha` at `counter`, bKash or cash,
    /// while one of that amount is still being checked with bKash, unless
    /// the cashier has seen it and confirmed ([`Anyway::Yes`]): the customer
    /// of the sale being checked may be paying again. A payment of `sale`
    /// itself is left to the journal, which refuses a second tender of a
    /// sale in its own words.
    pub async fn refuse_if_same_amount_checking(
        &self,
        counter: &str,
        amount_poisha: u64,
        sale: Option<&str>,
        anyway: Anyway,
    ) -> Result<(), PaymentError> {
        if anyway == Anyway::Yes {
            return Ok(());
        }
        let counter = counter.to_string();
        let checking = self.journal(move |j, _| j.being_checked(&counter, amount_poisha)).await?;
        match checking.into_iter().find(|p| Some(p.order_id.as_str()) != sale) {
            Some(pending) => Err(PaymentError::SameAmountBeingChecked(Box::new(pending))),
            None => Ok(()),
        }
    }

    /// Refunds are claimed in the store's database before they are sent.
    pub fn with_refund_gate(mut self, gate: Arc<dyn super::RefundGate>) -> Self {
        self.refund_gate = Some(gate);
        self
    }

    /// Adds the client of another product, for the payments it created.
    pub fn with_client(mut self, other: Arc<BkashClient>) -> Self {
        self.others.retain(|c| c.product() != other.product());
        if other.product() != self.bkash.product() {
            self.others.push(other);
        }
        self
    }

    /// The client of the product that created a payment: bKash's rules say
    /// a payment is executed, queried, refunded and searched by its own.
    pub fn client_for(&self, product: Product) -> Result<&BkashClient, BkashError> {
        std::iter::once(&self.bkash).chain(&self.others).find(|c| c.product() == product).map(|c| c.as_ref()).ok_or(BkashError::Invalid {
            field: "product",
            problem: format!("this payment was made with bKash {product}, and no credentials for it are configured"),
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<PaymentView> {
        self.events.subscribe()
    }

    /// Runs `work` on the journal on a blocking thread, with "now" from the
    /// service's clock. A poisoned lock means a panic mid-step; SQLite rolled
    /// back whatever that step had not committed, so the journal is sound.
    pub(crate) async fn journal<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Journal, DateTime<Utc>) -> Result<T, JournalError> + Send + 'static,
    ) -> Result<T, PaymentError> {
        let (journal, now) = (self.journal.clone(), self.clock.now());
        tokio::task::spawn_blocking(move || work(&mut journal.lock().unwrap_or_else(|p| p.into_inner()), now))
            .await
            .map_err(|e| PaymentError::Interrupted(e.to_string()))?
            .map_err(PaymentError::from)
    }

    /// Commits a transition and tells subscribers. The Reconciler settles
    /// payments through [`record`](Self::record) too, so every change reaches
    /// the UI one way.
    pub async fn commit(&self, id: i64, to: PaymentState, facts: TransitionFacts) -> Result<PaymentRow, PaymentError> {
        let mut done = self.record(vec![Step::Transition { id, to, facts }]).await?;
        Ok(done.pop().flatten().expect("a transition returns its row"))
    }

    /// Commits `steps` in order, each in its own transaction (synced before
    /// the next starts), in one trip to a blocking thread: recovery settles
    /// thousands of payments, and one hand-off per step cost a fifth of its
    /// time. Stops at the first refusal; what was committed before it is
    /// kept and told to subscribers. Returns each transition's row.
    pub async fn record(&self, steps: Vec<Step>) -> Result<Vec<Option<PaymentRow>>, PaymentError> {
        let done = self
            .journal(move |j, now| {
                let mut done = Vec::with_capacity(steps.len());
                for step in steps {
                    let result = match step {
                        Step::Transition { id, to, facts } => j.transition(id, to, &facts, now).map(Some),
                        Step::Note { id, kind, facts } => j.note(id, kind, &facts, now).map(|()| None),
                    };
                    let refused = result.is_err();
                    done.push(result);
                    if refused {
                        break;
                    }
                }
                Ok(done)
            })
            .await?;
        let mut rows = Vec::with_capacity(done.len());
        for result in done {
            let row = result?;
            if let Some(row) = &row {
                tracing::info!(
                    payment = row.id,
                    state = row.state.as_str(),
                    payment_id = row.payment_id.as_deref().unwrap_or(""),
                    "payment state committed"
                );
                let _ = self.events.send(PaymentView::from(row));
            }
            rows.push(row);
        }
        Ok(rows)
    }

    pub fn bkash(&self) -> &BkashClient {
        &self.bkash
    }

    pub async fn get(&self, id: i64) -> Result<PaymentRow, PaymentError> {
        self.journal(move |j, _| j.get(id)).await
    }

    pub async fn in_flight(&self) -> Result<Vec<PaymentRow>, PaymentError> {
        self.journal(|j, _| j.in_flight()).await
    }

    /// Records an attempt that changed nothing (a Query that got no answer).
    pub async fn note(&self, id: i64, kind: EventKind, facts: TransitionFacts) -> Result<(), PaymentError> {
        self.record(vec![Step::Note { id, kind, facts }]).await.map(drop)
    }

    async fn expect_state(&self, id: i64, wanted: PaymentState, action: &'static str) -> Result<PaymentRow, PaymentError> {
        let row = self.get(id).await?;
        if row.state != wanted {
            return Err(PaymentError::WrongState { id, state: row.state, action });
        }
        Ok(row)
    }

    /// The cashier pressed Pay: a `New` row with a fresh invoice number,
    /// `<counter>-<UTC time>-<8 random letters/digits>`.
    pub async fn start(
        &self,
        order_id: &str,
        amount_poisha: u64,
        counter_id: Option<&str>,
        cashier: Option<&str>,
    ) -> Result<PaymentRow, PaymentError> {
        self.start_at(PayAt::Counter, order_id, amount_poisha, counter_id, cashier).await
    }

    /// [`start`](Self::start), for a customer who pays at `pay_at`.
    pub async fn start_at(
        &self,
        pay_at: PayAt,
        order_id: &str,
        amount_poisha: u64,
        counter_id: Option<&str>,
        cashier: Option<&str>,
    ) -> Result<PaymentRow, PaymentError> {
        let now = self.clock.now();
        let mut attempts = 0;
        loop {
            let suffix: String = (0..8).map(|_| rand::rng().sample(rand::distr::Alphanumeric) as char).collect();
            let new = NewPayment {
                order_id: order_id.into(),
                invoice: format!("{}-{}-{}", counter_id.unwrap_or("POS"), now.format("%Y%m%d%H%M%S"), suffix.to_uppercase()),
                product: self.bkash.product(),
                pay_at,
                amount_poisha,
                counter_id: counter_id.map(str::to_string),
                cashier: cashier.map(str::to_string),
            };
            match self.journal(move |j, _| j.start_payment(&new, now)).await {
                // Nothing has been sent yet, so a clash of random invoices is simply drawn again.
                Err(PaymentError::Journal(JournalError::DuplicateInvoice(_))) if attempts < 3 => attempts += 1,
                Err(e) => return Err(e),
                Ok(row) => {
                    crate::failpoint::hit("after_new");
                    let _ = self.events.send(PaymentView::from(&row));
                    return Ok(row);
                }
            }
        }
    }

    /// `Creating` is committed, then Create Payment is sent once.
    pub async fn create(&self, id: i64) -> Result<Created, PaymentError> {
        let row = self.expect_state(id, PaymentState::New, "create").await?;
        self.commit(id, PaymentState::Creating, TransitionFacts::default()).await?;
        crate::failpoint::hit("creating_committed");
        let request = CreatePayment { amount: Amount::from_poisha(row.amount_poisha), merchant_invoice_number: row.invoice.clone() };
        let answer = async { self.client_for(row.product)?.create_payment(&request).await }.await;
        crate::failpoint::hit("create_answered_not_stored");
        match answer {
            Ok(created) => {
                let facts = TransitionFacts { payment_id: Some(created.payment_id.clone()), ..Default::default() };
                let row = self.commit(id, PaymentState::AwaitingCustomer, facts).await?;
                crate::failpoint::hit("customer_in_frame");
                Ok(Created { row, bkash: Some(created) })
            }
            Err(e) => {
                // Execute was never sent, so whatever create did, no money moved.
                let to = if e.outcome_unknown() { PaymentState::NotCharged } else { PaymentState::Failed };
                let row = self.commit(id, to, facts_of(&e, "create")).await?;
                Ok(Created { row, bkash: None })
            }
        }
    }

    /// `Executing` is committed, then Execute Payment is sent exactly once.
    /// Only bKash's answer settles the payment; no answer leaves it `Unknown`.
    pub async fn execute(&self, id: i64) -> Result<PaymentRow, PaymentError> {
        let row = self.expect_state(id, PaymentState::AwaitingCustomer, "execute").await?;
        if row.payment_id.is_none() {
            return Err(PaymentError::WrongState { id, state: row.state, action: "execute" });
        }
        self.commit(id, PaymentState::Executing, TransitionFacts::default()).await?;
        crate::failpoint::hit("executing_committed");
        let answer = async { self.client_for(row.product)?.execute_payment(&ExpectedPayment::from(&row)).await }.await;
        crate::failpoint::hit("execute_answered_not_stored");
        let (to, facts) = match answer {
            Ok(result) if result.transaction_status == TransactionStatus::Completed => (
                PaymentState::Completed,
                TransitionFacts { trx_id: result.trx_id, customer_msisdn: result.customer_msisdn, ..Default::default() },
            ),
            Ok(result) => (
                PaymentState::Unknown,
                TransitionFacts {
                    detail: Some(format!("execute answered {}", result.transaction_status)),
                    cause: Some(Cause::NoAnswer),
                    ..Default::default()
                },
            ),
            Err(e) if e.outcome_unknown() => (PaymentState::Unknown, facts_of(&e, "execute")),
            // Only a definitive answer (`bkash::answer`) or a request that never
            // left may say "no money moved": refused by bKash, refused at its
            // gateway in its documented words, never sent, or refused here.
            Err(e) => (PaymentState::Failed, facts_of(&e, "execute")),
        };
        let row = self.commit(id, to, facts).await?;
        crate::failpoint::hit("answer_stored");
        Ok(row)
    }

    /// The customer closed the frame, or the cashier stopped, before execute.
    pub async fn cancel(&self, id: i64, reason: &str) -> Result<PaymentRow, PaymentError> {
        self.cancel_because(id, reason, None).await
    }

    /// [`cancel`](Self::cancel), with the cause the cashier is told (bKash
    /// could not be reached, rather than a plain "cancelled").
    pub async fn cancel_because(&self, id: i64, reason: &str, cause: Option<Cause>) -> Result<PaymentRow, PaymentError> {
        let row = self.get(id).await?;
        if !row.state.can_become(PaymentState::Cancelled) {
            return Err(PaymentError::WrongState { id, state: row.state, action: "cancel" });
        }
        let facts = TransitionFacts { detail: Some(reason.chars().take(200).collect()), cause, ..Default::default() };
        self.commit(id, PaymentState::Cancelled, facts).await
    }
}

/// The payment a bKash answer must be about, as the journal has it.
impl From<&PaymentRow> for ExpectedPayment {
    fn from(row: &PaymentRow) -> Self {
        Self {
            payment_id: row.payment_id.clone().unwrap_or_default(),
            amount: Amount::from_poisha(row.amount_poisha),
            invoice: row.invoice.clone(),
        }
    }
}

/// What a failed bKash call leaves in the journal: bKash's code and words
/// when it gave them, our cause when it did not, and the call in the detail.
/// Refunds keep the same facts (`RefundFacts::from`).
pub(super) fn facts_of(error: &BkashError, call: &str) -> TransitionFacts {
    let message = match error {
        BkashError::Refused { message, .. } | BkashError::AlreadyDone { message, .. } => Some(message.clone()),
        _ => None,
    };
    TransitionFacts {
        bkash_code: error.code().map(str::to_string),
        bkash_message: message,
        detail: Some(format!("{call}: {error}")),
        cause: error.cause(),
        ..Default::default()
    }
}
