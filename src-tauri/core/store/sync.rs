//! `OutboxPusher`: the journal's outbox into PostgreSQL, in seq order, one
//! batch per PostgreSQL transaction. Idempotent by construction:
//!
//! - events are keyed (merchant, store, counter, seq) and inserted with
//!   `ON CONFLICT DO NOTHING`, so a resent batch adds nothing;
//! - the copies of journal rows carry the seq of their snapshot and are only
//!   replaced by a newer one, so a resend never rolls a row back;
//! - the journal's `outbox_sent` moves only after PostgreSQL committed.
//!
//! A counter killed between PostgreSQL's commit and its own acknowledgement
//! sends that batch again on its next start, and nothing changes.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::actions::{pending_for, ActionRequest};
use super::{claim_counter, schema, StoreConfig, StoreError};
use crate::journal::{Outbox, OutboxEntry};
use crate::money::{Clock, Secret};

/// What the counter shows about its sync, and what it reports to the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// Journal changes PostgreSQL has not acknowledged.
    pub pending: i64,
    /// When the store stopped answering (RFC 3339, UTC); None while it answers.
    #[ts(type = "string | null")]
    pub offline_since: Option<DateTime<Utc>>,
    /// The last time the store acknowledged a batch.
    #[ts(type = "string | null")]
    pub last_sent_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed, in words (never a password).
    pub problem: Option<String>,
    /// The store refused this counter for good (its id is taken, its login
    /// refused, its schema too new): a manager must change the settings.
    pub refused: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PushReport {
    pub entries: usize,
    pub batches: usize,
}

/// Wakes the pusher early (after a commit), so the manager's view is not a
/// poll interval behind the counter.
#[derive(Default)]
pub struct SyncNudge {
    pending: Mutex<bool>,
    signal: Condvar,
}

impl SyncNudge {
    pub fn nudge(&self) {
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.signal.notify_all();
    }

    /// Sleeps up to `max`, or until nudged.
    pub fn wait(&self, max: StdDuration) {
        let guard = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let (mut guard, _) = self.signal.wait_timeout_while(guard, max, |nudged| !*nudged).unwrap_or_else(|p| p.into_inner());
        *guard = false;
    }
}

pub struct OutboxPusher {
    config: StoreConfig,
    password: Secret,
    outbox: Outbox,
    install_id: String,
    /// The connection, with the batch statement prepared on it.
    pg: Option<(postgres::Client, postgres::Statement)>,
    clock: Arc<dyn Clock>,
    status: Arc<Mutex<SyncStatus>>,
    batch: usize,
    connect_timeout: StdDuration,
    last_prune: Option<std::time::Instant>,
    /// The journal's outbox is on (see `Outbox::enable`).
    joined: bool,
    /// Where other counters' actions on this counter's payments go to be
    /// carried out (`store::actions`); read after each successful push.
    inbox: Option<tokio::sync::mpsc::Sender<Vec<ActionRequest>>>,
    /// The store's staff accounts, swapped with this counter's after a push
    /// (at most every [`Self::STAFF_EVERY`]).
    staff: Option<StaffLink>,
}

struct StaffLink {
    exchange: super::staff::StaffExchange,
    staff: Arc<crate::staff::Staff>,
    last: Option<std::time::Instant>,
}

impl OutboxPusher {
    /// The default batch: large enough that a backlog of a day clears in
    /// seconds, small enough that one PostgreSQL transaction stays short.
    pub const BATCH: usize = 500;

    pub fn new(config: StoreConfig, password: Secret, journal: &Path, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        config.check()?;
        let outbox = Outbox::open(journal).map_err(|e| StoreError::Journal(e.to_string()))?;
        let install_id = outbox.install_id().map_err(|e| StoreError::Journal(e.to_string()))?;
        let pusher = Self {
            config,
            password,
            outbox,
            install_id,
            pg: None,
            clock,
            status: Arc::default(),
            batch: Self::BATCH,
            connect_timeout: StdDuration::from_secs(5),
            last_prune: None,
            joined: false,
            inbox: None,
            staff: None,
        };
        pusher.refresh_pending();
        Ok(pusher)
    }

    /// Hands other counters' actions on this counter's payments to `inbox`.
    /// A batch is offered only while the last one is done (capacity 1):
    /// what is not taken is found again on the next push.
    pub fn with_inbox(mut self, inbox: tokio::sync::mpsc::Sender<Vec<ActionRequest>>) -> Self {
        self.inbox = Some(inbox);
        self
    }

