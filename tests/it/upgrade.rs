//! Upgrades keep every payment. `tests/fixtures/release-0.1.0/` holds a data
//! folder made by release 0.1.0 (the journal with payments in every state,
//! refunds and a closed day, the settings file, and the sealed vault with its
//! key): this build must open it, show the same day, and print the same
//! headless report. `release-0.2.0/` adds the till's cash sale, the drawer
//! the manager counted by hand and the one manager PIN (made by commit
//! 1a7b11b, the last before staff accounts): its PIN must become the first
//! manager account. A newer release adds its own folder beside them; none is
//! ever rewritten.

use std::path::{Path, PathBuf};

use pos_core::journal::{Journal, JournalRead};
use pos_core::money::{PaymentState, Product};

/// The folder `write_the_release_fixture` writes: the next release's.
const RELEASE: &str = "release-0.3.0";

fn fixture_of(release: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(release)
}

fn fixture() -> PathBuf {
    fixture_of("release-0.1.0")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn every_payment(journal: &impl JournalRead) -> Vec<pos_core::journal::PaymentRow> {
    let at = |year| chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let (from, to) = (at(2000), at(2100));
    journal.payments_between(from, to).unwrap()
}

fn report_json(data: &Path, day: &str) -> String {
    let args: Vec<String> =
        ["bkash-pos", "report", "--data-dir", data.to_str().unwrap(), "--date", day, "--format", "json"].map(String::from).to_vec();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = pos_core::cli::run(&args, &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    String::from_utf8(out).unwrap()
}

#[test]
fn a_data_folder_of_release_0_1_0_opens_with_every_payment_the_same_day_and_the_same_report() {
    let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture().join("expected.json")).unwrap()).unwrap();
    let day = expected["day"].as_str().unwrap();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), copy.path());
    let data = copy.path().join("data");

    // The app opens its journal writable: migrations only go forward.
    let journal = Journal::open(&data.join("training-journal.sqlite3")).unwrap();
    let states: Vec<String> = every_payment(&journal).into_iter().map(|r| r.state.to_string()).collect();
    let kept: Vec<String> = serde_json::from_value(expected["states"].clone()).unwrap();
    assert_eq!(states, kept, "every payment is there, in its state");
    for state in [PaymentState::Completed, PaymentState::Failed, PaymentState::Cancelled, PaymentState::NotCharged, PaymentState::Unknown] {
        assert!(states.contains(&state.to_string()), "the fixture has a {state} payment");
    }
    assert!(journal.day_report_of(day.parse().unwrap()).unwrap().is_some(), "the closed day is still closed, under its number");
    drop(journal);

    assert_eq!(report_json(&data, day), std::fs::read_to_string(fixture().join("report.json")).unwrap(), "the headless report is the same");
    let (settings, problem) = pos_core::settings::load_settings(&data);
    assert_eq!((settings.shop_name.as_str(), problem), ("Rahim Store", None), "the settings file opens as it was");
    let vault = pos_core::vault::FileVault::open(&data, &copy.path().join("config"));
    let stored = pos_core::settings::load_credentials(&vault, pos_core::bkash::Environment::Sandbox, Product::Checkout).unwrap().unwrap();
    assert_eq!(stored.username, "sandboxTestUser", "the sealed vault opens with its key");
}

#[test]
fn a_data_folder_of_release_0_2_0_opens_with_its_manager_pin_as_the_first_manager_account_and_its_day_unchanged() {
    let root = fixture_of("release-0.2.0");
    let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root.join("expected.json")).unwrap()).unwrap();
    let day: chrono::NaiveDate = expected["day"].as_str().unwrap().parse().unwrap();
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&root, copy.path());
    let data = copy.path().join("data");
    let journal = Journal::open(&data.join("training-journal.sqlite3")).unwrap();
    let states: Vec<String> = every_payment(&journal).into_iter().map(|r| r.state.to_string()).collect();
    let kept: Vec<String> = serde_json::from_value(expected["states"].clone()).unwrap();
    assert_eq!(states, kept, "every payment is there, in its state");
    let cash = journal.sale("R-7").unwrap().expect("the cash sale");
    assert_eq!((cash.total_poisha, cash.cash.as_ref().map(|c| c.change_poisha)), (84_000, Some(16_000)));
    assert!(journal.day_report_of(day).unwrap().is_some(), "the closed day is still closed, under its number");

    // The start-up's upgrade: the vault's one manager PIN becomes account #1.
    let journal = std::sync::Arc::new(std::sync::Mutex::new(journal));
    let vault: std::sync::Arc<dyn pos_core::vault::SecretVault> =
        std::sync::Arc::new(pos_core::vault::FileVault::open(&data, &copy.path().join("config")));
    let clock: std::sync::Arc<dyn pos_core::money::Clock> = std::sync::Arc::new(pos_core::money::SystemClock);
    let staff = pos_core::staff::Staff::new(journal.clone(), vault, clock, 5);
    let first = staff.upgrade().unwrap().expect("the manager PIN becomes an account");
    assert_eq!((first.name.as_str(), first.role), ("Manager", pos_core::money::Role::Manager));
    assert_eq!(staff.sign_in("2580").unwrap().id, first.id, "the PIN of release 0.2.0 signs the manager in");
    assert!(staff.sign_in("0000").is_err(), "and no other PIN does");

    // Its days and reports are as they were: the headless report, the
    // closed report's hand-counted drawer (৳20 short) and the day view.
    let till = {
        let journal = journal.lock().unwrap();
        let page = pos_core::report::day_page(&*journal, day, &pos_core::journal::PaymentFilter::default(), 0).unwrap();
        page.till.expect("the day had the till")
    };
    let drawer = &till.drawers[0];
    assert_eq!((drawer.opening_float_poisha, drawer.counted_poisha, drawer.difference_poisha), (200_000, Some(282_000), Some(-2_000)));
    assert_eq!(drawer.note.as_deref(), Some("৳20 short"));
    assert!(till.shifts.is_empty(), "release 0.2.0 had no shifts");
    drop(staff);
    drop(journal);
    assert_eq!(
        report_json(&data, &day.to_string()),
        std::fs::read_to_string(root.join("report.json")).unwrap(),
        "the headless report is the same"
    );
}

