//! `StoreReader`: the manager's store-wide day, read from PostgreSQL: the
//! totals (per state, per counter, per cashier), the hourly chart, the day
//! list with search, one payment's history from any counter, each
//! counter's sync state, and the store's end-of-day report, numbered once.
//!
//! Rows are the counters' own journal rows as they last pushed them, so a
//! counter that is behind shows up in `counters` with how far: its unsent
//! changes are never silently missing.

use std::time::Duration as StdDuration;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::pool::PgSlot;
use super::snapshot::{bad, event_row, payment_row, refund_row, store_shift, unsigned};
use super::{StoreConfig, StoreError};
use crate::journal::{PaymentFilter, PaymentRow};
use crate::money::Secret;
use crate::payment::PaymentView;
use crate::report::{bangladesh_day, DaySummary, EventView, RefundView, ReportRow, Tally};

pub use super::views::*;

pub struct StoreReader {
    pg: PgSlot,
}

/// Another payment of the store ($1 merchant, $2 store) that has trxID $3,
/// other than payment $5 of counter $4.
const RECORDED_ON_ANOTHER: &str = "SELECT counter_id, local_id FROM payments
     WHERE trx_id = $3 AND merchant = $1 AND store_id = $2 AND (counter_id, local_id) <> ($4, $5)";

/// The store's shifts opened or closed in [`start`, `end`), and every one
/// still open, oldest first.
fn shifts(pg: &mut postgres::Client, m: &str, s: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<StoreShift>, StoreError> {
    pg.query(
        "SELECT sh.counter_id, sh.body, (SELECT count(*) FROM drawer_movements d WHERE d.merchant = sh.merchant
                AND d.store_id = sh.store_id AND d.counter_id = sh.counter_id AND d.shift = sh.local_id)
         FROM shifts sh WHERE sh.merchant = $1 AND sh.store_id = $2
           AND ((sh.opened_at >= $3 AND sh.opened_at < $4) OR sh.closed_at IS NULL OR (sh.closed_at >= $3 AND sh.closed_at < $4))
         ORDER BY sh.opened_at, sh.counter_id",
        &[&m, &s, &start, &end],
    )?
    .iter()
    .map(|r| store_shift(r.get(0), &r.get::<_, Value>(1), unsigned(r.get(2))?))
    .collect()
}

fn tally(count: i64, poisha: i64) -> Tally {
    Tally { count: count as u64, amount_poisha: poisha as u64 }
}

impl StoreReader {
    pub fn new(config: StoreConfig, password: Secret) -> Self {
        Self { pg: PgSlot::new(config, password, StdDuration::from_secs(5)) }
    }

    fn key(&self) -> (String, String) {
        (self.pg.config().merchant.clone(), self.pg.config().store_id.clone())
    }

