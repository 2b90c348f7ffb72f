//! Resolving an unknown payment by hand: only with a trxID bKash confirms,
//! or as an unverified claim that changes nothing while bKash is away.

use bkash_sim::{FaultKind, FaultRule};
use pos_core::journal::JournalError;
use pos_core::journal::JournalRead;
use pos_core::money::PaymentState;
use pos_core::payment::{PaymentError, Resolution};

use crate::support::Shop;

/// A payment bKash completed whose execute answer was lost: `Unknown`.
/// Returns its id and bKash's trxID.
pub(crate) async fn unknown(shop: &Shop, order: &str, poisha: u64) -> (i64, String) {
    let row = shop.service.start(order, poisha, None, None).await.unwrap();
    let payment_id = shop.service.create(row.id).await.unwrap().bkash.unwrap().payment_id;
    shop.sim.customer_pays(&payment_id, "01770618575", "123456", "12121").unwrap();
    shop.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    assert_eq!(shop.service.execute(row.id).await.unwrap().state, PaymentState::Unknown);
    let trx = shop.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).unwrap().trx_id.unwrap();
    (row.id, trx)
}

#[tokio::test]
async fn a_trx_id_bkash_confirms_settles_an_unknown_payment_with_the_evidence_logged() {
    let shop = Shop::open().await;
    let (id, trx) = unknown(&shop, "S-1", 73_000).await;
    let done = shop.service.resolve_by_hand(id, &trx.to_lowercase(), "customer showed the bKash SMS").await.unwrap();
    let Resolution::Verified(row) = done else { panic!("{done:?}") };
    assert_eq!((row.state, row.trx_id.as_deref()), (PaymentState::Completed, Some(trx.as_str())));
    let last = shop.journal.lock().unwrap().events(id).unwrap().pop().unwrap();
    assert!(last.detail.unwrap().contains("customer showed the bKash SMS; verified by Search Transaction"));
}

#[tokio::test]
async fn a_wrong_unknown_or_other_amount_trx_id_is_refused_and_nothing_changes() {
    let shop = Shop::open().await;
    let (id, _) = unknown(&shop, "S-2", 73_001).await;
    let (_, other_trx) = unknown(&shop, "S-3", 99_900).await;
    for (trx, why) in [("NOSUCHTRX1", "not known to bKash"), (other_trx.as_str(), "not this payment")] {
        let refused = shop.service.resolve_by_hand(id, trx, "customer says so").await.unwrap_err();
        assert!(
            matches!(&refused, PaymentError::Journal(JournalError::Invalid { field: "trxID", problem }) if problem.contains(why)),
            "{refused:?}"
        );
    }
    for (trx, reason) in [("ABC-123", "x"), ("ABC123", " ")] {
        assert!(matches!(shop.service.resolve_by_hand(id, trx, reason).await, Err(PaymentError::Journal(JournalError::Invalid { .. }))));
    }
    assert_eq!(shop.row(id).state, PaymentState::Unknown);
}

#[tokio::test]
async fn while_bkash_is_unreachable_the_claim_is_recorded_unverified_and_query_still_decides() {
    let shop = Shop::open().await;
    let (id, trx) = unknown(&shop, "S-4", 12_345).await;
    shop.sim.add_fault(FaultRule::once("checkout.search", FaultKind::Maintenance));
    let claimed = shop.service.resolve_by_hand(id, &trx, "customer showed the SMS").await.unwrap();
    assert!(matches!(&claimed, Resolution::Unverified(row) if row.state == PaymentState::Unknown), "{claimed:?}");
    let last = shop.journal.lock().unwrap().events(id).unwrap().pop().unwrap();
    assert_eq!(last.kind, pos_core::money::EventKind::ResolutionUnverified);
    assert!(last.detail.unwrap().contains(&format!("trxID {trx}")));
    // bKash back: the ordinary recheck settles it on bKash's own word.
    pos_core::reconcile::Reconciler::new(shop.service.clone(), 1).recheck().await.unwrap();
    assert_eq!(shop.row(id).trx_id.as_deref(), Some(trx.as_str()));
}

#[tokio::test]
async fn only_an_unknown_payment_can_be_resolved_by_hand() {
    let shop = Shop::open().await;
    let row = shop.service.start("S-5", 500, None, None).await.unwrap();
    assert!(matches!(shop.service.resolve_by_hand(row.id, "ABC", "r").await, Err(PaymentError::WrongState { .. })));
}
