//! The customer pays on their own phone: the counter shows Tokenized's
//! `bkashURL` as a QR code and asks bKash's payment status until
//! `verificationStatus` is `Complete`, then commits `Executing` and sends
//! Execute once, as for any other payment.
//!
//! Two kinds of question go to the same Query endpoint and must not be
//! confused:
//! - *Has the customer finished?* asked here, only while the payment is
//!   `AwaitingCustomer`, before Execute has ever been sent. It moves no money
//!   and settles nothing: no answer, or any answer but `Complete`, means "ask
//!   again later". It is bounded by [`PhoneWait::max_polls`].
//! - *What did Execute do?* asked by the Reconciler, only once Execute's
//!   outcome is unknown. That is the rule in DESIGN.md; this module never
//!   settles a payment from a status answer.

use std::time::Duration;

use super::{PaymentError, PaymentService, Step};
use crate::bkash::{ExpectedPayment, PaymentResult, TransactionStatus, VerificationStatus};
use crate::journal::{JournalError, PaymentRow, TransitionFacts};
use crate::money::EventKind;
use crate::money::{Cause, PaymentState};

/// How gently, and for how long, the counter asks whether the customer has
/// finished on their phone: a first question after `first`, each wait half
/// as long again as the one before up to `longest`, and none after `timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneWait {
    pub first: Duration,
    pub longest: Duration,
    pub timeout: Duration,
}

/// The shortest and longest QR time-outs a shop may set, in seconds: a
/// customer needs a minute to open bKash's page and type three things, and
/// after five the counter should be free for the next customer.
pub const PHONE_TIMEOUT_SECS: std::ops::RangeInclusive<u32> = 60..=300;

impl PhoneWait {
    /// The counter's schedule: 2 s, 3 s, 4.5 s, then every 5 s. A customer
    /// who has finished waits at most 5 s for the counter to notice, and a
    /// three-minute wait costs at most 37 questions.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self { first: Duration::from_secs(2), longest: Duration::from_secs(5), timeout }
    }

    /// The wait before each question, in order. Their sum never passes
    /// `timeout`, so the count is bounded.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + '_ {
        let mut next = self.first.max(Duration::from_millis(1));
        let mut elapsed = Duration::ZERO;
        std::iter::from_fn(move || {
            let delay = next;
            if elapsed + delay > self.timeout {
                return None;
            }
            elapsed += delay;
            next = (next * 3 / 2).min(self.longest.max(self.first));
            Some(delay)
        })
    }

    /// The most status questions one phone payment can cost.
    pub fn max_polls(&self) -> u32 {
        self.delays().count() as u32
    }
}

/// What one status answer says about the customer.
fn customer_finished(answer: &PaymentResult) -> bool {
    // `Completed` or `Authorized` without our Execute cannot come from bKash's
    // documented flow; Execute's own answer (2117 "already done" → Query)
    // then settles it, so the journal follows bKash, never this guess.
    answer.verification_status == Some(VerificationStatus::Complete)
        || matches!(answer.transaction_status, TransactionStatus::Completed | TransactionStatus::Authorized)
}

impl PaymentService {
    /// Waits for the customer to pay on their phone, then executes: the
    /// payment's row when it settles, is cancelled by the cashier, or the
    /// wait times out (cancelled with cause `phone_timed_out`; Execute is
    /// never sent). After a cancel it keeps asking, on the same schedule,
    /// only to record a customer who finished anyway: that payment is never
    /// executed, so nothing is charged.
    pub async fn await_phone(&self, id: i64, wait: PhoneWait) -> Result<PaymentRow, PaymentError> {
        for delay in wait.delays() {
            tokio::time::sleep(delay).await;
            let row = self.get(id).await?;
            let cancelled = match row.state {
                PaymentState::AwaitingCustomer => false,
                PaymentState::Cancelled => true,
                _ => return Ok(row),
            };
            let polls = self.journal(move |j, _| j.count_status_poll(id)).await?;
            crate::failpoint::hit("phone_waiting");
            let answer = async { self.client_for(row.product)?.query_payment(&ExpectedPayment::from(&row)).await }.await;
            match answer {
                Ok(answer) if customer_finished(&answer) => {
                    crate::failpoint::hit("phone_verified");
                    if cancelled {
                        return self.note_late_customer(id, polls).await;
                    }
                    self.note(id, EventKind::CustomerVerified, asked(polls, "bKash says the customer finished on their phone")).await?;
                    match self.execute(id).await {
                        // The cashier's cancel was committed first: the journal's
                        // guard refused `Executing`, and nothing was sent.
                        Err(PaymentError::WrongState { .. } | PaymentError::Journal(JournalError::IllegalTransition { .. })) => {
                            return self.note_late_customer(id, polls).await;
                        }
                        done => return done,
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::info!(payment = id, error = %e, "no status answer yet; asking again later"),
            }
        }
        let row = self.get(id).await?;
        if row.state != PaymentState::AwaitingCustomer {
            return Ok(row);
        }
        let facts = TransitionFacts {
            detail: Some(format!(
                "the customer did not finish on their phone within {} s; execute never sent ({} status questions)",
                wait.timeout.as_secs(),
                row.status_polls
            )),
            cause: Some(Cause::PhoneTimedOut),
            ..Default::default()
        };
        match self.commit(id, PaymentState::Cancelled, facts).await {
            // The cashier's cancel (or a final answer) came first.
            Err(PaymentError::Journal(JournalError::IllegalTransition { .. })) => self.get(id).await,
            done => done,
        }
    }

    async fn note_late_customer(&self, id: i64, polls: u32) -> Result<PaymentRow, PaymentError> {
        let facts = asked(polls, "customer finished after the cashier cancelled; not executed, nothing charged");
        self.record(vec![Step::Note { id, kind: EventKind::CustomerFinishedLate, facts }]).await?;
        self.get(id).await
    }
}

fn asked(polls: u32, what: &str) -> TransitionFacts {
    TransitionFacts { detail: Some(format!("{what} (status question {polls})")), ..Default::default() }
}
