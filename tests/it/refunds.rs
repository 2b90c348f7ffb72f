//! Refunds against the simulator: journaled before the call, sent once,
//! refused locally beyond what is left, and an unanswered one settled by
//! Refund Status to the ledger's truth.

use bkash_sim::{FaultKind, FaultRule};
use pos_core::journal::JournalRead;
use pos_core::journal::{JournalError, RefundRow};
use pos_core::money::{PaymentState, RefundState};
use pos_core::payment::{decide_refund, PaymentError};

use crate::support::Shop;

/// A completed ৳500.00 payment (plus `order`'s number in poisha, so two
/// payments never look like one paid twice: bKash's 2029).
async fn paid(shop: &Shop, order: &str) -> i64 {
    let extra: u64 = order.trim_start_matches("S-").parse().unwrap();
    let row = shop.service.start(order, 50_000 + extra, Some("C1"), None).await.unwrap();
    let payment_id = shop.service.create(row.id).await.unwrap().bkash.unwrap().payment_id;
    shop.sim.customer_pays(&payment_id, "01770618575", "123456", "12121").unwrap();
    assert_eq!(shop.service.execute(row.id).await.unwrap().state, PaymentState::Completed);
    row.id
}

fn refund_calls(shop: &Shop) -> u64 {
    shop.sim.stats().calls.get("checkout.refund").copied().unwrap_or(0)
}

fn ledger_refunded(shop: &Shop, id: i64) -> u64 {
    let payment_id = shop.row(id).payment_id.unwrap();
    shop.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).unwrap().refunded_poisha
}

#[tokio::test]
async fn a_partial_refund_then_the_rest_and_a_third_is_refused_before_anything_is_sent() {
    let shop = Shop::open().await;
    let id = paid(&shop, "S-1").await;
    let first = shop.service.refund(id, 12_050, "rice-25kg", "one bag returned").await.unwrap();
    assert_eq!(first.state, RefundState::Completed);
    assert!(first.refund_trx_id.is_some());
    assert_eq!(ledger_refunded(&shop, id), 12_050);
    let rest = shop.service.refund(id, 37_951, "rice-25kg", "the rest returned").await.unwrap();
    assert_eq!(rest.state, RefundState::Completed);
    assert_eq!(ledger_refunded(&shop, id), 50_001);

    let calls = refund_calls(&shop);
    let third = shop.service.refund(id, 100, "rice-25kg", "again").await.unwrap_err();
    assert!(matches!(third, PaymentError::Journal(JournalError::RefundTooLarge { left: 0, asked: 100, .. })), "{third:?}");
    assert_eq!(refund_calls(&shop), calls, "nothing was sent to bKash");
    assert_eq!(shop.journal.lock().unwrap().refunds_of(id).unwrap().len(), 2);
    // Every step is in the payment's event log.
    let kinds: Vec<String> = shop.journal.lock().unwrap().events(id).unwrap().into_iter().map(|e| e.kind.to_string()).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "refund_requested").count(), 2);
    assert_eq!(kinds.iter().filter(|k| *k == "refund").count(), 2);
}

#[tokio::test]
async fn only_a_completed_payment_can_be_refunded_and_bad_input_is_refused_locally() {
    let shop = Shop::open().await;
    let open = shop.service.start("S-2", 1_000, None, None).await.unwrap();
    assert!(matches!(shop.service.refund(open.id, 100, "x", "y").await, Err(PaymentError::WrongState { .. })));
    let id = paid(&shop, "S-3").await;
    assert!(matches!(shop.service.refund(id, 0, "x", "y").await, Err(PaymentError::Journal(JournalError::RefundTooLarge { .. }))));
    assert!(matches!(shop.service.refund(id, 100, " ", "y").await, Err(PaymentError::Journal(JournalError::Invalid { field: "sku", .. }))));
    assert!(matches!(
        shop.service.refund(id, 100, "x", &"r".repeat(256)).await,
        Err(PaymentError::Journal(JournalError::Invalid { field: "reason", .. }))
    ));
    assert_eq!(refund_calls(&shop), 0);
}

#[tokio::test]
async fn an_unanswered_refund_is_sent_once_and_settled_by_refund_status_to_the_ledger_truth() {
    let shop = Shop::open().await;
    let id = paid(&shop, "S-4").await;
    // bKash refunds, but its answer is lost.
    shop.sim.add_fault(FaultRule::once("checkout.refund", FaultKind::DropResponse));
    let lost = shop.service.refund(id, 20_000, "oil-5l", "damaged").await.unwrap();
    assert_eq!(lost.state, RefundState::Unknown);
    assert_eq!(refund_calls(&shop), 1, "a refund is never retried");
    assert_eq!(ledger_refunded(&shop, id), 20_000);
    // Refund's money is held: a refund beyond what may be left is refused.
    assert!(matches!(
        shop.service.refund(id, 30_005, "oil-5l", "more").await,
        Err(PaymentError::Journal(JournalError::RefundTooLarge { left: 30_004, .. }))
    ));

    let settled = shop.service.check_refund(lost.id, id).await.unwrap();
    assert_eq!(settled.state, RefundState::Completed);
    let payment_id = shop.row(id).payment_id.unwrap();
    let truth = shop.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).unwrap();
    assert_eq!(settled.refund_trx_id.as_deref(), Some(truth.refunds[0].refund_trx_id.as_str()));
}

