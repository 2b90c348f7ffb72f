//! The journal's write rate with `synchronous=FULL`, against the fsync floor
//! measured in the same run (one bare INSERT per transaction on the same
//! settings), and how long recovery takes to reconcile 10,000 `Unknown`
//! payments against the local simulator, and a day summary over a journal
//! of 1,000,000 payments spread over a year.
//!
//! Run: `cargo bench --bench journal_and_recovery`

use std::sync::{Arc, Mutex};
use std::time::Instant;

use bkash_pos::bkash::{BkashClient, BkashConfig, Clock, MemoryTokenStore, SystemClock, TokenPolicy};
use bkash_pos::journal::{Journal, NewPayment, TransitionFacts};
use bkash_pos::payment::{PaymentService, PaymentState};
use bkash_pos::reconcile::Reconciler;
use bkash_pos::report::day_summary;
use bkash_pos::sim::{SimConfig, SimServer};
use chrono::Utc;

mod common;
use common::peak_rss_mib;

const PAYMENTS: usize = 400;
const UNKNOWN: usize = 10_000;
const CONCURRENCY: usize = 16;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();

    // The floor: one committed INSERT per transaction, WAL + synchronous=FULL.
    let floor_conn = rusqlite::Connection::open(dir.path().join("floor.sqlite3")).unwrap();
    floor_conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);").unwrap();
    let start = Instant::now();
    for i in 0..PAYMENTS * 5 {
        floor_conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("row {i}")]).unwrap();
    }
    let floor = start.elapsed();

    let mut journal = Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap();
    let start = Instant::now();
    for i in 0..PAYMENTS {
        let new =
            NewPayment { order_id: format!("O{i}"), invoice: format!("I{i}"), amount_poisha: 10_000, counter_id: None, cashier: None };
        let row = journal.start_payment(&new, Utc::now()).unwrap();
        for (state, facts) in [
            (PaymentState::Creating, TransitionFacts::default()),
            (PaymentState::AwaitingCustomer, TransitionFacts { payment_id: Some(format!("TR{i}")), ..Default::default() }),
            (PaymentState::Executing, TransitionFacts::default()),
            (PaymentState::Completed, TransitionFacts { trx_id: Some(format!("X{i:09}")), ..Default::default() }),
        ] {
            journal.transition(row.id, state, &facts, Utc::now()).unwrap();
        }
    }
    let writes = start.elapsed();
    let per_sec = (PAYMENTS * 5) as f64 / writes.as_secs_f64();
    println!("journal, synchronous=FULL: {per_sec:.0} committed transitions/s ({PAYMENTS} payments x 5 commits in {writes:.2?})");
    println!(
        "  floor (bare INSERT per transaction): {:.0}/s; ratio {:.2}x the floor's time",
        (PAYMENTS * 5) as f64 / floor.as_secs_f64(),
        writes.as_secs_f64() / floor.as_secs_f64()
    );

    // Recovery: 10,000 payments left Unknown; bKash executed every other one.
    let sim =
        SimServer::start(SimConfig { token_budget_per_hour: 100, duplicate_window_secs: 0, ..SimConfig::default() }, 0).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let client = Arc::new(
        BkashClient::with_clock(
            BkashConfig::training(&sim.base_url()),
            Arc::new(MemoryTokenStore::default()),
            clock.clone(),
            TokenPolicy::default(),
        )
        .unwrap(),
    );
    let recovery_journal = Arc::new(Mutex::new(Journal::open(&dir.path().join("recovery.sqlite3")).unwrap()));
    let service = Arc::new(PaymentService::new(recovery_journal.clone(), client.clone(), clock));
    for i in 0..UNKNOWN {
        let row = service.start(&format!("R{i}"), 10_000 + i as u64, None, None).unwrap();
        let created = service.create(row.id).await.unwrap().row;
        let payment_id = created.payment_id.clone().unwrap();
        recovery_journal.lock().unwrap().transition(row.id, PaymentState::Executing, &TransitionFacts::default(), Utc::now()).unwrap();
        if i % 2 == 0 {
            sim.customer_pays(&payment_id, "01770618575", "123456", "12121").unwrap();
            let payment = bkash_pos::bkash::ExpectedPayment {
                payment_id: payment_id.clone(),
                amount: bkash_pos::bkash::Amount::from_poisha(created.amount_poisha),
                invoice: created.invoice.clone(),
            };
            client.execute_payment(&payment).await.unwrap();
        }
        recovery_journal.lock().unwrap().transition(row.id, PaymentState::Unknown, &TransitionFacts::default(), Utc::now()).unwrap();
    }
    let rss_before = peak_rss_mib();
    let start = Instant::now();
    let pass = Reconciler::new(service, CONCURRENCY).pass().await.unwrap();
    let took = start.elapsed();
    assert_eq!(pass.settled.len(), UNKNOWN);
    let completed = pass.settled.iter().filter(|(_, s)| *s == PaymentState::Completed).count();
    assert_eq!(completed, UNKNOWN / 2);
    println!(
        "recovery: {UNKNOWN} Unknown payments reconciled in {took:.2?} ({:.0}/s) with {CONCURRENCY} queries in flight",
        UNKNOWN as f64 / took.as_secs_f64()
    );
    println!(
        "  peak RSS of the whole benchmark process (simulator included): {:.0} MiB (before the pass: {rss_before:.0} MiB)",
        peak_rss_mib()
    );

    // A year of trade: 1,000,000 payments, about 2,740 a day. Loaded in one
    // transaction straight into the table; the summary reads it as the app would.
    let year = Journal::open(&dir.path().join("year.sqlite3")).unwrap();
    let first = Utc::now() - chrono::Duration::days(365);
    let load = Instant::now();
    {
        let conn = year.connection();
        conn.execute_batch("BEGIN").unwrap();
        let mut insert = conn
            .prepare(
                "INSERT INTO payments (order_id, invoice, amount_poisha, state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )
            .unwrap();
        let states = ["completed", "completed", "completed", "completed", "failed", "cancelled", "not_charged", "completed"];
        for i in 0..1_000_000i64 {
            let at = (first + chrono::Duration::milliseconds(i * 31_536)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            insert.execute(rusqlite::params![format!("Y{i}"), format!("Y{i}"), 5_000 + i % 100_000, states[(i % 8) as usize], at]).unwrap();
        }
        conn.execute_batch("COMMIT").unwrap();
    }
    println!("day summary: loaded 1,000,000 payments over 365 days in {:.2?}", load.elapsed());
    let mut times = Vec::new();
    let mut completed = 0;
    for d in [10, 50, 100, 150, 200, 250, 300, 350, 180, 90] {
        let day = (first + chrono::Duration::days(d)).with_timezone(&bkash_pos::report::bangladesh()).date_naive();
        let start = Instant::now();
        let summary = day_summary(day, |from, to| year.totals_between(from, to)).unwrap();
        times.push(start.elapsed());
        completed += summary.completed.count;
    }
    times.sort();
    println!(
        "  one day's summary: median {:.2?}, worst {:.2?} over 10 days ({completed} completed payments counted); goal < 50 ms",
        times[times.len() / 2],
        times[times.len() - 1]
    );

    // The manager's day view as the app opens it: a read-only connection
    // (opened each time, with its integrity check), then totals, refunds, the
    // hourly chart and the first page of rows; then a search and a filter.
    drop(year);
    let path = dir.path().join("year.sqlite3");
    let mut opened = Vec::new();
    let mut first_page = Vec::new();
    let mut searched = Vec::new();
    let mut eod = Vec::new();
    for d in [10, 50, 100, 150, 200, 250, 300, 350, 180, 90] {
        let day = (first + chrono::Duration::days(d)).with_timezone(&bkash_pos::report::bangladesh()).date_naive();
        let start = Instant::now();
        let reader = bkash_pos::journal::JournalReader::open(&path).unwrap();
        opened.push(start.elapsed());
        let start = Instant::now();
        let page = bkash_pos::report::day_page(&reader, day, &Default::default(), 0).unwrap();
        first_page.push(start.elapsed());
        assert_eq!(page.rows.len(), 50);
        let start = Instant::now();
        let filter = bkash_pos::journal::PaymentFilter {
            state: Some(bkash_pos::payment::PaymentState::Failed),
            search: Some(format!("Y{}", d * 2_740)),
        };
        bkash_pos::report::day_page(&reader, day, &filter, 0).unwrap();
        searched.push(start.elapsed());
        let start = Instant::now();
        let report = bkash_pos::report::end_of_day(&reader, day, "Bench Shop", Utc::now()).unwrap();
        eod.push(start.elapsed());
        assert!(report.summary.completed.count > 0);
    }
    for v in [&mut opened, &mut first_page, &mut searched, &mut eod] {
        v.sort();
    }
    println!("day view over the same 1,000,000 payments, 10 days: goal < 100 ms to the first page of rows");
    println!("  open the read-only journal (quick_check): median {:.2?}, worst {:.2?}", opened[5], opened[9]);
    println!("  totals + refunds + hourly chart + first 50 rows: median {:.2?}, worst {:.2?}", first_page[5], first_page[9]);
    println!("  with a state filter and a search: median {:.2?}, worst {:.2?}", searched[5], searched[9]);
    println!("  the end-of-day report (totals, per counter and cashier, carried over): median {:.2?}, worst {:.2?}", eod[5], eod[9]);
}
