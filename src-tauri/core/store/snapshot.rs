//! The outbox's snapshots read back: the JSON each journal row becomes
//! (the `outbox_*` views' `json_object` of journal migration 007, which the
//! triggers of `journal/outbox_triggers.sql` insert) into the row again. The
//! one reader of that shape; `tests/it/store/snapshot.rs` decodes what the
//! triggers really wrote and compares it with the journal's own rows, so a
//! trigger and this codec cannot drift apart.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::StoreError;
use crate::journal::{EventRow, PaymentRow, RefundRow};
use crate::money::{Cause, EventKind, EventState, StoredName};

pub(super) fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("a stored {what} cannot be read: {e}"))
}

/// A stored amount or count, never negative; one that is cannot be read.
pub(super) fn unsigned(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| bad("amount or count", format!("{value} is negative")))
}

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

fn time(body: &Value, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    text(body, key).map(|t| DateTime::parse_from_rfc3339(&t).map(|t| t.with_timezone(&Utc)).map_err(|e| bad(key, e))).transpose()
}

fn named<S: StoredName + std::str::FromStr>(body: &Value, key: &str) -> Result<Option<S>, StoreError> {
    text(body, key).map(|t| t.parse::<S>().map_err(|_| bad(key, &t))).transpose()
}

/// A journal row's snapshot (the outbox's `json_object`) back into the row.
pub fn payment_row(body: &Value) -> Result<PaymentRow, StoreError> {
    let int = |key: &str| body.get(key).and_then(Value::as_i64).ok_or_else(|| bad("payment", key));
    Ok(PaymentRow {
        id: int("id")?,
        order_id: text(body, "order_id").unwrap_or_default(),
        invoice: text(body, "invoice").unwrap_or_default(),
        amount_poisha: unsigned(int("amount_poisha")?)?,
        state: named(body, "state")?.ok_or_else(|| bad("payment", "state"))?,
        payment_id: text(body, "payment_id"),
        trx_id: text(body, "trx_id"),
        customer_msisdn: text(body, "customer_msisdn"),
        bkash_code: text(body, "bkash_code"),
        bkash_message: text(body, "bkash_message"),
        cause: text(body, "cause").as_deref().and_then(Cause::parse),
        counter_id: text(body, "counter_id"),
        cashier: text(body, "cashier"),
        created_at: time(body, "created_at")?.ok_or_else(|| bad("payment", "created_at"))?,
        updated_at: time(body, "updated_at")?.ok_or_else(|| bad("payment", "updated_at"))?,
        settled_at: time(body, "settled_at")?,
        product: named(body, "product")?.unwrap_or_default(),
        pay_at: named(body, "pay_at")?.unwrap_or_default(),
        status_polls: int("status_polls").unwrap_or(0) as u32,
    })
}

pub fn event_row(body: &Value) -> Result<EventRow, StoreError> {
    let kind: EventKind = named(body, "kind")?.ok_or_else(|| bad("event", "kind"))?;
    let state = |key: &str| text(body, key).map(|t| EventState::parse(kind, &t).map_err(|e| bad("event", e))).transpose();
    Ok(EventRow {
        id: body.get("id").and_then(Value::as_i64).unwrap_or(0),
        payment: body.get("payment").and_then(Value::as_i64).unwrap_or(0),
        at: time(body, "at")?.ok_or_else(|| bad("event", "at"))?,
        kind,
        from_state: state("from_state")?,
        to_state: state("to_state")?,
        bkash_code: text(body, "bkash_code"),
        bkash_message: text(body, "bkash_message"),
        detail: text(body, "detail"),
        cause: text(body, "cause").as_deref().and_then(Cause::parse),
    })
}

pub fn refund_row(body: &Value) -> Result<RefundRow, StoreError> {
    Ok(RefundRow {
        id: body.get("id").and_then(Value::as_i64).unwrap_or(0),
        payment: body.get("payment").and_then(Value::as_i64).unwrap_or(0),
        amount_poisha: body.get("amount_poisha").and_then(Value::as_u64).unwrap_or(0),
        sku: text(body, "sku").unwrap_or_default(),
        reason: text(body, "reason").unwrap_or_default(),
        state: named(body, "state")?.ok_or_else(|| bad("refund", "state"))?,
        refund_trx_id: text(body, "refund_trx_id"),
        bkash_code: text(body, "bkash_code"),
        bkash_message: text(body, "bkash_message"),
        created_at: time(body, "created_at")?.ok_or_else(|| bad("refund", "created_at"))?,
    })
}

/// A shift's snapshot as the store's day lists it; a closed one's figures
/// are its Z report's, as it was printed.
pub fn store_shift(counter: String, body: &Value, movements: u64) -> Result<super::views::StoreShift, StoreError> {
    let int = |key: &str| body.get(key).and_then(Value::as_i64);
    let z: Option<crate::shift::ShiftReport> = body
        .get("z_body")
        .filter(|z| !z.is_null())
        .map(|z| serde_json::from_value(z.clone()).map_err(|e| bad("Z report", e)))
        .transpose()?;
    let tally = |c: &crate::shift::Count| crate::report::Tally { count: c.count, amount_poisha: c.amount_poisha };
    Ok(super::views::StoreShift {
        counter,
        shift: int("id").ok_or_else(|| bad("shift", "id"))?,
        opened_by: text(body, "opened_by").unwrap_or_default(),
        opened_at: time(body, "opened_at")?.ok_or_else(|| bad("shift", "opened_at"))?,
        closed_at: time(body, "closed_at")?,
        closed_by: text(body, "closed_by"),
        z_number: int("z_number"),
        float_poisha: unsigned(int("float_poisha").ok_or_else(|| bad("shift", "float_poisha"))?)?,
        cash: z.as_ref().map(|z| tally(&z.cash)),
        bkash: z.as_ref().map(|z| tally(&z.bkash)),
        expected_poisha: int("expected_poisha").map(unsigned).transpose()?,
        counted_poisha: int("counted_poisha").map(unsigned).transpose()?,
        difference_poisha: int("difference_poisha"),
        movements,
    })
}
