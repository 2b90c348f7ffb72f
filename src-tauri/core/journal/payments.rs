//! The payments table, its guarded transitions and its event log.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::open::classify;
use super::{Journal, JournalError};
use crate::money::{invoice_problem, sql_list, Cause, PayAt, PaymentState, Product};
use crate::money::{EventKind, EventState};

/// What the cashier's Pay starts.
#[derive(Debug, Clone)]
pub struct NewPayment {
    /// The bKash product that will carry it to its end.
    pub product: Product,
    /// Where the customer pays (the phone only with Tokenized).
    pub pay_at: PayAt,
    pub order_id: String,
    pub invoice: String,
    pub amount_poisha: u64,
    pub counter_id: Option<String>,
    pub cashier: Option<String>,
}

/// One payment as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: i64,
    pub order_id: String,
    pub invoice: String,
    pub amount_poisha: u64,
    pub state: PaymentState,
    pub payment_id: Option<String>,
    pub trx_id: Option<String>,
    pub customer_msisdn: Option<String>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    /// Why it ended or waits without bKash's own word (see `Cause`).
    pub cause: Option<Cause>,
    pub counter_id: Option<String>,
    pub cashier: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
    /// The bKash product that created it, and so executes, queries and refunds it.
    pub product: Product,
    pub pay_at: PayAt,
    /// How many times the counter asked bKash whether the customer had
    /// finished on their phone (before Execute; bounded per payment).
    pub status_polls: u32,
}

/// What bKash (or the app) said with a transition. IDs are write-once: a
/// value given here fills an empty column and must match a filled one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransitionFacts {
    pub payment_id: Option<String>,
    pub trx_id: Option<String>,
    pub customer_msisdn: Option<String>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    /// Why, in words (never a secret): "execute timed out", "startup: execute never sent".
    pub detail: Option<String>,
    /// The same as a stable code, when bKash gave none.
    pub cause: Option<Cause>,
}

/// How many payments are in one state, and their amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateTotal {
    pub state: PaymentState,
    pub count: u64,
    pub amount_poisha: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub payment: i64,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub from_state: Option<EventState>,
    pub to_state: Option<EventState>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    pub detail: Option<String>,
    pub cause: Option<Cause>,
}

pub(super) const COLUMNS: &str =
    "id, order_id, invoice, amount_poisha, state, payment_id, trx_id, customer_msisdn, bkash_code, bkash_message, \
                       counter_id, cashier, created_at, updated_at, settled_at, cause, product, pay_at, status_polls";

/// A stored amount or count. The schema never holds a negative one; a row
/// that does is read as an error, never as an enormous number.
pub(super) fn unsigned(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<u64> {
    let value: i64 = r.get(at)?;
    u64::try_from(value).map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            at,
            rusqlite::types::Type::Integer,
            format!("a negative amount or count ({value})").into(),
        )
    })
}

pub(super) fn time(text: String) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(super) fn row_to_payment(r: &Row<'_>) -> rusqlite::Result<PaymentRow> {
    Ok(PaymentRow {
        id: r.get(0)?,
        order_id: r.get(1)?,
        invoice: r.get(2)?,
        amount_poisha: unsigned(r, 3)?,
        state: r.get(4)?,
        payment_id: r.get(5)?,
        trx_id: r.get(6)?,
        customer_msisdn: r.get(7)?,
        bkash_code: r.get(8)?,
        bkash_message: r.get(9)?,
        counter_id: r.get(10)?,
        cashier: r.get(11)?,
        created_at: time(r.get(12)?)?,
        updated_at: time(r.get(13)?)?,
        settled_at: r.get::<_, Option<String>>(14)?.map(time).transpose()?,
        cause: cause(r, 15)?,
        product: r.get(16)?,
        pay_at: r.get(17)?,
        status_polls: r.get(18)?,
    })
}

/// A cause this version does not know (written by a newer one) reads as none
/// rather than stopping the journal.
pub(super) fn cause(r: &Row<'_>, column: usize) -> rusqlite::Result<Option<Cause>> {
    Ok(r.get::<_, Option<String>>(column)?.as_deref().and_then(Cause::parse))
}

pub(super) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// bKash's invoice rule, checked before anything is written.
fn check_invoice(invoice: &str) -> Result<(), JournalError> {
    match invoice_problem(invoice) {
        Some(problem) => Err(JournalError::Invalid { field: "invoice", problem: problem.into() }),
        None => Ok(()),
    }
}

pub(super) fn get(conn: &Connection, id: i64) -> Result<PaymentRow, JournalError> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM payments WHERE id = ?1"), [id], row_to_payment)
        .optional()?
        .ok_or(JournalError::NotFound(id))
}

/// One page of a day's list, newest first, and how many rows match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentPage {
    pub rows: Vec<PaymentRow>,
    pub total: u64,
}

/// What the manager's list is filtered by.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    pub state: Option<PaymentState>,
    /// Matches an invoice, paymentID or trxID (anywhere, any case), or the
    /// last digits of the customer's wallet.
    pub search: Option<String>,
}

