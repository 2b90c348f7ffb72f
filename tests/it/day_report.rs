//! A generated day of 5,000 mixed payments: the day's totals, its CSV and
//! the headless `bkash-pos report` command all agree with the journal and
//! with the simulator's ledger.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bkash_sim::{FaultKind, FaultRule, SimConfig, SimServer};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use pos_core::bkash::{BkashClient, MemoryTokenStore, TokenPolicy};
use pos_core::journal::{Journal, JournalRead, JournalReader};
use pos_core::money::PaymentState;
use pos_core::money::{Amount, Clock};
use pos_core::payment::PaymentService;
use pos_core::report::{day_report, write_csv, CSV_HEADERS};

const DAY: &str = "2026-11-25";
const PAYMENTS: u64 = 5_000;

/// Noon in Dhaka on DAY, one millisecond later on every reading, so the
/// whole generated day falls inside one Bangladesh-local day.
struct DayClock(AtomicI64);

impl Clock for DayClock {
    fn now(&self) -> DateTime<Utc> {
        let start = Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap();
        start + chrono::Duration::milliseconds(self.0.fetch_add(1, Ordering::Relaxed))
    }
}

struct Day {
    sim: SimServer,
    dir: tempfile::TempDir,
}

impl Day {
    fn journal_path(&self) -> std::path::PathBuf {
        self.dir.path().join(pos_core::settings::journal_file(pos_core::bkash::Environment::Training))
    }
}

/// Completed, failed (insufficient balance), cancelled, checking (execute's
/// answer lost; bKash did charge) and still at the counter, in a fixed mix.
async fn generate_day() -> Day {
    let sim = SimServer::start(SimConfig { token_budget_per_hour: 50, duplicate_window_secs: 0, ..SimConfig::default() }, 0).await.unwrap();
    let mut config = pos_core::bkash::training_config(&sim.base_url());
    config.timeout = Duration::from_secs(5);
    let clock: Arc<dyn Clock> = Arc::new(DayClock(AtomicI64::new(0)));
    let policy = TokenPolicy { budget_per_hour: 50, ..Default::default() };
    let client =
        BkashClient::with_clock(config, Arc::new(MemoryTokenStore::default()), clock.clone(), policy).unwrap().with_read_backoff(vec![]);
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join(pos_core::settings::journal_file(pos_core::bkash::Environment::Training))).unwrap();
    let service = PaymentService::new(Arc::new(Mutex::new(journal)), Arc::new(client), clock);
    for i in 0..PAYMENTS {
        let amount = 100 + (i * 7_919) % 2_500_000;
        let row = service.start(&format!("S-{i}"), amount, Some(if i % 2 == 0 { "C1" } else { "C2" }), Some("রহিম")).await.unwrap();
        if i % 10 == 9 {
            continue; // still at the counter
        }
        let created = service.create(row.id).await.unwrap();
        let payment_id = created.bkash.unwrap().payment_id;
        if i % 10 == 7 {
            service.cancel(row.id, "the customer closed bKash's window").await.unwrap();
            continue;
        }
        let wallet = if i % 10 == 6 { "01823074817" } else { "01770618575" };
        sim.customer_pays(&payment_id, wallet, "123456", "12121").unwrap();
        if i % 10 == 8 {
            sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
        }
        service.execute(row.id).await.unwrap();
    }
    Day { sim, dir }
}

