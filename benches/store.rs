//! The store on PostgreSQL (#17), measured on a private PostgreSQL
//! (`scripts/pg`) on loopback:
//!
//! - sync throughput: `OutboxPusher` against a bare batched INSERT loop of
//!   the same rows into one table, in the same run (ABAB rounds);
//! - commit at a counter → row in the store's database (what the manager's
//!   view reads), p95, against a bare one-row INSERT round trip;
//! - the manager's first page over 1,000,000 payments from 10 counters
//!   (a year), against the same page over 1,000 payments;
//! - a chain-scale run: 250 simulated counters in this process (their own
//!   journals, their own connections) pushing at a busy shop's rate for
//!   `STORE_CHAIN_SECS` (600 by default; 0 skips it): sustained events per
//!   second, p95 lag, PostgreSQL's CPU.
//!
//! Run: `cargo bench --bench store`.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use pos_core::journal::sample::{self, History};
use pos_core::journal::{Journal, NewPayment, Outbox, PaymentFilter, TransitionFacts};
use pos_core::money::{PayAt, PaymentState, Product, SystemClock};
use pos_core::report::bangladesh;
use pos_core::store::day::StoreReader;
use pos_core::store::{OutboxPusher, StoreConfig, SyncThread};

mod common;
#[allow(dead_code)] // the tests' restarts are not used here
#[path = "../tests/it/pg.rs"]
mod pg;
use common::{finish, median, report};
use pg::PrivatePg;

fn percentile(values: &[Duration], p: f64) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let pg = PrivatePg::start();
    sync_throughput(&pg);
    commit_to_store(&pg);
    first_page(&pg);
    let chain_secs: u64 = std::env::var("STORE_CHAIN_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    if chain_secs > 0 {
        chain_scale(&pg, chain_secs);
    }
    finish();
}