    /// How often an idle counter asks the store for other counters' staff changes.
    pub const STAFF_EVERY: StdDuration = StdDuration::from_secs(10);

    /// Swaps staff accounts with the store after pushes (`store::staff`).
    pub fn with_staff(mut self, exchange: super::staff::StaffExchange, staff: Arc<crate::staff::Staff>) -> Self {
        self.staff = Some(StaffLink { exchange, staff, last: None });
        self
    }

    /// The staff exchange, when it is due. A failure is logged and tried
    /// again next time: sign-in never waits for the store.
    fn exchange_staff(&mut self) {
        let Some(link) = self.staff.as_mut() else { return };
        if link.last.is_some_and(|at| at.elapsed() < Self::STAFF_EVERY) {
            return;
        }
        link.last = Some(std::time::Instant::now());
        match link.exchange.exchange(&link.staff) {
            Ok(done) if done != Default::default() => tracing::info!(?done, "staff accounts swapped with the store"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "staff accounts not swapped with the store; tried again later"),
        }
    }

    /// Offers the actions waiting for this counter to the inbox, if it is free.
    fn collect_actions(&mut self) {
        let Some(inbox) = self.inbox.clone() else { return };
        if inbox.capacity() == 0 {
            return;
        }
        let config = self.config.clone();
        let found = self.connection().and_then(|(pg, _)| pending_for(pg, &config, 20));
        match found {
            Ok(actions) if !actions.is_empty() => {
                let _ = inbox.try_send(actions);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "other counters' actions on this counter's payments could not be read; tried again"),
        }
    }

    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// The status the counter's banner and the manager's screen read.
    pub fn status_handle(&self) -> Arc<Mutex<SyncStatus>> {
        self.status.clone()
    }

    pub fn status(&self) -> SyncStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn refresh_pending(&self) {
        if let Ok(backlog) = self.outbox.backlog() {
            self.status.lock().unwrap_or_else(|p| p.into_inner()).pending = backlog.pending;
        }
    }

    /// The connection, opened (schema brought up to date, counter id
    /// claimed) when there is none.
    fn connection(&mut self) -> Result<(&mut postgres::Client, &postgres::Statement), StoreError> {
        if self.pg.as_ref().is_some_and(|(pg, _)| pg.is_closed()) {
            self.pg = None;
        }
        if self.pg.is_none() {
            let mut pg = self.config.connect(&self.password, self.connect_timeout)?;
            schema::check(&mut pg)?;
            claim_counter(&mut pg, &self.config, &self.install_id)?;
            let batch = pg.prepare(&BATCH_STATEMENT)?;
            self.pg = Some((pg, batch));
        }
        let (pg, batch) = self.pg.as_mut().expect("just connected");
        Ok((pg, &*batch))
    }

    /// Sends one batch. Ok(0) when nothing is pending.
    pub fn push_batch(&mut self) -> Result<usize, StoreError> {
        if !self.joined {
            // On the sync's own thread, not at start-up: joining snapshots
            // the journal's whole history, seconds for a year of it.
            if self.outbox.enable().map_err(|e| StoreError::Journal(e.to_string()))? {
                tracing::info!("this journal joined a store: everything it holds is queued for the store");
            }
            self.joined = true;
        }
        let entries = self.outbox.pending(self.batch).map_err(|e| StoreError::Journal(e.to_string()))?;
        if entries.is_empty() {
            return Ok(0);
        }
        let journal_seq = self.outbox.last_seq().map_err(|e| StoreError::Journal(e.to_string()))?;
        let last = entries.last().expect("not empty").seq;
        let config = self.config.clone();
        let (pg, statement) = self.connection()?;
        let result = write_batch(pg, statement, &config, &entries, journal_seq);
        if let Err(e) = &result {
            if e.is_offline() {
                self.pg = None;
            }
        }
        result?;
        let now = self.clock.now();
        self.outbox.acknowledge(last, &now.to_rfc3339()).map_err(|e| StoreError::Journal(e.to_string()))?;
        Ok(entries.len())
    }

    fn heartbeat(&mut self) -> Result<(), StoreError> {
        let journal_seq = self.outbox.last_seq().map_err(|e| StoreError::Journal(e.to_string()))?;
        let c = self.config.clone();
        let (pg, _) = self.connection()?;
        let result = pg.execute(
            "UPDATE counters SET journal_seq = greatest(journal_seq, $4), last_push_at = now()
             WHERE merchant = $1 AND store_id = $2 AND counter_id = $3",
            &[&c.merchant, &c.store_id, &c.counter_id, &journal_seq],
        );
        if result.as_ref().is_err_and(|e| e.is_closed() || e.as_db_error().is_none()) {
            self.pg = None;
        }
        result.map(drop).map_err(StoreError::from)
    }

