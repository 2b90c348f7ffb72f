//! The journal at a real shop's size:
//!
//! - its write rate with `synchronous=FULL` against the fsync floor (one bare
//!   INSERT per transaction on the same settings), the two alternating
//!   (ABAB…) over several rounds;
//! - recovery reconciling 10,000 `Unknown` payments against the simulator;
//! - over a year of realistic history (`journal::sample`: 1,000,000 payments
//!   with wallets, counters, cashiers, events, refunds and payments carried
//!   over): one day's summary, the manager's first page, a filtered search,
//!   and the end-of-day report, each on ten days across the year.
//!
//! Every figure is printed with its goal; the run exits 1 when one is missed.
//! Run: `cargo bench --bench journal_and_recovery` (`YEAR_PAYMENTS=…` for a
//! smaller year while developing).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bkash_sim::{SimConfig, SimServer};
use chrono::Utc;
use pos_core::bkash::{BkashClient, ExpectedPayment, MemoryTokenStore, TokenPolicy};
use pos_core::journal::sample::{self, History};
use pos_core::journal::{Journal, JournalRead, JournalReader, NewPayment, PaymentFilter, TransitionFacts};
use pos_core::money::PaymentState;
use pos_core::money::{Clock, SystemClock};
use pos_core::payment::PaymentService;
use pos_core::reconcile::Reconciler;
use pos_core::report::{bangladesh, day_page, day_summary, end_of_day};

mod common;
use common::{finish, median, peak_rss_mib, report};

const PAYMENTS: usize = 100;
const COMMIT_ROUNDS: usize = 4;
const UNKNOWN: usize = 10_000;
const CONCURRENCY: usize = 16;
const YEAR: u64 = 1_000_000;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    commits_against_the_fsync_floor(dir.path());
    recovery_of_unknown_payments(dir.path()).await;
    a_year_of_history(dir.path());
    finish();
}

fn commits_against_the_fsync_floor(dir: &std::path::Path) {
    let floor_conn = rusqlite::Connection::open(dir.join("floor.sqlite3")).unwrap();
    floor_conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);").unwrap();
    let mut journal = Journal::open(&dir.join(Journal::FILE_NAME)).unwrap();
    let (mut floors, mut writes) = (Vec::new(), Vec::new());
    let floor_round = |round: usize| {
        let start = Instant::now();
        for i in 0..PAYMENTS * 5 {
            floor_conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("row {round} {i}")]).unwrap();
        }
        start.elapsed()
    };
    let mut journal_round = |round: usize| {
        let start = Instant::now();
        for i in 0..PAYMENTS {
            let id = format!("{round}-{i}");
            let new = NewPayment {
                product: pos_core::money::Product::Checkout,
                pay_at: pos_core::money::PayAt::Counter,
                order_id: format!("O{id}"),
                invoice: format!("I{id}"),
                amount_poisha: 10_000,
                counter_id: Some("C1".into()),
                cashier: Some("rina".into()),
            };
            let row = journal.start_payment(&new, Utc::now()).unwrap();
            for (state, facts) in [
                (PaymentState::Creating, TransitionFacts::default()),
                (PaymentState::AwaitingCustomer, TransitionFacts { payment_id: Some(format!("TR{round}x{i}")), ..Default::default() }),
                (PaymentState::Executing, TransitionFacts::default()),
                (PaymentState::Completed, TransitionFacts { trx_id: Some(format!("X{round}x{i:07}")), ..Default::default() }),
            ] {
                journal.transition(row.id, state, &facts, Utc::now()).unwrap();
            }
        }
        start.elapsed()
    };
    for round in 0..COMMIT_ROUNDS {
        if round % 2 == 0 {
            floors.push(floor_round(round));
            writes.push(journal_round(round));
        } else {
            writes.push(journal_round(round));
            floors.push(floor_round(round));
        }
    }
    let (floor, write) = (median(&floors), median(&writes));
    let commits = (PAYMENTS * 5) as f64;
    let ratio = write.as_secs_f64() / floor.as_secs_f64();
    println!("journal, synchronous=FULL, median of {COMMIT_ROUNDS} alternating rounds of {PAYMENTS} payments x 5 commits");
    println!(
        "  journal: {:.0} committed transitions/s; floor (bare INSERT per transaction): {:.0}/s",
        commits / write.as_secs_f64(),
        commits / floor.as_secs_f64()
    );
    report(
        "journal commits vs the fsync floor",
        &format!("{:.0}/s, {ratio:.2}x the floor's time", commits / write.as_secs_f64()),
        "<= 1.5x the floor",
        ratio <= 1.5,
    );
}