/// A journal holding `payments` payments of sample history, just joined to
/// a store (so every row has its outbox entry).
fn sample_journal(dir: &Path, name: &str, payments: u64) -> std::path::PathBuf {
    let path = dir.join(name);
    drop(Journal::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    sample::write(&conn, History { payments, days: 30, until: Utc::now(), counters: 1, seed: 7 }).unwrap();
    // As a counter joining a store: everything it holds goes to its outbox.
    Outbox::open(&path).unwrap().enable().unwrap();
    path
}

fn sync_throughput(pg: &PrivatePg) {
    let dir = tempfile::tempdir().unwrap();
    let journal = sample_journal(dir.path(), "sync.sqlite3", 5_000);
    let entries = Outbox::open(&journal).unwrap().pending(usize::MAX >> 1).unwrap();
    let n = entries.len();
    let mut bare_db = pg.admin_client("postgres");
    bare_db.batch_execute("CREATE DATABASE bare_loop").unwrap();
    let mut bare = pg.admin_client("bare_loop");
    bare.batch_execute("CREATE TABLE bare (seq bigint PRIMARY KEY, kind text NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL)")
        .unwrap();
    let (mut pushes, mut loops) = (Vec::new(), Vec::new());
    for round in 0..3 {
        // The pusher: a fresh store database, everything pending.
        let (db, role, password) = pg.store_database(&format!("sync_round_{round}"));
        rusqlite::Connection::open(&journal).unwrap().execute("UPDATE outbox_sent SET through_seq = 0", []).unwrap();
        let mut pusher = OutboxPusher::new(pg.config(&db, &role, "c1"), password, &journal, Arc::new(SystemClock)).unwrap();
        let start = Instant::now();
        let sent = pusher.push_all().unwrap();
        pushes.push(start.elapsed());
        assert_eq!(sent.entries, n);
        // The floor: the same rows, the same batches, one bare INSERT each.
        bare.batch_execute("TRUNCATE bare").unwrap();
        let start = Instant::now();
        for batch in entries.chunks(OutboxPusher::BATCH) {
            let seqs: Vec<i64> = batch.iter().map(|e| e.seq).collect();
            let kinds: Vec<&str> = batch.iter().map(|e| e.kind.as_str()).collect();
            let bodies: Vec<&str> = batch.iter().map(|e| e.body.as_str()).collect();
            let ats: Vec<&str> = batch.iter().map(|e| e.at.as_str()).collect();
            let mut tx = bare.transaction().unwrap();
            tx.execute(
                "INSERT INTO bare SELECT e.seq, e.kind, e.body::jsonb, e.at::timestamptz
                 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS e(seq, kind, body, at)",
                &[&seqs, &kinds, &bodies, &ats],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        loops.push(start.elapsed());
    }
    let (push, floor) = (median(&pushes), median(&loops));
    let ratio = push.as_secs_f64() / floor.as_secs_f64();
    println!(
        "sync: {n} outbox entries; pusher {:.0} ms ({:.0} entries/s), bare batched INSERT {:.0} ms ({:.0} rows/s)",
        ms(push),
        n as f64 / push.as_secs_f64(),
        ms(floor),
        n as f64 / floor.as_secs_f64()
    );
    report(
        "store sync throughput vs a bare batched INSERT loop",
        &format!("{ratio:.2}x ({:.0} entries/s)", n as f64 / push.as_secs_f64()),
        "≤ 3.0x the bare loop",
        ratio <= 3.0,
    );
}

fn new_payment(order: &str, counter: &str) -> NewPayment {
    NewPayment {
        product: Product::Checkout,
        pay_at: PayAt::Counter,
        order_id: order.into(),
        invoice: format!("{counter}-{order}"),
        amount_poisha: 42_000,
        counter_id: Some(counter.into()),
        cashier: Some("rina".into()),
    }
}

fn commit_to_store(pg: &PrivatePg) {
    let dir = tempfile::tempdir().unwrap();
    let (db, role, password) = pg.store_database("commit_lag");
    let path = dir.path().join("lag.sqlite3");
    let mut journal = Journal::open(&path).unwrap();
    let mut pusher = OutboxPusher::new(pg.config(&db, &role, "c1"), password, &path, Arc::new(SystemClock)).unwrap();
    // Connected, schema in place, counter claimed: as a counter that has run a while.
    pusher.push_all().unwrap();
    let sync = SyncThread::start(pusher).unwrap();
    let mut manager = pg.admin_client(&db);
    let mut bare = pg.admin_client("bare_loop");
    bare.batch_execute("CREATE TABLE one (id bigint PRIMARY KEY)").unwrap();
    let (mut lags, mut trips) = (Vec::new(), Vec::new());
    for i in 0..200i64 {
        let row = journal.start_payment(&new_payment(&format!("LAG-{i}"), "c1"), Utc::now()).unwrap();
        let committed = Instant::now();
        sync.nudge();
        while manager
            .query_opt("SELECT 1 FROM bkash_store.payments WHERE counter_id = 'c1' AND local_id = $1", &[&row.id])
            .unwrap()
            .is_none()
        {
            std::thread::sleep(Duration::from_micros(500));
        }
        lags.push(committed.elapsed());
        let start = Instant::now();
        bare.execute("INSERT INTO one VALUES ($1)", &[&i]).unwrap();
        trips.push(start.elapsed());
        std::thread::sleep(Duration::from_millis(20));
    }
    let (p95, trip) = (percentile(&lags, 0.95), percentile(&trips, 0.95));
    println!(
        "commit → store: p50 {:.1} ms, p95 {:.1} ms; a bare INSERT round trip p95 {:.2} ms",
        ms(percentile(&lags, 0.5)),
        ms(p95),
        ms(trip)
    );
    report(
        "commit at a counter → in the store's database, p95 (loopback)",
        &format!("{:.1} ms ({:.0}x a bare INSERT round trip)", ms(p95), p95.as_secs_f64() / trip.as_secs_f64()),
        "≤ 250 ms",
        p95 <= Duration::from_millis(250),
    );
}

/// `count` payments of `counters` counters over the last 365 days, written
/// straight into the store's tables as the sync would have left them.
fn fill_store(pg: &PrivatePg, db: &str, count: i64, counters: i64) {
    let mut admin = pg.admin_client(db);
    admin
        .execute(
            "INSERT INTO bkash_store.payments (merchant, store_id, counter_id, local_id, seq, order_id, invoice, amount_poisha, state,
                                               trx_id, cashier, product, created_at, updated_at, body)
             SELECT 'sandboxTestUser', 'dhanmondi', 'c' || (i % $2::bigint), i / $2::bigint + 1, i, 'ORDER-' || i, 'INV-' || i, 1000 + (i * 7919) % 500000,
                    CASE WHEN i % 20 = 0 THEN 'failed' WHEN i % 53 = 0 THEN 'cancelled' ELSE 'completed' END,
                    CASE WHEN i % 20 = 0 OR i % 53 = 0 THEN NULL ELSE 'TRX' || i END,
                    (ARRAY['rina','karim','shuvo','mitu','jamal','tania'])[1 + i % 6], 'checkout', at, at,
                    jsonb_build_object('id', i / $2 + 1, 'order_id', 'ORDER-' || i, 'invoice', 'INV-' || i,
                        'amount_poisha', 1000 + (i * 7919) % 500000,
                        'state', CASE WHEN i % 20 = 0 THEN 'failed' WHEN i % 53 = 0 THEN 'cancelled' ELSE 'completed' END,
                        'payment_id', 'PAY' || i, 'trx_id', CASE WHEN i % 20 = 0 OR i % 53 = 0 THEN NULL ELSE 'TRX' || i END,
                        'customer_msisdn', '0177' || lpad((i % 10000000)::text, 7, '0'), 'counter_id', 'c' || (i % $2),
                        'cashier', (ARRAY['rina','karim','shuvo','mitu','jamal','tania'])[1 + i % 6],
                        'created_at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
                        'updated_at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
                        'product', 'checkout', 'pay_at', 'counter', 'status_polls', 0)
             FROM (SELECT i, now() - (i * (365 * 86400.0 / $1::bigint)) * interval '1 second' AS at
                   FROM generate_series(1::bigint, $1::bigint) AS i) g",
            &[&count, &counters],
        )
        .unwrap();
    admin
        .execute(
            "INSERT INTO bkash_store.refunds (merchant, store_id, counter_id, local_id, seq, payment, amount_poisha, state, created_at, updated_at, body)
             SELECT merchant, store_id, counter_id, local_id, seq, local_id, amount_poisha / 2, 'completed', created_at, created_at,
                    jsonb_build_object('id', local_id, 'payment', local_id, 'amount_poisha', amount_poisha / 2, 'sku', 'SKU-1',
                                       'reason', 'returned', 'state', 'completed', 'created_at', created_at)
             FROM bkash_store.payments WHERE state = 'completed' AND seq % 50 = 0",
            &[],
        )
        .unwrap();
    admin.batch_execute("ANALYZE").unwrap();
}

fn first_page(pg: &PrivatePg) {
    let measure = |name: &str, count: i64| {
        let (db, role, password) = pg.store_database(name);
        let reader = StoreReader::new(pg.config(&db, &role, "c0"), password);
        // The first read opens the connection and brings the schema up.
        reader.day(Utc::now().date_naive(), &PaymentFilter::default(), 0).unwrap();
        let started = Instant::now();
        fill_store(pg, &db, count, 10);
        println!("first page: {count} payments written in {:.1} s", started.elapsed().as_secs_f64());
        let today = Utc::now().with_timezone(&bangladesh()).date_naive();
        let mut times = Vec::new();
        for back in [1, 30, 60, 90, 120, 180, 240, 300, 330, 360] {
            let day = today - chrono::Duration::days(back);
            for _ in 0..3 {
                let start = Instant::now();
                let page = reader.day(day, &PaymentFilter::default(), 0).unwrap();
                times.push(start.elapsed());
                assert!(count < 100_000 || page.total > 0, "the day {day} has payments");
            }
        }
        let rows = reader.day(today - chrono::Duration::days(30), &PaymentFilter::default(), 0).unwrap().total;
        (percentile(&times, 0.95), rows)
    };
    let (small, small_rows) = measure("page_small", 1_000);
    let (large, large_rows) = measure("page_large", 1_000_000);
    println!(
        "first page: p95 {:.1} ms over 1,000,000 payments ({large_rows} on a day), {:.1} ms over 1,000 ({small_rows} on a day)",
        ms(large),
        ms(small)
    );
    report(
        "manager's first page of the store, 1,000,000 payments from 10 counters, p95",
        &format!("{:.1} ms ({:.1}x the page over 1,000)", ms(large), large.as_secs_f64() / small.as_secs_f64()),
        "< 100 ms",
        large < Duration::from_millis(100),
    );
}

/// CPU seconds used so far by every PostgreSQL process and its reaped
/// children (a backend that exited is counted in the postmaster's cutime and
/// cstime); the private instance is the only one this benchmark runs.
fn postgres_cpu_secs() -> f64 {
    let ticks = 100.0; // USER_HZ on Linux
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        if let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) {
            if stat[open + 1..close].starts_with("postgres") {
                let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
                let time = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
                // utime, stime, cutime, cstime
                total += (time(11) + time(12) + time(13) + time(14)) / ticks;
            }
        }
    }
    total
}