/// Writes the fixture of the current release. Run once when a release is
/// cut, into a new folder (`RELEASE`), and commit it: never rewrite one.
#[tokio::test]
#[ignore = "writes tests/fixtures/<release>; run with UPDATE_RELEASE_FIXTURE=1 when cutting a release"]
async fn write_the_release_fixture() {
    if std::env::var_os("UPDATE_RELEASE_FIXTURE").is_none() {
        return;
    }
    use bkash_sim::{FaultKind, FaultRule};
    let root = fixture_of(RELEASE);
    let _ = std::fs::remove_dir_all(&root);
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let shop = crate::support::Shop::open_at(&data.join("training-journal.sqlite3")).await;
    let desk = pos_core::payment::CheckoutDesk::new(shop.service.clone(), "C1");
    let pay = |order: &'static str, poisha: u64, wallet: &'static str| {
        let (service, sim) = (shop.service.clone(), &shop.sim);
        async move {
            let row = service.start(order, poisha, Some("C1"), Some("rina")).await.unwrap();
            let created = service.create(row.id).await.unwrap();
            sim.customer_pays(created.row.payment_id.as_deref().unwrap(), wallet, "123456", "12121").unwrap();
            service.execute(row.id).await.unwrap()
        }
    };
    let paid = pay("R-1", 125_050, "01770618575").await;
    pay("R-2", 40_000, "01929918378").await;
    pay("R-3", 99_900, "01823074817").await; // too little balance: failed
    shop.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    pay("R-4", 12_000, "01770618576").await; // no answer: unknown
    let cancelled = desk.begin("R-5", 5_000).await.unwrap();
    desk.cancel("the customer closed bKash's window").await.unwrap();
    desk.release(cancelled.id);
    shop.sim.add_fault(FaultRule::once("checkout.create", FaultKind::Reset));
    let not_charged = shop.service.start("R-6", 7_500, Some("C1"), None).await.unwrap();
    shop.service.create(not_charged.id).await.unwrap();
    shop.service.refund(paid.id, 25_000, "rice-5kg", "one bag returned").await.unwrap();
    let day = pos_core::report::bangladesh_today();
    {
        let mut journal = shop.journal.lock().unwrap();
        pos_core::report::close_day(&mut journal, day, "Rahim Store", chrono::Utc::now()).unwrap();
    }
    let settings = serde_json::json!({"settings": {"shopName": "Rahim Store", "counterId": "C1", "environment": "training"}});
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
    let vault = pos_core::vault::FileVault::open(&data, &root.join("config"));
    let credentials = pos_core::bkash::training_config("http://127.0.0.1:9").credentials;
    pos_core::settings::store_credentials(&vault, pos_core::bkash::Environment::Sandbox, Product::Checkout, &credentials).unwrap();
    drop(desk);
    let states: Vec<String> = every_payment(&*shop.journal.lock().unwrap()).into_iter().map(|r| r.state.to_string()).collect();
    drop(shop);
    std::fs::write(
        root.join("expected.json"),
        serde_json::to_string_pretty(&serde_json::json!({"day": day.to_string(), "states": states})).unwrap(),
    )
    .unwrap();
    std::fs::write(root.join("report.json"), report_json(&data, &day.to_string())).unwrap();
    // The journal was checkpointed as it closed: its -wal and -shm are not part of the folder.
    for leftover in ["training-journal.sqlite3-wal", "training-journal.sqlite3-shm"] {
        let _ = std::fs::remove_file(data.join(leftover));
    }
}
