//! A made-up but realistic shop history, written straight into a journal:
//! what a busy counter leaves after a year. Benchmarks and tests use it to
//! measure and check the journal at the size a real shop reaches.
//!
//! Every payment has what the app itself writes: an order, an invoice, a
//! counter and a cashier, bKash's paymentID, a wallet, a trxID when paid, the
//! event rows of each step, and bKash's code when refused. Some paid ones are
//! refunded in part; the last day carries a few payments still `unknown`.
//! Deterministic for a given seed.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Connection};

/// How much history to write.
#[derive(Debug, Clone, Copy)]
pub struct History {
    pub payments: u64,
    pub days: i64,
    /// The moment the history ends (the newest payment is just before it).
    pub until: DateTime<Utc>,
    pub counters: u32,
    pub seed: u64,
}

impl History {
    /// A year of a busy shop with ten counters: `payments` over 365 days.
    pub fn year(payments: u64) -> Self {
        Self { payments, days: 365, until: Utc::now(), counters: 10, seed: 2026 }
    }
}

/// What was written, for the caller's checks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub payments: u64,
    pub events: u64,
    pub refunds: u64,
    pub still_unknown: u64,
}

const CASHIERS: [&str; 6] = ["rina", "karim", "shuvo", "mitu", "jamal", "tania"];
const REFUSALS: [(&str, &str); 4] = [
    ("2023", "Insufficient Balance"),
    ("2014", "Wrong PIN"),
    ("2016", "Wrong verification code"),
    ("2029", "Duplicate for all transactions"),
];
/// The last this many payments of the history are left `unknown`: carried over.
const CARRIED_OVER: u64 = 12;

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn code(rng: &mut StdRng, letters: &[u8], len: usize) -> String {
    (0..len).map(|_| letters[rng.random_range(0..letters.len())] as char).collect()
}

/// Writes `history` into the journal's connection, in one transaction.
pub fn write(conn: &Connection, history: History) -> Result<Written, rusqlite::Error> {
    let mut rng = StdRng::seed_from_u64(history.seed);
    let first = history.until - Duration::days(history.days);
    let step_ms = (history.days * 86_400_000) / history.payments.max(1) as i64;
    let mut written = Written::default();
    conn.execute_batch("BEGIN IMMEDIATE")?;
    {
        let mut payment = conn.prepare(
            "INSERT INTO payments (id, order_id, invoice, amount_poisha, state, payment_id, trx_id, customer_msisdn, bkash_code,
                                   bkash_message, counter_id, cashier, created_at, updated_at, settled_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        let mut event = conn.prepare(
            "INSERT INTO payment_events (payment, at, kind, from_state, to_state, bkash_code, bkash_message, detail)
             VALUES (?1, ?2, 'transition', ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut refund = conn.prepare(
            "INSERT INTO refunds (payment, amount_poisha, sku, reason, state, refund_trx_id, created_at, updated_at)
             VALUES (?1, ?2, 'SKU-1', 'returned by the customer', 'completed', ?3, ?4, ?4)",
        )?;
        const DIGITS: &[u8] = b"0123456789";
        const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for i in 0..history.payments {
            let id = i as i64 + 1;
            let at = first + Duration::milliseconds(step_ms * i as i64 + rng.random_range(0..step_ms.max(1)));
            let counter = format!("C{}", 1 + i % u64::from(history.counters.max(1)));
            let cashier = CASHIERS[rng.random_range(0..CASHIERS.len())];
            // Most sales are small; a few are large.
            let amount: u64 = if rng.random_bool(0.05) { rng.random_range(500_000..5_000_000) } else { rng.random_range(2_000..150_000) };
            let roll = rng.random_range(0..1000);
            let carried = i + CARRIED_OVER >= history.payments;
            let state = match roll {
                _ if carried => "unknown",
                0..=879 => "completed",
                880..=939 => "failed",
                940..=984 => "cancelled",
                _ => "not_charged",
            };
            let payment_id = format!("TR0011{}", code(&mut rng, UPPER, 14));
            let wallet = format!("01{}{}", rng.random_range(3..10), code(&mut rng, DIGITS, 8));
            let trx_id = (state == "completed").then(|| format!("{}{id:07}", code(&mut rng, UPPER, 3)));
            let refusal = (state == "failed").then(|| REFUSALS[rng.random_range(0..REFUSALS.len())]);
            let settled = (state != "unknown").then(|| stamp(at + Duration::seconds(40)));
            payment.execute(params![
                id,
                format!("S-{id}"),
                format!("{counter}-{}-{:08X}", at.format("%Y%m%d%H%M%S"), id),
                amount as i64,
                state,
                payment_id,
                trx_id,
                (state == "completed" || state == "failed").then_some(wallet.as_str()),
                refusal.map(|r| r.0),
                refusal.map(|r| r.1),
                counter,
                cashier,
                stamp(at),
                stamp(at + Duration::seconds(40)),
                settled,
            ])?;
            written.payments += 1;
            written.still_unknown += u64::from(carried);
            let steps: &[(&str, &str)] = match state {
                "completed" | "failed" | "unknown" => {
                    &[("new", "creating"), ("creating", "awaiting_customer"), ("awaiting_customer", "executing"), ("executing", "")]
                }
                "cancelled" => &[("new", "creating"), ("creating", "awaiting_customer"), ("awaiting_customer", "cancelled")],
                _ => &[("new", "creating"), ("creating", "not_charged")],
            };
            for (n, (from, to)) in steps.iter().enumerate() {
                let to = if to.is_empty() { state } else { to };
                let (code, message) = if to == "failed" { refusal.unzip() } else { (None, None) };
                let detail = (to == "unknown").then_some("execute: no definitive answer from bKash: timed out");
                event.execute(params![id, stamp(at + Duration::seconds(10 * n as i64)), from, to, code, message, detail])?;
                written.events += 1;
            }
            if state == "completed" && rng.random_bool(0.02) {
                let part = (amount / 2).max(1);
                refund.execute(params![
                    id,
                    part as i64,
                    format!("R{}{id:07}", code(&mut rng, UPPER, 2)),
                    stamp(at + Duration::hours(2))
                ])?;
                written.refunds += 1;
            }
        }
    }
    conn.execute_batch("COMMIT")?;
    Ok(written)
}
