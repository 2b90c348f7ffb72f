//! The manager's store-wide day, read from PostgreSQL: two counters'
//! journals in one view, each payment's history from either counter, every
//! counter's sync state, and the store's report numbered once.

use pos_core::journal::{Journal, PaymentFilter};
use pos_core::money::PaymentState;
use pos_core::report::bangladesh_today;
use pos_core::store::day::StoreReader;

use super::runtime;
use super::sync::{a_morning, paid_order, pusher};
use crate::pg::PrivatePg;
use crate::support::Shop;

#[test]
fn the_managers_day_covers_every_counter_with_totals_per_counter_and_cashier() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_day");
    let (one, two) = (rt.block_on(Shop::open()), rt.block_on(Shop::open()));
    rt.block_on(a_morning(&one)); // 420.00 paid, 100.00 refunded, one cancelled
    let paid_at_two = rt.block_on(paid_order(&two, "ORDER-B1", 150_00));
    for (shop, counter) in [(&one, "c1"), (&two, "c2")] {
        pusher(&pg, &db, &role, &password, counter, &shop.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    }
    let reader = StoreReader::new(pg.config(&db, &role, "c1"), password.clone());
    let day = reader.day(bangladesh_today(), &PaymentFilter::default(), 0).unwrap();
    assert_eq!((day.summary.completed.count, day.summary.completed.amount_poisha), (2, 570_00));
    assert_eq!((day.summary.cancelled.count, day.summary.refunded.amount_poisha), (1, 100_00));
    assert_eq!(day.summary.net_poisha, 470_00);
    assert_eq!(day.total, 3);
    assert_eq!(day.rows.len(), 3);
    assert_eq!(day.hourly_poisha.iter().sum::<u64>(), 570_00);
    let counters: Vec<_> = day.by_counter.iter().map(|g| (g.name.as_str(), g.bkash.amount_poisha, g.refunded.amount_poisha)).collect();
    assert_eq!(counters, [("c1", 420_00, 100_00), ("c2", 150_00, 0)]);
    assert_eq!(day.by_cashier.iter().map(|g| (g.name.as_str(), g.bkash.count)).collect::<Vec<_>>(), [("rina", 2)]);
    assert!(day.counters.iter().all(|c| c.behind == 0 && !c.silent), "{:?}", day.counters);

    // Search finds counter 2's payment by its trxID.
    let trx = two.row(paid_at_two).trx_id.unwrap();
    let found = reader.day(bangladesh_today(), &PaymentFilter { search: Some(trx.clone()), state: None }, 0).unwrap();
    assert_eq!(found.rows.len(), 1);
    assert_eq!((found.rows[0].counter.as_str(), found.rows[0].payment.trx_id.as_deref()), ("c2", Some(trx.as_str())));

    // Its whole history, read at counter 1.
    let history = reader.history("c2", paid_at_two).unwrap();
    assert_eq!(history.payment.state, PaymentState::Completed);
    assert_eq!(history.refundable_poisha, 150_00);
    assert_eq!(history.events.last().unwrap().to_state, Some(pos_core::money::EventState::Payment(PaymentState::Completed)));
    let refunded = reader
        .history("c1", day.rows.iter().find(|r| r.counter == "c1" && r.payment.state == PaymentState::Completed).unwrap().payment.id)
        .unwrap();
    assert_eq!((refunded.refunds.len(), refunded.refundable_poisha), (1, 320_00));

    // The store's export: every counter's payments of the day, each with its counter.
    let rows = reader.transactions(bangladesh_today()).unwrap();
    let mut listed: Vec<_> = rows.iter().map(|r| (r.counter.as_deref().unwrap(), r.amount.as_str(), r.state.as_str())).collect();
    listed.sort();
    assert_eq!(listed, [("c1", "420.00", "completed"), ("c1", "55.50", "cancelled"), ("c2", "150.00", "completed")]);
    let mut csv = Vec::new();
    pos_core::report::write_csv(&rows, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.lines().any(|l| l.contains(&trx) && l.ends_with(",c2,rina")), "{csv}");
}

