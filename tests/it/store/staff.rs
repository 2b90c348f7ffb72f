//! The store's staff accounts (#29): an account made at one counter signs in
//! at every counter of the store, with no store at the moment of sign-in;
//! a change at any counter reaches the others, the newest winning; and
//! nothing in PostgreSQL lets a reader try PINs or make themselves manager.

use std::sync::Arc;

use pos_core::journal::Journal;
use pos_core::money::{Role, Secret};
use pos_core::staff::{AccountChange, Staff, StaffError};
use pos_core::store::staff::{Exchanged, StaffExchange};

use super::runtime;
use super::sync::pusher;
use crate::pg::PrivatePg;
use crate::support::Shop;

fn exchange(pg: &PrivatePg, db: &str, role: &str, password: &Secret, counter: &str) -> StaffExchange {
    let app_secret = pos_core::bkash::training_config("http://127.0.0.1:9").credentials.app_secret;
    StaffExchange::new(pg.config(db, role, counter), password.clone(), &app_secret, pos_core::bkash::Environment::Training)
}

/// Two counters of one store, each with its staff exchange.
struct Counters {
    pg: PrivatePg,
    db: String,
    one: Shop,
    two: Shop,
    at_one: StaffExchange,
    at_two: StaffExchange,
    _rt: tokio::runtime::Runtime,
}

fn two_counters(name: &str) -> Counters {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database(name);
    let (one, two) = (rt.block_on(Shop::open()), rt.block_on(Shop::open()));
    for (shop, counter) in [(&one, "c1"), (&two, "c2")] {
        pusher(&pg, &db, &role, &password, counter, &shop.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    }
    let (at_one, at_two) = (exchange(&pg, &db, &role, &password, "c1"), exchange(&pg, &db, &role, &password, "c2"));
    Counters { pg, db, one, two, at_one, at_two, _rt: rt }
}

fn staff(shop: &Shop) -> Arc<Staff> {
    shop.counter.staff.clone()
}

#[test]
fn an_account_made_at_one_counter_signs_in_at_another_even_with_the_store_gone() {
    let Counters { pg, one, two, at_one, at_two, _rt, .. } = two_counters("store_staff");
    staff(&one).first_manager("Rahim", "4831").unwrap();
    staff(&one).add_account("Rina", Role::Cashier, "2468").unwrap();
    assert_eq!(at_one.exchange(&staff(&one)).unwrap(), Exchanged { sent: 2, taken: 0, unopened: 0 });
    assert_eq!(at_two.exchange(&staff(&two)).unwrap(), Exchanged { sent: 0, taken: 2, unopened: 0 });

    // Counter 2 now holds both accounts in its own journal: sign-in needs no store.
    drop(pg);
    assert_eq!(staff(&two).sign_in("2468").unwrap().name, "Rina");
    assert_eq!(staff(&two).sign_in("4831").unwrap().role, Role::Manager);
    assert!(matches!(staff(&two).sign_in("1111"), Err(StaffError::WrongPin { .. })));
}

#[test]
fn the_newest_change_wins_at_every_counter_and_a_role_edited_in_postgres_opens_nothing() {
    let Counters { pg, db, one, two, at_one, at_two, _rt } = two_counters("store_staff_changes");
    staff(&one).first_manager("Rahim", "4831").unwrap();
    staff(&one).add_account("Rina", Role::Cashier, "2468").unwrap();
    at_one.exchange(&staff(&one)).unwrap();
    at_two.exchange(&staff(&two)).unwrap();

    // Counter 2 makes Rina a supervisor with a new PIN; counter 1 follows.
    let rina_at_two = staff(&two).accounts().unwrap().into_iter().find(|a| a.name == "Rina").unwrap();
    staff(&two)
        .change_account(rina_at_two.id, AccountChange { role: Some(Role::Supervisor), pin: Some("1357".into()), ..Default::default() })
        .unwrap();
    assert_eq!(at_two.exchange(&staff(&two)).unwrap().sent, 1);
    assert_eq!(at_one.exchange(&staff(&one)).unwrap().taken, 1);
    let signed = staff(&one).sign_in("1357").unwrap();
    assert_eq!((signed.name.as_str(), signed.role), ("Rina", Role::Supervisor));
    assert!(staff(&one).sign_in("2468").is_err(), "the old PIN is gone at counter 1 too");
    // Nothing bounces back: another exchange sends and takes nothing.
    assert_eq!(at_one.exchange(&staff(&one)).unwrap(), Exchanged::default());

    // A reader of PostgreSQL sees names and roles, never a hash.
    let mut admin = pg.admin_client(&db);
    let rows = admin.query("SELECT name, role, sealed FROM bkash_store.staff_accounts ORDER BY name", &[]).unwrap();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let sealed: Vec<u8> = row.get(2);
        assert!(!String::from_utf8_lossy(&sealed).contains("argon2"), "the hash is sealed");
    }
    // Someone with write access makes Rina a manager in PostgreSQL, as of
    // now: the seal no longer opens, and no counter takes it.
    admin
        .execute(
            "UPDATE bkash_store.staff_accounts SET role = 'manager', changed_at = now() + interval '1 minute' WHERE name = 'Rina'",
            &[],
        )
        .unwrap();
    assert_eq!(at_one.exchange(&staff(&one)).unwrap().unopened, 1);
    assert_eq!(staff(&one).sign_in("1357").unwrap().role, Role::Supervisor, "counter 1 keeps what it had");
}
