use chrono::Utc;
use pos_core::journal::{Journal, JournalError, JournalRead, JournalReader, NewPayment, TransitionFacts, MIGRATIONS};
use pos_core::money::PaymentState;

fn new_payment(order: &str, invoice: &str, poisha: u64) -> NewPayment {
    NewPayment {
        product: pos_core::money::Product::Checkout,
        pay_at: pos_core::money::PayAt::Counter,
        order_id: order.into(),
        invoice: invoice.into(),
        amount_poisha: poisha,
        counter_id: Some("C1".into()),
        cashier: Some("rina".into()),
    }
}

fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap();
    (dir, journal)
}

fn facts() -> TransitionFacts {
    TransitionFacts::default()
}

#[test]
fn migrations_are_valid() {
    MIGRATIONS.validate().unwrap();
}

#[test]
fn the_journal_runs_in_wal_with_full_sync_foreign_keys_and_a_busy_timeout() {
    let (_dir, journal) = journal();
    let settings = journal.settings().unwrap();
    assert_eq!(settings.journal_mode, "wal");
    assert_eq!(settings.synchronous, 2, "FULL");
    assert!(settings.foreign_keys);
    assert_eq!(settings.busy_timeout_ms, 5000);
}

#[test]
fn a_payment_walks_to_completed_with_every_step_in_the_event_log() {
    let (dir, mut journal) = journal();
    let row = journal.start_payment(&new_payment("O-1", "INV-1", 8550), Utc::now()).unwrap();
    assert_eq!(row.state, PaymentState::New);
    journal.transition(row.id, PaymentState::Creating, &facts(), Utc::now()).unwrap();
    let with_id = TransitionFacts { payment_id: Some("TR0011abc".into()), ..facts() };
    journal.transition(row.id, PaymentState::AwaitingCustomer, &with_id, Utc::now()).unwrap();
    journal.transition(row.id, PaymentState::Executing, &facts(), Utc::now()).unwrap();
    let done = TransitionFacts { trx_id: Some("6H7801QFYM".into()), customer_msisdn: Some("01770618575".into()), ..facts() };
    let done = journal.transition(row.id, PaymentState::Completed, &done, Utc::now()).unwrap();
    assert_eq!((done.payment_id.as_deref(), done.trx_id.as_deref()), (Some("TR0011abc"), Some("6H7801QFYM")));
    assert!(done.settled_at.is_some());
    let kinds: Vec<_> =
        journal.events(row.id).unwrap().into_iter().map(|e| e.to_state.map(|s| s.to_string()).unwrap_or_default()).collect();
    assert_eq!(kinds, ["new", "creating", "awaiting_customer", "executing", "completed"]);

    // What was committed is there for a fresh reader, e.g. after a restart.
    drop(journal);
    let reader = JournalReader::open(&dir.path().join(Journal::FILE_NAME)).unwrap();
    assert_eq!(reader.get(row.id).unwrap().state, PaymentState::Completed);
    assert!(reader.in_flight().unwrap().is_empty());
}

#[test]
fn a_transition_from_the_wrong_state_is_refused_and_changes_nothing() {
    let (_dir, mut journal) = journal();
    let row = journal.start_payment(&new_payment("O-2", "INV-2", 100), Utc::now()).unwrap();
    let error = journal.transition(row.id, PaymentState::Completed, &facts(), Utc::now()).unwrap_err();
    assert!(matches!(error, JournalError::IllegalTransition { ref from, ref to, .. } if from == "new" && to == "completed"), "{error}");
    assert_eq!(journal.get(row.id).unwrap().state, PaymentState::New);
    assert_eq!(journal.events(row.id).unwrap().len(), 1);
    assert!(matches!(journal.transition(999, PaymentState::Creating, &facts(), Utc::now()), Err(JournalError::NotFound(999))));
}

