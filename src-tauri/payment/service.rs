//! `PaymentService`: one payment, step by step, each step committed to the
//! journal before the call to bKash that it announces.

use std::sync::{Arc, Mutex, MutexGuard};

use rand::Rng;
use tokio::sync::broadcast;

use super::{PaymentState, PaymentView};
use crate::bkash::{Amount, BkashClient, BkashError, Cause, Clock, CreatePayment, CreatedPayment, ExpectedPayment, TransactionStatus};
use crate::journal::{Journal, JournalError, NewPayment, PaymentRow, TransitionFacts};

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("payment {id} is {state}; {action} is not possible now")]
    WrongState { id: i64, state: PaymentState, action: &'static str },
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
    pub(super) bkash: Arc<BkashClient>,
    pub(super) clock: Arc<dyn Clock>,
    /// Every committed change, as the screens show it (the app turns each
    /// into a Tauri event, so the UI never re-reads the journal for it).
    events: broadcast::Sender<PaymentView>,
}

impl PaymentService {
    pub fn new(journal: Arc<Mutex<Journal>>, bkash: Arc<BkashClient>, clock: Arc<dyn Clock>) -> Self {
        Self { journal, bkash, clock, events: broadcast::channel(256).0 }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<PaymentView> {
        self.events.subscribe()
    }

    /// A poisoned lock means a panic mid-call; SQLite rolled back whatever
    /// that call had not committed, so the journal is still consistent.
    pub(super) fn journal(&self) -> MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Commits a transition and tells subscribers. The Reconciler settles
    /// payments through this too, so every change reaches the UI one way.
    pub fn commit(&self, id: i64, to: PaymentState, facts: TransitionFacts) -> Result<PaymentRow, PaymentError> {
        let row = self.journal().transition(id, to, &facts, self.clock.now())?;
        tracing::info!(payment = id, state = to.as_str(), payment_id = row.payment_id.as_deref().unwrap_or(""), "payment state committed");
        let _ = self.events.send(PaymentView::from(&row));
        Ok(row)
    }

    pub fn bkash(&self) -> &BkashClient {
        &self.bkash
    }

    /// Writes a closed day's report (see `report::close_day`).
    pub fn store_day_report(&self, day: &str, body: impl FnOnce(i64) -> String) -> Result<crate::journal::StoredReport, PaymentError> {
        Ok(self.journal().store_day_report(day, self.clock.now(), body)?)
    }

    pub fn get(&self, id: i64) -> Result<PaymentRow, PaymentError> {
        Ok(self.journal().get(id)?)
    }

    pub fn in_flight(&self) -> Result<Vec<PaymentRow>, PaymentError> {
        Ok(self.journal().in_flight()?)
    }

    /// Records an attempt that changed nothing (a Query that got no answer).
    pub fn note(&self, id: i64, kind: &str, facts: TransitionFacts) -> Result<(), PaymentError> {
        Ok(self.journal().note(id, kind, &facts, self.clock.now())?)
    }

    fn expect_state(&self, id: i64, wanted: PaymentState, action: &'static str) -> Result<PaymentRow, PaymentError> {
        let row = self.journal().get(id)?;
        if row.state != wanted {
            return Err(PaymentError::WrongState { id, state: row.state, action });
        }
        Ok(row)
    }

    /// The cashier pressed Pay: a `New` row with a fresh invoice number,
    /// `<counter>-<UTC time>-<8 random letters/digits>`.
    pub fn start(
        &self,
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
                amount_poisha,
                counter_id: counter_id.map(str::to_string),
                cashier: cashier.map(str::to_string),
            };
            match self.journal().start_payment(&new, now) {
                // Nothing has been sent yet, so a clash of random invoices is simply drawn again.
                Err(JournalError::DuplicateInvoice(_)) if attempts < 3 => attempts += 1,
                Err(e) => return Err(e.into()),
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
        let row = self.expect_state(id, PaymentState::New, "create")?;
        self.commit(id, PaymentState::Creating, TransitionFacts::default())?;
        crate::failpoint::hit("creating_committed");
        let request = CreatePayment { amount: Amount::from_poisha(row.amount_poisha), merchant_invoice_number: row.invoice.clone() };
        let answer = self.bkash.create_payment(&request).await;
        crate::failpoint::hit("create_answered_not_stored");
        match answer {
            Ok(created) => {
                let facts = TransitionFacts { payment_id: Some(created.payment_id.clone()), ..Default::default() };
                let row = self.commit(id, PaymentState::AwaitingCustomer, facts)?;
                crate::failpoint::hit("customer_in_frame");
                Ok(Created { row, bkash: Some(created) })
            }
            Err(e) => {
                // Execute was never sent, so whatever create did, no money moved.
                let to = if e.outcome_unknown() { PaymentState::NotCharged } else { PaymentState::Failed };
                let row = self.commit(id, to, facts_of(&e, "create"))?;
                Ok(Created { row, bkash: None })
            }
        }
    }

    /// `Executing` is committed, then Execute Payment is sent exactly once.
    /// Only bKash's answer settles the payment; no answer leaves it `Unknown`.
    pub async fn execute(&self, id: i64) -> Result<PaymentRow, PaymentError> {
        let row = self.expect_state(id, PaymentState::AwaitingCustomer, "execute")?;
        if row.payment_id.is_none() {
            return Err(PaymentError::WrongState { id, state: row.state, action: "execute" });
        }
        self.commit(id, PaymentState::Executing, TransitionFacts::default())?;
        crate::failpoint::hit("executing_committed");
        let answer = self.bkash.execute_payment(&ExpectedPayment::from(&row)).await;
        crate::failpoint::hit("execute_answered_not_stored");
        let row = match answer {
            Ok(result) if result.transaction_status == TransactionStatus::Completed => {
                let facts = TransitionFacts { trx_id: result.trx_id, customer_msisdn: result.customer_msisdn, ..Default::default() };
                self.commit(id, PaymentState::Completed, facts)
            }
            Ok(result) => self.commit(
                id,
                PaymentState::Unknown,
                TransitionFacts {
                    detail: Some(format!("execute answered {:?}", result.transaction_status)),
                    cause: Some(Cause::NoAnswer),
                    ..Default::default()
                },
            ),
            Err(e) if e.outcome_unknown() => self.commit(id, PaymentState::Unknown, facts_of(&e, "execute")),
            // Only a definitive answer (`bkash::answer`) or a request that never
            // left may say "no money moved": refused by bKash, refused at its
            // gateway in its documented words, never sent, or refused here.
            Err(e) => self.commit(id, PaymentState::Failed, facts_of(&e, "execute")),
        }?;
        crate::failpoint::hit("answer_stored");
        Ok(row)
    }

    /// The customer closed the frame, or the cashier stopped, before execute.
    pub fn cancel(&self, id: i64, reason: &str) -> Result<PaymentRow, PaymentError> {
        let row = self.journal().get(id)?;
        if !row.state.can_become(PaymentState::Cancelled) {
            return Err(PaymentError::WrongState { id, state: row.state, action: "cancel" });
        }
        self.commit(id, PaymentState::Cancelled, TransitionFacts { detail: Some(reason.chars().take(200).collect()), ..Default::default() })
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

fn facts_of(error: &BkashError, call: &str) -> TransitionFacts {
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