async fn recovery_of_unknown_payments(dir: &std::path::Path) {
    // 10,000 payments left Unknown; bKash executed every other one.
    let sim =
        SimServer::start(SimConfig { token_budget_per_hour: 100, duplicate_window_secs: 0, ..SimConfig::default() }, 0).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let client = Arc::new(
        BkashClient::with_clock(
            pos_core::bkash::training_config(&sim.base_url()),
            Arc::new(MemoryTokenStore::default()),
            clock.clone(),
            TokenPolicy::default(),
        )
        .unwrap(),
    );
    let recovery_journal = Arc::new(Mutex::new(Journal::open(&dir.join("recovery.sqlite3")).unwrap()));
    let service = Arc::new(PaymentService::new(recovery_journal.clone(), client.clone(), clock));
    for i in 0..UNKNOWN {
        let row = service.start(&format!("R{i}"), 10_000 + i as u64, None, None).await.unwrap();
        let created = service.create(row.id).await.unwrap().row;
        recovery_journal.lock().unwrap().transition(row.id, PaymentState::Executing, &TransitionFacts::default(), Utc::now()).unwrap();
        if i % 2 == 0 {
            sim.customer_pays(created.payment_id.as_deref().unwrap(), "01770618575", "123456", "12121").unwrap();
            client.execute_payment(&ExpectedPayment::from(&created)).await.unwrap();
        }
        recovery_journal.lock().unwrap().transition(row.id, PaymentState::Unknown, &TransitionFacts::default(), Utc::now()).unwrap();
    }
    let rss_before = peak_rss_mib();
    let start = Instant::now();
    let pass = Reconciler::new(service, CONCURRENCY).pass().await.unwrap();
    let took = start.elapsed();
    let completed = pass.settled.iter().filter(|(_, s)| *s == PaymentState::Completed).count();
    assert_eq!(completed, UNKNOWN / 2);
    let rate = UNKNOWN as f64 / took.as_secs_f64();
    println!("recovery: {UNKNOWN} Unknown payments reconciled in {took:.2?} ({rate:.0}/s) with {CONCURRENCY} queries in flight");
    println!(
        "  peak RSS of the whole benchmark process (simulator included): {:.0} MiB (before the pass: {rss_before:.0} MiB)",
        peak_rss_mib()
    );
    report("recovery of 10,000 unknown payments", &format!("{took:.2?} ({rate:.0}/s)"), "<= 10 s", took <= Duration::from_secs(10));
}

fn a_year_of_history(dir: &std::path::Path) {
    let payments = std::env::var("YEAR_PAYMENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(YEAR);
    let path = dir.join("year.sqlite3");
    let history = History::year(payments);
    let load = Instant::now();
    let written = {
        let year = Journal::open(&path).unwrap();
        sample::write(year.connection(), history).unwrap()
    };
    println!(
        "a year of history: {} payments, {} events, {} refunds, {} carried over, written in {:.2?}",
        written.payments,
        written.events,
        written.refunds,
        written.still_unknown,
        load.elapsed()
    );
    let first = history.until - chrono::Duration::days(history.days);
    let days: Vec<_> = [10, 50, 100, 150, 200, 250, 300, 350, 180, 364]
        .iter()
        .map(|d| (first + chrono::Duration::days(*d)).with_timezone(&bangladesh()).date_naive())
        .collect();

    let year = Journal::open(&path).unwrap();
    let (mut summaries, mut counted) = (Vec::new(), 0);
    for day in &days {
        let start = Instant::now();
        let summary = day_summary(*day, |from, to| year.totals_between(from, to)).unwrap();
        summaries.push(start.elapsed());
        counted += summary.completed.count;
    }
    assert!(counted > 0);
    drop(year);

    // The manager's screens read through the app's second, read-only connection.
    let writer = Journal::open(&path).unwrap();
    let reader = JournalReader::beside(&writer).unwrap();
    let (mut pages, mut searches, mut reports) = (Vec::new(), Vec::new(), Vec::new());
    for day in &days {
        let start = Instant::now();
        let page = day_page(&reader, *day, &Default::default(), 0).unwrap();
        pages.push(start.elapsed());
        assert_eq!(page.rows.len(), 50);
        // The last digits of a wallet, among failed payments: the slowest kind of search.
        let filter = PaymentFilter { state: Some(PaymentState::Failed), search: Some("575".into()) };
        let start = Instant::now();
        day_page(&reader, *day, &filter, 0).unwrap();
        searches.push(start.elapsed());
        let start = Instant::now();
        let eod = end_of_day(&reader, *day, "Bench Shop", Utc::now()).unwrap();
        reports.push(start.elapsed());
        assert!(eod.summary.completed.count > 0);
    }
    let goal = |name: &str, times: &[Duration], limit_ms: u64| {
        let (m, worst) = (median(times), *times.iter().max().unwrap());
        println!("  {name}: median {m:.2?}, worst {worst:.2?} over {} days", times.len());
        report(
            &format!("{name}, over {payments} payments"),
            &format!("median {m:.2?}, worst {worst:.2?}"),
            &format!("worst < {limit_ms} ms"),
            worst < Duration::from_millis(limit_ms),
        );
    };
    goal("one day's summary", &summaries, 50);
    goal("manager's first page (totals, refunds, chart, 50 rows)", &pages, 100);
    goal("manager's search (state filter + wallet digits)", &searches, 100);
    goal("end-of-day report", &reports, 100);
}