#[test]
fn a_recorded_trx_id_is_never_overwritten() {
    let (_dir, mut journal) = journal();
    let row = journal.start_payment(&new_payment("O-3", "INV-3", 100), Utc::now()).unwrap();
    for state in [PaymentState::Creating, PaymentState::AwaitingCustomer, PaymentState::Executing, PaymentState::Unknown] {
        journal.transition(row.id, state, &facts(), Utc::now()).unwrap();
    }
    journal
        .transition(row.id, PaymentState::Completed, &TransitionFacts { trx_id: Some("AAAAAAAAAA".into()), ..facts() }, Utc::now())
        .unwrap();
    let raw = journal.connection().execute("UPDATE payments SET trx_id = 'BBBBBBBBBB' WHERE id = ?1", [row.id]);
    assert!(raw.unwrap_err().to_string().contains("trx_id is write-once"));
    assert_eq!(journal.get(row.id).unwrap().trx_id.as_deref(), Some("AAAAAAAAAA"));
}

#[test]
fn the_event_log_and_payments_cannot_be_edited_or_deleted_even_with_raw_sql() {
    let (_dir, mut journal) = journal();
    let row = journal.start_payment(&new_payment("O-4", "INV-4", 100), Utc::now()).unwrap();
    let conn = journal.connection();
    assert!(conn.execute("UPDATE payment_events SET detail = 'x'", []).unwrap_err().to_string().contains("append-only"));
    assert!(conn.execute("DELETE FROM payment_events", []).unwrap_err().to_string().contains("append-only"));
    assert!(conn.execute("DELETE FROM payments WHERE id = ?1", [row.id]).unwrap_err().to_string().contains("never deleted"));
}

#[test]
fn an_order_has_one_live_payment_until_the_last_is_settled_as_not_charged() {
    let (_dir, mut journal) = journal();
    let first = journal.start_payment(&new_payment("O-5", "INV-5a", 500), Utc::now()).unwrap();
    let second = journal.start_payment(&new_payment("O-5", "INV-5b", 500), Utc::now());
    assert!(matches!(second, Err(JournalError::LivePaymentExists { ref order_id }) if order_id == "O-5"));
    journal.transition(first.id, PaymentState::Cancelled, &facts(), Utc::now()).unwrap();
    let retry = journal.start_payment(&new_payment("O-5", "INV-5b", 500), Utc::now()).unwrap();
    for state in [PaymentState::Creating, PaymentState::AwaitingCustomer, PaymentState::Executing, PaymentState::Completed] {
        journal.transition(retry.id, state, &facts(), Utc::now()).unwrap();
    }
    assert!(
        matches!(journal.start_payment(&new_payment("O-5", "INV-5c", 500), Utc::now()), Err(JournalError::LivePaymentExists { .. })),
        "a paid order stays paid"
    );
}

#[test]
fn invoices_are_unique_short_and_free_of_markup() {
    let (_dir, mut journal) = journal();
    journal.start_payment(&new_payment("O-6", "INV-6", 100), Utc::now()).unwrap();
    assert!(matches!(journal.start_payment(&new_payment("O-7", "INV-6", 100), Utc::now()), Err(JournalError::DuplicateInvoice(_))));
    for bad in ["", "a<b", "a&b", &"9".repeat(256), "tab\there"] {
        let error = journal.start_payment(&new_payment("O-8", bad, 100), Utc::now()).unwrap_err();
        assert!(matches!(error, JournalError::Invalid { field: "invoice", .. }), "{bad:?}: {error}");
    }
    assert!(matches!(
        journal.start_payment(&new_payment("O-9", "INV-9", 0), Utc::now()),
        Err(JournalError::Invalid { field: "amount", .. })
    ));
}

#[test]
fn a_corrupt_journal_is_reported_and_left_byte_for_byte_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let error = Journal::open(&path).err().expect("refused");
    assert!(matches!(error, JournalError::Corrupt { .. }), "{error}");
    assert!(error.to_string().contains("left untouched"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
    assert!(matches!(JournalReader::open(&path).err().unwrap(), JournalError::Corrupt { .. }));
}

#[test]
fn a_journal_locked_by_another_program_is_reported_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    drop(Journal::open(&path).unwrap());
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;").unwrap();
    let error = Journal::open_with(&path, std::time::Duration::from_millis(200)).err().expect("refused");
    assert!(matches!(error, JournalError::Locked { .. }), "{error}");
    assert!(error.to_string().contains("in use by another program"));
}