/// One simulated counter: its own journal and pusher; a sale (a payment
/// through five states: ten outbox entries) every ~`every`, pushed at once.
fn simulated_counter(
    config: StoreConfig,
    password: pos_core::money::Secret,
    dir: &Path,
    until: Instant,
    every: Duration,
    lags: Arc<Mutex<Vec<Duration>>>,
) {
    let path = dir.join(format!("{}.sqlite3", config.counter_id));
    let mut journal = Journal::open(&path).unwrap();
    let counter = config.counter_id.clone();
    let mut pusher = OutboxPusher::new(config, password, &path, Arc::new(SystemClock)).unwrap();
    let mut n = 0u64;
    // Counters do not start in step.
    std::thread::sleep(every.mul_f64(rand::random::<f64>()));
    while Instant::now() < until {
        n += 1;
        let now = Utc::now();
        let row = journal.start_payment(&new_payment(&format!("O{n}"), &counter), now).unwrap();
        let facts = |p: Option<&str>, t: Option<&str>| TransitionFacts {
            payment_id: p.map(str::to_string),
            trx_id: t.map(str::to_string),
            ..Default::default()
        };
        let pay = format!("PAY-{counter}-{n}");
        let trx = format!("T{counter}{n}");
        journal.transition(row.id, PaymentState::Creating, &facts(None, None), now).unwrap();
        journal.transition(row.id, PaymentState::AwaitingCustomer, &facts(Some(&pay), None), now).unwrap();
        journal.transition(row.id, PaymentState::Executing, &facts(None, None), now).unwrap();
        journal.transition(row.id, PaymentState::Completed, &facts(None, Some(&trx)), now).unwrap();
        let committed = Instant::now();
        if pusher.push_all().is_ok() {
            lags.lock().unwrap().push(committed.elapsed());
        }
        let jitter = every.mul_f64(0.5 + rand::random::<f64>());
        std::thread::sleep(jitter);
    }
}

