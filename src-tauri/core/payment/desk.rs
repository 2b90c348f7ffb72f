//! The `CheckoutDesk`: the one payment the counter's checkout window is
//! working on. The checkout window never names a payment; it can only act on
//! the one the desk holds, so it cannot touch any other.

use std::sync::{Arc, Mutex};

use super::{Anyway, Created, PaymentError, PaymentService, PhoneWait};
use crate::bkash::{Callback, CallbackStatus};
use crate::journal::{PaymentRow, TransitionFacts};
use crate::money::{check_sale, Cause, PayAt, PaymentState, Product, SaleProblem};

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error(transparent)]
    Sale(#[from] SaleProblem),
    #[error("A bKash payment is already open at this counter. Finish or cancel it first.")]
    Busy,
    #[error("No bKash payment is open at this counter.")]
    NothingOpen,
    #[error(transparent)]
    Payment(#[from] PaymentError),
    /// Only Tokenized's Create gives a page a phone can open.
    #[error("The customer can pay on their phone only with bKash Tokenized Checkout; this shop uses bKash {0}.")]
    PhoneNeedsTokenized(Product),
    /// The execute task panicked; the journal still holds `Executing`, and
    /// recovery settles it on the next start.
    #[error("The payment step stopped unexpectedly ({0}); the payment will be checked with bKash.")]
    Interrupted(String),
}

pub struct CheckoutDesk {
    service: Arc<PaymentService>,
    counter_id: String,
    open: Mutex<Option<i64>>,
    /// Held across `begin`'s journal steps, which await (the `open` slot's
    /// lock is never held across an await).
    beginning: tokio::sync::Mutex<()>,
}

impl CheckoutDesk {
    pub fn new(service: Arc<PaymentService>, counter_id: &str) -> Self {
        Self { service, counter_id: counter_id.into(), open: Mutex::new(None), beginning: tokio::sync::Mutex::new(()) }
    }

    pub fn service(&self) -> &Arc<PaymentService> {
        &self.service
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<i64>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The payment the checkout window works on, if any.
    pub fn open_payment(&self) -> Option<i64> {
        *self.slot()
    }

    /// The cashier pressed Pay: checks the sale, journals a `New` payment
    /// and makes it the open one. Refused while another checkout is open.
    /// Refused with `SameAmountBeingChecked` while a payment of the same
    /// amount at this counter is still being checked; [`Anyway::Yes`] is the
    /// cashier's deliberate confirmation after seeing it.
    pub async fn begin(&self, order_id: &str, amount_poisha: u64) -> Result<PaymentRow, DeskError> {
        self.begin_at(PayAt::Counter, order_id, amount_poisha, Anyway::No).await
    }

    /// [`begin`](Self::begin) with the cashier's answer: [`Anyway::Yes`] once
    /// they have seen the payment being checked and confirmed a new one.
    pub async fn begin_with(&self, order_id: &str, amount_poisha: u64, anyway: Anyway) -> Result<PaymentRow, DeskError> {
        self.begin_at(PayAt::Counter, order_id, amount_poisha, anyway).await
    }

    /// The cashier chose the customer's phone (Tokenized only): the payment
    /// is journaled and created, and bKash's answer carries the page the QR
    /// code shows. Waiting for the customer is [`wait_on_phone`](Self::wait_on_phone).
    pub async fn begin_on_phone(&self, order_id: &str, amount_poisha: u64, anyway: Anyway) -> Result<Created, DeskError> {
        let product = self.service.bkash().product();
        if !PayAt::Phone.offered_by(product) {
            return Err(DeskError::PhoneNeedsTokenized(product));
        }
        self.begin_at(PayAt::Phone, order_id, amount_poisha, anyway).await?;
        self.create().await
    }

    /// Asks bKash until the customer has finished on their phone, then
    /// executes (see `payment::phone`). Its own task, like `execute`: nothing
    /// the UI does can cut it short between Execute's send and its commit.
    pub fn wait_on_phone(&self, id: i64, wait: PhoneWait) -> tokio::task::JoinHandle<Result<PaymentRow, PaymentError>> {
        let service = self.service.clone();
        tokio::spawn(async move { service.await_phone(id, wait).await })
    }

    async fn begin_at(&self, pay_at: PayAt, order_id: &str, amount_poisha: u64, anyway: Anyway) -> Result<PaymentRow, DeskError> {
        check_sale(order_id, amount_poisha)?;
        self.service.refuse_if_same_amount_checking(&self.counter_id, amount_poisha, None, anyway).await?;
        // One Pay at a time: a second press waits here, then finds the first
        // payment open and is refused.
        let _pressing = self.beginning.lock().await;
        if let Some(id) = self.open_payment() {
            let state = self.service.get(id).await?.state;
            if !state.is_final() && state != PaymentState::Unknown {
                return Err(DeskError::Busy);
            }
        }
        let row = self.service.start_at(pay_at, order_id, amount_poisha, Some(&self.counter_id), None).await?;
        *self.slot() = Some(row.id);
        Ok(row)
    }

    fn require_open(&self) -> Result<i64, DeskError> {
        self.open_payment().ok_or(DeskError::NothingOpen)
    }

    pub async fn current(&self) -> Result<PaymentRow, DeskError> {
        Ok(self.service.get(self.require_open()?).await?)
    }

    /// `createRequest`: Create Payment for the open payment.
    pub async fn create(&self) -> Result<Created, DeskError> {
        let id = self.require_open()?;
        Ok(self.service.create(id).await?)
    }

    /// `executeRequestOnAuthorization`: Execute Payment for the open payment.
    /// It runs in its own task, so closing the window (which drops the
    /// command's future) can never cut it short between send and commit.
    pub async fn execute(self: &Arc<Self>) -> Result<PaymentRow, DeskError> {
        let id = self.require_open()?;
        let service = self.service.clone();
        let task = tokio::spawn(async move { service.execute(id).await });
        Ok(task.await.map_err(|e| DeskError::Interrupted(e.to_string()))??)
    }

    /// bKash's page returned to the callback (Tokenized). Only the open
    /// payment's own paymentID counts, and only as a hint: `success` sends
    /// Execute once (its answer settles the payment, a 2060 refusal if the
    /// customer never verified); `failure` or `cancel` close it as not
    /// charged, with bKash's word in the journal. A callback about another
    /// paymentID proves nothing about this one, so the open payment is
    /// cancelled, never executed.
    pub async fn callback(self: &Arc<Self>, callback: Callback) -> Result<PaymentRow, DeskError> {
        let id = self.require_open()?;
        let row = self.service.get(id).await?;
        if row.payment_id.as_deref() != Some(callback.payment_id.as_str()) {
            tracing::warn!(payment = id, "bKash's page returned with another paymentID; cancelling, not executing");
            return Ok(self.service.cancel(id, "bKash's page returned with another payment's ID").await?);
        }
        match callback.status {
            CallbackStatus::Success => {
                crate::failpoint::hit("callback_received");
                self.execute().await
            }
            status => {
                let facts =
                    TransitionFacts { detail: Some(format!("callback: bKash's page said {}", status.as_str())), ..Default::default() };
                Ok(self.service.commit(id, PaymentState::NotCharged, facts).await?)
            }
        }
    }

    /// `onClose`, the cashier's Cancel, or the window closed: cancels the
    /// open payment if execute has not been sent. Once it has, nothing here
    /// can stop it, and the payment is left to bKash's answer.
    pub async fn cancel(&self, reason: &str) -> Result<Option<PaymentRow>, DeskError> {
        self.cancel_because(reason, None).await
    }

    /// [`cancel`](Self::cancel), with its cause: bKash's checkout script that
    /// never loaded means bKash could not be reached, and the cashier is told
    /// that, not a bare "cancelled".
    pub async fn cancel_because(&self, reason: &str, cause: Option<Cause>) -> Result<Option<PaymentRow>, DeskError> {
        let Some(id) = self.open_payment() else { return Ok(None) };
        let row = self.service.get(id).await?;
        if row.state.can_become(PaymentState::Cancelled) {
            return Ok(Some(self.service.cancel_because(id, reason, cause).await?));
        }
        Ok(Some(row))
    }

    /// Lets the desk take the next sale once `id` no longer needs the window.
    pub fn release(&self, id: i64) {
        let mut slot = self.slot();
        if *slot == Some(id) {
            *slot = None;
        }
    }
}
