//! PaymentService against the simulator and a real journal file.

use pos_core::journal::JournalRead;
use std::time::Duration;

use bkash_sim::{FaultKind, FaultRule, TxStatus};
use pos_core::money::PaymentState;
use pos_core::payment::PaymentError;

use crate::support::Shop;

/// Start and create, then the customer pays with `wallet` in the frame.
async fn ready(shop: &Shop, order: &str, poisha: u64, wallet: &str) -> i64 {
    let row = shop.service.start(order, poisha, Some("C1"), Some("rina")).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap();
    assert_eq!(created.row.state, PaymentState::AwaitingCustomer);
    shop.sim.customer_pays(created.row.payment_id.as_deref().unwrap(), wallet, "123456", "12121").unwrap();
    row.id
}

#[tokio::test]
async fn a_paid_order_ends_completed_with_the_ledgers_trx_id_and_every_step_announced() {
    let counter = Shop::open().await;
    let mut events = counter.service.subscribe();
    let id = ready(&counter, "ORDER-1", 8550, "01770618575").await;
    let row = counter.service.execute(id).await.unwrap();
    assert_eq!(row.state, PaymentState::Completed);
    let ledger = counter.sim.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!((ledger[0].transaction_status, ledger[0].trx_id.clone()), (TxStatus::Completed, row.trx_id.clone()));
    assert_eq!(ledger[0].amount, "85.50");
    assert_eq!(row.customer_msisdn.as_deref(), Some("01770618575"));
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event.state);
    }
    use PaymentState::*;
    assert_eq!(seen, [New, Creating, AwaitingCustomer, Executing, Completed]);
}

#[tokio::test]
async fn bkashs_refusal_fails_the_payment_with_its_reason_and_nothing_is_charged() {
    let counter = Shop::open().await;
    let id = ready(&counter, "ORDER-2", 10_000, "01823074817").await;
    let row = counter.service.execute(id).await.unwrap();
    assert_eq!(
        (row.state, row.bkash_code.as_deref(), row.bkash_message.as_deref()),
        (PaymentState::Failed, Some("2023"), Some("Insufficient Balance"))
    );
    assert_eq!(counter.sim.ledger()[0].trx_id, None);
    // The order is free to be paid again, with a new payment.
    let again = counter.service.start("ORDER-2", 10_000, Some("C1"), None).await.unwrap();
    assert_eq!(again.state, PaymentState::New);
}

#[tokio::test]
async fn a_customer_who_closes_the_frame_cancels_and_execute_is_never_sent() {
    let counter = Shop::open().await;
    let row = counter.service.start("ORDER-3", 500, None, None).await.unwrap();
    counter.service.create(row.id).await.unwrap();
    let cancelled = counter.service.cancel(row.id, "customer closed the bKash window").await.unwrap();
    assert_eq!(cancelled.state, PaymentState::Cancelled);
    let error = counter.service.execute(row.id).await.unwrap_err();
    assert!(matches!(error, PaymentError::WrongState { state: PaymentState::Cancelled, .. }), "{error}");
    assert!(!counter.sim.stats().calls.contains_key("checkout.execute"));
    assert_eq!(counter.sim.ledger()[0].transaction_status, TxStatus::Initiated);
}

#[tokio::test]
async fn a_lost_execute_answer_leaves_the_payment_unknown_never_failed() {
    let counter = Shop::open().await;
    let id = ready(&counter, "ORDER-4", 700, "01770618575").await;
    counter.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    let row = counter.service.execute(id).await.unwrap();
    assert_eq!(row.state, PaymentState::Unknown);
    assert_eq!(counter.sim.ledger()[0].transaction_status, TxStatus::Completed, "bKash did charge: only Query may settle it");
    let error = counter.service.cancel(id, "cashier gave up").await.unwrap_err();
    assert!(matches!(error, PaymentError::WrongState { .. }), "an unknown payment cannot be cancelled");
}

#[tokio::test]
async fn executing_is_on_disk_before_bkash_answers() {
    let counter = Shop::open().await;
    let id = ready(&counter, "ORDER-5", 900, "01770618575").await;
    counter.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::Delay).delay_ms(800));
    let reader = counter.reader();
    let (row, state_meanwhile) = tokio::join!(counter.service.execute(id), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        reader.get(id).unwrap().state
    });
    assert_eq!(state_meanwhile, PaymentState::Executing, "another connection sees the committed Executing");
    assert_eq!(row.unwrap().state, PaymentState::Completed);
}

#[tokio::test]
async fn a_create_nobody_answered_is_closed_as_not_charged() {
    let counter = Shop::open().await;
    counter.sim.add_fault(FaultRule::once("checkout.create", FaultKind::Html500));
    let row = counter.service.start("ORDER-6", 100, None, None).await.unwrap();
    let created = counter.service.create(row.id).await.unwrap();
    assert_eq!(created.row.state, PaymentState::NotCharged);
    assert!(created.bkash.is_none());
    let events = counter.reader().events(row.id).unwrap();
    assert!(events.last().unwrap().detail.as_deref().unwrap().contains("no definitive answer"), "{events:?}");
}

#[tokio::test]
async fn two_executes_of_one_payment_at_the_same_moment_send_one_request() {
    let counter = Shop::open().await;
    let id = ready(&counter, "ORDER-7", 1_100, "01770618575").await;
    // A double-click, or the frame's callback racing a retry: the journal's
    // guarded transition lets exactly one of them past `Executing`.
    let (first, second) = tokio::join!(counter.service.execute(id), counter.service.execute(id));
    let outcomes = [first.is_ok(), second.is_ok()];
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{first:?} / {second:?}");
    assert_eq!(counter.sim.stats().calls["checkout.execute"], 1);
    assert_eq!(counter.row(id).state, PaymentState::Completed);
}
