//! A manager checks or resolves any counter's unsettled payment from any
//! counter: journaled where it is done, before bKash is asked; the counter
//! that took the payment asks bKash itself and is the only one that
//! changes it.

use std::sync::{Arc, Mutex};

use pos_core::journal::{Journal, JournalError, JournalRead};
use pos_core::money::{ActionOutcome, PaymentState, StoreActionKind};
use pos_core::payment::{PaymentError, PaymentService};
use pos_core::reconcile::Reconciler;
use pos_core::store::actions::{ActionDone, ActionRequest, StoreActions};
use pos_core::store::day::StoreReader;
use pos_core::store::refunds::StoreRefundGate;
use pos_core::store::OutboxPusher;

use super::sync::{paid_order, pusher};
use super::{counter_service, journal_in, runtime};
use crate::pg::PrivatePg;
use crate::resolve::unknown;
use crate::support::Shop;

/// Counter `counter`'s manager actions, over `service`.
fn actions(
    pg: &PrivatePg,
    db: &str,
    role: &str,
    password: &pos_core::money::Secret,
    counter: &str,
    service: Arc<PaymentService>,
) -> StoreActions {
    let reader = Arc::new(StoreReader::new(pg.config(db, role, counter), password.clone()));
    StoreActions::new(service.clone(), Arc::new(Reconciler::new(service, 2)), reader, counter)
}

/// Counter 2: a journal of its own beside counter 1's shop.
struct CounterTwo {
    dir: tempfile::TempDir,
    journal: Arc<Mutex<Journal>>,
    service: Arc<PaymentService>,
}

fn counter_two(pg: &PrivatePg, db: &str, role: &str, password: &pos_core::money::Secret, one: &Shop) -> CounterTwo {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal_in(&dir);
    let gate = Arc::new(StoreRefundGate::new(pg.config(db, role, "c2"), password.clone()));
    let service = counter_service(one, journal.clone(), gate);
    CounterTwo { dir, journal, service }
}

fn queries(shop: &Shop) -> u64 {
    shop.sim.stats().calls.get("checkout.query").copied().unwrap_or(0)
}

/// Counter 1's sync with an inbox: one push, and the actions it found.
fn push_and_collect(pg: &PrivatePg, db: &str, role: &str, password: &pos_core::money::Secret, one: &Shop) -> Vec<ActionRequest> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let mut sync: OutboxPusher = pusher(pg, db, role, password, "c1", &one.dir.path().join(Journal::FILE_NAME)).with_inbox(tx);
    sync.push_all().unwrap();
    drop(sync);
    let mut found = Vec::new();
    while let Ok(batch) = rx.try_recv() {
        found.extend(batch);
    }
    found
}

