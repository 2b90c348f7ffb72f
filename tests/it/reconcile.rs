//! Startup recovery and the Reconciler, against the simulator's ledger.

use pos_core::journal::JournalRead;
use std::time::Duration;

use bkash_sim::{FaultKind, FaultRule, TxStatus};
use pos_core::bkash::ExpectedPayment;
use pos_core::journal::TransitionFacts;
use pos_core::money::PaymentState;
use pos_core::reconcile::{decide, Decision, Evidence, Reconciler};

use crate::support::Shop;

impl Shop {
    /// A payment left in `state` the way a crash would leave it. `charged`:
    /// whether bKash executed it before the app lost track.
    async fn left_in(&self, order: &str, poisha: u64, state: PaymentState, charged: bool) -> i64 {
        let row = self.service.start(order, poisha, None, None).await.unwrap();
        if state == PaymentState::New {
            return row.id;
        }
        let created = self.service.create(row.id).await.unwrap().row;
        if state == PaymentState::AwaitingCustomer {
            return row.id;
        }
        self.sim.customer_pays(created.payment_id.as_deref().unwrap(), "01770618575", "123456", "12121").unwrap();
        self.journal.lock().unwrap().transition(row.id, PaymentState::Executing, &TransitionFacts::default(), chrono::Utc::now()).unwrap();
        if charged {
            // The execute reached bKash; its answer died with the app.
            self.service.bkash().execute_payment(&ExpectedPayment::from(&created)).await.unwrap();
        }
        if state == PaymentState::Unknown {
            self.journal
                .lock()
                .unwrap()
                .transition(row.id, PaymentState::Unknown, &TransitionFacts::default(), chrono::Utc::now())
                .unwrap();
        }
        row.id
    }
}

#[tokio::test]
async fn startup_closes_payments_execute_never_reached_without_asking_bkash() {
    let shop = Shop::open().await;
    let new = shop.left_in("O-1", 100, PaymentState::New, false).await;
    let awaiting = shop.left_in("O-2", 200, PaymentState::AwaitingCustomer, false).await;
    let queries_before = shop.sim.stats().calls.get("checkout.query").copied().unwrap_or(0);
    let pass = Reconciler::new(shop.service.clone(), 4).pass().await.unwrap();
    assert_eq!(pass.settled, [(new, PaymentState::Cancelled), (awaiting, PaymentState::NotCharged)]);
    assert_eq!(shop.sim.stats().calls.get("checkout.query").copied().unwrap_or(0), queries_before, "no query was needed");
    assert!(shop.row(awaiting).settled_at.is_some());
}

#[tokio::test]
async fn executing_and_unknown_payments_settle_to_the_ledgers_truth() {
    let shop = Shop::open().await;
    let charged = shop.left_in("O-3", 300, PaymentState::Executing, true).await;
    let not_charged = shop.left_in("O-4", 400, PaymentState::Executing, false).await;
    let unknown_charged = shop.left_in("O-5", 500, PaymentState::Unknown, true).await;
    let done = shop.left_in("O-6", 600, PaymentState::AwaitingCustomer, false).await;
    let pass = Reconciler::new(shop.service.clone(), 2).pass().await.unwrap();
    assert!(pass.still_unknown.is_empty(), "{pass:?}");

    let ledger = shop.sim.ledger();
    for id in [charged, not_charged, unknown_charged] {
        let row = shop.row(id);
        let truth = ledger.iter().find(|p| Some(&p.payment_id) == row.payment_id.as_ref()).unwrap();
        let expected = if truth.transaction_status == TxStatus::Completed { PaymentState::Completed } else { PaymentState::NotCharged };
        assert_eq!(row.state, expected, "payment {id}");
        assert_eq!(row.trx_id, truth.trx_id, "payment {id}");
    }
    assert_eq!(shop.row(charged).state, PaymentState::Completed);
    assert_eq!(shop.row(not_charged).state, PaymentState::NotCharged);
    assert_eq!(shop.sim.stats().calls["checkout.query"], 3, "only the three unsure payments were queried");
    assert_eq!(shop.row(done).state, PaymentState::NotCharged);
}

#[tokio::test]
async fn without_an_answer_a_payment_stays_unknown_and_is_settled_on_a_later_pass() {
    let shop = Shop::open().await;
    let id = shop.left_in("O-7", 700, PaymentState::Executing, true).await;
    shop.sim.add_fault(FaultRule::once("checkout.query", FaultKind::Maintenance));
    let reconciler = Reconciler::new(shop.service.clone(), 1);
    let first = reconciler.pass().await.unwrap();
    assert_eq!(first.still_unknown, [id]);
    assert_eq!(shop.row(id).state, PaymentState::Unknown, "shown as checking with bKash, never as failed");
    let second = reconciler.pass().await.unwrap();
    assert_eq!(second.settled, [(id, PaymentState::Completed)]);
    let kinds: Vec<_> = shop
        .journal
        .lock()
        .unwrap()
        .events(id)
        .unwrap()
        .into_iter()
        .map(|e| e.to_state.map(|s| s.to_string()).unwrap_or_else(|| e.kind.to_string()))
        .collect();
    assert_eq!(kinds, ["new", "creating", "awaiting_customer", "executing", "unknown", "completed"]);
}

