//! The journal's outbox pushed into a real PostgreSQL, idempotently,
//! through kills and restarts of the server.

use std::sync::Arc;

use pos_core::journal::{Journal, Outbox};
use pos_core::money::{PaymentState, SaleLine, Secret, SystemClock};
use pos_core::store::{OutboxPusher, StoreConfigProblem, StoreError, TlsMode};

use super::runtime;
use crate::pg::PrivatePg;
use crate::support::Shop;

/// Cashier rina's account at this counter (the store copies her name).
fn rina(journal: &mut pos_core::journal::Journal) -> pos_core::money::StaffRef {
    let seal = |_| (vec![0; 16], vec![0; 12]);
    journal.add_staff("rina", pos_core::money::Role::Cashier, seal, chrono::Utc::now()).unwrap().as_ref()
}

/// A paid sale, a failed attempt and a partial refund: every kind of row.
pub(super) async fn a_morning(shop: &Shop) {
    let line = SaleLine { code: Some("TEA".into()), name: "Tea 400 g".into(), quantity: 2, unit_poisha: 210_00 };
    {
        let mut journal = shop.journal.lock().unwrap();
        let rina = rina(&mut journal);
        journal.record_sale("SALE-1", Some("c1"), Some(&rina), &[line], chrono::Utc::now()).unwrap();
    }
    let id = paid_order(shop, "SALE-1", 420_00).await;
    shop.service.refund(id, 100_00, "TEA", "torn pack").await.unwrap();
    let other = shop.service.start("ORDER-2", 55_50, Some("c1"), Some("rina")).await.unwrap();
    shop.service.cancel(other.id, "customer left").await.unwrap();
}

/// An order paid at counter c1 by cashier rina; its payment id.
pub(super) async fn paid_order(shop: &Shop, order: &str, poisha: u64) -> i64 {
    let row = shop.service.start(order, poisha, Some("c1"), Some("rina")).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap();
    shop.sim.customer_pays(created.row.payment_id.as_deref().unwrap(), "01770618575", "123456", "12121").unwrap();
    let paid = shop.service.execute(row.id).await.unwrap();
    assert_eq!(paid.state, PaymentState::Completed);
    row.id
}

pub(super) fn pusher(pg: &PrivatePg, db: &str, role: &str, password: &Secret, counter: &str, journal: &std::path::Path) -> OutboxPusher {
    OutboxPusher::new(pg.config(db, role, counter), password.clone(), journal, Arc::new(SystemClock)).unwrap()
}

fn count(pg: &PrivatePg, db: &str, sql: &str) -> i64 {
    pg.admin_client(db).query_one(sql, &[]).unwrap().get(0)
}

