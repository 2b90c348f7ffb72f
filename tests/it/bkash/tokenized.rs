//! The client speaking bKash's Tokenized Checkout (URL) family: the same
//! calls and the same money rules as Checkout (iFrame), over the tokenized
//! paths, bodies and envelopes.

use bkash_sim::{FaultKind, FaultRule};
use pos_core::bkash::{BkashConfig, BkashError, Credentials, ExpectedPayment, TokenPolicy, TransactionStatus};
use pos_core::money::{Amount, Product, Secret};
use serde_json::json;

use super::{create, Rig, WALLET};

async fn tokenized() -> Rig {
    Rig::with(TokenPolicy { budget_per_hour: 50, ..TokenPolicy::default() }, |config| {
        *config = config.clone().with_product(Product::Tokenized);
    })
    .await
}

#[tokio::test]
async fn a_tokenized_sale_is_created_for_bkashs_page_executed_once_and_read_back_by_every_call() {
    let rig = tokenized().await;
    let created = rig.client.create_payment(&create(8_550)).await.unwrap();
    let page = created.bkash_url.clone().expect("mode 0011 answers with bKash's own page");
    assert!(page.starts_with(&rig.sim.base_url()) && page.contains(&created.payment_id), "{page}");
    assert!(created.payment_id.starts_with("TR0011"), "mode 0011: {}", created.payment_id);
    let payment = ExpectedPayment::from(&created);

    // Before the customer has verified on bKash's page, execute is refused: nothing moved.
    let early = rig.client.execute_payment(&payment).await.unwrap_err();
    assert!(matches!(&early, BkashError::Refused { code, .. } if code == "2060"), "{early:?}");
    rig.sim.customer_pays(&created.payment_id, WALLET, "123456", "12121").unwrap();
    let done = rig.client.execute_payment(&payment).await.unwrap();
    assert_eq!(done.transaction_status, TransactionStatus::Completed);
    let trx = done.trx_id.clone().unwrap();
    let again = rig.client.execute_payment(&payment).await.unwrap_err();
    assert!(matches!(&again, BkashError::AlreadyDone { code, .. } if code == "2117"), "only Query tells: {again:?}");

    // Query (payment/status, whose invoice is `merchantInvoice`), Search, Refund and Refund Status.
    let queried = rig.client.query_payment(&payment).await.unwrap();
    assert_eq!((queried.transaction_status, queried.trx_id.as_deref()), (TransactionStatus::Completed, Some(trx.as_str())));
    let found = rig.client.search_transaction(&trx).await.unwrap();
    assert_eq!((found.amount, found.transaction_status), (Amount::from_poisha(8_550), TransactionStatus::Completed));
    let refund = rig.client.refund(&created.payment_id, &trx, Amount::from_poisha(2_000), "tea", "spilt").await.unwrap();
    assert_eq!(refund.amount, Amount::from_poisha(2_000));
    let status = rig.client.refund_status(&created.payment_id, &trx).await.unwrap();
    assert_eq!(status.refund_trx_id, refund.refund_trx_id);

    let calls = rig.sim.stats().calls;
    for call in
        ["tokenized.token.grant", "tokenized.create", "tokenized.execute", "tokenized.status", "tokenized.search", "tokenized.refund"]
    {
        assert!(calls.get(call).is_some_and(|n| *n >= 1), "{call} was not called: {calls:?}");
    }
    assert!(calls.keys().all(|c| !c.starts_with("checkout.")), "nothing went to the Checkout family: {calls:?}");
    assert_eq!(calls["tokenized.execute"], 3, "execute is never retried on our own");
}

#[tokio::test]
async fn a_tokenized_create_that_sends_the_customer_anywhere_but_bkash_is_not_trusted() {
    let rig = tokenized().await;
    rig.sim.add_fault(
        FaultRule::once("tokenized.create", FaultKind::Answer).patch(json!({"bkashURL": "https://payment.bkash.com.evil.example/pay"})),
    );
    let error = rig.client.create_payment(&create(10_000)).await.unwrap_err();
    assert!(matches!(&error, BkashError::OutcomeUnknown { reason } if reason.contains("not a bKash page")), "{error:?}");
}

#[tokio::test]
async fn tokenized_refusals_come_in_bkashs_status_envelope_and_keep_their_meaning() {
    let rig = tokenized().await;
    let payment = rig.verified_payment(10_000, "01823074817").await;
    let refused = rig.client.execute_payment(&payment).await.unwrap_err();
    assert!(
        matches!(&refused, BkashError::Refused { code, message } if code == "2023" && message == "Insufficient Balance"),
        "{refused:?}"
    );
    rig.sim.add_fault(FaultRule::once("tokenized.execute", FaultKind::DropResponse));
    let payment = rig.verified_payment(10_001, WALLET).await;
    assert!(rig.client.execute_payment(&payment).await.unwrap_err().outcome_unknown(), "a dropped answer goes to Query");
    let queried = rig.client.query_payment(&payment).await.unwrap();
    assert_eq!(queried.transaction_status, TransactionStatus::Completed, "bKash charged it; Query says so");
}

fn credentials() -> Credentials {
    Credentials { username: "u".into(), password: Secret::new("p"), app_key: "k".into(), app_secret: Secret::new("s") }
}

#[test]
fn each_product_has_its_own_bkash_host_and_tokenized_needs_an_https_callback() {
    let sandbox = BkashConfig::sandbox(credentials()).with_product(Product::Tokenized);
    assert_eq!(sandbox.base_url, "https://tokenized.sandbox.bka.sh/v1.2.0-beta");
    assert_eq!(
        BkashConfig::production(credentials()).with_product(Product::Tokenized).base_url,
        "https://tokenized.pay.bka.sh/v1.2.0-beta"
    );
    assert_eq!(BkashConfig::production(credentials()).base_url, "https://checkout.pay.bka.sh/v1.2.0-beta");
    let missing = sandbox.validate().unwrap_err();
    assert_eq!(missing.setting, "callback_url", "{missing}");
    for bad in ["http://shop.example/bkash", "https://user:pw@shop.example/cb", "https://shop.example/cb#x", "not a url"] {
        let config = BkashConfig { callback_url: bad.into(), ..sandbox.clone() };
        assert_eq!(config.validate().unwrap_err().setting, "callback_url", "{bad}");
    }
    let good = BkashConfig { callback_url: "https://shop.example/bkash/callback?counter=C1".into(), ..sandbox };
    assert!(good.validate().is_ok());
}
