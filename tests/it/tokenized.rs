//! The counter with Tokenized Checkout (URL), without a webview: Pay creates
//! the payment for bKash's page, bKash's return to the callback is only a
//! hint, and the checkout window may show bKash's page and nothing else.

use std::sync::Arc;

use pos_core::bkash::{navigation, parse_callback, Callback, CallbackStatus, Navigation};
use pos_core::journal::JournalRead;
use pos_core::money::{PaymentState, Product};
use pos_core::payment::CheckoutDesk;

use crate::support::Shop;

const WALLET: &str = "01770618575";

/// Pay at a Tokenized counter: the payment is created and waits for the customer on bKash's page.
async fn on_bkashs_page(shop: &Shop, order: &str, poisha: u64) -> (Arc<CheckoutDesk>, String) {
    let desk = Arc::new(CheckoutDesk::new(shop.service.clone(), "C1"));
    desk.begin(order, poisha).await.unwrap();
    let created = desk.create().await.unwrap();
    assert_eq!(created.row.state, PaymentState::AwaitingCustomer);
    assert_eq!(created.row.product, Product::Tokenized, "the journal records the product that carries it");
    let page = created.bkash.unwrap().bkash_url.unwrap();
    assert!(page.starts_with(&shop.sim.base_url()), "{page}");
    (desk, created.row.payment_id.unwrap())
}

fn returned(payment_id: &str, status: CallbackStatus) -> Callback {
    Callback { payment_id: payment_id.into(), status }
}

#[tokio::test]
async fn bkashs_success_return_sends_execute_once_and_its_answer_settles_the_sale() {
    let shop = Shop::open_tokenized().await;
    let (desk, payment_id) = on_bkashs_page(&shop, "T-1", 25_050).await;
    shop.sim.customer_pays(&payment_id, WALLET, "123456", "12121").unwrap();
    let row = desk.callback(returned(&payment_id, CallbackStatus::Success)).await.unwrap();
    assert_eq!(row.state, PaymentState::Completed);
    let ledger = shop.sim.ledger();
    assert_eq!(ledger.iter().filter(|p| p.trx_id.is_some()).count(), 1);
    assert_eq!(row.trx_id, ledger[0].trx_id);
    assert_eq!(shop.sim.stats().calls["tokenized.execute"], 1);
}

#[tokio::test]
async fn a_failure_or_cancel_on_bkashs_page_closes_the_sale_as_not_charged_without_execute() {
    let shop = Shop::open_tokenized().await;
    for (n, status) in [CallbackStatus::Failure, CallbackStatus::Cancel].into_iter().enumerate() {
        let (desk, payment_id) = on_bkashs_page(&shop, &format!("T-F{n}"), 10_000 + n as u64).await;
        let row = desk.callback(returned(&payment_id, status)).await.unwrap();
        assert_eq!(row.state, PaymentState::NotCharged, "{status:?}");
        let events = shop.journal.lock().unwrap().events(row.id).unwrap();
        let said = format!("callback: bKash's page said {}", status.as_str());
        assert!(events.iter().any(|e| e.detail.as_deref() == Some(said.as_str())), "bKash's word is in the journal: {events:?}");
    }
    assert_eq!(shop.sim.stats().calls.get("tokenized.execute"), None, "no execute after a failure or a cancel");
}

#[tokio::test]
async fn a_forged_return_never_marks_a_payment_paid() {
    let shop = Shop::open_tokenized().await;
    // Another payment's ID: proves nothing about this one, which is cancelled, never executed.
    let (desk, _) = on_bkashs_page(&shop, "T-X1", 30_000).await;
    let row = desk.callback(returned("TR0011SOMEONEELSE1", CallbackStatus::Success)).await.unwrap();
    assert_eq!(row.state, PaymentState::Cancelled);
    assert_eq!(shop.sim.stats().calls.get("tokenized.execute"), None);

    // `status=success` although the customer never verified: Execute is sent
    // once and bKash refuses it (2060), so the sale fails and nothing is charged.
    let (desk, payment_id) = on_bkashs_page(&shop, "T-X2", 30_001).await;
    let row = desk.callback(returned(&payment_id, CallbackStatus::Success)).await.unwrap();
    assert_eq!((row.state, row.bkash_code.as_deref()), (PaymentState::Failed, Some("2060")));
    assert!(shop.sim.ledger().iter().all(|p| p.trx_id.is_none()), "nobody was charged");
}

