use bkash_sim::{FaultKind, FaultRule, TxStatus};
use pos_core::bkash::{BkashError, ExpectedPayment, TransactionStatus};
use pos_core::money::Amount;

use super::*;

#[tokio::test]
async fn every_checkout_call_round_trips_with_typed_answers() {
    let rig = Rig::start().await;
    let created = rig.client.create_payment(&create(8550)).await.unwrap();
    assert_eq!((created.amount, created.transaction_status.clone()), (Amount::from_poisha(8550), TransactionStatus::Initiated));
    assert_eq!(created.create_time.offset().local_minus_utc(), 6 * 3600, "bKash's timezone is kept");
    rig.sim.customer_pays(&created.payment_id, WALLET, "123456", "12121").unwrap();

    let payment = ExpectedPayment::from(&created);
    let executed = rig.client.execute_payment(&payment).await.unwrap();
    assert_eq!(executed.transaction_status, TransactionStatus::Completed);
    let trx = executed.trx_id.clone().unwrap();
    assert_eq!(executed.customer_msisdn.as_deref(), Some(WALLET));
    assert!(executed.update_time.is_some());

    let queried = rig.client.query_payment(&payment).await.unwrap();
    assert_eq!(queried.trx_id.as_deref(), Some(trx.as_str()));
    let found = rig.client.search_transaction(&trx).await.unwrap();
    assert_eq!((found.amount, found.transaction_status), (Amount::from_poisha(8550), TransactionStatus::Completed));

    let refund = rig.client.refund(&created.payment_id, &trx, Amount::from_poisha(1000), "SKU-1", "damaged").await.unwrap();
    assert_eq!((refund.amount, refund.original_trx_id.as_str()), (Amount::from_poisha(1000), trx.as_str()));
    let status = rig.client.refund_status(&created.payment_id, &trx).await.unwrap();
    assert_eq!(status.refund_trx_id, refund.refund_trx_id);

    // Capture and void only apply to authorizations; on a sale bKash refuses them.
    let refused = rig.client.capture(&payment).await.unwrap_err();
    assert_eq!(refused.code(), Some("2056"));
    assert_eq!(rig.client.void(&payment).await.unwrap_err().code(), Some("2056"));
    assert_eq!(rig.sim.stats().token_grants, 1, "one grant served the whole session");
}

#[tokio::test]
async fn a_definitive_refusal_is_refused_and_a_second_execute_is_already_done() {
    let rig = Rig::start().await;
    let poor = rig.verified_payment(10_000, "01823074817").await;
    match rig.client.execute_payment(&poor).await.unwrap_err() {
        BkashError::Refused { code, message } => assert_eq!((code.as_str(), message.as_str()), ("2023", "Insufficient Balance")),
        other => panic!("expected Refused, got {other:?}"),
    }
    let ok = rig.verified_payment(10_100, WALLET).await;
    rig.client.execute_payment(&ok).await.unwrap();
    let again = rig.client.execute_payment(&ok).await.unwrap_err();
    assert!(matches!(again, BkashError::AlreadyDone { ref code, .. } if code == "2117"), "{again:?}");
    assert!(again.outcome_unknown(), "2117 says nothing about what the first execute did");
}

#[tokio::test]
async fn an_execute_whose_answer_is_dropped_is_outcome_unknown_not_failed() {
    let rig = Rig::start().await;
    let id = rig.verified_payment(20_000, WALLET).await;
    rig.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    let error = rig.client.execute_payment(&id).await.unwrap_err();
    assert!(matches!(error, BkashError::OutcomeUnknown { .. }), "{error:?}");
    assert_eq!(rig.sim.stats().calls["checkout.execute"], 1, "execute is never retried");
    assert_eq!(rig.sim.ledger()[0].transaction_status, TxStatus::Completed, "bKash did charge");
    let truth = rig.client.query_payment(&id).await.unwrap();
    assert_eq!(truth.transaction_status, TransactionStatus::Completed);
}

#[tokio::test]
async fn timeouts_html_errors_and_broken_json_on_execute_are_all_outcome_unknown() {
    let rig = Rig::start().await;
    for kind in [FaultKind::Delay, FaultKind::Html500, FaultKind::MalformedJson, FaultKind::Maintenance, FaultKind::Reset] {
        let id = rig.verified_payment(30_000 + kind as u64, WALLET).await;
        rig.sim.add_fault(FaultRule::once("checkout.execute", kind).delay_ms(3_000));
        let error = rig.client.execute_payment(&id).await.unwrap_err();
        assert!(matches!(error, BkashError::OutcomeUnknown { .. }), "{kind:?}: {error:?}");
    }
    assert_eq!(rig.sim.stats().calls["checkout.execute"], 5);
}

#[tokio::test]
async fn create_is_never_retried_but_query_retries_a_lost_answer() {
    let rig = Rig::start().await;
    rig.client.create_payment(&create(500)).await.unwrap(); // token in hand
    rig.sim.add_fault(FaultRule::once("checkout.create", FaultKind::Maintenance));
    assert!(rig.client.create_payment(&create(501)).await.unwrap_err().outcome_unknown());
    assert_eq!(rig.sim.stats().calls["checkout.create"], 2);

    let id = rig.verified_payment(502, WALLET).await;
    rig.sim.add_fault(FaultRule::once("checkout.query", FaultKind::Html500).times(2));
    let answer = rig.client.query_payment(&id).await.unwrap();
    assert_eq!(answer.transaction_status, TransactionStatus::Initiated);
    assert_eq!(rig.sim.stats().calls["checkout.query"], 3, "two lost answers, then the truth");
}

#[tokio::test]
async fn a_closed_port_is_not_sent_and_bad_input_never_leaves() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let rig = Rig::with(Default::default(), |c| c.base_url = format!("http://127.0.0.1:{port}/v1.2.0-beta")).await;
    let error = rig.client.create_payment(&create(100)).await.unwrap_err();
    assert!(matches!(error, BkashError::NotSent { .. }), "{error:?}");

    let rig = Rig::start().await;
    for (poisha, field) in [(0, "amount"), (99, "amount"), (u64::MAX, "amount")] {
        assert!(matches!(rig.client.create_payment(&create(poisha)).await, Err(BkashError::Invalid { field: f, .. }) if f == field));
    }
    let hostile = pos_core::bkash::CreatePayment { amount: Amount::from_poisha(100), merchant_invoice_number: "<b>".into() };
    assert!(matches!(rig.client.create_payment(&hostile).await, Err(BkashError::Invalid { field: "merchantInvoiceNumber", .. })));
    let hostile_id = ExpectedPayment { payment_id: "../token/grant".into(), amount: Amount::from_poisha(100), invoice: "INV".into() };
    assert!(matches!(rig.client.execute_payment(&hostile_id).await, Err(BkashError::Invalid { field: "paymentID", .. })));
    assert!(!rig.sim.stats().calls.contains_key("checkout.create"), "nothing invalid reached bKash");
}