#[test]
fn a_journal_in_a_place_that_cannot_be_written_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("file");
    std::fs::write(&not_a_folder, b"x").unwrap();
    let error = Journal::open(&not_a_folder.join(Journal::FILE_NAME)).err().expect("refused");
    assert!(matches!(error, JournalError::Unwritable { .. }), "{error}");
}

#[test]
fn a_journal_from_a_newer_app_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    drop(Journal::open(&path).unwrap());
    rusqlite::Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
    assert!(matches!(Journal::open(&path).err().unwrap(), JournalError::TooNew { found: 99, .. }));
}

#[test]
fn in_flight_lists_exactly_the_payments_recovery_must_look_at() {
    let (_dir, mut journal) = journal();
    let mut ids = Vec::new();
    for (i, path) in [
        vec![],
        vec![PaymentState::Creating],
        vec![PaymentState::Creating, PaymentState::AwaitingCustomer],
        vec![PaymentState::Creating, PaymentState::AwaitingCustomer, PaymentState::Executing],
        vec![PaymentState::Creating, PaymentState::AwaitingCustomer, PaymentState::Executing, PaymentState::Unknown],
        vec![PaymentState::Creating, PaymentState::AwaitingCustomer, PaymentState::Executing, PaymentState::Completed],
        vec![PaymentState::Cancelled],
    ]
    .into_iter()
    .enumerate()
    {
        let row = journal.start_payment(&new_payment(&format!("O-{i}"), &format!("I-{i}"), 100), Utc::now()).unwrap();
        for state in path {
            journal.transition(row.id, state, &facts(), Utc::now()).unwrap();
        }
        ids.push(row.id);
    }
    let states: Vec<_> = journal.in_flight().unwrap().into_iter().map(|r| r.state.as_str()).collect();
    assert_eq!(states, ["new", "creating", "awaiting_customer", "executing", "unknown"]);
}

/// A journal of `payments` made-up payments, closed (so its WAL is folded in),
/// with one page in the middle of the file overwritten with garbage.
pub fn damaged_large_journal(path: &std::path::Path, payments: u64) {
    let journal = Journal::open(path).unwrap();
    pos_core::journal::sample::write(journal.connection(), pos_core::journal::sample::History::year(payments)).unwrap();
    drop(journal);
    let length = std::fs::metadata(path).unwrap().len();
    let page = 4096;
    let middle = (length / 2 / page) * page;
    let garbage: Vec<u8> = (0..page).map(|i| (i * 37 % 251) as u8).collect();
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(middle)).unwrap();
    std::io::Write::write_all(&mut file, &garbage).unwrap();
}

#[test]
fn damage_deep_in_a_large_journal_is_found_beside_the_counter_and_then_refuses_new_payments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    damaged_large_journal(&path, 100_000);
    // Start-up no longer reads the whole file, so it opens and finds the payments to recover.
    let (mut journal, check) = Journal::open_deferring_check(&path).unwrap();
    assert_eq!(journal.in_flight().unwrap().len(), 12, "the carried-over payments are read at start-up");
    assert!(journal.start_payment(&new_payment("O-1", "C1-A", 100), Utc::now()).is_ok(), "the counter works while the check runs");
    // The check, beside the counter, finds the damage; from then on no new payment starts.
    let found = check.run().unwrap_err();
    assert!(matches!(found, JournalError::Corrupt { .. }), "{found:?}");
    assert!(journal.health().damaged().is_some());
    let refused = journal.start_payment(&new_payment("O-2", "C1-B", 100), Utc::now()).unwrap_err();
    assert!(refused.to_string().contains("is damaged"), "{refused}");
    // The same file through the full check at open is refused outright, as before.
    drop(journal);
    assert!(matches!(Journal::open(&path), Err(JournalError::Corrupt { .. })));
}

