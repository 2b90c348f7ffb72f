use chrono::Duration;
use serde_json::json;

use super::*;
use bkash_sim::TxStatus;

#[tokio::test]
async fn a_checkout_payment_goes_from_initiated_to_completed_with_bkash_shaped_ids() {
    let bench = Bench::start().await;
    let (status, created) = bench
        .checkout(
            "payment/create",
            Some(json!({"amount": "85.50", "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "INV-0001"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(created["transactionStatus"], "Initiated");
    assert_eq!(created["amount"], "85.50");
    assert_eq!(created["orgName"], "Training Shop");
    let id = created["paymentID"].as_str().unwrap().to_string();
    assert!(id.starts_with("TR0011") && id.len() == 27, "{id}");
    assert!(is_bkash_time(created["createTime"].as_str().unwrap()), "{created}");

    let (_, early) = bench.checkout(&format!("payment/execute/{id}"), None).await;
    assert_eq!(early, json!({"errorCode": "2056", "errorMessage": "Invalid Payment State"}), "execute before the customer verified");

    bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
    let (_, executed) = bench.checkout(&format!("payment/execute/{id}"), None).await;
    assert_eq!(executed["transactionStatus"], "Completed");
    let trx = executed["trxID"].as_str().unwrap().to_string();
    assert!(trx.len() == 10 && trx.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()), "{trx}");
    assert_eq!(executed["customerMsisdn"], WALLET);

    let (_, again) = bench.checkout(&format!("payment/execute/{id}"), None).await;
    assert_eq!(again["errorCode"], "2117");
    let (_, queried) = bench.checkout(&format!("payment/query/{id}"), None).await;
    assert_eq!((queried["transactionStatus"].as_str(), queried["trxID"].as_str()), (Some("Completed"), Some(trx.as_str())));
    let (_, found) = bench.checkout(&format!("payment/search/{trx}"), None).await;
    assert_eq!((found["amount"].as_str(), found["customerMsisdn"].as_str()), (Some("85.50"), Some(WALLET)));
    let (_, missing) = bench.checkout("payment/search/ZZZZZZZZZZ", None).await;
    assert_eq!(missing["errorCode"], "2033");

    let ledger = bench.sim.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!((ledger[0].transaction_status, ledger[0].trx_id.as_deref()), (TxStatus::Completed, Some(trx.as_str())));
}

#[tokio::test]
async fn an_unknown_payment_id_is_2002_everywhere() {
    let bench = Bench::start().await;
    for path in ["payment/execute/TR0011nope", "payment/query/TR0011nope"] {
        assert_eq!(bench.checkout(path, None).await.1["errorCode"], "2002", "{path}");
    }
}

#[tokio::test]
async fn amounts_currency_intent_and_invoice_are_checked_like_bkash() {
    let bench = Bench::start().await;
    let create = |amount: serde_json::Value, currency: &str, intent: &str, invoice: &str| {
        bench.checkout(
            "payment/create",
            Some(json!({"amount": amount, "currency": currency, "intent": intent, "merchantInvoiceNumber": invoice})),
        )
    };
    for bad in [
        json!("0"),
        json!("0.99"),
        json!("-5"),
        json!("1.234"),
        json!("abc"),
        json!("1e5"),
        json!(""),
        json!("12."),
        json!(0.99),
        json!(1.234),
    ] {
        assert_eq!(create(bad.clone(), "BDT", "sale", "I1").await.1["errorCode"], "2006", "amount {bad}");
    }
    assert_eq!(create(json!("10"), "USD", "sale", "I1").await.1["errorCode"], "2007");
    assert_eq!(create(json!("10"), "BDT", "gift", "I1").await.1["errorCode"], "2008");
    assert_eq!(create(json!("10"), "BDT", "sale", "<script>").await.1["errorCode"], "2031");
    assert_eq!(create(json!("10"), "BDT", "sale", &"9".repeat(256)).await.1["errorCode"], "2031");
    assert_eq!(create(json!("10.5"), "BDT", "sale", &"9".repeat(255)).await.1["amount"], "10.5", "bKash echoes the amount as sent");
    assert_eq!(bench.sim.ledger().len(), 1);
}

#[tokio::test]
async fn sandbox_failure_wallets_are_refused_at_execute_and_nothing_is_charged() {
    let bench = Bench::start().await;
    let (id, body) = bench.pay("100", "01823074817").await;
    assert_eq!(body, json!({"errorCode": "2023", "errorMessage": "Insufficient Balance"}));
    let (_, blocked) = bench.pay("100", "01823074818").await;
    assert_eq!(blocked["errorCode"], "2037");
    let entry = bench.sim.ledger().into_iter().find(|p| p.payment_id == id).unwrap();
    assert_eq!((entry.transaction_status, entry.trx_id), (TxStatus::Initiated, None));
    assert_eq!(bench.checkout(&format!("payment/execute/{id}"), None).await.1["errorCode"], "2117", "an execute is spent once");
}

#[tokio::test]
async fn wrong_wallet_otp_and_pin_give_bkash_codes_and_repeated_failures_end_the_session() {
    let bench = Bench::start().await;
    let id = bench.create("50").await;
    let step = |path: &str, body: serde_json::Value| bench.http.post(bench.url(&format!("/frame-api/{id}/{path}"))).json(&body).send();
    assert_eq!(read(step("wallet", json!({"wallet": "0177061857"})).await.unwrap()).await.1["errorCode"], "2009");
    assert_eq!(read(step("wallet", json!({"wallet": "11770618575"})).await.unwrap()).await.1["errorCode"], "2009");
    assert_eq!(read(step("wallet", json!({"wallet": WALLET})).await.unwrap()).await.1["step"], "otp");
    assert_eq!(read(step("otp", json!({"otp": "000000"})).await.unwrap()).await.1["errorCode"], "2016");
    assert_eq!(read(step("otp", json!({"otp": "123456"})).await.unwrap()).await.1["step"], "pin");
    assert_eq!(read(step("pin", json!({"pin": "00000"})).await.unwrap()).await.1["errorCode"], "2014");
    assert_eq!(read(step("pin", json!({"pin": "00000"})).await.unwrap()).await.1["errorCode"], "2014");
    let ended = read(step("pin", json!({"pin": "00000"})).await.unwrap()).await.1;
    assert_eq!((ended["errorCode"].as_str(), ended["step"].as_str()), (Some("2015"), Some("ended")));
    assert_eq!(read(step("pin", json!({"pin": "12121"})).await.unwrap()).await.1["errorCode"], "2056", "no PIN after the limit");

    let id = bench.create("51").await;
    bench.sim.customer_pays(&id, WALLET, "111111", "12121").unwrap_err();
    bench.sim.customer_pays(&id, WALLET, "111111", "12121").unwrap_err(); // wallet step now refused (2056): still at OTP
    let step_otp = |otp: &'static str| bench.http.post(bench.url(&format!("/frame-api/{id}/otp"))).json(&json!({"otp": otp})).send();
    assert_eq!(read(step_otp("222222").await.unwrap()).await.1["errorCode"], "2016");
    assert_eq!(read(step_otp("333333").await.unwrap()).await.1["errorCode"], "2017");
}

#[tokio::test]
async fn otp_resends_are_limited_to_three() {
    let bench = Bench::start().await;
    let id = bench.create("52").await;
    let post = |path: String, body: serde_json::Value| bench.http.post(bench.url(&path)).json(&body).send();
    read(post(format!("/frame-api/{id}/wallet"), json!({"wallet": WALLET})).await.unwrap()).await;
    for _ in 0..3 {
        assert_eq!(read(post(format!("/frame-api/{id}/resend"), json!({})).await.unwrap()).await.1["ok"], true);
    }
    assert_eq!(read(post(format!("/frame-api/{id}/resend"), json!({})).await.unwrap()).await.1["errorCode"], "2013");
}

#[tokio::test]
async fn the_same_wallet_paying_the_same_amount_again_within_the_window_gets_2029() {
    let bench = Bench::with(|c| {
        c.token_budget_per_hour = 100;
        c.duplicate_window_secs = 120;
    })
    .await;
    assert_eq!(bench.pay("300", WALLET).await.1["transactionStatus"], "Completed");
    assert_eq!(bench.pay("300", WALLET).await.1["errorCode"], "2029");
    assert_eq!(bench.pay("301", WALLET).await.1["transactionStatus"], "Completed", "a different amount is fine");
    assert_eq!(bench.pay("300", "01929918378").await.1["transactionStatus"], "Completed", "a different wallet is fine");
    bench.sim.advance_clock(Duration::seconds(121));
    let token = bench.grant("checkout").await.1["id_token"].as_str().unwrap().to_string();
    let bench = Bench { token, ..bench };
    assert_eq!(bench.pay("300", WALLET).await.1["transactionStatus"], "Completed", "after the window");
}

#[tokio::test]
async fn a_payment_id_expires_after_24_hours_unexecuted() {
    let bench = Bench::start().await;
    let id = bench.create("60").await;
    bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
    bench.sim.advance_clock(Duration::hours(24));
    let token = bench.grant("checkout").await.1["id_token"].as_str().unwrap().to_string();
    let bench = Bench { token, ..bench };
    assert_eq!(bench.checkout(&format!("payment/execute/{id}"), None).await.1["errorCode"], "2056");
    assert_eq!(bench.checkout(&format!("payment/query/{id}"), None).await.1["transactionStatus"], "Initiated");
}

#[tokio::test]
async fn refunds_follow_bkash_rules_partial_then_the_rest_then_2034() {
    let bench = Bench::start().await;
    let (id, paid) = bench.pay("100.00", WALLET).await;
    let trx = paid["trxID"].as_str().unwrap();
    let refund = |amount: Option<&str>, sku: Option<&str>, reason: Option<&str>| {
        let mut body = json!({"paymentID": id, "trxID": trx});
        for (k, v) in [("amount", amount), ("sku", sku), ("reason", reason)] {
            if let Some(v) = v {
                body[k] = json!(v);
            }
        }
        bench.checkout("payment/refund", Some(body))
    };
    assert_eq!(refund(Some("10"), None, Some("damaged")).await.1["errorCode"], "2073", "sku is required");
    assert_eq!(refund(Some("10"), Some("SKU1"), None).await.1["errorCode"], "2078", "reason is required");
    assert_eq!(refund(Some("100.01"), Some("SKU1"), Some("x")).await.1["errorCode"], "2026");
    let (_, first) = refund(Some("30.50"), Some("SKU1"), Some("damaged")).await;
    assert_eq!((first["transactionStatus"].as_str(), first["amount"].as_str()), (Some("Completed"), Some("30.50")));
    assert_eq!(first["originalTrxID"], trx);
    assert_eq!(refund(Some("69.51"), Some("SKU1"), Some("x")).await.1["errorCode"], "2026", "more than what is left");
    let (_, status) = refund(None, None, None).await;
    assert_eq!(status["refundTrxID"], first["refundTrxID"], "no amount means Refund Status");
    assert_eq!(refund(Some("69.50"), Some("SKU1"), Some("rest")).await.1["transactionStatus"], "Completed");
    assert_eq!(refund(Some("1"), Some("SKU1"), Some("again")).await.1["errorCode"], "2034");
    let entry = bench.sim.ledger().into_iter().next().unwrap();
    assert_eq!((entry.refunded_poisha, entry.refunds.len()), (10_000, 2));
    let (_, wrong_trx) = bench
        .checkout("payment/refund", Some(json!({"paymentID": id, "trxID": "AAAAAAAAAA", "amount": "1", "sku": "s", "reason": "r"})))
        .await;
    assert_eq!(wrong_trx["errorCode"], "2028");
}

#[tokio::test]
async fn an_authorization_is_held_then_captured_or_voided_once() {
    let bench = Bench::start().await;
    let mut ids = Vec::new();
    for amount in ["70", "71"] {
        let (_, body) = bench
            .checkout(
                "payment/create",
                Some(json!({"amount": amount, "currency": "BDT", "intent": "authorization", "merchantInvoiceNumber": "A"})),
            )
            .await;
        let id = body["paymentID"].as_str().unwrap().to_string();
        bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
        assert_eq!(bench.checkout(&format!("payment/execute/{id}"), None).await.1["transactionStatus"], "Authorized");
        ids.push(id);
    }
    assert_eq!(bench.checkout(&format!("payment/capture/{}", ids[0]), None).await.1["transactionStatus"], "Completed");
    assert_eq!(bench.checkout(&format!("payment/capture/{}", ids[0]), None).await.1["errorCode"], "2119");
    assert_eq!(bench.checkout(&format!("payment/void/{}", ids[1]), None).await.1["transactionStatus"], "Cancelled");
    assert_eq!(bench.checkout(&format!("payment/void/{}", ids[1]), None).await.1["errorCode"], "2119");
}

#[tokio::test]
async fn the_checkout_script_and_frame_are_served_where_bkash_serves_them() {
    let bench = Bench::start().await;
    let script = bench.http.get(bench.sim.script_url()).send().await.unwrap();
    assert!(script.headers()["content-type"].to_str().unwrap().starts_with("application/javascript"));
    let script = script.text().await.unwrap();
    for api in ["init:", "reconfigure:", "create:", "execute:", "onSuccess", "onError", "#bKash_button", "onClose"] {
        assert!(script.contains(api), "checkout.js lacks {api}");
    }
    assert!(script.contains(&bench.sim.base_url().replace("127.0.0.1", "localhost")), "the script knows the origin it was loaded from");
    let by_address = bench
        .http
        .get(format!("{}{}", bench.sim.base_url(), "/versions/1.2.0-beta/checkout/bKash-checkout-sandbox.js"))
        .send()
        .await
        .unwrap();
    assert!(by_address.text().await.unwrap().contains(&format!("\"{}\"", bench.sim.base_url())));
    let hostile = bench.http.get(bench.sim.script_url()).header("host", "evil\";alert(1);//").send().await.unwrap().text().await.unwrap();
    assert!(!hostile.contains("evil") && hostile.contains(&bench.sim.base_url()), "a hostile Host header never reaches the script");
    let id = bench.create("85").await;
    let frame = bench.http.get(bench.url(&format!("/frame/checkout/{id}"))).send().await.unwrap().text().await.unwrap();
    for part in ["PROCEED", "CLOSE", "RESEND CODE", "CONFIRM", "16247", "yes_button", "terms"] {
        assert!(frame.contains(part), "frame lacks {part}");
    }
    let (_, view) = read(bench.http.get(bench.url(&format!("/frame-api/{id}"))).send().await.unwrap()).await;
    assert_eq!(
        (view["amount"].as_str(), view["merchantInvoiceNumber"].as_str(), view["step"].as_str()),
        (Some("85.00"), Some("INV-1"), Some("wallet"))
    );
}