fn chain_scale(pg: &PrivatePg, secs: u64) {
    let counters: usize = std::env::var("STORE_CHAIN_COUNTERS").ok().and_then(|s| s.parse().ok()).unwrap_or(250);
    // A busy counter: a sale every 30 s at the peak hour.
    let every = Duration::from_secs(30);
    let dir = tempfile::tempdir().unwrap();
    let (db, role, password) = pg.store_database("chain");
    let lags = Arc::new(Mutex::new(Vec::new()));
    let until = Instant::now() + Duration::from_secs(secs);
    let cpu_before = postgres_cpu_secs();
    let started = Instant::now();
    let threads: Vec<_> = (0..counters)
        .map(|i| {
            let (config, password, dir, lags) =
                (pg.config(&db, &role, &format!("k{i:03}")), password.clone(), dir.path().to_path_buf(), lags.clone());
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || simulated_counter(config, password, &dir, until, every, lags))
                .unwrap()
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu = postgres_cpu_secs() - cpu_before;
    let events: i64 = pg.admin_client(&db).query_one("SELECT count(*) FROM bkash_store.events", &[]).unwrap().get(0);
    let lags = lags.lock().unwrap().clone();
    let p95 = percentile(&lags, 0.95);
    let rate = events as f64 / wall;
    let cpu_share = cpu / wall;
    println!(
        "chain: {counters} counters for {wall:.0} s: {events} events ({rate:.1}/s), {} pushes, lag p50 {:.1} ms p95 {:.1} ms, \
         PostgreSQL CPU {:.1}% of one core ({:.2} ms of CPU per event); at one full core: about {:.0} events/s",
        lags.len(),
        ms(percentile(&lags, 0.5)),
        ms(p95),
        cpu_share * 100.0,
        cpu * 1000.0 / events.max(1) as f64,
        rate / cpu_share.max(1e-9)
    );
    report(
        &format!("chain scale: {counters} counters pushing to one PostgreSQL, p95 lag"),
        &format!("{:.1} ms at {rate:.1} events/s, PostgreSQL {:.1}% of a core", ms(p95), cpu_share * 100.0),
        "p95 ≤ 1 s",
        p95 <= Duration::from_secs(1),
    );
}
