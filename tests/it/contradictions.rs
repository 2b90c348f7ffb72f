//! Answers that say two things at once, or speak of another payment or
//! refund (issue 27's faults 3–8, found by a server in bKash's place). None
//! of them may settle anything: the payment or refund stays unknown, the
//! journal says why, and Query or Refund Status later finds the ledger's
//! truth. Each test ends with the journal against the simulator's ledger.

use std::sync::Arc;

use bkash_sim::{FaultKind, FaultRule};
use pos_core::bkash::MemoryTokenStore;
use pos_core::journal::JournalRead;
use pos_core::money::{PaymentState, Product, RefundState};
use pos_core::reconcile::Reconciler;
use serde_json::json;

use crate::support::Shop;

const WALLET: &str = "01770618575";

async fn shop(product: Product) -> Shop {
    Shop::open_as(Arc::new(MemoryTokenStore::default()), product).await
}

fn endpoint(product: Product, call: &str) -> String {
    let call = match (product, call) {
        (Product::Tokenized, "query") => "status",
        (_, call) => call,
    };
    format!("{}.{call}", product.as_str())
}

/// Create and the customer's wallet, OTP and PIN: a payment ready to execute.
async fn ready(shop: &Shop, order: &str, poisha: u64) -> i64 {
    let row = shop.service.start(order, poisha, Some("C1"), None).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap().row;
    assert_eq!(created.state, PaymentState::AwaitingCustomer, "{order}: create must work");
    shop.sim.customer_pays(created.payment_id.as_deref().unwrap(), WALLET, "123456", "12121").unwrap();
    row.id
}

fn last_detail(shop: &Shop, id: i64) -> String {
    shop.journal.lock().unwrap().events(id).unwrap().last().and_then(|e| e.detail.clone()).unwrap_or_default()
}

fn ledger_trx(shop: &Shop, id: i64) -> Option<String> {
    let payment_id = shop.row(id).payment_id.unwrap();
    shop.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).unwrap().trx_id
}

/// Recovery passes with bKash healthy, until nothing is unsure.
async fn recover(shop: &Shop) {
    let reconciler = Reconciler::new(shop.service.clone(), 2);
    for _ in 0..3 {
        if reconciler.pass().await.unwrap().still_unknown.is_empty() {
            break;
        }
    }
}

#[tokio::test]
async fn an_error_code_beside_completed_leaves_a_charged_payment_checking_until_query_says_paid() {
    for product in [Product::Checkout, Product::Tokenized] {
        let shop = shop(product).await;
        let codes = [
            json!({"errorCode": "2023", "errorMessage": "Insufficient Balance"}),
            json!({"statusCode": "2023", "statusMessage": "Insufficient Balance"}),
        ];
        for (n, code) in codes.into_iter().enumerate() {
            let id = ready(&shop, &format!("C2023-{n}"), 12_300 + n as u64).await;
            shop.sim.add_fault(FaultRule::once(&endpoint(product, "execute"), FaultKind::Answer).patch(code.clone()));
            let after = shop.service.execute(id).await.unwrap();
            shop.sim.clear_faults();
            assert_eq!(after.state, PaymentState::Unknown, "{product:?} {code}: bKash charged it; it must not read as failed");
            assert!(ledger_trx(&shop, id).is_some(), "the ledger has it completed");
            assert!(last_detail(&shop, id).contains("contradicts itself"), "the journal says why: {}", last_detail(&shop, id));
            recover(&shop).await;
            let row = shop.row(id);
            assert_eq!((row.state, row.trx_id.clone()), (PaymentState::Completed, ledger_trx(&shop, id)), "{product:?} {code}");
        }
    }
}