impl Journal {
    /// Records a new payment in `New`. Refused when the order already has a
    /// payment that is not settled as not charged.
    pub fn start_payment(&mut self, new: &NewPayment, now: DateTime<Utc>) -> Result<PaymentRow, JournalError> {
        if let Some(damaged) = self.health.refusal() {
            return Err(damaged);
        }
        check_invoice(&new.invoice)?;
        if new.order_id.trim().is_empty() || new.order_id.len() > 64 {
            return Err(JournalError::Invalid { field: "order_id", problem: "must be 1 to 64 characters".into() });
        }
        if new.amount_poisha == 0 || new.amount_poisha > i64::MAX as u64 {
            return Err(JournalError::Invalid { field: "amount", problem: "must be more than zero".into() });
        }
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        // The cashier is the sale's, who rang it up, unless the caller names one.
        let inserted = tx.execute(
            "INSERT INTO payments (order_id, invoice, amount_poisha, state, counter_id, cashier, created_at, updated_at, product, pay_at)
             VALUES (?1, ?2, ?3, ?7, ?4, coalesce(?5, (SELECT cashier FROM sales WHERE order_id = ?1)), ?6, ?6, ?8, ?9)",
            params![
                new.order_id,
                new.invoice,
                new.amount_poisha as i64,
                new.counter_id,
                new.cashier,
                stamp(now),
                PaymentState::New,
                new.product,
                new.pay_at
            ],
        );
        if let Err(e) = inserted {
            let text = e.to_string();
            return Err(if text.contains("sale already paid in cash") {
                JournalError::SaleAlreadyPaid { order_id: new.order_id.clone() }
            } else if text.contains("payments.invoice") {
                JournalError::DuplicateInvoice(new.invoice.clone())
            } else if text.contains("payments.order_id") {
                JournalError::LivePaymentExists { order_id: new.order_id.clone() }
            } else {
                classify(&path, e)
            });
        }
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO payment_events (payment, at, kind, to_state, detail) VALUES (?1, ?2, 'started', ?4, ?3)",
            params![id, stamp(now), format!("amount {} poisha, invoice {}", new.amount_poisha, new.invoice), PaymentState::New],
        )?;
        let row = get(&tx, id)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(row)
    }

    /// Moves payment `id` to `to` in one immediate transaction: a guarded
    /// `UPDATE … WHERE state IN (allowed)`, the write-once facts, and the
    /// event row. Committed (and synced) before this returns.
    pub fn transition(
        &mut self,
        id: i64,
        to: PaymentState,
        facts: &TransitionFacts,
        now: DateTime<Utc>,
    ) -> Result<PaymentRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let before = get(&tx, id)?;
        let allowed = sql_list(PaymentState::allowed_from(to));
        let settled = to.is_final().then(|| stamp(now));
        let changed = tx
            .execute(
                &format!(
                    "UPDATE payments SET state = ?2, updated_at = ?3, settled_at = COALESCE(settled_at, ?4),
                         payment_id = COALESCE(payment_id, ?5), trx_id = COALESCE(trx_id, ?6),
                         customer_msisdn = COALESCE(?7, customer_msisdn),
                         bkash_code = COALESCE(?8, bkash_code), bkash_message = COALESCE(?9, bkash_message),
                         cause = ?10
                     WHERE id = ?1 AND state IN ({allowed})"
                ),
                params![
                    id,
                    to,
                    stamp(now),
                    settled,
                    facts.payment_id,
                    facts.trx_id,
                    facts.customer_msisdn,
                    facts.bkash_code,
                    facts.bkash_message,
                    facts.cause.map(Cause::as_str)
                ],
            )
            .map_err(|e| classify(&path, e))?;
        if changed != 1 {
            return Err(JournalError::IllegalTransition { id, from: before.state.to_string(), to: to.to_string() });
        }
        let after = get(&tx, id)?;
        // COALESCE keeps the first value; a different one is a conflict of facts.
        for (name, given, kept) in [("paymentID", &facts.payment_id, &after.payment_id), ("trxID", &facts.trx_id, &after.trx_id)] {
            if given.is_some() && given != kept {
                return Err(JournalError::FactConflict(format!(
                    "{name} {} was recorded, {} was given",
                    kept.as_deref().unwrap_or("-"),
                    given.as_deref().unwrap_or("-")
                )));
            }
        }
        tx.execute(
            "INSERT INTO payment_events (payment, at, kind, from_state, to_state, bkash_code, bkash_message, detail, cause)
             VALUES (?1, ?2, 'transition', ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, stamp(now), before.state, to, facts.bkash_code, facts.bkash_message, facts.detail, facts.cause.map(Cause::as_str)],
        )?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(after)
    }

    /// Records a bKash answer (or a failed call) that changes no state, such
    /// as a Query that still could not reach bKash.
    pub fn note(&mut self, id: i64, kind: EventKind, facts: &TransitionFacts, now: DateTime<Utc>) -> Result<(), JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        tx.execute(
            "INSERT INTO payment_events (payment, at, kind, bkash_code, bkash_message, detail, cause) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, stamp(now), kind, facts.bkash_code, facts.bkash_message, facts.detail, facts.cause.map(Cause::as_str)],
        )?;
        // The latest reason a still-open payment waits is what screens show.
        if let Some(cause) = facts.cause {
            tx.execute("UPDATE payments SET cause = ?2 WHERE id = ?1", params![id, cause.as_str()])?;
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(())
    }

    /// Counts one question to bKash about whether the customer has finished
    /// on their phone, before the counter sends it (so a crash mid-question
    /// never under-counts). Returns the payment's count so far.
    pub fn count_status_poll(&mut self, id: i64) -> Result<u32, JournalError> {
        let path = self.path.clone();
        let polls = self
            .conn
            .query_row("UPDATE payments SET status_polls = status_polls + 1 WHERE id = ?1 RETURNING status_polls", [id], |r| r.get(0))
            .optional()
            .map_err(|e| classify(&path, e))?;
        polls.ok_or(JournalError::NotFound(id))
    }

    /// Raw access for tests that check the schema's own guards.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
