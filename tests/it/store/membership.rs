//! A PC that does not hold its counter id in the store (#27, fault 10): a
//! second PC set up as `c1` is refused its sync, and now every other store
//! action and write too: no refund of another counter's payment, no check,
//! no read of the store's day. Nothing is recorded under the real c1's id,
//! so the real c1 goes on refunding as before.

use std::sync::Arc;

use pos_core::journal::Journal;
use pos_core::money::RefundState;
use pos_core::payment::PaymentError;
use pos_core::reconcile::Reconciler;
use pos_core::store::actions::StoreActions;
use pos_core::store::day::StoreReader;
use pos_core::store::refunds::StoreRefundGate;
use pos_core::store::StoreError;

use super::sync::{paid_order, pusher};
use super::{counter_service, journal_in, runtime};
use crate::pg::PrivatePg;
use crate::support::Shop;

#[test]
fn a_pc_refused_for_its_counter_id_gets_no_store_action_or_write_through() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_impostor");
    // The real c1 and c2, each with its journal and its claim.
    let one = rt.block_on(Shop::open());
    let one_path = one.dir.path().join(Journal::FILE_NAME);
    pusher(&pg, &db, &role, &password, "c1", &one_path).push_all().unwrap();
    let two = rt.block_on(Shop::open());
    let two_id = rt.block_on(paid_order(&two, "ORDER-I2", 500_00));
    pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();

    // A second PC, also set up as c1: its own journal, so another install id.
    let impostor_dir = tempfile::tempdir().unwrap();
    let impostor_journal = journal_in(&impostor_dir);
    let impostor_config = pos_core::store::StoreConfig {
        install_id: Some(impostor_journal.lock().unwrap().install_id().unwrap()),
        ..pg.config(&db, &role, "c1")
    };
    let refused_sync = pusher(&pg, &db, &role, &password, "c1", &impostor_dir.path().join(Journal::FILE_NAME)).push_all().unwrap_err();
    assert!(matches!(refused_sync, StoreError::CounterIdTaken { .. }), "{refused_sync:?}");

    let gate = Arc::new(StoreRefundGate::new(impostor_config.clone(), password.clone()));
    let service = counter_service(&two, impostor_journal.clone(), gate);
    let reader = Arc::new(StoreReader::new(impostor_config.clone(), password.clone()));
    let reconciler = Arc::new(Reconciler::new(service.clone(), 1));
    let actions = StoreActions::new(service.clone(), reconciler, reader.clone(), "c1");

    // The whole-store view: refused, not read.
    let day = reader.day(pos_core::report::bangladesh_today(), &Default::default(), 0);
    assert!(matches!(day, Err(StoreError::CounterIdTaken { .. })), "{:?}", day.map(|_| ()));
    // A refund of c2's payment: refused before bKash hears of it.
    let refund = rt.block_on(actions.refund("c2", two_id, 100_00, "TEA", "impostor")).unwrap_err();
    assert!(matches!(refund, PaymentError::StoreRefused(_)), "{refund:?}");
    assert!(refund.to_string().contains("already used in store"), "the message names the cause: {refund}");
    assert!(two.sim.ledger().iter().all(|p| p.refunds.is_empty()), "bKash has no refund");
    let check = rt.block_on(actions.check("c2", two_id, "rina")).unwrap_err();
    assert!(matches!(check, PaymentError::StoreRefused(_)), "{check:?}");
    // Nothing under c1's id in the store: no claim, no action.
    let count = |sql: &str| -> i64 { pg.admin_client(&db).query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(count("SELECT count(*) FROM bkash_store.refund_claims"), 0);
    assert_eq!(count("SELECT count(*) FROM bkash_store.store_actions"), 0);

    // The real c1 refunds c2's payment as always: its claim is its own.
    let real_config =
        pos_core::store::StoreConfig { install_id: Some(one.journal.lock().unwrap().install_id().unwrap()), ..pg.config(&db, &role, "c1") };
    let real = counter_service(&two, one.journal.clone(), Arc::new(StoreRefundGate::new(real_config.clone(), password.clone())));
    let real_reader = Arc::new(StoreReader::new(real_config, password.clone()));
    let real_actions = StoreActions::new(real.clone(), Arc::new(Reconciler::new(real.clone(), 1)), real_reader, "c1");
    let done = rt.block_on(real_actions.refund("c2", two_id, 100_00, "TEA", "returned")).unwrap();
    assert_eq!(done.state, RefundState::Completed);
    assert_eq!(count("SELECT count(*) FROM bkash_store.refund_claims"), 1);
}