    /// How long acknowledged entries stay in the journal's outbox (for a
    /// look at what was sent); the store keeps them for good.
    pub const KEEP_SENT: chrono::Duration = chrono::Duration::days(30);

    /// Sends everything pending and records the outcome in the status.
    pub fn push_all(&mut self) -> Result<PushReport, StoreError> {
        let mut report = PushReport::default();
        let result = loop {
            match self.push_batch() {
                // Nothing (more) to send: still tell the store this counter
                // is alive, so the manager can tell "idle" from "cut off".
                Ok(0) => break self.heartbeat().map(|()| report),
                Ok(n) => {
                    report.entries += n;
                    report.batches += 1;
                }
                Err(e) => break Err(e),
            }
        };
        let now = self.clock.now();
        {
            let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
            match &result {
                Ok(report) => {
                    status.offline_since = None;
                    status.problem = None;
                    status.refused = false;
                    if report.entries > 0 {
                        status.last_sent_at = Some(now);
                    }
                }
                Err(e) => {
                    if e.is_offline() && status.offline_since.is_none() {
                        status.offline_since = Some(now);
                    }
                    status.refused = e.refuses_this_counter();
                    status.problem = Some(e.to_string());
                }
            }
        }
        self.refresh_pending();
        if result.is_ok() {
            self.collect_actions();
        }
        if result.is_ok() && self.last_prune.is_none_or(|at| at.elapsed() > StdDuration::from_secs(3600)) {
            self.last_prune = Some(std::time::Instant::now());
            let before = (now - Self::KEEP_SENT).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            if let Err(e) = self.outbox.prune(&before) {
                tracing::warn!(error = %e, "the journal's sent outbox entries could not be pruned");
            }
        }
        result
    }

    /// The background loop: push, then wait for a nudge or `interval`;
    /// while the store is unreachable, wait longer each time (up to 30 s) so
    /// a dead server costs the counter nothing. Returns when `stop` says so.
    pub fn run(mut self, nudge: Arc<SyncNudge>, interval: StdDuration, stop: impl Fn() -> bool) {
        let mut backoff = interval;
        while !stop() {
            match self.push_all() {
                Ok(_) => {
                    backoff = interval;
                    self.exchange_staff();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "store sync: not sent; the journal keeps everything and it is sent later");
                    backoff = (backoff * 2).min(StdDuration::from_secs(30));
                }
            }
            nudge.wait(backoff);
        }
    }
}

/// One batch in one statement (so one PostgreSQL transaction and one round
/// trip): the events, the copies of the rows they describe, and the
/// counter's progress. Each body is parsed once (`e`).
fn write_batch(
    pg: &mut postgres::Client,
    statement: &postgres::Statement,
    c: &StoreConfig,
    entries: &[OutboxEntry],
    journal_seq: i64,
) -> Result<(), StoreError> {
    let seqs: Vec<i64> = entries.iter().map(|e| e.seq).collect();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    let bodies: Vec<&str> = entries.iter().map(|e| e.body.as_str()).collect();
    let ats: Vec<&str> = entries.iter().map(|e| e.at.as_str()).collect();
    let last = *seqs.last().expect("not empty");
    pg.execute(statement, &[&c.merchant, &c.store_id, &c.counter_id, &seqs, &kinds, &bodies, &ats, &last, &journal_seq])?;
    Ok(())
}

/// $1 merchant, $2 store, $3 counter, $4..$7 the batch (seq, kind, body,
/// at), $8 its last seq, $9 the journal's newest seq. The copies keep the
/// newest snapshot per row and replace only an older one.
static BATCH_STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut sql = String::from(
        "WITH e AS MATERIALIZED (
            SELECT b.seq, b.kind, b.body::jsonb AS body, b.at::timestamptz AS at
            FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[]) AS b(seq, kind, body, at)),
         new_events AS (
            INSERT INTO events (merchant, store_id, counter_id, seq, kind, body, at)
            SELECT $1::text, $2::text, $3::text, seq, kind, body, at FROM e ON CONFLICT DO NOTHING)",
    );
    for (name, projection) in PROJECTIONS {
        sql.push_str(&format!(",\n         {name} AS ({projection})"));
    }
    sql.push_str(
        "\n UPDATE counters SET pushed_seq = greatest(pushed_seq, $8), journal_seq = greatest(journal_seq, $9), last_push_at = now()
         WHERE merchant = $1 AND store_id = $2 AND counter_id = $3",
    );
    sql
});

