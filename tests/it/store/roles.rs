//! The store database's roles (#27, fault 13): the schema's owner changes
//! it; each counter logs in as its own role and may read the whole store
//! but add or change only its own rows. Each statement a counter once could
//! run against the others is tried here, as that counter, and refused.

use pos_core::journal::Journal;

use super::runtime;
use super::sync::{paid_order, pusher};
use crate::pg::PrivatePg;
use crate::support::Shop;

#[test]
fn a_counters_role_reads_the_store_but_cannot_change_the_schema_or_another_counters_rows() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_roles");
    let one = rt.block_on(Shop::open());
    rt.block_on(paid_order(&one, "ORDER-R1", 100_00));
    pusher(&pg, &db, &role, &password, "c1", &one.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    let two = rt.block_on(Shop::open());
    rt.block_on(paid_order(&two, "ORDER-R2", 200_00));
    pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    let admin = || pg.admin_client(&db);
    admin()
        .execute(
            "INSERT INTO bkash_store.trx_claims (merchant, store_id, trx_id, origin_counter, origin_payment, acting_counter)
             VALUES ('sandboxTestUser', 'dhanmondi', 'TRXOFC2000', 'c2', 1, 'c2')",
            &[],
        )
        .unwrap();
    let count = |sql: &str| -> i64 { admin().query_one(sql, &[]).unwrap().get(0) };
    let before = (
        count("SELECT count(*) FROM bkash_store.events"),
        count("SELECT count(*) FROM bkash_store.payments WHERE counter_id = 'c2' AND state = 'completed'"),
    );

    let c1 = pg.config(&db, &role, "c1");
    let mut counter = c1.connect(&password, std::time::Duration::from_secs(5)).unwrap();
    // It reads the whole store: the manager's views need every counter.
    let seen: i64 = counter.query_one("SELECT count(DISTINCT counter_id) FROM bkash_store.payments", &[]).unwrap().get(0);
    assert_eq!(seen, 2);

    let refused = [
        ("drop a table", "DROP TABLE bkash_store.events"),
        ("delete every counter's events", "DELETE FROM bkash_store.events"),
        ("empty a table", "TRUNCATE bkash_store.payments"),
        ("turn row security off", "ALTER TABLE bkash_store.payments DISABLE ROW LEVEL SECURITY"),
        ("drop a policy", "DROP POLICY payments_change_own ON bkash_store.payments"),
        ("make a table", "CREATE TABLE bkash_store.mine (a int)"),
        ("move the schema's version", "UPDATE bkash_store.schema_version SET version = 1"),
        ("become another counter", "UPDATE bkash_store.counter_logins SET counter_id = 'c2'"),
        ("map itself to another counter", "INSERT INTO bkash_store.counter_logins VALUES ('x', 'sandboxTestUser', 'dhanmondi', 'c2')"),
        (
            "add an event as another counter",
            "INSERT INTO bkash_store.events (merchant, store_id, counter_id, seq, kind, body, at)
             VALUES ('sandboxTestUser', 'dhanmondi', 'c2', 999999, 'payment', '{}', now())",
        ),
        (
            "claim a refund in another counter's name",
            "INSERT INTO bkash_store.refund_claims (merchant, store_id, origin_counter, origin_payment, acting_counter, kind, refund_local_id, amount_poisha)
             VALUES ('sandboxTestUser', 'dhanmondi', 'c2', 1, 'c2', 'own', 77, 100)",
        ),
        (
            "add a shift as another counter's",
            "INSERT INTO bkash_store.shifts (merchant, store_id, counter_id, local_id, seq, opened_by, opened_at, body)
             VALUES ('sandboxTestUser', 'dhanmondi', 'c2', 9, 1, 'x', now(), '{}')",
        ),
        (
            "add a pay-out to another counter's drawer",
            "INSERT INTO bkash_store.drawer_movements (merchant, store_id, counter_id, local_id, shift, body)
             VALUES ('sandboxTestUser', 'dhanmondi', 'c2', 9, 1, '{}')",
        ),
        (
            "change a staff account in another counter's name",
            "INSERT INTO bkash_store.staff_accounts (merchant, store_id, name_key, name, role, active, nonce, sealed, changed_at, changed_by)
             VALUES ('sandboxTestUser', 'dhanmondi', 'x', 'x', 'manager', true, '\\x000000000000000000000000', '\\x00', now(), 'c2')",
        ),
        (
            "count a token call as another counter's",
            "INSERT INTO bkash_store.token_calls (merchant, environment, call_id, at, counter_id) VALUES ('sandboxTestUser', 'training', 'x', now(), 'c2')",
        ),
    ];
    for (what, sql) in refused {
        let mut tx = counter.transaction().unwrap();
        let result = tx.batch_execute(sql);
        assert!(result.is_err(), "a counter's role could {what}: {sql}");
        drop(tx);
    }
    // Rows it may not change are not there for it to change: nothing happens.
    for (what, sql) in [
        ("mark another counter's payment failed", "UPDATE bkash_store.payments SET state = 'failed' WHERE counter_id = 'c2'"),
        ("give back another counter's trxID claim", "DELETE FROM bkash_store.trx_claims WHERE acting_counter = 'c2'"),
        ("rewrite another counter's claim to its id", "UPDATE bkash_store.counters SET install_id = 'stolen' WHERE counter_id = 'c2'"),
    ] {
        let changed = counter.execute(sql, &[]).unwrap();
        assert_eq!(changed, 0, "a counter's role could {what}");
    }
    assert_eq!(
        before,
        (
            count("SELECT count(*) FROM bkash_store.events"),
            count("SELECT count(*) FROM bkash_store.payments WHERE counter_id = 'c2' AND state = 'completed'"),
        ),
        "another counter's rows are as they were"
    );
    assert_eq!(count("SELECT count(*) FROM bkash_store.trx_claims"), 1);
    // Other databases of the server are closed to it.
    for other in ["postgres", "template1"] {
        let elsewhere = pos_core::store::StoreConfig { database: other.into(), ..c1.clone() };
        assert!(elsewhere.connect(&password, std::time::Duration::from_secs(5)).is_err(), "a counter's role reached {other}");
    }
    // And its own work goes on: its rows are its to write.
    rt.block_on(paid_order(&one, "ORDER-R3", 300_00));
    pusher(&pg, &db, &role, &password, "c1", &one.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    assert_eq!(count("SELECT count(*) FROM bkash_store.payments WHERE counter_id = 'c1'"), 2);
}

#[test]
fn a_counter_does_not_migrate_the_store_and_says_who_must() {
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_behind");
    let config = pg.config(&db, &role, "c1");
    pg.admin_client(&db).execute("UPDATE bkash_store.schema_version SET version = 2", &[]).unwrap();
    let reader = pos_core::store::day::StoreReader::new(config, password);
    let Err(refused) = reader.day(pos_core::report::bangladesh_today(), &Default::default(), 0) else { panic!("an older schema was used") };
    assert!(matches!(refused, pos_core::store::StoreError::SchemaBehind { found: 2, .. }), "{refused:?}");
    assert!(refused.to_string().contains("bkash-pos store-migrate"), "{refused}");
    assert!(refused.refuses_this_counter());
}

#[test]
fn the_owner_migrates_the_store_and_maps_each_counters_login_with_one_command() {
    let pg = PrivatePg::start();
    let mut admin = pg.admin_client("postgres");
    // As the README tells a shop's administrator to, one statement at a time.
    for statement in [
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bkash_counters') THEN CREATE ROLE bkash_counters NOLOGIN; END IF; END $$",
        "CREATE ROLE shop_owner LOGIN PASSWORD 'owner-pw-1' NOSUPERUSER NOCREATEDB NOCREATEROLE",
        "CREATE ROLE shop_c1 LOGIN PASSWORD 'c1-pw-1' NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE bkash_counters",
        "CREATE DATABASE shop",
        "REVOKE ALL ON DATABASE shop FROM PUBLIC",
        "GRANT CONNECT ON DATABASE shop TO bkash_counters, shop_owner",
    ] {
        admin.batch_execute(statement).unwrap();
    }
    pg.admin_client("shop")
        .batch_execute("REVOKE ALL ON SCHEMA public FROM PUBLIC; CREATE SCHEMA bkash_store AUTHORIZATION shop_owner;")
        .unwrap();
    let migrate = |args: &[&str], password: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_bkash-pos"));
        command.arg("store-migrate").args(args).env_remove("BKASH_STORE_PASSWORD");
        if let Some(password) = password {
            command.env("BKASH_STORE_PASSWORD", password);
        }
        command.output().unwrap()
    };
    let port = pg.port.to_string();
    let args = [
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--database",
        "shop",
        "--user",
        "shop_owner",
        "--tls",
        "off",
        "--map",
        "shop_c1=sandboxTestUser/dhanmondi/c1",
    ];
    let no_password = migrate(&args, None);
    assert_eq!(no_password.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_password.stderr).contains("BKASH_STORE_PASSWORD"));
    let bad_map =
        migrate(&["--host", "127.0.0.1", "--database", "shop", "--user", "shop_owner", "--map", "shop_c1=c1"], Some("owner-pw-1"));
    assert_eq!(bad_map.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_map.stderr).contains("is not LOGIN=MERCHANT/STORE/COUNTER"));
    let wrong = migrate(&args, Some("not-it"));
    assert_eq!(wrong.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&wrong.stderr).contains("not-it"), "the password is never shown");

    let done = migrate(&args, Some("owner-pw-1"));
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(String::from_utf8_lossy(&done.stdout).contains("1 logins mapped"), "{}", String::from_utf8_lossy(&done.stdout));
    // The counter's login now works on its own rows, with nothing more to migrate.
    let c1 = pos_core::store::StoreConfig { user: "shop_c1".into(), database: "shop".into(), ..pg.config("shop", "unused", "c1") };
    let reader = pos_core::store::day::StoreReader::new(c1, pos_core::money::Secret::new("c1-pw-1"));
    reader.day(pos_core::report::bangladesh_today(), &Default::default(), 0).unwrap();
    let again = migrate(&args, Some("owner-pw-1"));
    assert!(String::from_utf8_lossy(&again.stdout).contains("(0 steps applied)"), "{}", String::from_utf8_lossy(&again.stdout));
}