#[tokio::test]
async fn a_refund_bkash_never_processed_is_settled_as_failed_and_its_money_is_free_again() {
    let shop = Shop::open().await;
    let id = paid(&shop, "S-5").await;
    // A 500 page: bKash did not process it, but the app cannot know that yet.
    shop.sim.add_fault(FaultRule::once("checkout.refund", FaultKind::Html500));
    let unanswered = shop.service.refund(id, 50_005, "tv", "wrong model").await.unwrap();
    assert_eq!(unanswered.state, RefundState::Unknown);
    let settled = shop.service.check_refund(unanswered.id, id).await.unwrap();
    assert_eq!((settled.state, settled.bkash_code.as_deref()), (RefundState::Failed, Some("2033")));
    assert_eq!(ledger_refunded(&shop, id), 0);
    assert_eq!(shop.service.refund(id, 50_005, "tv", "wrong model").await.unwrap().state, RefundState::Completed);
}

#[test]
fn refund_status_settles_only_on_clear_evidence() {
    let refund = RefundRow {
        id: 2,
        payment: 1,
        amount_poisha: 20_000,
        sku: "x".into(),
        reason: "y".into(),
        state: RefundState::Unknown,
        refund_trx_id: None,
        bkash_code: None,
        bkash_message: None,
        created_at: chrono::Utc::now(),
    };
    let status = |trx: &str, amount: &str| {
        let body = format!(r#"{{"originalTrxID":"ORIG","refundTrxID":"{trx}","transactionStatus":"Completed","amount":"{amount}"}}"#);
        pos_core::bkash::answer::decode(200, None, body.as_bytes())
    };
    assert_eq!(decide_refund(refund.amount_poisha, &[], &status("NEW1", "200.00")).unwrap().0, RefundState::Completed);
    assert!(
        decide_refund(refund.amount_poisha, &["OLD1".into()], &status("OLD1", "200.00")).is_none(),
        "an answer naming an earlier refund may be stale: it never fails this one"
    );
    assert!(decide_refund(refund.amount_poisha, &[], &status("NEW1", "150.00")).is_none(), "another amount proves nothing");
    let silent = Err(pos_core::bkash::BkashError::OutcomeUnknown { reason: "timed out".into() });
    assert!(decide_refund(refund.amount_poisha, &[], &silent).is_none());
}

#[tokio::test]
async fn refunds_a_stopped_app_left_requested_are_settled_by_recovery_to_the_ledger_truth() {
    let shop = Shop::open().await;
    let reached = paid(&shop, "S-6").await;
    let never_sent = paid(&shop, "S-7").await;
    let now = chrono::Utc::now();
    // The app wrote both refunds and died: one call had reached bKash, one had not.
    let left_reached = shop.journal.lock().unwrap().start_refund(reached, 5_000, "soap", "returned", now).unwrap();
    let left_unsent = shop.journal.lock().unwrap().start_refund(never_sent, 5_000, "soap", "returned", now).unwrap();
    let row = shop.row(reached);
    shop.service
        .bkash()
        .refund(
            row.payment_id.as_deref().unwrap(),
            row.trx_id.as_deref().unwrap(),
            pos_core::money::Amount::from_poisha(5_000),
            "soap",
            "returned",
        )
        .await
        .unwrap();

    let still = pos_core::reconcile::Reconciler::new(shop.service.clone(), 2).settle_refunds().await.unwrap();
    assert_eq!(still, 0);
    let state_of =
        |payment: i64, id: i64| shop.journal.lock().unwrap().refunds_of(payment).unwrap().into_iter().find(|r| r.id == id).unwrap().state;
    assert_eq!(state_of(reached, left_reached.id), RefundState::Completed);
    assert_eq!(state_of(never_sent, left_unsent.id), RefundState::Failed);
    assert_eq!((ledger_refunded(&shop, reached), ledger_refunded(&shop, never_sent)), (5_000, 0));
}

#[tokio::test]
async fn a_refund_trx_id_already_on_another_refund_is_refused_in_words_not_sqlites() {
    let shop = Shop::open().await;
    let (first, second) = (paid(&shop, "S-8").await, paid(&shop, "S-9").await);
    let done = shop.service.refund(first, 1_000, "tea", "returned").await.unwrap();
    assert_eq!(done.state, RefundState::Completed);
    let now = chrono::Utc::now();
    let pending = shop.journal.lock().unwrap().start_refund(second, 1_000, "tea", "returned", now).unwrap();
    let facts = pos_core::journal::RefundFacts { refund_trx_id: done.refund_trx_id.clone(), ..Default::default() };
    let refused = shop.journal.lock().unwrap().settle_refund(pending.id, RefundState::Completed, &facts, now).unwrap_err();
    assert!(matches!(refused, JournalError::FactConflict(_)), "{refused:?}");
    let said = refused.to_string();
    assert!(said.contains("is already recorded for another refund") && !said.contains("UNIQUE"), "{said}");
}

#[tokio::test]
async fn the_counters_refund_finds_a_paid_sale_by_its_exact_trxid_or_invoice_in_any_case_and_nothing_else() {
    let shop = Shop::open().await;
    let id = paid(&shop, "S-7").await;
    let row = shop.row(id);
    let trx = row.trx_id.clone().unwrap();
    let unpaid = shop.service.start("ORDER-OPEN", 75_00, Some("c1"), None).await.unwrap();
    let journal = shop.journal.lock().unwrap();
    let found = |reference: &str| pos_core::report::paid_by_reference(&*journal, reference).unwrap().map(|h| h.payment.id);
    assert_eq!(found(&trx), Some(id));
    assert_eq!(found(&format!("  {}  ", trx.to_lowercase())), Some(id), "as a person types it off the receipt");
    assert_eq!(found(&row.invoice), Some(id));
    assert_eq!(found(&trx[..trx.len() - 1]), None, "part of a trxID is no receipt");
    assert_eq!(found(&unpaid.invoice), None, "a payment not completed is not refunded");
    assert_eq!(found(""), None);
}