#[tokio::test]
async fn a_status_written_twice_is_no_verdict_in_either_order_and_query_later_finds_the_truth() {
    for product in [Product::Checkout, Product::Tokenized] {
        let shop = shop(product).await;
        // Execute's answer is lost, so Query must decide.
        let id = ready(&shop, "TWICE-1", 45_600).await;
        shop.sim.add_fault(FaultRule::once(&endpoint(product, "execute"), FaultKind::DropResponse));
        assert_eq!(shop.service.execute(id).await.unwrap().state, PaymentState::Unknown);
        let query = endpoint(product, "query");
        // Completed then Initiated (serde_json keeps the last: "not charged"), then the reverse.
        for fault in [
            FaultRule::once(&query, FaultKind::Answer).append(r#""transactionStatus":"Initiated""#),
            FaultRule::once(&query, FaultKind::Answer).prepend(r#""transactionStatus":"Initiated""#),
        ] {
            shop.sim.add_fault(fault.times(0));
            let pass = Reconciler::new(shop.service.clone(), 1).pass().await.unwrap();
            shop.sim.clear_faults();
            assert_eq!(pass.still_unknown, vec![id], "{product:?}: a key written twice settles nothing");
            assert_eq!(shop.row(id).state, PaymentState::Unknown, "{product:?}: never 'not charged' while bKash has it paid");
        }
        assert!(last_detail(&shop, id).contains("appears twice"), "{}", last_detail(&shop, id));
        recover(&shop).await;
        assert_eq!(shop.row(id).state, PaymentState::Completed);
        assert_eq!(shop.row(id).trx_id, ledger_trx(&shop, id));

        // The same on Execute itself, in both orders.
        for (n, fault) in [
            FaultRule::once(&endpoint(product, "execute"), FaultKind::Answer).append(r#""transactionStatus":"Initiated""#),
            FaultRule::once(&endpoint(product, "execute"), FaultKind::Answer).prepend(r#""transactionStatus":"Initiated""#),
        ]
        .into_iter()
        .enumerate()
        {
            let id = ready(&shop, &format!("TWICE-X{n}"), 45_700 + n as u64).await;
            shop.sim.add_fault(fault);
            assert_eq!(shop.service.execute(id).await.unwrap().state, PaymentState::Unknown, "{product:?} execute {n}");
            shop.sim.clear_faults();
            recover(&shop).await;
            assert_eq!(shop.row(id).state, PaymentState::Completed);
        }
    }
}

#[tokio::test]
async fn a_create_answer_for_an_authorization_never_becomes_a_sale() {
    for product in [Product::Checkout, Product::Tokenized] {
        let shop = shop(product).await;
        let row = shop.service.start("INTENT-1", 7_700, None, None).await.unwrap();
        shop.sim.add_fault(FaultRule::once(&endpoint(product, "create"), FaultKind::Answer).patch(json!({"intent": "authorization"})));
        let created = shop.service.create(row.id).await.unwrap().row;
        assert_eq!(created.state, PaymentState::NotCharged, "{product:?}: execute is never sent for it");
        assert!(last_detail(&shop, row.id).contains("intent authorization instead of sale"), "{}", last_detail(&shop, row.id));
        assert_eq!(shop.sim.stats().calls.get(&endpoint(product, "execute")), None);
    }
}

/// A completed payment of `poisha`, and its trxID.
async fn paid(shop: &Shop, order: &str, poisha: u64) -> (i64, String) {
    let id = ready(shop, order, poisha).await;
    let row = shop.service.execute(id).await.unwrap();
    assert_eq!(row.state, PaymentState::Completed);
    (id, row.trx_id.unwrap())
}

fn ledger_refunds(shop: &Shop, id: i64) -> Vec<(u64, String)> {
    let payment_id = shop.row(id).payment_id.unwrap();
    let entry = shop.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).unwrap();
    entry.refunds.iter().map(|r| (r.amount_poisha, r.refund_trx_id.clone())).collect()
}

fn refunds_in_journal(shop: &Shop, id: i64) -> Vec<(u64, RefundState, Option<String>)> {
    let rows = shop.journal.lock().unwrap().refunds_of(id).unwrap();
    rows.into_iter().map(|r| (r.amount_poisha, r.state, r.refund_trx_id)).collect()
}

#[tokio::test]
async fn a_refund_answer_with_a_code_beside_completed_stays_unknown_until_refund_status_confirms_it() {
    for product in [Product::Checkout, Product::Tokenized] {
        let shop = shop(product).await;
        let (id, _) = paid(&shop, "RF-2023", 20_000).await;
        let refund = endpoint(product, "refund");
        shop.sim.add_fault(
            FaultRule::once(&refund, FaultKind::Answer).patch(json!({"errorCode": "2023", "errorMessage": "Insufficient Balance"})),
        );
        let row = shop.service.refund(id, 5_000, "soap", "returned").await.unwrap();
        assert_eq!(row.state, RefundState::Unknown, "{product:?}: bKash made this refund; it must not read as failed");
        assert_eq!(ledger_refunds(&shop, id).len(), 1);
        let settled = shop.service.check_refund(row.id, id).await.unwrap();
        assert_eq!(settled.state, RefundState::Completed);
        assert_eq!(settled.refund_trx_id.as_deref(), Some(ledger_refunds(&shop, id)[0].1.as_str()));
    }
}

#[tokio::test]
async fn refund_status_about_another_payments_refund_never_settles_this_one() {
    for product in [Product::Checkout, Product::Tokenized] {
        let shop = shop(product).await;
        let refund = endpoint(product, "refund");
        let (other, other_trx) = paid(&shop, "RF-OTHER", 30_000).await;
        let other_refund = shop.service.refund(other, 1_000, "tea", "returned").await.unwrap();
        assert_eq!(other_refund.state, RefundState::Completed);
        let other_refund_trx = other_refund.refund_trx_id.unwrap();

        // This refund's call is cut before bKash processes it: no refund at bKash.
        let (id, _) = paid(&shop, "RF-THIS", 31_000).await;
        shop.sim.add_fault(FaultRule::once(&refund, FaultKind::Reset));
        let lost = shop.service.refund(id, 1_000, "tea", "returned").await.unwrap();
        assert_eq!(lost.state, RefundState::Unknown);
        assert!(ledger_refunds(&shop, id).is_empty());

        // Refund Status then answers about the other payment's refund, already in the journal.
        let about_other = json!({
            "completedTime": "2026-12-07T10:00:00:000 GMT+0600", "transactionStatus": "Completed", "originalTrxID": other_trx,
            "refundTrxID": other_refund_trx, "amount": "10.00", "currency": "BDT", "charge": "0.00",
            "statusCode": "0000", "statusMessage": "Successful",
        });
        shop.sim.add_fault(FaultRule::once(&refund, FaultKind::Answer).body(&about_other.to_string()));
        let checked = shop.service.check_refund(lost.id, id).await.unwrap();
        assert_eq!(checked.state, RefundState::Unknown, "{product:?}: an answer about another transaction proves nothing");
        assert_eq!(checked.refund_trx_id, None);
        let said = last_detail(&shop, id);
        assert!(said.contains("originalTrxID"), "the journal names the mismatch: {said}");

        // bKash's own word: no refund of this transaction exists.
        let settled = shop.service.check_refund(lost.id, id).await.unwrap();
        assert_eq!((settled.state, settled.bkash_code.as_deref()), (RefundState::Failed, Some("2033")));
        assert!(ledger_refunds(&shop, id).is_empty(), "and the ledger agrees");
    }
}

#[tokio::test]
async fn a_stale_refund_status_naming_an_earlier_refund_never_fails_a_refund_that_happened() {
    for product in [Product::Checkout, Product::Tokenized] {
        let shop = shop(product).await;
        let refund = endpoint(product, "refund");
        let (id, _) = paid(&shop, "RF-STALE", 40_000).await;
        let first = shop.service.refund(id, 500, "salt", "returned").await.unwrap();
        assert_eq!(first.state, RefundState::Completed);
        let first_trx = first.refund_trx_id.clone().unwrap();

        // bKash makes the ৳10 refund, and its answer is lost.
        shop.sim.add_fault(FaultRule::once(&refund, FaultKind::DropResponse));
        let second = shop.service.refund(id, 1_000, "oil", "returned").await.unwrap();
        assert_eq!(second.state, RefundState::Unknown);
        assert_eq!(ledger_refunds(&shop, id).len(), 2);

        // Refund Status answers, stale, with the ৳5.
        let stale = json!({"refundTrxID": first_trx, "amount": "5.00"});
        shop.sim.add_fault(FaultRule::once(&refund, FaultKind::Answer).patch(stale));
        let checked = shop.service.check_refund(second.id, id).await.unwrap();
        assert_eq!(checked.state, RefundState::Unknown, "{product:?}: an earlier refund says nothing about this one");

        // Recovery asks again and finds the ৳10.
        let still = Reconciler::new(shop.service.clone(), 2).settle_refunds().await.unwrap();
        assert_eq!(still, 0);
        let ledger: Vec<(u64, String)> = ledger_refunds(&shop, id);
        let journal = refunds_in_journal(&shop, id);
        assert_eq!(journal.len(), 2);
        for ((amount, trx), (j_amount, state, j_trx)) in ledger.iter().zip(&journal) {
            assert_eq!((amount, state, Some(trx)), (j_amount, &RefundState::Completed, j_trx.as_ref()), "{product:?}");
        }
    }
}