/// The copies of the journal's rows, one data-modifying CTE each, read from
/// the batch `e`.
const PROJECTIONS: &[(&str, &str)] = &[
    (
        "p",
        "INSERT INTO payments (merchant, store_id, counter_id, local_id, seq, order_id, invoice, amount_poisha, state,
                               trx_id, cashier, product, created_at, updated_at, body)
         SELECT DISTINCT ON ((body->>'id')::bigint) $1::text, $2::text, $3::text, (body->>'id')::bigint, seq,
                body->>'order_id', body->>'invoice', (body->>'amount_poisha')::bigint, body->>'state', body->>'trx_id',
                body->>'cashier', body->>'product', (body->>'created_at')::timestamptz, (body->>'updated_at')::timestamptz, body
         FROM e WHERE kind = 'payment' ORDER BY (body->>'id')::bigint, seq DESC
         ON CONFLICT (merchant, store_id, counter_id, local_id) DO UPDATE
            SET seq = EXCLUDED.seq, state = EXCLUDED.state, trx_id = EXCLUDED.trx_id, cashier = EXCLUDED.cashier,
                updated_at = EXCLUDED.updated_at, body = EXCLUDED.body, synced_at = now()
            WHERE payments.seq < EXCLUDED.seq",
    ),
    (
        "r",
        "INSERT INTO refunds (merchant, store_id, counter_id, local_id, seq, payment, amount_poisha, state, created_at, updated_at, body)
         SELECT DISTINCT ON ((body->>'id')::bigint) $1::text, $2::text, $3::text, (body->>'id')::bigint, seq,
                (body->>'payment')::bigint, (body->>'amount_poisha')::bigint, body->>'state',
                (body->>'created_at')::timestamptz, (body->>'updated_at')::timestamptz, body
         FROM e WHERE kind = 'refund' ORDER BY (body->>'id')::bigint, seq DESC
         ON CONFLICT (merchant, store_id, counter_id, local_id) DO UPDATE
            SET seq = EXCLUDED.seq, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body
            WHERE refunds.seq < EXCLUDED.seq",
    ),
    (
        "sr",
        "INSERT INTO store_refunds (merchant, store_id, counter_id, local_id, seq, origin_counter, origin_payment, amount_poisha,
                                    state, updated_at, body)
         SELECT DISTINCT ON ((body->>'id')::bigint) $1::text, $2::text, $3::text, (body->>'id')::bigint, seq,
                body->>'origin_counter', (body->>'origin_payment')::bigint, (body->>'amount_poisha')::bigint, body->>'state',
                (body->>'updated_at')::timestamptz, body
         FROM e WHERE kind = 'store_refund' ORDER BY (body->>'id')::bigint, seq DESC
         ON CONFLICT (merchant, store_id, counter_id, local_id) DO UPDATE
            SET seq = EXCLUDED.seq, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body
            WHERE store_refunds.seq < EXCLUDED.seq",
    ),
    (
        "sa",
        "INSERT INTO sales (merchant, store_id, counter_id, local_id, seq, order_id, cashier, total_poisha, opened_at, finished_at, body)
         SELECT DISTINCT ON ((body->>'id')::bigint) $1::text, $2::text, $3::text, (body->>'id')::bigint, seq,
                body->>'order_id', body->>'cashier', (body->>'total_poisha')::bigint,
                (body->>'opened_at')::timestamptz, (body->>'finished_at')::timestamptz, body
         FROM e WHERE kind = 'sale' ORDER BY (body->>'id')::bigint, seq DESC
         ON CONFLICT (merchant, store_id, counter_id, local_id) DO UPDATE
            SET seq = EXCLUDED.seq, total_poisha = EXCLUDED.total_poisha, finished_at = EXCLUDED.finished_at, body = EXCLUDED.body
            WHERE sales.seq < EXCLUDED.seq",
    ),
    (
        "ct",
        "INSERT INTO cash_tenders (merchant, store_id, counter_id, sale, amount_poisha, at, body)
         SELECT $1::text, $2::text, $3::text, (body->>'sale')::bigint, (body->>'amount_poisha')::bigint,
                (body->>'at')::timestamptz, body
         FROM e WHERE kind = 'cash_tender' ON CONFLICT DO NOTHING",
    ),
    (
        "dc",
        "INSERT INTO drawer_counts (merchant, store_id, counter_id, day, seq, body)
         SELECT DISTINCT ON (body->>'day') $1::text, $2::text, $3::text, (body->>'day')::date, seq, body
         FROM e WHERE kind = 'drawer_count' ORDER BY body->>'day', seq DESC
         ON CONFLICT (merchant, store_id, counter_id, day) DO UPDATE SET seq = EXCLUDED.seq, body = EXCLUDED.body
            WHERE drawer_counts.seq < EXCLUDED.seq",
    ),
    (
        "act",
        "INSERT INTO store_actions (merchant, store_id, counter_id, local_id, seq, kind, origin_counter, origin_payment, outcome,
                                    updated_at, body)
         SELECT DISTINCT ON ((body->>'id')::bigint) $1::text, $2::text, $3::text, (body->>'id')::bigint, seq, body->>'kind',
                body->>'origin_counter', (body->>'origin_payment')::bigint, body->>'outcome', (body->>'updated_at')::timestamptz, body
         FROM e WHERE kind = 'store_action' ORDER BY (body->>'id')::bigint, seq DESC
         ON CONFLICT (merchant, store_id, counter_id, local_id) DO UPDATE
            SET seq = EXCLUDED.seq, outcome = EXCLUDED.outcome, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body
            WHERE store_actions.seq < EXCLUDED.seq",
    ),
    (
        "rc",
        "INSERT INTO store_action_receipts (merchant, store_id, counter_id, acting_counter, action_id, body)
         SELECT $1::text, $2::text, $3::text, body->>'acting_counter', (body->>'action_id')::bigint, body
         FROM e WHERE kind = 'store_action_receipt' ON CONFLICT DO NOTHING",
    ),
    (
        "sh",
        "INSERT INTO shifts (merchant, store_id, counter_id, local_id, seq, opened_by, opened_at, closed_at, body)
         SELECT DISTINCT ON ((body->>'id')::bigint) $1::text, $2::text, $3::text, (body->>'id')::bigint, seq,
                body->>'opened_by', (body->>'opened_at')::timestamptz, (body->>'closed_at')::timestamptz, body
         FROM e WHERE kind = 'shift' ORDER BY (body->>'id')::bigint, seq DESC
         ON CONFLICT (merchant, store_id, counter_id, local_id) DO UPDATE
            SET seq = EXCLUDED.seq, closed_at = EXCLUDED.closed_at, body = EXCLUDED.body
            WHERE shifts.seq < EXCLUDED.seq",
    ),
    (
        "dm",
        "INSERT INTO drawer_movements (merchant, store_id, counter_id, local_id, shift, body)
         SELECT $1::text, $2::text, $3::text, (body->>'id')::bigint, (body->>'shift')::bigint, body
         FROM e WHERE kind = 'drawer_movement' ON CONFLICT DO NOTHING",
    ),
    (
        "dr",
        "INSERT INTO counter_day_reports (merchant, store_id, counter_id, number, day, body)
         SELECT $1::text, $2::text, $3::text, (body->>'number')::bigint, (body->>'day')::date, body
         FROM e WHERE kind = 'day_report' ON CONFLICT DO NOTHING",
    ),
];