#[test]
fn a_check_from_another_counter_is_journaled_there_and_only_the_counter_that_took_the_payment_settles_it() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_check");
    let one = rt.block_on(Shop::open());
    let (id, trx) = rt.block_on(unknown(&one, "ORDER-K1", 250_00));
    assert!(push_and_collect(&pg, &db, &role, &password, &one).is_empty());

    let two = counter_two(&pg, &db, &role, &password, &one);
    let at_two = actions(&pg, &db, &role, &password, "c2", two.service.clone());
    let before = queries(&one);
    let ActionDone::Elsewhere(action) = rt.block_on(at_two.check("c1", id, "manager at counter c2")).unwrap() else {
        panic!("counter 1's payment is acted on as another counter's")
    };
    assert_eq!(queries(&one), before + 1, "counter 2 asked bKash once");
    assert_eq!(
        (action.kind, action.outcome, action.trx_id.as_deref()),
        (StoreActionKind::Check, ActionOutcome::Completed, Some(trx.as_str()))
    );
    // Journaled at counter 2, with bKash's answer; counter 1's journal is untouched.
    let kept: (String, String, i64) = rusqlite::Connection::open(two.dir.path().join(Journal::FILE_NAME))
        .unwrap()
        .query_row("SELECT outcome, origin_counter, origin_payment FROM store_actions", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!(kept, ("completed".into(), "c1".into(), id));
    assert_eq!(one.row(id).state, PaymentState::Unknown, "only counter 1 writes counter 1's journal");

    // Through the store, counter 1 hears of it, asks bKash itself and settles.
    pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    let found = push_and_collect(&pg, &db, &role, &password, &one);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].acting_counter.as_str(), found[0].kind, found[0].payment), ("c2", StoreActionKind::Check, id));
    let at_one = actions(&pg, &db, &role, &password, "c1", one.service.clone());
    assert_eq!(rt.block_on(at_one.carry_out(&found[0])).unwrap(), PaymentState::Completed);
    assert_eq!(queries(&one), before + 2, "counter 1 asked bKash itself");
    let settled = one.row(id);
    assert_eq!((settled.state, settled.trx_id.as_deref()), (PaymentState::Completed, Some(trx.as_str())));
    // Once: the receipt stops a second run, and the store stops offering it.
    assert_eq!(rt.block_on(at_one.carry_out(&found[0])).unwrap(), PaymentState::Completed);
    assert_eq!(queries(&one), before + 2);
    assert!(push_and_collect(&pg, &db, &role, &password, &one).is_empty());

    let history = StoreReader::new(pg.config(&db, &role, "c2"), password.clone()).history("c1", id).unwrap();
    assert_eq!(history.payment.state, PaymentState::Completed);
    assert_eq!(history.actions.len(), 1);
    let entry = &history.actions[0];
    assert_eq!((entry.acting_counter.as_str(), entry.kind, entry.outcome), ("c2", StoreActionKind::Check, ActionOutcome::Completed));
    assert_eq!(entry.carried_out, Some(PaymentState::Completed));
    drop(two.journal);
}

#[test]
fn a_resolution_from_another_counter_needs_a_trx_id_bkash_confirms_that_no_payment_of_the_store_already_has() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_resolve");
    let one = rt.block_on(Shop::open());
    let paid = rt.block_on(paid_order(&one, "ORDER-K2", 99_00));
    let paid_trx = one.row(paid).trx_id.unwrap();
    let (id, trx) = rt.block_on(unknown(&one, "ORDER-K3", 420_50));
    push_and_collect(&pg, &db, &role, &password, &one);
    let two = counter_two(&pg, &db, &role, &password, &one);
    let at_two = actions(&pg, &db, &role, &password, "c2", two.service.clone());
    let by = "manager at counter c2";
    let problem = |e: PaymentError| match e {
        PaymentError::Journal(JournalError::Invalid { field: "trxID", problem }) => problem,
        other => panic!("expected a refused trxID, got {other:?}"),
    };

    // The trxID of another payment of the store: refused before bKash is asked.
    let taken = problem(rt.block_on(at_two.resolve("c1", id, &paid_trx, "customer showed an SMS", by)).unwrap_err());
    assert_eq!(taken, format!("already belongs to payment {paid} at counter c1"));
    // One bKash does not know: refused by Search, and the refusal journaled at counter 2.
    let not_known = problem(rt.block_on(at_two.resolve("c1", id, "NOSUCHTRX1", "customer showed an SMS", by)).unwrap_err());
    assert!(not_known.contains("not known to bKash"), "{not_known}");
    // A malformed one: refused before anything is written.
    assert!(matches!(rt.block_on(at_two.resolve("c1", id, "AB-12", "x", by)), Err(PaymentError::Journal(JournalError::Invalid { .. }))));
    let ActionDone::Elsewhere(done) =
        rt.block_on(at_two.resolve("c1", id, &trx.to_lowercase(), "customer showed the bKash SMS", by)).unwrap()
    else {
        panic!("another counter's payment")
    };
    assert_eq!((done.outcome, done.trx_id.as_deref()), (ActionOutcome::Completed, Some(trx.as_str())));
    let outcomes: Vec<String> = rusqlite::Connection::open(two.dir.path().join(Journal::FILE_NAME))
        .unwrap()
        .prepare("SELECT outcome FROM store_actions ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(outcomes, ["refused", "completed"]);
    assert_eq!(one.row(id).state, PaymentState::Unknown);

    // Counter 1 is handed only the resolution bKash confirmed, and verifies it again.
    pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    let found = push_and_collect(&pg, &db, &role, &password, &one);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].kind, found[0].claim.as_ref().map(|c| c.trx_id.as_str())), (StoreActionKind::Resolve, Some(trx.as_str())));
    let searches = one.sim.stats().calls.get("checkout.search").copied().unwrap_or(0);
    let at_one = actions(&pg, &db, &role, &password, "c1", one.service.clone());
    assert_eq!(rt.block_on(at_one.carry_out(&found[0])).unwrap(), PaymentState::Completed);
    assert_eq!(one.sim.stats().calls["checkout.search"], searches + 1, "counter 1 asked Search Transaction itself");
    assert_eq!(one.row(id).trx_id.as_deref(), Some(trx.as_str()));
    let last = one.journal.lock().unwrap().events(id).unwrap().pop().unwrap();
    let detail = last.detail.unwrap();
    assert!(detail.contains("customer showed the bKash SMS (asked at counter c2, action 2)"), "{detail}");
    assert!(detail.ends_with("verified by Search Transaction"), "{detail}");
}