fn journal_count(path: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_counter_without_a_store_writes_no_outbox_and_joining_one_queues_everything_it_holds() {
    let rt = runtime();
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    rt.block_on(a_morning(&shop));
    assert_eq!(journal_count(&path, "SELECT count(*) FROM outbox"), 0, "no store, no outbox");
    let mut outbox = Outbox::open(&path).unwrap();
    assert!(outbox.enable().unwrap());
    assert!(!outbox.enable().unwrap(), "once is enough");
    let kinds: Vec<(String, i64)> = rusqlite::Connection::open(&path)
        .unwrap()
        .prepare("SELECT kind, count(*) FROM outbox GROUP BY kind ORDER BY kind")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let events = journal_count(&path, "SELECT count(*) FROM payment_events");
    assert_eq!(
        kinds,
        [("payment".to_string(), 2), ("payment_event".to_string(), events), ("refund".to_string(), 1), ("sale".to_string(), 1)],
        "one snapshot of every row the journal held"
    );
}

#[test]
fn every_journal_change_writes_its_outbox_entry_and_a_refused_change_writes_none() {
    let rt = runtime();
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    Outbox::open(&path).unwrap().enable().unwrap();
    rt.block_on(a_morning(&shop));
    let outbox = Outbox::open(&path).unwrap();
    let entries = outbox.pending(10_000).unwrap();
    let kinds = |k: &str| entries.iter().filter(|e| e.kind == k).count() as i64;
    assert_eq!(kinds("payment_event"), journal_count(&path, "SELECT count(*) FROM payment_events"));
    assert_eq!(kinds("refund"), journal_count(&path, "SELECT count(*) FROM refunds") * 2, "a refund is written, then settled");
    assert!(kinds("payment") >= 7, "every state of both payments: {}", kinds("payment"));
    assert!(kinds("sale") >= 2, "the sale, then its line");
    // The last snapshot of each payment is the row as it stands.
    let last = entries.iter().rev().find(|e| e.kind == "payment" && e.body.contains("\"SALE-1\"")).unwrap();
    let body: serde_json::Value = serde_json::from_str(&last.body).unwrap();
    assert_eq!(body["state"], "completed");
    assert_eq!(body["amount_poisha"], 420_00);
    // A transition the journal refuses leaves no outbox entry behind.
    let before = outbox.backlog().unwrap();
    let id: i64 = body["id"].as_i64().unwrap();
    assert!(rt.block_on(shop.service.commit(id, PaymentState::Creating, Default::default())).is_err());
    assert_eq!(outbox.backlog().unwrap(), before);
}

#[test]
fn a_counter_pushes_its_journal_and_postgres_holds_every_event_once_even_when_batches_are_sent_again() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_once");
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    rt.block_on(a_morning(&shop));
    let mut sync = pusher(&pg, &db, &role, &password, "c1", &path).with_batch(3);
    let report = sync.push_all().unwrap();
    let written = journal_count(&path, "SELECT count(*) FROM outbox");
    assert_eq!(report.entries as i64, written);
    assert!(report.batches >= 5, "small batches: {report:?}");
    assert_eq!(sync.status().pending, 0);
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM bkash_store.events"), written);

    // A counter killed after PostgreSQL committed but before it noted so
    // sends everything again: nothing changes.
    rusqlite::Connection::open(&path).unwrap().execute("UPDATE outbox_sent SET through_seq = 0", []).unwrap();
    let again = pusher(&pg, &db, &role, &password, "c1", &path).push_all().unwrap();
    assert_eq!(again.entries as i64, written);
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM bkash_store.events"), written);
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM bkash_store.payments"), 2);
    assert_eq!(
        count(&pg, &db, "SELECT count(*) FROM bkash_store.events WHERE kind = 'payment_event'"),
        journal_count(&path, "SELECT count(*) FROM payment_events")
    );
    let mut admin = pg.admin_client(&db);
    let paid = admin
        .query_one("SELECT state, amount_poisha, trx_id, counter_id FROM bkash_store.payments WHERE order_id = 'SALE-1'", &[])
        .unwrap();
    let trx: Option<String> = paid.get(2);
    assert_eq!((paid.get::<_, String>(0), paid.get::<_, i64>(1), paid.get::<_, String>(3)), ("completed".into(), 420_00, "c1".into()));
    assert_eq!(trx, shop.sim.ledger()[0].trx_id);
    let refund = admin.query_one("SELECT state, amount_poisha FROM bkash_store.refunds", &[]).unwrap();
    assert_eq!((refund.get::<_, String>(0), refund.get::<_, i64>(1)), ("completed".into(), 100_00));
    let lines: serde_json::Value = admin.query_one("SELECT body->'lines' FROM bkash_store.sales", &[]).unwrap().get(0);
    assert_eq!(lines[0]["name"], "Tea 400 g");
    assert_eq!(lines[0]["quantity"], 2);
}

#[test]
fn a_second_pc_set_to_a_counter_id_already_in_use_is_refused_and_told_why() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_claim");
    let first = rt.block_on(Shop::open());
    let second = rt.block_on(Shop::open());
    pusher(&pg, &db, &role, &password, "c1", &first.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    let mut other = pusher(&pg, &db, &role, &password, "c1", &second.dir.path().join(Journal::FILE_NAME));
    let refused = other.push_all().unwrap_err();
    assert!(matches!(refused, StoreError::CounterIdTaken { .. }), "{refused:?}");
    assert_eq!(refused.to_string(), "counter id c1 is already used in store dhanmondi by another PC; choose another counter id");
    let status = other.status();
    assert!(status.refused);
    // The first PC keeps its id across restarts.
    pusher(&pg, &db, &role, &password, "c1", &first.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    // And the second is welcome under its own.
    pusher(&pg, &db, &role, &password, "c2", &second.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
}

#[test]
fn sync_survives_postgres_killed_mid_run_and_catches_up_when_it_returns() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_kill");
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    let mut sync = pusher(&pg, &db, &role, &password, "c1", &path);
    rt.block_on(a_morning(&shop));
    sync.push_all().unwrap();

    pg.kill();
    // The counter keeps taking payments on its journal.
    rt.block_on(paid_order(&shop, "ORDER-3", 99_00));
    let offline = sync.push_all().unwrap_err();
    assert!(offline.is_offline(), "{offline:?}");
    let status = sync.status();
    assert!(status.pending >= 5, "{status:?}");
    assert!(status.offline_since.is_some() && !status.refused);
    assert!(status.problem.as_deref().unwrap().contains("store database"), "{status:?}");

    pg.restart();
    sync.push_all().unwrap();
    let status = sync.status();
    assert_eq!((status.pending, status.offline_since, status.problem), (0, None, None));
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM bkash_store.events"), journal_count(&path, "SELECT count(*) FROM outbox"));
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM bkash_store.payments WHERE state = 'completed'"), 2);
}

#[test]
fn the_counter_shows_how_far_behind_it_is_and_the_store_sees_it_too() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_backlog");
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    rt.block_on(a_morning(&shop));
    let mut sync = pusher(&pg, &db, &role, &password, "c1", &path).with_batch(4);
    // The first push joins the store (the whole history is queued) and
    // sends one batch of it.
    sync.push_batch().unwrap();
    let written = journal_count(&path, "SELECT count(*) FROM outbox");
    assert!(written > 8, "{written}");
    assert_eq!(Outbox::open(&path).unwrap().backlog().unwrap().pending, written - 4);
    let row =
        pg.admin_client(&db).query_one("SELECT pushed_seq, journal_seq FROM bkash_store.counters WHERE counter_id = 'c1'", &[]).unwrap();
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(1)), (4, written), "the store knows how far behind the counter is");
    // A failed push says how much is left.
    pg.kill();
    assert!(sync.push_all().is_err());
    assert_eq!(sync.status().pending, written - 4);
}