/// The pusher on a thread of its own, for the app's life.
pub struct SyncThread {
    status: Arc<Mutex<SyncStatus>>,
    nudge: Arc<SyncNudge>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl SyncThread {
    /// How often an idle counter looks for changes (a commit nudges it
    /// sooner) and tells the store it is alive.
    pub const INTERVAL: StdDuration = StdDuration::from_secs(2);

    pub fn start(pusher: OutboxPusher) -> std::io::Result<Self> {
        Self::start_every(pusher, Self::INTERVAL)
    }

    pub fn start_every(pusher: OutboxPusher, interval: StdDuration) -> std::io::Result<Self> {
        let status = pusher.status_handle();
        let nudge = Arc::new(SyncNudge::default());
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (n, s) = (nudge.clone(), stop.clone());
        std::thread::Builder::new()
            .name("store-sync".into())
            .spawn(move || pusher.run(n, interval, move || s.load(std::sync::atomic::Ordering::Relaxed)))?;
        Ok(Self { status, nudge, stop })
    }

    pub fn status(&self) -> SyncStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Something was committed: push it now rather than at the next tick.
    pub fn nudge(&self) {
        self.nudge.nudge();
    }

    /// The nudge itself, for parts that commit outside the payment events.
    pub fn nudger(&self) -> Arc<SyncNudge> {
        self.nudge.clone()
    }
}

impl Drop for SyncThread {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.nudge.nudge();
    }
}