#[test]
fn a_counter_behind_is_listed_and_the_stores_report_is_numbered_once() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_close");
    let (one, two) = (rt.block_on(Shop::open()), rt.block_on(Shop::open()));
    pusher(&pg, &db, &role, &password, "c1", &one.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    rt.block_on(paid_order(&one, "ORDER-A1", 80_00));
    // Counter 2 takes a payment and sends only part of it before its
    // network goes: the store knows it is behind, and by how much.
    rt.block_on(paid_order(&two, "ORDER-B1", 60_00));
    let mut partial = pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).with_batch(2);
    partial.push_batch().unwrap();
    pusher(&pg, &db, &role, &password, "c1", &one.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();

    let reader = StoreReader::new(pg.config(&db, &role, "c1"), password.clone());
    let now = chrono::Utc::now();
    let report = reader.close_day(bangladesh_today(), "manager at c1", now).unwrap();
    assert_eq!(report.number, 1);
    assert_eq!(report.by_counter.iter().find(|g| g.name == "c1").unwrap().bkash.amount_poisha, 80_00);
    assert_eq!(report.behind.len(), 1);
    assert_eq!(report.behind[0].counter, "c2");
    assert!(report.behind[0].behind >= 3, "{:?}", report.behind);
    // Asked again (from any counter): the same report, not a second one.
    let again =
        StoreReader::new(pg.config(&db, &role, "c2"), password.clone()).close_day(bangladesh_today(), "manager at c2", now).unwrap();
    assert_eq!((again.number, again.closed_by.as_str()), (1, "manager at c1"));
    assert!(report.corrections.is_empty());

    // Counter 2 catches up: its payment of the closed day is a correction
    // on the next report, and report #1 stays as it was.
    pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    let next = reader.close_day(bangladesh_today().succ_opt().unwrap(), "manager at c1", chrono::Utc::now()).unwrap();
    assert_eq!(next.number, 2);
    let corrected: Vec<_> = next.corrections.iter().map(|c| (c.counter.as_str(), c.amount_poisha, c.state)).collect();
    assert_eq!(corrected, [("c2", 60_00, PaymentState::Completed)]);
    assert!(next.behind.is_empty(), "{:?}", next.behind);
    let first = reader.close_day(bangladesh_today(), "manager at c1", chrono::Utc::now()).unwrap();
    assert_eq!((first.number, first.behind.len()), (1, 1), "a closed report never changes");
}

#[test]
fn every_counters_shifts_reach_the_store_open_with_their_float_and_closed_with_their_z_and_no_pin_goes_with_them() {
    use pos_core::money::MovementKind;
    use pos_core::shift::CashCount;
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_shifts");
    let (shop, sumi) = rt.block_on(crate::shifts::staffed());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    let shifts = &shop.counter.shifts;
    let till = &shop.counter.till;
    let line = vec![pos_core::money::SaleLine { code: None, name: "Rice 5 kg".into(), quantity: 1, unit_poisha: 420_00 }];
    rt.block_on(async {
        shifts.open(&sumi, &CashCount::of_notes(&[(1000, 1), (500, 1)])).await.unwrap();
        till.take_cash("S-1", line, 500_00, pos_core::payment::Anyway::No, sumi.by.as_ref()).await.unwrap();
        shifts.move_cash(&sumi, MovementKind::Drop, 1_000_00, "to the safe").await.unwrap();
    });
    let mut sync = pusher(&pg, &db, &role, &password, "c1", &path);
    sync.push_all().unwrap();
    let reader = StoreReader::new(pg.config(&db, &role, "c1"), password.clone());
    let day = reader.day(bangladesh_today(), &PaymentFilter::default(), 0).unwrap();
    assert_eq!(day.shifts.len(), 1, "{:?}", day.shifts);
    let open = &day.shifts[0];
    assert_eq!((open.counter.as_str(), open.opened_by.as_str(), open.float_poisha), ("c1", "Sumi", 1_500_00));
    assert_eq!((open.closed_at, open.cash, open.difference_poisha, open.movements), (None, None, None, 1), "open: no figures yet");

    // Closed ৳20 short: expected ৳1,500 + ৳420 − ৳1,000 = ৳920, counted ৳900.
    rt.block_on(shifts.close(&sumi, &CashCount::of_total(900_00))).unwrap();
    sync.push_all().unwrap();
    let closed = reader.day(bangladesh_today(), &PaymentFilter::default(), 0).unwrap().shifts.remove(0);
    assert_eq!((closed.closed_by.as_deref(), closed.z_number), (Some("Sumi"), Some(1)));
    assert_eq!((closed.expected_poisha, closed.counted_poisha, closed.difference_poisha), (Some(920_00), Some(900_00), Some(-20_00)));
    assert_eq!(closed.cash.map(|c| (c.count, c.amount_poisha)), Some((1, 420_00)));

    // What the store holds of people is their names: no PIN, sealed or not.
    let mut admin = pg.admin_client(&db);
    let bodies: Vec<String> = admin
        .query("SELECT body::text FROM bkash_store.events WHERE kind IN ('shift', 'drawer_movement')", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(bodies.len() >= 3, "{bodies:?}");
    assert!(bodies.iter().all(|b| !b.contains("pin") && !b.contains("$argon2")), "{bodies:?}");
}