#[test]
fn without_the_store_only_the_counters_own_payments_can_be_checked_or_resolved() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_actions_offline");
    let one = rt.block_on(Shop::open());
    let (id, _) = rt.block_on(unknown(&one, "ORDER-K4", 75_00));
    let (other, other_trx) = rt.block_on(unknown(&one, "ORDER-K8", 76_00));
    push_and_collect(&pg, &db, &role, &password, &one);
    let two = counter_two(&pg, &db, &role, &password, &one);
    let at_two = actions(&pg, &db, &role, &password, "c2", two.service.clone());
    pg.kill();
    let before = queries(&one);
    for refused in [
        rt.block_on(at_two.check("c1", id, "manager at counter c2")).unwrap_err(),
        rt.block_on(at_two.resolve("c1", id, "ABC123", "customer says so", "manager at counter c2")).unwrap_err(),
    ] {
        assert!(matches!(refused, PaymentError::StoreUnreachable(_)), "{refused:?}");
    }
    assert_eq!(queries(&one), before, "bKash was not asked");
    let written: i64 = rusqlite::Connection::open(two.dir.path().join(Journal::FILE_NAME))
        .unwrap()
        .query_row("SELECT count(*) FROM store_actions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(written, 0);
    // Counter 1 still checks its own payment, store or not.
    let at_one = actions(&pg, &db, &role, &password, "c1", one.service.clone());
    let ActionDone::Own(row) = rt.block_on(at_one.check("c1", id, "manager at counter c1")).unwrap() else { panic!("its own payment") };
    assert_eq!(row.state, PaymentState::Completed);
    // And resolves its own payment by trxID, on its journal's word and bKash's.
    let ActionDone::Own(row) =
        rt.block_on(at_one.resolve("c1", other, &other_trx, "customer showed the SMS", "manager at counter c1")).unwrap()
    else {
        panic!("its own payment")
    };
    assert_eq!((row.state, row.trx_id.as_deref()), (PaymentState::Completed, Some(other_trx.as_str())));
}

#[test]
fn a_payment_that_is_not_unknown_in_the_store_is_not_acted_on() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_actions_settled");
    let one = rt.block_on(Shop::open());
    let paid = rt.block_on(paid_order(&one, "ORDER-K5", 10_00));
    push_and_collect(&pg, &db, &role, &password, &one);
    let two = counter_two(&pg, &db, &role, &password, &one);
    let at_two = actions(&pg, &db, &role, &password, "c2", two.service.clone());
    let refused = rt.block_on(at_two.check("c1", paid, "manager at counter c2")).unwrap_err();
    assert!(matches!(refused, PaymentError::WrongState { state: PaymentState::Completed, .. }), "{refused:?}");
    let missing = rt.block_on(at_two.check("c1", 9_999, "manager at counter c2")).unwrap_err();
    assert!(matches!(missing, PaymentError::Journal(JournalError::NotFound(9_999))), "{missing:?}");
}