#[tokio::test]
async fn a_completed_payment_is_never_queried() {
    let shop = Shop::open().await;
    let row = shop.service.start("O-8", 800, None, None).await.unwrap();
    let payment_id = shop.service.create(row.id).await.unwrap().row.payment_id.unwrap();
    shop.sim.customer_pays(&payment_id, "01770618575", "123456", "12121").unwrap();
    assert_eq!(shop.service.execute(row.id).await.unwrap().state, PaymentState::Completed);
    let pass = Reconciler::new(shop.service.clone(), 4).pass().await.unwrap();
    assert_eq!(pass, Default::default());
    assert!(!shop.sim.stats().calls.contains_key("checkout.query"), "bKash fails merchants who query after a successful execute");
}

#[tokio::test]
async fn run_until_settled_keeps_checking_until_bkash_answers() {
    let shop = Shop::open().await;
    let id = shop.left_in("O-9", 900, PaymentState::Unknown, false).await;
    shop.sim.add_fault(FaultRule::once("checkout.query", FaultKind::Html500));
    tokio::time::timeout(Duration::from_secs(20), Reconciler::new(shop.service.clone(), 1).run_until_settled()).await.unwrap().unwrap();
    assert_eq!(shop.row(id).state, PaymentState::NotCharged);
}

#[test]
fn decide_needs_bkash_to_say_completed_or_initiated_before_it_settles_anything() {
    let row = pos_core::journal::PaymentRow {
        payment_id: Some("TR1".into()),
        amount_poisha: 100,
        ..crate::support::row_in(PaymentState::Unknown)
    };
    let answer = |status: &str, pid: &str| {
        let body = format!(r#"{{"paymentID":"{pid}","trxID":"ABCDEFGHIJ","transactionStatus":"{status}","amount":"1"}}"#);
        Evidence::Query(pos_core::bkash::answer::decode(200, None, body.as_bytes()))
    };
    assert!(matches!(decide(&row, &answer("Completed", "TR1")), Decision::Settle { to: PaymentState::Completed, .. }));
    assert!(matches!(decide(&row, &answer("Initiated", "TR1")), Decision::Settle { to: PaymentState::NotCharged, .. }));
    assert!(matches!(decide(&row, &answer("Completed", "TR2")), Decision::Leave { .. }), "an answer about another payment proves nothing");
    assert!(matches!(decide(&row, &answer("Authorized", "TR1")), Decision::Leave { .. }));
    let no_answer = Evidence::Query(Err(pos_core::bkash::BkashError::OutcomeUnknown { reason: "timed out".into() }));
    assert!(matches!(decide(&row, &no_answer), Decision::Leave { .. }));
    let refused = Evidence::Query(Err(pos_core::bkash::BkashError::Refused { code: "2002".into(), message: "Invalid Payment ID".into() }));
    assert!(matches!(decide(&row, &refused), Decision::Leave { .. }), "a refusal of the query is not a verdict on the payment");
    let completed = pos_core::journal::PaymentRow { state: PaymentState::Completed, ..row };
    assert!(matches!(decide(&completed, &answer("Initiated", "TR1")), Decision::Leave { .. }));
}

#[tokio::test]
async fn a_tokenized_payment_settled_by_recovery_has_its_wallet_from_one_search_transaction() {
    let shop = Shop::open_tokenized().await;
    let id = shop.left_in("O-20", 2_000, PaymentState::Unknown, true).await;
    Reconciler::new(shop.service.clone(), 2).pass().await.unwrap();
    let row = shop.row(id);
    assert_eq!(row.state, PaymentState::Completed);
    assert_eq!(row.customer_msisdn.as_deref(), Some("01770618575"), "the receipt names the wallet, not 'Wallet —'");
    assert_eq!(shop.sim.stats().calls.get("tokenized.search").copied(), Some(1), "asked once, when it was found completed");
    // A payment still being checked, or not charged, asks nothing more.
    let not_charged = shop.left_in("O-21", 2_100, PaymentState::Unknown, false).await;
    Reconciler::new(shop.service.clone(), 2).pass().await.unwrap();
    assert_eq!(shop.row(not_charged).state, PaymentState::NotCharged);
    assert_eq!(shop.sim.stats().calls.get("tokenized.search").copied(), Some(1));
}

#[tokio::test]
async fn a_search_that_fails_never_holds_up_a_recovered_payment() {
    let shop = Shop::open_tokenized().await;
    let id = shop.left_in("O-22", 2_200, PaymentState::Unknown, true).await;
    shop.sim.add_fault(FaultRule::once("tokenized.search", FaultKind::Maintenance).times(0));
    Reconciler::new(shop.service.clone(), 2).pass().await.unwrap();
    let row = shop.row(id);
    assert_eq!((row.state, row.customer_msisdn), (PaymentState::Completed, None), "settled; only the wallet is missing");
}