#[test]
fn the_checkout_window_shows_bkashs_page_reads_the_callback_and_goes_nowhere_else() {
    let page = reqwest::Url::parse("https://sandbox.payment.bkash.com/?paymentId=TR0011A1&hash=x&mode=0011").unwrap();
    let callback = "https://shop.example/bkash/callback?counter=C1";
    let at = |url: &str| navigation(&reqwest::Url::parse(url).unwrap(), &page, callback);
    assert_eq!(at("https://sandbox.payment.bkash.com/otp?x=1"), Navigation::Load);
    for elsewhere in [
        "https://payment.bkash.com.evil.example/",
        "http://sandbox.payment.bkash.com/",
        "https://sandbox.payment.bkash.com:8443/",
        "https://shop.example/other",
        "https://shop.example/bkash/callback/../../admin",
        "https://evil.example/bkash/callback?paymentID=TR0011A1&status=success",
        "javascript:alert(1)",
    ] {
        assert_eq!(at(elsewhere), Navigation::Refuse, "{elsewhere}");
    }
    let success = at("https://shop.example/bkash/callback?counter=C1&paymentID=TR0011A1&status=success&signature=x&apiVersion=1.2.0-beta");
    assert_eq!(success, Navigation::Returned(Ok(Callback { payment_id: "TR0011A1".into(), status: CallbackStatus::Success })));
    for unreadable in [
        "https://shop.example/bkash/callback?status=success",
        "https://shop.example/bkash/callback?paymentID=TR0011A1&paymentID=TR0011B2&status=success",
        "https://shop.example/bkash/callback?paymentID=TR0011A1&status=done",
        "https://shop.example/bkash/callback?paymentID=TR0011A1&status=success&status=cancel",
        "https://shop.example/bkash/callback?paymentID=TR%3Cscript%3E&status=success",
    ] {
        assert!(matches!(at(unreadable), Navigation::Returned(Err(_))), "{unreadable}");
    }
    let plain = reqwest::Url::parse("https://shop.example/bkash/callback?paymentID=TR0011A1&status=cancel").unwrap();
    assert_eq!(parse_callback(&plain).unwrap().status, CallbackStatus::Cancel);
}

fn client_of(shop: &Shop, product: Product) -> Arc<pos_core::bkash::BkashClient> {
    let mut config = pos_core::bkash::training_config(&shop.sim.base_url()).with_product(product);
    config.timeout = std::time::Duration::from_secs(2);
    let store = Arc::new(pos_core::bkash::MemoryTokenStore::default());
    let policy = pos_core::bkash::TokenPolicy { budget_per_hour: 50, ..Default::default() };
    Arc::new(pos_core::bkash::BkashClient::with_clock(config, store, Arc::new(pos_core::money::SystemClock), policy).unwrap())
}

#[tokio::test]
async fn a_shop_that_changed_product_refunds_its_old_payments_with_the_product_that_made_them() {
    let shop = Shop::open().await;
    let row = shop.service.start("OLD-1", 50_000, Some("C1"), None).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap().row;
    shop.sim.customer_pays(created.payment_id.as_deref().unwrap(), WALLET, "123456", "12121").unwrap();
    assert_eq!(shop.service.execute(row.id).await.unwrap().state, PaymentState::Completed);

    // The shop now takes Tokenized payments; Checkout's client is kept for the old ones.
    let clock: Arc<dyn pos_core::money::Clock> = Arc::new(pos_core::money::SystemClock);
    let switched = pos_core::payment::PaymentService::new(shop.journal.clone(), client_of(&shop, Product::Tokenized), clock.clone())
        .with_client(client_of(&shop, Product::Checkout));
    let refund = switched.refund(row.id, 10_000, "rice", "returned").await.unwrap();
    assert_eq!(refund.state, pos_core::money::RefundState::Completed);
    let calls = shop.sim.stats().calls;
    assert!(calls.contains_key("checkout.refund") && !calls.contains_key("tokenized.refund"), "{calls:?}");
    let new = switched.start("NEW-1", 1_000, Some("C1"), None).await.unwrap();
    assert_eq!(new.product, Product::Tokenized, "new sales take the shop's product");

    // Without the old product's credentials: refused here, before anything is sent.
    let tokenized_only = pos_core::payment::PaymentService::new(shop.journal.clone(), client_of(&shop, Product::Tokenized), clock);
    let refused = tokenized_only.refund(row.id, 5_000, "rice", "returned").await.unwrap();
    assert_eq!(refused.state, pos_core::money::RefundState::Failed);
    assert_eq!(shop.sim.stats().calls["checkout.refund"], 1, "nothing was sent");
    let events = shop.journal.lock().unwrap().events(row.id).unwrap();
    assert!(events.iter().any(|e| e.detail.as_deref().is_some_and(|d| d.contains("no credentials for it are configured"))), "{events:?}");
}