#[test]
fn plain_tcp_is_refused_for_a_store_database_that_is_not_on_this_pc() {
    let pg_config = |host: &str, tls| pos_core::store::StoreConfig {
        host: host.into(),
        port: 5432,
        database: "shop".into(),
        user: "counter".into(),
        tls,
        ca_file: None,
        merchant: "m".into(),
        store_id: "s1".into(),
        counter_id: "c1".into(),
        install_id: None,
    };
    assert_eq!(pg_config("192.168.1.20", TlsMode::Off).check(), Err(StoreConfigProblem::TlsRequired { host: "192.168.1.20".into() }));
    assert_eq!(pg_config("db.example.com", TlsMode::Verified).check(), Ok(()));
    for local in ["127.0.0.1", "localhost", "::1", "/var/run/postgresql"] {
        assert_eq!(pg_config(local, TlsMode::Off).check(), Ok(()), "{local}");
    }
    let mut bad = pg_config("127.0.0.1", TlsMode::Off);
    bad.counter_id = "counter one".into();
    assert_eq!(bad.check().unwrap_err().to_string(), "the counter id must be 1 to 32 characters of letters, digits, '-' or '_'");
}

#[test]
fn a_wrong_password_is_named_as_such_and_never_shown() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, _) = pg.store_database("store_login");
    let shop = rt.block_on(Shop::open());
    let wrong = Secret::new("not-the-password-4711");
    let mut sync = pusher(&pg, &db, &role, &wrong, "c1", &shop.dir.path().join(Journal::FILE_NAME));
    let refused = sync.push_all().unwrap_err();
    assert_eq!(
        refused.to_string(),
        "the store database refused this counter's login as store_login_counter_c1 (wrong password or no access)"
    );
    assert!(!format!("{refused:?}{}", sync.status().problem.unwrap()).contains("4711"));
    // Nobody listening: named as unreachable, with the cause.
    pg.kill();
    let gone = sync.push_all().unwrap_err();
    assert!(gone.to_string().starts_with(&format!("the store database at 127.0.0.1:{} cannot be reached (", pg.port)), "{gone}");
}

#[test]
fn an_older_app_refuses_a_store_schema_written_by_a_newer_one() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_newer");
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    pusher(&pg, &db, &role, &password, "c1", &path).push_all().unwrap();
    pg.admin_client(&db).execute("UPDATE bkash_store.schema_version SET version = 99", &[]).unwrap();
    let refused = pusher(&pg, &db, &role, &password, "c1", &path).push_all().unwrap_err();
    assert!(matches!(refused, StoreError::SchemaTooNew { found: 99, .. }), "{refused:?}");
}

#[test]
fn only_entries_the_store_acknowledged_a_month_ago_leave_the_journals_outbox() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_prune");
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    rt.block_on(a_morning(&shop));
    let mut sync = pusher(&pg, &db, &role, &password, "c1", &path).with_batch(4);
    sync.push_batch().unwrap();
    let written = journal_count(&path, "SELECT count(*) FROM outbox");
    // Everything is a month old; only the first batch was acknowledged.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TRIGGER outbox_no_update; UPDATE outbox SET at = '2026-01-01T00:00:00.000Z'")
        .unwrap();
    let outbox = Outbox::open(&path).unwrap();
    assert_eq!(outbox.prune("2026-02-01T00:00:00.000Z").unwrap(), 4);
    assert_eq!(journal_count(&path, "SELECT count(*) FROM outbox"), written - 4);
    assert_eq!(outbox.backlog().unwrap().pending, written - 4, "nothing unsent is ever pruned");
}

