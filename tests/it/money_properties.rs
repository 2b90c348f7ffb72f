//! Property test: random orders, wallets, faults and stops (a stop is the
//! process dying after the last committed step), then a restart that
//! reconciles, with either bKash product. Whatever happened, the journal
//! agrees with bKash's ledger.

use bkash_pos::journal::JournalRead;
use bkash_pos::money::{PaymentState, Product};
use bkash_pos::reconcile::Reconciler;
use bkash_pos::sim::{FaultKind, FaultRule};
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
}

impl Fault {
    fn on(self, endpoint: &str) -> FaultRule {
        match self {
            Fault::Plain(kind) => FaultRule::once(endpoint, kind),
            Fault::Redirect => FaultRule::once(endpoint, FaultKind::Answer).status(301).location("http://localhost:9/x").body(""),
            Fault::NotFound => FaultRule::once(endpoint, FaultKind::Answer).status(404).body("{}"),
            Fault::Oversized => FaultRule::once(endpoint, FaultKind::Oversized).bytes(2 << 20),
            Fault::WrongAmount => FaultRule::once(endpoint, FaultKind::Answer).patch(serde_json::json!({"amount": "1.00"})),
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
    ];
    (0u8..3, any::<bool>(), prop::option::of((any::<bool>(), kinds)), 0u8..5).prop_map(|(order, insufficient, fault, stop_after)| Attempt {
        order,
        insufficient,
        fault,
        stop_after,
    })
}

async fn run(product: Product, attempts: Vec<Attempt>) -> Result<(), TestCaseError> {
    let shop = Shop::open_as(std::sync::Arc::new(bkash_pos::bkash::MemoryTokenStore::default()), product).await;
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
