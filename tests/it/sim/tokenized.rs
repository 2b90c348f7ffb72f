use serde_json::json;

use super::*;

#[tokio::test]
async fn a_tokenized_url_payment_answers_in_the_status_code_envelope() {
    let bench = Bench::start().await;
    let (_, created) = bench
        .tokenized(
            "create",
            json!({"mode": "0011", "payerReference": " ", "callbackURL": "http://127.0.0.1:9/cb", "amount": "500", "currency": "BDT",
                   "intent": "sale", "merchantInvoiceNumber": "T-1"}),
        )
        .await;
    assert_eq!((created["statusCode"].as_str(), created["statusMessage"].as_str()), (Some("0000"), Some("Successful")));
    let id = created["paymentID"].as_str().unwrap().to_string();
    assert!(created["bkashURL"].as_str().unwrap().starts_with(&format!("{}/tokenized/pay/{id}", bench.sim.base_url())));
    let success = created["successCallbackURL"].as_str().unwrap();
    assert!(success.starts_with(&format!("http://127.0.0.1:9/cb?paymentID={id}&status=success&signature=")), "{success}");
    assert!(is_bkash_time(created["paymentCreateTime"].as_str().unwrap()));

    let (_, early) = bench.tokenized("execute", json!({"paymentID": id})).await;
    assert_eq!(early, json!({"statusCode": "2060", "statusMessage": "Payment execution pre-requisite hasn't been met"}));
    let (_, status) = bench.tokenized("payment/status", json!({"paymentID": id})).await;
    assert_eq!((status["verificationStatus"].as_str(), status["merchantInvoice"].as_str()), (Some("Incomplete"), Some("T-1")));

    bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
    let (_, executed) = bench.tokenized("execute", json!({"paymentID": id})).await;
    assert_eq!((executed["statusCode"].as_str(), executed["transactionStatus"].as_str()), (Some("0000"), Some("Completed")));
    let trx = executed["trxID"].as_str().unwrap();
    assert!(is_bkash_time(executed["paymentExecuteTime"].as_str().unwrap()));
    let (_, status) = bench.tokenized("payment/status", json!({"paymentID": id})).await;
    assert_eq!((status["verificationStatus"].as_str(), status["trxID"].as_str()), (Some("Complete"), Some(trx)));
    let (_, found) = bench.tokenized("general/searchTransaction", json!({"trxID": trx})).await;
    assert_eq!((found["statusCode"].as_str(), found["amount"].as_str()), (Some("0000"), Some("500")));
    let (_, refund) =
        bench.tokenized("payment/refund", json!({"paymentID": id, "trxID": trx, "amount": "500", "sku": "s", "reason": "r"})).await;
    assert_eq!(refund["transactionStatus"], "Completed");
    assert_eq!(bench.tokenized("execute", json!({"paymentID": id})).await.1["statusCode"], "2117");
}