#[tokio::test]
async fn a_day_of_5000_payments_totals_and_csv_match_the_journal_and_the_ledger() {
    let day = generate_day().await;
    let journal = JournalReader::open(&day.journal_path()).unwrap();
    let report = day_report(&journal, NaiveDate::parse_from_str(DAY, "%Y-%m-%d").unwrap()).unwrap();
    let s = &report.summary;
    assert_eq!(report.transactions.len() as u64, PAYMENTS);
    assert_eq!((s.completed.count, s.failed.count, s.cancelled.count, s.checking.count, s.in_progress.count), (3_000, 500, 500, 500, 500));

    // The ledger is the truth: what bKash charged is what the day says was
    // taken, plus what is still being checked (every lost answer was charged).
    let ledger = day.sim.ledger();
    let charged: u64 = ledger.iter().filter(|p| p.trx_id.is_some()).map(|p| p.amount_poisha).sum();
    assert_eq!(s.completed.amount_poisha + s.checking.amount_poisha, charged);
    let rows = journal.payments_between(DateTime::UNIX_EPOCH, Utc::now() + chrono::Duration::days(3650)).unwrap();
    let completed_in_journal: u64 = rows.iter().filter(|r| r.state == PaymentState::Completed).map(|r| r.amount_poisha).sum();
    assert_eq!(s.completed.amount_poisha, completed_in_journal);
    for row in rows.iter().filter(|r| r.state == PaymentState::Completed) {
        let truth = ledger.iter().find(|p| Some(&p.payment_id) == row.payment_id.as_ref()).unwrap();
        assert_eq!((truth.trx_id.as_ref(), truth.amount_poisha), (row.trx_id.as_ref(), row.amount_poisha));
    }

    // The CSV, read back as a spreadsheet would: BOM, header, Bangla intact,
    // and its completed amounts sum to the same poisha.
    let mut bytes = Vec::new();
    write_csv(&report.transactions, &mut bytes).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 byte-order mark for spreadsheet apps");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), CSV_HEADERS);
    let (mut count, mut completed_sum) = (0u64, 0u64);
    for record in reader.records() {
        let record = record.unwrap();
        count += 1;
        assert_eq!(&record[9], "রহিম");
        if &record[3] == "completed" {
            completed_sum += Amount::parse(&record[4]).unwrap().poisha();
            assert!(record[7].contains("XXXXX"), "wallets are masked in exports: {}", &record[7]);
        }
    }
    assert_eq!((count, completed_sum), (PAYMENTS, s.completed.amount_poisha));

    // The manager's day list: filters, search and pages over the same rows.
    use pos_core::journal::PaymentFilter;
    use pos_core::report::{day_page, PAGE_SIZE};
    let date = NaiveDate::parse_from_str(DAY, "%Y-%m-%d").unwrap();
    let all = day_page(&journal, date, &PaymentFilter::default(), 0).unwrap();
    assert_eq!((all.total, all.rows.len() as u32), (PAYMENTS, PAGE_SIZE));
    assert!(all.rows.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    let last = day_page(&journal, date, &PaymentFilter::default(), (PAYMENTS / u64::from(PAGE_SIZE)) as u32 - 1).unwrap();
    assert_eq!(last.rows.len() as u32, PAGE_SIZE);
    assert!(day_page(&journal, date, &PaymentFilter::default(), 100).unwrap().rows.is_empty());
    assert_eq!(all.hourly_poisha.iter().sum::<u64>(), s.completed.amount_poisha, "the chart adds up to the day");
    let failed = day_page(&journal, date, &PaymentFilter { state: Some(PaymentState::Failed), search: None }, 0).unwrap();
    assert_eq!(failed.total, 500);
    assert!(failed.rows.iter().all(|r| r.state == PaymentState::Failed));
    let one = rows.iter().find(|r| r.state == PaymentState::Completed).unwrap();
    for needle in
        [one.trx_id.clone().unwrap(), one.payment_id.clone().unwrap(), one.invoice.clone(), one.trx_id.clone().unwrap().to_lowercase()]
    {
        let found = day_page(&journal, date, &PaymentFilter { state: None, search: Some(needle.clone()) }, 0).unwrap();
        assert_eq!(found.total, 1, "search `{needle}`");
        assert_eq!(found.rows[0].id, one.id);
    }
    let by_wallet = day_page(&journal, date, &PaymentFilter { state: None, search: Some("8575".into()) }, 0).unwrap();
    // The documented rule, as an oracle: the wallet ends with the digits, or an
    // invoice, paymentID or trxID contains them.
    let contains = |v: &Option<String>| v.as_deref().is_some_and(|v| v.contains("8575"));
    let expected = rows
        .iter()
        .filter(|r| {
            r.customer_msisdn.as_deref().is_some_and(|w| w.ends_with("8575"))
                || r.invoice.contains("8575")
                || contains(&r.payment_id)
                || contains(&r.trx_id)
        })
        .count() as u64;
    assert!(expected >= 3_000, "every completed sale was paid from the success wallet");
    assert_eq!(by_wallet.total, expected);
    let wildcard = day_page(&journal, date, &PaymentFilter { state: None, search: Some("%".into()) }, 0).unwrap();
    assert_eq!(wildcard.total, 0, "a % is searched for, not used as a wildcard");

    // The same day from the headless command, on the same files.
    let cli = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bkash-pos"))
            .args(["report", "--date", DAY, "--format", format, "--environment", "training", "--data-dir"])
            .arg(day.dir.path())
            .env_remove("DISPLAY")
            .output()
            .unwrap()
    };
    let from_cli = cli("csv");
    assert!(from_cli.status.success(), "{}", String::from_utf8_lossy(&from_cli.stderr));
    assert_eq!(from_cli.stdout, bytes, "the command's CSV is the report's CSV");
    let json: serde_json::Value = serde_json::from_slice(&cli("json").stdout).unwrap();
    assert_eq!(json["summary"]["completed"]["amountPoisha"].as_u64(), Some(s.completed.amount_poisha));
    assert_eq!(json["transactions"].as_array().unwrap().len() as u64, PAYMENTS);
}

#[test]
fn the_report_command_names_bad_arguments_and_a_missing_journal() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bkash-pos")).arg("report").args(args).env_remove("DISPLAY").output().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let bad_date = run(&["--date", "2026-13-40"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("--date `2026-13-40` is not a date"));
    let bad_format = run(&["--format", "xlsx"]);
    assert!(String::from_utf8_lossy(&bad_format.stderr).contains("--format `xlsx` is not json or csv"));
    let unknown = run(&["--dat", "2026-11-25"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown argument `--dat`"));
    let missing = run(&["--data-dir", dir.path().to_str().unwrap(), "--environment", "production"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read the production journal"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

#[test]
fn the_report_command_reads_while_the_app_holds_the_journal_and_its_lock() {
    let dir = tempfile::tempdir().unwrap();
    let _running_app = pos_core::instance::InstanceLock::acquire(dir.path()).unwrap();
    let mut writer = Journal::open(&dir.path().join("training-journal.sqlite3")).unwrap();
    let new = pos_core::journal::NewPayment {
        product: pos_core::money::Product::Checkout,
        pay_at: pos_core::money::PayAt::Counter,
        order_id: "S-1".into(),
        invoice: "C1-1".into(),
        amount_poisha: 4_200,
        counter_id: None,
        cashier: None,
    };
    writer.start_payment(&new, Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bkash-pos"))
        .args(["report", "--date", DAY, "--environment", "training", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["inProgress"]["amountPoisha"].as_u64(), Some(4_200));
    // The app can still write after the report read.
    writer.start_payment(&pos_core::journal::NewPayment { order_id: "S-2".into(), invoice: "C1-2".into(), ..new }, Utc::now()).unwrap();
}