#[test]
fn a_trx_id_settles_at_most_one_payment_of_the_store_whichever_counter_gives_it() {
    let rt = runtime();
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("store_trx_claims");
    let one = rt.block_on(Shop::open());
    let (first, first_trx) = rt.block_on(unknown(&one, "ORDER-K6", 61_00));
    let (second, second_trx) = rt.block_on(unknown(&one, "ORDER-K7", 62_00));
    push_and_collect(&pg, &db, &role, &password, &one);
    let two = counter_two(&pg, &db, &role, &password, &one);
    let at_two = actions(&pg, &db, &role, &password, "c2", two.service.clone());
    let at_one = actions(&pg, &db, &role, &password, "c1", one.service.clone());
    let problem = |e: PaymentError| match e {
        PaymentError::Journal(JournalError::Invalid { field: "trxID", problem }) => problem,
        other => panic!("expected a refused trxID, got {other:?}"),
    };
    let held = |trx: &str| -> Vec<(String, i64)> {
        pg.admin_client(&db)
            .query("SELECT origin_counter, origin_payment FROM bkash_store.trx_claims WHERE trx_id = $1", &[&trx])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };

    // Counter 2 resolves the first payment: the trxID is held for it in the store.
    let done = rt.block_on(at_two.resolve("c1", first, &first_trx, "customer showed the SMS", "manager at counter c2")).unwrap();
    assert!(matches!(&done, ActionDone::Elsewhere(a) if a.outcome == ActionOutcome::Completed), "{done:?}");
    assert_eq!(held(&first_trx), [("c1".to_string(), first)]);
    // The same trxID for the second payment is refused, from counter 2 and at counter 1 itself, before bKash is asked.
    let searches = one.sim.stats().calls.get("checkout.search").copied().unwrap_or(0);
    let from_two = problem(rt.block_on(at_two.resolve("c1", second, &first_trx, "same SMS", "manager at counter c2")).unwrap_err());
    let at_own = problem(rt.block_on(at_one.resolve("c1", second, &first_trx, "same SMS", "manager at counter c1")).unwrap_err());
    for said in [from_two, at_own] {
        assert_eq!(said, format!("already belongs to payment {first} at counter c1"));
    }
    assert_eq!(one.sim.stats().calls.get("checkout.search").copied().unwrap_or(0), searches);
    assert_eq!(one.row(second).state, PaymentState::Unknown);
    // A trxID bKash refuses is not left held; the right one settles the second payment.
    assert!(problem(rt.block_on(at_one.resolve("c1", second, "NOSUCHTRX9", "typo", "manager at counter c1")).unwrap_err())
        .contains("not known to bKash"));
    assert!(held("NOSUCHTRX9").is_empty());
    let ActionDone::Own(row) =
        rt.block_on(at_one.resolve("c1", second, &second_trx, "customer showed the SMS", "manager at counter c1")).unwrap()
    else {
        panic!("its own payment")
    };
    assert_eq!((row.state, row.trx_id.as_deref()), (PaymentState::Completed, Some(second_trx.as_str())));
    assert_eq!(held(&second_trx), [("c1".to_string(), second)]);

    // Counter 1 carries out counter 2's resolution of the first payment.
    pusher(&pg, &db, &role, &password, "c2", &two.dir.path().join(Journal::FILE_NAME)).push_all().unwrap();
    let found = push_and_collect(&pg, &db, &role, &password, &one);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(rt.block_on(at_one.carry_out(&found[0])).unwrap(), PaymentState::Completed);
    assert_eq!(one.row(first).trx_id.as_deref(), Some(first_trx.as_str()));
}