#[test]
fn a_store_database_with_the_shops_own_certificate_is_reached_over_verified_tls_and_an_unknown_one_is_refused() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_tls");
    let ca = pg.enable_tls();
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    let verified = |ca_file: Option<std::path::PathBuf>| pos_core::store::StoreConfig {
        host: "localhost".into(),
        tls: TlsMode::Verified,
        ca_file,
        ..pg.config(&db, &role, "c1")
    };
    // Without the shop's CA, the server's certificate is not trusted.
    let mut unknown = OutboxPusher::new(verified(None), password.clone(), &path, Arc::new(SystemClock)).unwrap();
    let refused = unknown.push_all().unwrap_err();
    assert!(matches!(refused, StoreError::Tls(_)), "{refused:?}");
    assert!(refused.to_string().starts_with("TLS to the store database failed:"), "{refused}");
    // With it: connected, and the server says the session is encrypted.
    rt.block_on(a_morning(&shop));
    let mut sync = OutboxPusher::new(verified(Some(ca)), password, &path, Arc::new(SystemClock)).unwrap();
    sync.push_all().unwrap();
    let encrypted: i64 = pg
        .admin_client(&db)
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = $1 AND ssl",
            &[&pg.counter_login(&db, &role, "c1")],
        )
        .unwrap()
        .get(0);
    assert_eq!(encrypted, 1, "the counter's session is TLS");
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM bkash_store.payments"), 2);
}

#[test]
fn a_journal_that_joined_a_store_before_version_8_keeps_its_outbox_seqs_and_triggers_through_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    {
        // Version 7, in a store: five changes sent and pruned, so the outbox
        // table is empty and only SQLite's counter remembers seq 5.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        pos_core::journal::MIGRATIONS.to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO outbox (kind, body) VALUES ('payment', '{}'), ('payment', '{}'), ('payment', '{}'), ('payment', '{}'), ('payment', '{}');
             UPDATE outbox_sent SET through_seq = 5, enabled = 1;
             DELETE FROM outbox;",
        )
        .unwrap();
    }
    let mut journal = Journal::open(&path).unwrap();
    let row = journal
        .start_payment(
            &pos_core::journal::NewPayment {
                order_id: "AFTER-8".into(),
                invoice: "c1-AFTER-8".into(),
                product: Default::default(),
                pay_at: Default::default(),
                amount_poisha: 12_00,
                counter_id: Some("c1".into()),
                cashier: None,
            },
            chrono::Utc::now(),
        )
        .unwrap();
    let outbox = Outbox::open(&path).unwrap();
    let pending = outbox.pending(10).unwrap();
    assert!(!pending.is_empty(), "the upgraded journal still writes its outbox");
    assert!(pending.iter().all(|e| e.seq > 5), "no seq is handed out twice: {:?}", pending.iter().map(|e| e.seq).collect::<Vec<_>>());
    assert!(pending.iter().any(|e| e.kind == "payment" && e.body.contains(&format!("\"id\":{}", row.id))));
    assert_eq!(outbox.backlog().unwrap().sent_through, 5);
}

#[test]
fn a_journal_in_a_store_before_version_10_sends_the_shifts_it_already_holds_and_every_later_change_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    {
        // Version 9, in a store, with an open shift the store never heard of.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        pos_core::journal::MIGRATIONS.to_version(&mut conn, 9).unwrap();
        conn.execute_batch(
            "UPDATE outbox_sent SET enabled = 1;
             INSERT INTO staff (name, role, pin_sealed, pin_nonce, created_at, updated_at)
                 VALUES ('Sumi', 'cashier', x'00', zeroblob(12), '2026-12-08T03:00:00Z', '2026-12-08T03:00:00Z');
             INSERT INTO shifts (counter_id, opened_by, opened_at, float_poisha) VALUES ('c1', 1, '2026-12-08T03:00:00Z', 150000);",
        )
        .unwrap();
    }
    let mut journal = Journal::open(&path).unwrap();
    let outbox = Outbox::open(&path).unwrap();
    let shifts: Vec<_> = outbox.pending(100).unwrap().into_iter().filter(|e| e.kind == "shift").collect();
    assert_eq!(shifts.len(), 1, "the shift held before the upgrade is queued once");
    assert!(shifts[0].body.contains("\"opened_by\":\"Sumi\"") && shifts[0].body.contains("\"float_poisha\":150000"), "{}", shifts[0].body);
    // The triggers are back: a pay-out after the upgrade is queued too.
    journal.move_cash(1, pos_core::money::MovementKind::PayOut, 300_00, "eggs", 1, None, chrono::Utc::now()).unwrap();
    let moved: Vec<_> = outbox.pending(100).unwrap().into_iter().filter(|e| e.kind == "drawer_movement").collect();
    assert_eq!(moved.len(), 1);
    assert!(moved[0].body.contains("\"by\":\"Sumi\"") && !moved[0].body.contains("pin"), "{}", moved[0].body);
}