    /// The day's page `page` of payments matching `filter`, with the store's
    /// totals and every counter's sync state.
    pub fn day(&self, day: NaiveDate, filter: &PaymentFilter, page: u32) -> Result<StoreDayPage, StoreError> {
        let (start, end) = bangladesh_day(day);
        let (m, s) = self.key();
        self.pg.with(|pg| {
            let summary = summary(pg, &m, &s, day, start, end)?;
            let (by_counter, by_cashier) = (groups(pg, &m, &s, "counter_id", start, end)?, groups(pg, &m, &s, "cashier", start, end)?);
            let mut hourly_poisha = vec![0u64; 24];
            for row in pg.query(
                "SELECT floor(extract(epoch FROM created_at - $3) / 3600)::int, sum(amount_poisha)::bigint FROM payments
                 WHERE merchant = $1 AND store_id = $2 AND created_at >= $3 AND created_at < $4 AND state = 'completed'
                 GROUP BY 1",
                &[&m, &s, &start, &end],
            )? {
                let (hour, poisha): (i32, i64) = (row.get(0), row.get(1));
                if let Some(slot) = hourly_poisha.get_mut(hour as usize) {
                    *slot += poisha as u64;
                }
            }
            let state = filter.state.map(|s| s.as_str());
            let search = filter.search.as_deref().map(str::trim).filter(|t| !t.is_empty());
            let like = search.map(|t| format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
            let digits = search.filter(|t| t.bytes().all(|b| b.is_ascii_digit())).map(|t| format!("%{t}"));
            let filters = "merchant = $1 AND store_id = $2 AND created_at >= $3 AND created_at < $4
                 AND ($5::text IS NULL OR state = $5)
                 AND ($6::text IS NULL OR invoice ILIKE $6 OR body->>'payment_id' ILIKE $6 OR trx_id ILIKE $6
                      OR ($7::text IS NOT NULL AND body->>'customer_msisdn' LIKE $7))";
            let total: i64 = pg
                .query_one(&format!("SELECT count(*) FROM payments WHERE {filters}"), &[&m, &s, &start, &end, &state, &like, &digits])?
                .get(0);
            let offset = i64::from(page) * PAGE_SIZE;
            let rows = pg
                .query(
                    &format!(
                        "SELECT counter_id, cashier, body FROM payments WHERE {filters}
                         ORDER BY created_at DESC, counter_id, local_id LIMIT $8 OFFSET $9"
                    ),
                    &[&m, &s, &start, &end, &state, &like, &digits, &PAGE_SIZE, &offset],
                )?
                .iter()
                .map(|r| {
                    Ok(StorePayment {
                        counter: r.get(0),
                        cashier: r.get(1),
                        payment: PaymentView::from(&payment_row(&r.get::<_, Value>(2))?),
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(StoreDayPage {
                summary,
                by_counter,
                by_cashier,
                hourly_poisha,
                rows,
                total: total as u64,
                page,
                page_size: PAGE_SIZE as u32,
                counters: counters(pg, &m, &s)?,
                shifts: shifts(pg, &m, &s, start, end)?,
            })
        })
    }

    /// Every payment of the store on `day`, oldest first, as the day's
    /// export lists them: each with the counter whose journal holds it.
    pub fn transactions(&self, day: NaiveDate) -> Result<Vec<ReportRow>, StoreError> {
        let (start, end) = bangladesh_day(day);
        let (m, s) = self.key();
        self.pg.with(|pg| {
            pg.query(
                "SELECT counter_id, body FROM payments
                 WHERE merchant = $1 AND store_id = $2 AND created_at >= $3 AND created_at < $4
                 ORDER BY created_at, counter_id, local_id",
                &[&m, &s, &start, &end],
            )?
            .iter()
            .map(|r| {
                let row = payment_row(&r.get::<_, Value>(1))?;
                Ok(ReportRow { counter: Some(r.get(0)), ..ReportRow::from(&row) })
            })
            .collect()
        })
    }

    /// Payment `id` of counter `counter`, as that counter last sent it.
    pub fn payment(&self, counter: &str, id: i64) -> Result<PaymentRow, StoreError> {
        let (m, s) = self.key();
        self.pg.with(|pg| payment_in(pg, &m, &s, counter, id))
    }

    /// Which other payment of the store (counter, id) already has trxID
    /// `trx_id`, or holds it for a resolution by hand, if any.
    pub fn trx_taken(&self, trx_id: &str, counter: &str, id: i64) -> Result<Option<(String, i64)>, StoreError> {
        let (m, s) = self.key();
        self.pg.with(|pg| {
            Ok(pg
                .query_opt(
                    &format!(
                        "{RECORDED_ON_ANOTHER}
                         UNION ALL
                         SELECT origin_counter, origin_payment FROM trx_claims
                         WHERE merchant = $1 AND store_id = $2 AND trx_id = $3 AND (origin_counter, origin_payment) <> ($4, $5)
                         LIMIT 1"
                    ),
                    &[&m, &s, &trx_id, &counter, &id],
                )?
                .map(|r| (r.get(0), r.get(1))))
        })
    }

    /// Holds `trx_id` for payment `id` of `counter`, unless another payment
    /// of the store has it or holds it: then that one. Two counters claiming
    /// at once are serialised by the claim's key.
    pub fn claim_trx(&self, trx_id: &str, counter: &str, id: i64) -> Result<Option<(String, i64)>, StoreError> {
        let (m, s) = self.key();
        let acting = self.pg.config().counter_id.clone();
        self.pg.with(|pg| {
            let mut tx = pg.transaction()?;
            let recorded = tx.query_opt(&format!("{RECORDED_ON_ANOTHER} LIMIT 1"), &[&m, &s, &trx_id, &counter, &id])?;
            if let Some(r) = recorded {
                return Ok(Some((r.get(0), r.get(1))));
            }
            tx.execute(
                "INSERT INTO trx_claims (merchant, store_id, trx_id, origin_counter, origin_payment, acting_counter)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[&m, &s, &trx_id, &counter, &id, &acting],
            )?;
            let holder = tx.query_one(
                "SELECT origin_counter, origin_payment FROM trx_claims WHERE merchant = $1 AND store_id = $2 AND trx_id = $3",
                &[&m, &s, &trx_id],
            )?;
            tx.commit()?;
            let holder: (String, i64) = (holder.get(0), holder.get(1));
            Ok((holder != (counter.to_string(), id)).then_some(holder))
        })
    }

    /// Gives up a claim this payment holds (bKash refused the trxID for it).
    pub fn release_trx(&self, trx_id: &str, counter: &str, id: i64) -> Result<(), StoreError> {
        let (m, s) = self.key();
        self.pg.with(|pg| {
            pg.execute(
                "DELETE FROM trx_claims WHERE merchant = $1 AND store_id = $2 AND trx_id = $3 AND origin_counter = $4 AND origin_payment = $5",
                &[&m, &s, &trx_id, &counter, &id],
            )?;
            Ok(())
        })
    }

    /// One payment of counter `counter` (its journal's id `id`).
    pub fn history(&self, counter: &str, id: i64) -> Result<StoreHistory, StoreError> {
        let (m, s) = self.key();
        self.pg.with(|pg| {
            let payment = payment_in(pg, &m, &s, counter, id)?;
            let events = pg
                .query(
                    "SELECT body FROM events
                     WHERE merchant = $1 AND store_id = $2 AND counter_id = $3 AND kind = 'payment_event'
                       AND (body->>'payment')::bigint = $4
                     ORDER BY seq",
                    &[&m, &s, &counter, &id],
                )?
                .iter()
                .map(|r| event_row(&r.get::<_, Value>(0)).map(|e| EventView::from(&e)))
                .collect::<Result<Vec<_>, _>>()?;
            let refunds = pg
                .query(
                    "SELECT body FROM all_refunds
                     WHERE merchant = $1 AND store_id = $2 AND origin_counter = $3 AND origin_payment = $4
                     ORDER BY body->>'created_at', acting_counter, local_id",
                    &[&m, &s, &counter, &id],
                )?
                .iter()
                .map(|r| refund_row(&r.get::<_, Value>(0)))
                .collect::<Result<Vec<_>, _>>()?;
            let actions = pg
                .query(
                    "SELECT a.counter_id, a.kind, a.outcome, a.body->>'detail', a.updated_at, r.body->>'state_after'
                     FROM store_actions a
                     LEFT JOIN store_action_receipts r
                       ON (r.merchant, r.store_id, r.acting_counter, r.action_id) = (a.merchant, a.store_id, a.counter_id, a.local_id)
                     WHERE a.merchant = $1 AND a.store_id = $2 AND a.origin_counter = $3 AND a.origin_payment = $4
                     ORDER BY a.updated_at, a.counter_id, a.local_id",
                    &[&m, &s, &counter, &id],
                )?
                .iter()
                .map(|r| {
                    Ok(StoreActionEntry {
                        acting_counter: r.get(0),
                        kind: r.get::<_, String>(1).parse().map_err(|e: String| bad("action", e))?,
                        outcome: r.get::<_, String>(2).parse().map_err(|e: String| bad("action", e))?,
                        detail: r.get(3),
                        at: r.get::<_, DateTime<Utc>>(4),
                        carried_out: r.get::<_, Option<String>>(5).map(|s| s.parse().map_err(|e: String| bad("receipt", e))).transpose()?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let refundable_poisha =
                crate::money::refundable(payment.state, payment.amount_poisha, refunds.iter().map(|r| (r.state, r.amount_poisha)));
            Ok(StoreHistory {
                counter: counter.to_string(),
                payment: PaymentView::from(&payment),
                events,
                refunds: refunds.iter().map(RefundView::from).collect(),
                refundable_poisha,
                actions,
            })
        })
    }

    /// The store's report of `day`: written the first time it is asked for,
    /// under a lock, and the same report (same number) every time after.
    pub fn close_day(&self, day: NaiveDate, closed_by: &str, now: DateTime<Utc>) -> Result<StoreEndOfDay, StoreError> {
        let (start, end) = bangladesh_day(day);
        let (m, s) = self.key();
        self.pg.with(|pg| {
            let mut tx = pg.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))", &[&format!("store-day {m} {s}")])?;
            if let Some(row) = tx.query_opt("SELECT body FROM store_day_reports WHERE merchant = $1 AND store_id = $2 AND day = $3", &[&m, &s, &day])? {
                return serde_json::from_value(row.get::<_, Value>(0)).map_err(|e| bad("store report", e));
            }
            let number: i64 = tx
                .query_one("SELECT coalesce(max(number), 0) + 1 FROM store_day_reports WHERE merchant = $1 AND store_id = $2", &[&m, &s])?
                .get(0);
            // Closed days are those with a report; what changed there since
            // the last report was closed goes on this one.
            let corrections = tx
                .query(
                    "SELECT p.counter_id, p.body FROM payments p
                     WHERE p.merchant = $1 AND p.store_id = $2
                       AND p.synced_at > coalesce((SELECT max(closed_at) FROM store_day_reports WHERE merchant = $1 AND store_id = $2), '-infinity')
                       AND EXISTS (SELECT 1 FROM store_day_reports r WHERE r.merchant = $1 AND r.store_id = $2
                                     AND p.created_at >= (r.day::timestamp AT TIME ZONE 'UTC') - interval '6 hours'
                                     AND p.created_at < (r.day::timestamp AT TIME ZONE 'UTC') + interval '18 hours')
                     ORDER BY p.created_at LIMIT 500",
                    &[&m, &s],
                )?
                .iter()
                .map(|r| {
                    let row = payment_row(&r.get::<_, Value>(1))?;
                    Ok(StoreCorrection {
                        counter: r.get(0),
                        id: row.id,
                        invoice: row.invoice,
                        amount_poisha: row.amount_poisha,
                        state: row.state,
                        trx_id: row.trx_id,
                        created_at: row.created_at,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let report = StoreEndOfDay {
                number,
                day,
                closed_at: now,
                closed_by: closed_by.to_string(),
                summary: summary(&mut tx, &m, &s, day, start, end)?,
                by_counter: groups(&mut tx, &m, &s, "counter_id", start, end)?,
                by_cashier: groups(&mut tx, &m, &s, "cashier", start, end)?,
                behind: counters(&mut tx, &m, &s)?.into_iter().filter(|c| c.behind > 0 || c.silent).collect(),
                corrections,
            };
            let body = serde_json::to_value(&report).expect("the report serialises");
            tx.execute(
                "INSERT INTO store_day_reports (merchant, store_id, number, day, closed_at, closed_by, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&m, &s, &number, &day, &now, &closed_by, &body],
            )?;
            tx.commit()?;
            Ok(report)
        })
    }
}

/// Payment `id` of counter `counter` as the store holds it.
fn payment_in(pg: &mut postgres::Client, m: &str, s: &str, counter: &str, id: i64) -> Result<PaymentRow, StoreError> {
    let row = pg
        .query_opt(
            "SELECT body FROM payments WHERE merchant = $1 AND store_id = $2 AND counter_id = $3 AND local_id = $4",
            &[&m, &s, &counter, &id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("payment {id} of counter {counter}")))?;
    payment_row(&row.get::<_, Value>(0))
}

/// The day's totals: by state, refunds of the day's payments, cash, net.
fn summary(
    pg: &mut impl postgres::GenericClient,
    m: &str,
    s: &str,
    day: NaiveDate,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<DaySummary, StoreError> {
    let rows = pg.query(
        "SELECT state, count(*), coalesce(sum(amount_poisha), 0)::bigint FROM payments
         WHERE merchant = $1 AND store_id = $2 AND created_at >= $3 AND created_at < $4 GROUP BY state",
        &[&m, &s, &start, &end],
    )?;
    let totals = rows
        .iter()
        .map(|r| {
            let state: String = r.get(0);
            Ok(crate::journal::StateTotal {
                state: state.parse().map_err(|_| bad("payment state", &state))?,
                count: unsigned(r.get(1))?,
                amount_poisha: unsigned(r.get(2))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut summary = crate::report::day_summary(day, |_, _| Ok(totals)).map_err(|e| bad("day", e))?;
    let refunded = pg.query_one(
        "SELECT count(*), coalesce(sum(r.amount_poisha), 0)::bigint FROM all_refunds r JOIN payments p
            ON (p.merchant, p.store_id, p.counter_id, p.local_id) = (r.merchant, r.store_id, r.origin_counter, r.origin_payment)
         WHERE r.merchant = $1 AND r.store_id = $2 AND r.state = 'completed' AND p.created_at >= $3 AND p.created_at < $4",
        &[&m, &s, &start, &end],
    )?;
    summary.refunded = tally(refunded.get(0), refunded.get(1));
    let cash = pg.query_one(
        "SELECT count(*), coalesce(sum(amount_poisha), 0)::bigint FROM cash_tenders
         WHERE merchant = $1 AND store_id = $2 AND at >= $3 AND at < $4",
        &[&m, &s, &start, &end],
    )?;
    summary.cash = tally(cash.get(0), cash.get(1));
    summary.net_poisha = (summary.completed.amount_poisha + summary.cash.amount_poisha).saturating_sub(summary.refunded.amount_poisha);
    Ok(summary)
}

/// bKash, cash and refunds per counter (`column` = counter_id) or per cashier.
fn groups(
    pg: &mut impl postgres::GenericClient,
    m: &str,
    s: &str,
    column: &'static str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<StoreGroup>, StoreError> {
    let (payment_key, sale_key) = match column {
        "counter_id" => ("p.counter_id", "c.counter_id"),
        _ => ("coalesce(p.cashier, '')", "coalesce(sa.cashier, '')"),
    };
    let sql = format!(
        "WITH bkash AS (SELECT {payment_key} AS name, count(*) AS n, sum(p.amount_poisha)::bigint AS poisha FROM payments p
                        WHERE p.merchant = $1 AND p.store_id = $2 AND p.created_at >= $3 AND p.created_at < $4
                          AND p.state = 'completed' GROUP BY 1),
              cash AS (SELECT {sale_key} AS name, count(*) AS n, sum(c.amount_poisha)::bigint AS poisha FROM cash_tenders c
                       LEFT JOIN sales sa ON (sa.merchant, sa.store_id, sa.counter_id, sa.local_id) = (c.merchant, c.store_id, c.counter_id, c.sale)
                       WHERE c.merchant = $1 AND c.store_id = $2 AND c.at >= $3 AND c.at < $4 GROUP BY 1),
              refunded AS (SELECT {payment_key} AS name, count(*) AS n, sum(r.amount_poisha)::bigint AS poisha FROM all_refunds r
                       JOIN payments p ON (p.merchant, p.store_id, p.counter_id, p.local_id) = (r.merchant, r.store_id, r.origin_counter, r.origin_payment)
                       WHERE r.merchant = $1 AND r.store_id = $2 AND r.state = 'completed'
                         AND p.created_at >= $3 AND p.created_at < $4 GROUP BY 1)
         SELECT name, coalesce(b.n, 0), coalesce(b.poisha, 0), coalesce(c.n, 0), coalesce(c.poisha, 0),
                coalesce(r.n, 0), coalesce(r.poisha, 0)
         FROM bkash b FULL JOIN cash c USING (name) FULL JOIN refunded r USING (name) ORDER BY name"
    );
    Ok(pg
        .query(&sql, &[&m, &s, &start, &end])?
        .iter()
        .map(|r| StoreGroup {
            name: r.get(0),
            bkash: tally(r.get(1), r.get(2)),
            cash: tally(r.get(3), r.get(4)),
            refunded: tally(r.get(5), r.get(6)),
        })
        .collect())
}

fn counters(pg: &mut impl postgres::GenericClient, m: &str, s: &str) -> Result<Vec<CounterSync>, StoreError> {
    Ok(pg
        .query(
            "SELECT counter_id, greatest(journal_seq - pushed_seq, 0), last_push_at,
                    coalesce(last_push_at < now() - make_interval(secs => $3), true)
             FROM counters WHERE merchant = $1 AND store_id = $2 ORDER BY counter_id",
            &[&m, &s, &(SILENT_AFTER_SECS as f64)],
        )?
        .iter()
        .map(|r| CounterSync { counter: r.get(0), behind: r.get(1), last_contact: r.get(2), silent: r.get(3) })
        .collect())
}
