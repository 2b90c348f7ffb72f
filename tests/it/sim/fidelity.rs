//! Corrections that make the simulator behave like real bKash integrations
//! observe it (they affect both families).

use chrono::Duration;
use serde_json::json;

use super::{read, Bench, APP_KEY, APP_SECRET, PASSWORD, USER, WALLET};

#[tokio::test]
async fn an_amount_sent_as_a_json_number_is_taken_like_the_string_under_the_same_rules() {
    let bench = Bench::start().await;
    let create = |amount: serde_json::Value| {
        let bench = &bench;
        async move {
            bench
                .checkout(
                    "payment/create",
                    Some(json!({"amount": amount, "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "INV-N"})),
                )
                .await
                .1
        }
    };
    assert_eq!(create(json!(85.5)).await["amount"], "85.5", "echoed back as a string");
    assert_eq!(create(json!(120)).await["amount"], "120");
    for refused in [json!(85.555), json!(0.5), json!(-3)] {
        assert_eq!(create(refused.clone()).await["errorCode"], "2006", "{refused}");
    }
    let (_, body) = bench.tokenized("create", json!({"mode": "0011", "payerReference": " ", "callbackURL": "https://shop.example/cb", "amount": 85.5, "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "INV-T"})).await;
    assert_eq!((body["statusCode"].as_str(), body["amount"].as_str()), (Some("0000"), Some("85.5")), "{body}");
}

#[tokio::test]
async fn tokenized_search_names_the_payer_and_what_is_left_to_refund_and_checkout_query_what_was_refunded() {
    let bench = Bench::start().await;
    let (id, paid) = bench.pay("300", WALLET).await;
    let trx = paid["trxID"].as_str().unwrap().to_string();
    let refund = json!({"paymentID": id, "amount": "100", "trxID": trx, "sku": "tea", "reason": "spilt"});
    assert_eq!(bench.checkout("payment/refund", Some(refund)).await.1["transactionStatus"], "Completed");
    let queried = bench.checkout(&format!("payment/query/{id}"), None).await.1;
    assert_eq!(queried["refundAmount"], "100.00", "{queried}");

    let (_, created) = bench.tokenized("create", json!({"mode": "0011", "payerReference": " ", "callbackURL": "https://shop.example/cb", "amount": "250", "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "INV-S"})).await;
    let payment_id = created["paymentID"].as_str().unwrap().to_string();
    bench.sim.customer_pays(&payment_id, "01929918378", "123456", "12121").unwrap();
    let executed = bench.tokenized("execute", json!({"paymentID": payment_id})).await.1;
    let found = bench.tokenized("general/searchTransaction", json!({"trxID": executed["trxID"]})).await.1;
    assert_eq!((found["payerAccount"].as_str(), found["payerType"].as_str()), (Some("01929918378"), Some("Customer")), "{found}");
    assert_eq!(found["maxRefundableAmount"], "250.00");
}

#[tokio::test]
async fn a_refresh_token_gives_new_tokens_again_while_it_is_valid() {
    let bench = Bench::start().await;
    let (_, pair) = bench.grant("tokenized").await;
    let body = json!({"app_key": APP_KEY, "app_secret": APP_SECRET, "refresh_token": pair["refresh_token"]});
    for _ in 0..2 {
        let (status, fresh) = bench.token_call("tokenized", "refresh", USER, PASSWORD, body.clone()).await;
        assert_eq!(status, 200, "reusable while valid: {fresh}");
        assert_eq!(fresh["statusCode"], "0000");
    }
    bench.sim.advance_clock(Duration::days(28) + Duration::seconds(1));
    let (status, expired) = bench.token_call("tokenized", "refresh", USER, PASSWORD, body).await;
    assert_eq!((status, expired), (401, json!({"message": "The incoming token has expired"})), "28 days, then a new grant");
}

#[tokio::test]
async fn the_duplicate_rule_is_per_merchant() {
    let bench = Bench::with(|c| {
        c.token_budget_per_hour = 100;
        c.duplicate_window_secs = 120;
    })
    .await;
    assert_eq!(bench.pay("300", WALLET).await.1["transactionStatus"], "Completed");
    assert_eq!(bench.pay("300", WALLET).await.1["errorCode"], "2029", "same merchant, same wallet, same amount");
    // Another shop (the second published credential set) takes the same wallet and amount at once.
    let (_, other) = bench
        .token_call(
            "checkout",
            "grant",
            "testdemo",
            "test%#de23@msdao",
            json!({"app_key": "5nej5keguopj928ekcj3dne8p", "app_secret": "1honf6u1c56mqcivtc9ffl960slp4v2756jle5925nbooa46ch62"}),
        )
        .await;
    let token = other["id_token"].as_str().unwrap();
    let call = |path: String, body: Option<serde_json::Value>| {
        let request = match body {
            Some(b) => bench.http.post(bench.url(&path)).json(&b),
            None => bench.http.post(bench.url(&path)),
        };
        request.header("authorization", token).header("x-app-key", "5nej5keguopj928ekcj3dne8p").send()
    };
    let create = json!({"amount": "300", "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "OTHER-1"});
    let (_, created) = read(call("/v1.2.0-beta/checkout/payment/create".into(), Some(create)).await.unwrap()).await;
    let id = created["paymentID"].as_str().unwrap().to_string();
    bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
    let (_, paid) = read(call(format!("/v1.2.0-beta/checkout/payment/execute/{id}"), None).await.unwrap()).await;
    assert_eq!(paid["transactionStatus"], "Completed", "another merchant is not a duplicate: {paid}");
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_whatever_its_case() {
    let bench = Bench::start().await;
    let url = bench.url("/v1.2.0-beta/checkout/payment/query/TR0011x");
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let request = bench.http.get(&url).header("authorization", format!("{scheme} {}", bench.token)).header("x-app-key", APP_KEY);
        let (status, body) = read(request.send().await.unwrap()).await;
        assert_eq!((status, body["errorCode"].as_str()), (200, Some("2002")), "{scheme}: past the gateway, an unknown payment");
    }
}
