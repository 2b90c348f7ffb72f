//! Property test: random orders, wallets, faults and stops (a stop is the
//! process dying after the last committed step), then a restart that
//! reconciles, with either bKash product. Whatever happened, the journal
//! agrees with bKash's ledger.

use bkash_sim::{FaultKind, FaultRule};
use pos_core::journal::JournalRead;
use pos_core::money::{PaymentState, Product};
use pos_core::reconcile::Reconciler;
use proptest::prelude::*;

use crate::support::Shop;

/// A broken or hostile answer: the simulator's fault kinds, and those of a
/// server in front of bKash (a redirect, a 404, an oversized body, an answer
/// with another amount), each after bKash processed the request.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Plain(FaultKind),
    Redirect,
    NotFound,
    Oversized,
    WrongAmount,
    /// bKash's real answer with an error code beside it, in either envelope.
    CodeBeside {
        tokenized_envelope: bool,
    },
    /// bKash's real answer with `transactionStatus` written a second time,
    /// as `Initiated`, before or after bKash's own.
    StatusTwice {
        copy_first: bool,
    },
    /// A success without its trxID.
    NoTrxId,
}

impl Fault {
    fn on(self, endpoint: &str) -> FaultRule {
        match self {
            Fault::Plain(kind) => FaultRule::once(endpoint, kind),
            Fault::Redirect => FaultRule::once(endpoint, FaultKind::Answer).status(301).location("http://localhost:9/x").body(""),
            Fault::NotFound => FaultRule::once(endpoint, FaultKind::Answer).status(404).body("{}"),
            Fault::Oversized => FaultRule::once(endpoint, FaultKind::Oversized).bytes(2 << 20),
            Fault::WrongAmount => FaultRule::once(endpoint, FaultKind::Answer).patch(serde_json::json!({"amount": "1.00"})),
            Fault::CodeBeside { tokenized_envelope: true } => FaultRule::once(endpoint, FaultKind::Answer)
                .patch(serde_json::json!({"statusCode": "2023", "statusMessage": "Insufficient Balance"})),
            Fault::CodeBeside { tokenized_envelope: false } => FaultRule::once(endpoint, FaultKind::Answer)
                .patch(serde_json::json!({"errorCode": "2023", "errorMessage": "Insufficient Balance"})),
            Fault::StatusTwice { copy_first: true } => {
                FaultRule::once(endpoint, FaultKind::Answer).prepend(r#""transactionStatus":"Initiated""#)
            }
            Fault::StatusTwice { copy_first: false } => {
                FaultRule::once(endpoint, FaultKind::Answer).append(r#""transactionStatus":"Initiated""#)
            }
            Fault::NoTrxId => FaultRule::once(endpoint, FaultKind::Answer).patch(serde_json::json!({"trxID": null})),
        }
    }
}

#[derive(Debug, Clone)]
struct Attempt {
    order: u8,
    insufficient: bool,
    fault: Option<(bool, Fault)>, // (on execute, else on create), kind
    stop_after: u8,               // 0 start, 1 create, 2 customer, 3 execute (4 = no stop)
}

fn attempt() -> impl Strategy<Value = Attempt> {
    let kinds = prop_oneof![
        Just(Fault::Plain(FaultKind::DropResponse)),
        Just(Fault::Plain(FaultKind::Reset)),
        Just(Fault::Plain(FaultKind::Html500)),
        Just(Fault::Plain(FaultKind::Maintenance)),
        Just(Fault::Plain(FaultKind::MalformedJson)),
        Just(Fault::Redirect),
        Just(Fault::NotFound),
        Just(Fault::Oversized),
        Just(Fault::WrongAmount),
        any::<bool>().prop_map(|tokenized_envelope| Fault::CodeBeside { tokenized_envelope }),
        any::<bool>().prop_map(|copy_first| Fault::StatusTwice { copy_first }),
        Just(Fault::NoTrxId),
    ];
    (0u8..3, any::<bool>(), prop::option::of((any::<bool>(), kinds)), 0u8..5).prop_map(|(order, insufficient, fault, stop_after)| Attempt {
        order,
        insufficient,
        fault,
        stop_after,
    })
}

async fn run(product: Product, attempts: Vec<Attempt>) -> Result<(), TestCaseError> {
    let shop = Shop::open_as(std::sync::Arc::new(pos_core::bkash::MemoryTokenStore::default()), product).await;
    let family = product.as_str();
    for (n, a) in attempts.iter().enumerate() {
        if let Some((on_execute, kind)) = a.fault {
            let endpoint = format!("{family}.{}", if on_execute { "execute" } else { "create" });
            shop.sim.add_fault(kind.on(&endpoint));
        }
        // The order may still have a live payment from an earlier attempt: then Pay is refused.
        let Ok(row) = shop.service.start(&format!("ORDER-{}", a.order), 10_000 + n as u64, None, None).await else { continue };
        if a.stop_after == 0 {
            continue;
        }
        let created = shop.service.create(row.id).await.unwrap().row;
        if a.stop_after == 1 || created.state != PaymentState::AwaitingCustomer {
            continue;
        }
        let wallet = if a.insufficient { "01823074817" } else { "01770618575" };
        shop.sim.customer_pays(created.payment_id.as_deref().unwrap(), wallet, "123456", "12121").unwrap();
        if a.stop_after == 2 {
            continue;
        }
        shop.service.execute(row.id).await.unwrap();
        shop.sim.clear_faults();
    }
    // Restart: bKash is reachable again; recovery runs until nothing is unsure.
    shop.sim.clear_faults();
    let reconciler = Reconciler::new(shop.service.clone(), 4);
    for _ in 0..3 {
        if reconciler.pass().await.unwrap().still_unknown.is_empty() {
            break;
        }
    }
    prop_assert!(shop.service.in_flight().await.unwrap().is_empty(), "everything settles once bKash answers");
    let ledger = shop.sim.ledger();
    let journal = shop.journal.lock().unwrap();
    for entry in &ledger {
        let row = journal.by_payment_id(&entry.payment_id).unwrap();
        match (&entry.trx_id, row) {
            (Some(trx), Some(row)) => {
                prop_assert_eq!(row.state, PaymentState::Completed, "charged but journal says otherwise: {:?}", entry);
                prop_assert_eq!(row.trx_id.as_deref(), Some(trx.as_str()));
            }
            (Some(_), None) => prop_assert!(false, "a charged payment is missing from the journal: {:?}", entry),
            (None, Some(row)) => prop_assert_ne!(row.state, PaymentState::Completed, "journal says paid, bKash says not"),
            (None, None) => {} // created at bKash, never stored, never executed
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_payments_faults_and_stops_always_end_in_the_ledgers_truth(
        tokenized in any::<bool>(),
        attempts in prop::collection::vec(attempt(), 1..6),
    ) {
        let product = if tokenized { Product::Tokenized } else { Product::Checkout };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(product, attempts))?;
    }
}

/// What happens to one refund: its call's fault, and the answer Refund
/// Status gives the first time it is asked.
#[derive(Debug, Clone, Copy)]
enum RefundFault {
    None,
    /// bKash refunds; the answer is lost.
    Dropped,
    /// The connection is cut before bKash processes it.
    Reset,
    /// bKash refunds and answers with an error code beside Completed.
    CodeBeside,
}

#[derive(Debug, Clone, Copy)]
enum StatusFault {
    None,
    /// Refund Status answers about another payment's refund.
    AboutAnother,
    /// Refund Status answers, stale, with this payment's first refund.
    Stale,
}

async fn run_refunds(product: Product, refunds: Vec<(u8, RefundFault, StatusFault)>) -> Result<(), TestCaseError> {
    use pos_core::money::RefundState;
    let shop = Shop::open_as(std::sync::Arc::new(pos_core::bkash::MemoryTokenStore::default()), product).await;
    let endpoint = format!("{}.refund", product.as_str());
    let mut paid = Vec::new();
    for n in 0..2u64 {
        let row = shop.service.start(&format!("RP-{n}"), 100_000 + n, None, None).await.unwrap();
        let created = shop.service.create(row.id).await.unwrap().row;
        shop.sim.customer_pays(created.payment_id.as_deref().unwrap(), "01770618575", "123456", "12121").unwrap();
        let done = shop.service.execute(row.id).await.unwrap();
        prop_assert_eq!(done.state, PaymentState::Completed);
        paid.push((row.id, done.trx_id.unwrap()));
    }
    // Every payment gets one clean refund first, so "another refund" and "an earlier one" exist.
    let mut first_refund = Vec::new();
    for (id, _) in &paid {
        let r = shop.service.refund(*id, 100, "tea", "returned").await.unwrap();
        first_refund.push(r.refund_trx_id.unwrap());
    }
    for (n, (which, fault, status)) in refunds.iter().enumerate() {
        let index = usize::from(*which % 2);
        let (id, _) = paid[index];
        let (other_trx, other_refund) = (paid[1 - index].1.clone(), first_refund[1 - index].clone());
        match fault {
            RefundFault::None => {}
            RefundFault::Dropped => shop.sim.add_fault(FaultRule::once(&endpoint, FaultKind::DropResponse)),
            RefundFault::Reset => shop.sim.add_fault(FaultRule::once(&endpoint, FaultKind::Reset)),
            RefundFault::CodeBeside => shop.sim.add_fault(
                FaultRule::once(&endpoint, FaultKind::Answer)
                    .patch(serde_json::json!({"errorCode": "2023", "errorMessage": "Insufficient Balance"})),
            ),
        }
        let refund = shop.service.refund(id, 200 + n as u64, "tea", "returned").await.unwrap();
        shop.sim.clear_faults();
        if refund.state.is_final() {
            continue;
        }
        let answer = match status {
            StatusFault::None => None,
            StatusFault::AboutAnother => Some(serde_json::json!({
                "completedTime": "2026-12-07T10:00:00:000 GMT+0600", "transactionStatus": "Completed", "originalTrxID": other_trx,
                "refundTrxID": other_refund, "amount": format!("{}.{:02}", (200 + n) / 100, (200 + n) % 100), "currency": "BDT",
            })),
            StatusFault::Stale => Some(serde_json::json!({"refundTrxID": first_refund[index], "amount": "1.00"})),
        };
        match (status, answer) {
            (StatusFault::AboutAnother, Some(body)) => {
                shop.sim.add_fault(FaultRule::once(&endpoint, FaultKind::Answer).body(&body.to_string()))
            }
            (StatusFault::Stale, Some(patch)) => shop.sim.add_fault(FaultRule::once(&endpoint, FaultKind::Answer).patch(patch)),
            _ => {}
        }
        let _ = shop.service.check_refund(refund.id, id).await;
        shop.sim.clear_faults();
    }
    Reconciler::new(shop.service.clone(), 2).settle_refunds().await.unwrap();
    for (id, _) in &paid {
        let payment_id = shop.row(*id).payment_id.unwrap();
        let ledger = shop.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).unwrap();
        let made: Vec<String> = ledger.refunds.iter().map(|r| r.refund_trx_id.clone()).collect();
        let journal = shop.journal.lock().unwrap().refunds_of(*id).unwrap();
        let completed: Vec<String> =
            journal.iter().filter(|r| r.state == RefundState::Completed).filter_map(|r| r.refund_trx_id.clone()).collect();
        let unknown = journal.iter().filter(|r| !r.state.is_final()).count();
        for trx in &completed {
            prop_assert!(made.contains(trx), "the journal has refund {trx} completed; bKash never made it: {made:?}");
        }
        prop_assert!(made.len() <= completed.len() + unknown, "a refund bKash made reads as failed: ledger {made:?}, journal {journal:?}");
    }
    Ok(())
}

fn refund_step() -> impl Strategy<Value = (u8, RefundFault, StatusFault)> {
    let fault = prop_oneof![Just(RefundFault::None), Just(RefundFault::Dropped), Just(RefundFault::Reset), Just(RefundFault::CodeBeside)];
    let status = prop_oneof![Just(StatusFault::None), Just(StatusFault::AboutAnother), Just(StatusFault::Stale)];
    (0u8..2, fault, status)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_refunds_with_lost_contradictory_and_misdirected_answers_never_contradict_the_ledger(
        tokenized in any::<bool>(),
        steps in prop::collection::vec(refund_step(), 1..5),
    ) {
        let product = if tokenized { Product::Tokenized } else { Product::Checkout };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run_refunds(product, steps))?;
    }
}

proptest! {
    /// The one refundable rule: nothing unless the payment completed, never
    /// more than was paid, and only a failed refund gives its money back.
    #[test]
    fn what_is_left_to_refund_counts_every_refund_but_a_failed_one(
        paid in 1u64..=pos_core::money::MAX_AMOUNT_POISHA,
        refunds in proptest::collection::vec((0usize..4, 1u64..5_000_000), 0..6),
    ) {
        use pos_core::money::{refundable, RefundState};
        let refunds: Vec<(RefundState, u64)> = refunds.into_iter().map(|(s, poisha)| (RefundState::ALL[s % RefundState::ALL.len()], poisha)).collect();
        let held: u64 = refunds.iter().filter(|(s, _)| *s != RefundState::Failed).map(|(_, p)| p).sum();
        prop_assert_eq!(refundable(PaymentState::Completed, paid, refunds.clone()), paid.saturating_sub(held));
        prop_assert!(refundable(PaymentState::Completed, paid, refunds.clone()) <= paid);
        for state in PaymentState::ALL.into_iter().filter(|s| *s != PaymentState::Completed) {
            prop_assert_eq!(refundable(state, paid, refunds.clone()), 0);
        }
    }
}