#[tokio::test]
async fn tokenized_create_checks_mode_callback_and_agreement() {
    let bench = Bench::start().await;
    let base = json!({"payerReference": "p", "amount": "10", "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "T"});
    let with = |extra: serde_json::Value| {
        let mut b = base.clone();
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    assert_eq!(bench.tokenized("create", with(json!({"mode": "0011", "callbackURL": "ftp://x"}))).await.1["statusCode"], "2049");
    assert_eq!(bench.tokenized("create", with(json!({"mode": "0042", "callbackURL": "http://x"}))).await.1["statusCode"], "2063");
    assert_eq!(
        bench.tokenized("create", with(json!({"mode": "0001", "callbackURL": "http://x", "agreementID": "nope"}))).await.1["statusCode"],
        "2051"
    );
}

#[tokio::test]
async fn an_agreement_is_created_executed_used_and_cancelled() {
    let bench = Bench::start().await;
    let (_, created) =
        bench.tokenized("create", json!({"mode": "0000", "payerReference": "01770618575", "callbackURL": "http://x/cb"})).await;
    assert_eq!(created["agreementStatus"], "Initiated");
    let id = created["paymentID"].as_str().unwrap().to_string();
    assert!(id.starts_with("TR0000"));
    assert_eq!(bench.tokenized("execute", json!({"paymentID": id})).await.1["statusCode"], "2054");
    bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
    let (_, executed) = bench.tokenized("execute", json!({"paymentID": id})).await;
    assert_eq!(executed["agreementStatus"], "Completed");
    let agreement = executed["agreementID"].as_str().unwrap().to_string();
    assert_eq!(bench.tokenized("execute", json!({"paymentID": id})).await.1["statusCode"], "2116");
    let (_, status) = bench.tokenized("agreement/status", json!({"agreementID": agreement})).await;
    assert_eq!((status["agreementStatus"].as_str(), status["customerMsisdn"].as_str()), (Some("Completed"), Some(WALLET)));

    let (_, pay) = bench
        .tokenized(
            "create",
            json!({"mode": "0001", "agreementID": agreement, "payerReference": "p", "callbackURL": "http://x/cb", "amount": "20",
                   "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "T-2"}),
        )
        .await;
    assert_eq!((pay["statusCode"].as_str(), pay["agreementID"].as_str()), (Some("0000"), Some(agreement.as_str())));

    assert_eq!(bench.tokenized("agreement/cancel", json!({"agreementID": agreement})).await.1["agreementStatus"], "Cancelled");
    assert_eq!(bench.tokenized("agreement/cancel", json!({"agreementID": agreement})).await.1["statusCode"], "2053");
    assert_eq!(bench.tokenized("agreement/status", json!({"agreementID": "nope"})).await.1["statusCode"], "2051");
}

#[tokio::test]
async fn a_tokenized_authorization_is_captured_or_voided_through_confirm() {
    let bench = Bench::start().await;
    let mut ids = Vec::new();
    for amount in ["80", "81"] {
        let (_, created) = bench
            .tokenized(
                "create",
                json!({"mode": "0011", "payerReference": "p", "callbackURL": "http://x/cb", "amount": amount, "currency": "BDT",
                       "intent": "authorization", "merchantInvoiceNumber": "AU"}),
            )
            .await;
        let id = created["paymentID"].as_str().unwrap().to_string();
        bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
        assert_eq!(bench.tokenized("execute", json!({"paymentID": id})).await.1["transactionStatus"], "Authorized");
        ids.push(id);
    }
    let (_, captured) = bench.tokenized("payment/confirm/capture", json!({"paymentID": ids[0]})).await;
    assert_eq!((captured["statusCode"].as_str(), captured["transactionStatus"].as_str()), (Some("0000"), Some("Completed")));
    assert_eq!(bench.tokenized("payment/confirm/void", json!({"paymentID": ids[1]})).await.1["transactionStatus"], "Cancelled");
    assert_eq!(bench.tokenized("payment/confirm/capture", json!({"paymentID": ids[1]})).await.1["statusCode"], "2119");
}

#[tokio::test]
async fn verification_status_says_complete_only_once_wallet_otp_and_pin_are_all_in() {
    let bench = Bench::start().await;
    let create = json!({"mode": "0011", "payerReference": " ", "callbackURL": "https://counter.invalid/cb", "amount": "75", "currency": "BDT",
                        "intent": "sale", "merchantInvoiceNumber": "V-1"});
    let id = bench.tokenized("create", create.clone()).await.1["paymentID"].as_str().unwrap().to_string();
    let status = |id: String| {
        let bench = &bench;
        async move { bench.tokenized("payment/status", json!({"paymentID": id})).await.1["verificationStatus"].as_str().unwrap().to_string() }
    };
    let now = bench.sim.shared().now();
    assert_eq!(status(id.clone()).await, "Incomplete", "nothing entered yet");
    bench.sim.shared().engine().customer_wallet(&id, WALLET, now).unwrap();
    assert_eq!(status(id.clone()).await, "Incomplete", "wallet only");
    bench.sim.shared().engine().customer_otp(&id, "123456", now).unwrap();
    assert_eq!(status(id.clone()).await, "Incomplete", "wallet and OTP");
    assert!(bench.sim.shared().engine().customer_pin(&id, "00000", now).is_err(), "a wrong PIN");
    assert_eq!(status(id.clone()).await, "Incomplete", "a wrong PIN verifies nothing");
    bench.sim.shared().engine().customer_pin(&id, "12121", now).unwrap();
    assert_eq!(status(id.clone()).await, "Complete", "wallet, OTP and PIN");
    let (_, answer) = bench.tokenized("payment/status", json!({"paymentID": id})).await;
    assert_eq!(answer["transactionStatus"], "Initiated", "verified is not paid: only Execute moves the money");

    // A customer who closes bKash's page never verifies.
    let mut second = create;
    second["merchantInvoiceNumber"] = json!("V-2");
    let closed = bench.tokenized("create", second).await.1["paymentID"].as_str().unwrap().to_string();
    bench.sim.shared().engine().customer_wallet(&closed, WALLET, now).unwrap();
    bench.sim.shared().engine().customer_cancel(&closed, now).unwrap();
    assert_eq!(status(closed).await, "Incomplete", "closed on the phone: bKash tells the merchant nothing more");
}