#[test]
fn a_sound_large_journal_passes_the_deferred_check_and_keeps_taking_payments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    let journal = Journal::open(&path).unwrap();
    let written = pos_core::journal::sample::write(journal.connection(), pos_core::journal::sample::History::year(20_000)).unwrap();
    assert_eq!((written.payments, written.still_unknown), (20_000, 12));
    assert!(written.events > 60_000 && written.refunds > 100, "{written:?}");
    drop(journal);
    let (mut journal, check) = Journal::open_deferring_check(&path).unwrap();
    check.run().unwrap();
    assert!(journal.health().damaged().is_none());
    journal.start_payment(&new_payment("O-1", "C1-A", 100), Utc::now()).unwrap();
}

#[test]
fn the_journal_and_its_wal_are_readable_by_the_shop_account_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    let mut journal = Journal::open(&path).unwrap();
    journal.start_payment(&new_payment("O-1", "C1-A", 100), Utc::now()).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for file in
        [path.clone(), dir.path().join(format!("{}-wal", Journal::FILE_NAME)), dir.path().join(format!("{}-shm", Journal::FILE_NAME))]
    {
        assert_eq!(mode(&file), 0o600, "{} holds wallet numbers", file.display());
    }
    // A journal an older version left world-readable is narrowed at open.
    drop(journal);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    Journal::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
}

/// Not a test: another program holding the journal's write lock, as an
/// `sqlite3` shell inside a transaction does, until it is killed.
#[test]
#[ignore = "child process of the lock test; started by it, not by hand"]
fn journal_lock_holder_child() {
    let Ok(path) = std::env::var("LOCK_JOURNAL") else { return };
    let other = rusqlite::Connection::open(path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    println!("LOCKED");
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[tokio::test]
async fn a_journal_another_program_holds_refuses_new_sales_at_once_naming_it_and_comes_back_when_it_lets_go() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    let shop = crate::support::Shop::open_at(&path).await;
    let till = shop.counter.till.clone();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["journal::journal_lock_holder_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("LOCK_JOURNAL", &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let said = std::io::BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok).find(|l| l.contains("LOCKED"));
    assert!(said.is_some(), "the other program took the lock");

    let holder = shop.journal.lock().unwrap().probe_write_lock().unwrap();
    let holder = holder.expect("the lock is another program's");
    assert!(holder.contains(&format!("process {}", child.id())), "it names the program holding the lock: {holder}");
    let line = || vec![pos_core::money::SaleLine { code: None, name: "Tea".into(), quantity: 1, unit_poisha: 10_00 }];
    let started = std::time::Instant::now();
    let refused = till.ring_up("S-L1", line(), None).await.unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "refused at once, not after the 5 s wait: {:?}", started.elapsed());
    let said = refused.to_string();
    assert!(said.contains("in use by another program") && said.contains(&holder), "{said}");
    assert!(!said.contains("refused: The payment journal refused"), "said once: {said}");

    // The other program lets go: the next look finds the lock free, and sales start again.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(shop.journal.lock().unwrap().probe_write_lock().unwrap(), None);
    till.ring_up("S-L1", line(), None).await.unwrap();
}

#[test]
fn a_negative_amount_written_around_the_schema_is_read_as_an_error_not_as_an_enormous_sum() {
    let (dir, mut journal) = journal();
    let row = journal.start_payment(&new_payment("S-NEG", "C1-NEG", 15_000), Utc::now()).unwrap();
    // A hand-edited file: SQLite writes past the CHECK only when told to ignore it.
    let raw = rusqlite::Connection::open(dir.path().join(Journal::FILE_NAME)).unwrap();
    raw.execute_batch("PRAGMA ignore_check_constraints = ON").unwrap();
    raw.execute("UPDATE payments SET amount_poisha = -5 WHERE id = ?1", [row.id]).unwrap();
    drop(raw);
    let error = journal.get(row.id).unwrap_err().to_string();
    assert!(error.contains("a negative amount or count (-5)"), "{error}");
}
