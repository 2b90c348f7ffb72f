use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::*;
use bkash_sim::{FaultKind, FaultRule, TxStatus};

/// A verified payment ready to execute.
async fn ready(bench: &Bench, amount: &str) -> String {
    let id = bench.create(amount).await;
    bench.sim.customer_pays(&id, WALLET, "123456", "12121").unwrap();
    id
}

async fn execute_raw(bench: &Bench, id: &str) -> Result<reqwest::Response, reqwest::Error> {
    bench
        .http
        .post(bench.url(&format!("/v1.2.0-beta/checkout/payment/execute/{id}")))
        .header("authorization", &bench.token)
        .header("x-app-key", APP_KEY)
        .timeout(Duration::from_secs(2))
        .send()
        .await
}

fn ledger_status(bench: &Bench, id: &str) -> (TxStatus, Option<String>) {
    let p = bench.sim.ledger().into_iter().find(|p| p.payment_id == id).unwrap();
    (p.transaction_status, p.trx_id)
}

#[tokio::test]
async fn a_dropped_execute_response_charges_the_customer_but_the_caller_hears_nothing() {
    let bench = Bench::start().await;
    let id = ready(&bench, "110").await;
    bench.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    let error = execute_raw(&bench, &id).await.expect_err("no answer");
    assert!(!error.is_timeout(), "the connection is closed, not left hanging: {error}");
    let (status, trx) = ledger_status(&bench, &id);
    assert_eq!(status, TxStatus::Completed);
    assert!(trx.is_some());
}

#[tokio::test]
async fn a_reset_execute_never_reaches_payment_logic() {
    let bench = Bench::start().await;
    let id = ready(&bench, "111").await;
    bench.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::Reset));
    let error = execute_raw(&bench, &id).await.expect_err("reset");
    assert!(!error.is_timeout(), "{error}");
    assert_eq!(ledger_status(&bench, &id), (TxStatus::Initiated, None));
    assert_eq!(bench.checkout(&format!("payment/execute/{id}"), None).await.1["transactionStatus"], "Completed", "the fault hit once");
}

#[tokio::test]
async fn maintenance_and_html_errors_do_not_process_the_request() {
    let bench = Bench::start().await;
    let id = ready(&bench, "112").await;
    bench.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::Maintenance));
    let (status, body) = read(execute_raw(&bench, &id).await.unwrap()).await;
    assert_eq!((status, body["errorCode"].as_str()), (503, Some("503")));
    bench.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::Html500));
    let response = execute_raw(&bench, &id).await.unwrap();
    assert_eq!(response.status().as_u16(), 500);
    assert!(response.text().await.unwrap().starts_with("<html>"));
    assert_eq!(ledger_status(&bench, &id), (TxStatus::Initiated, None));
}

#[tokio::test]
async fn malformed_json_hides_a_processed_execute() {
    let bench = Bench::start().await;
    let id = ready(&bench, "113").await;
    bench.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::MalformedJson));
    let text = execute_raw(&bench, &id).await.unwrap().text().await.unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err(), "{text}");
    assert_eq!(ledger_status(&bench, &id).0, TxStatus::Completed);
}

#[tokio::test]
async fn a_delay_holds_the_answer_after_the_work_is_done() {
    let bench = Bench::start().await;
    let id = ready(&bench, "114").await;
    bench.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::Delay).delay_ms(5_000));
    let error = execute_raw(&bench, &id).await.expect_err("client timeout at 2 s");
    assert!(error.is_timeout());
    assert_eq!(ledger_status(&bench, &id).0, TxStatus::Completed);
}

#[tokio::test]
async fn a_fault_can_target_the_nth_call_and_is_set_through_the_control_api() {
    let bench = Bench::start().await;
    let answer = bench
        .control(Method::POST, "faults", Some(json!({"endpoint": "checkout.query", "kind": "maintenance", "nth": 2, "times": 2})))
        .await;
    assert_eq!(answer["ok"], true);
    let id = bench.create("115").await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(bench.checkout(&format!("payment/query/{id}"), None).await.0);
    }
    assert_eq!(statuses, [200, 503, 503, 200, 200]);
    let faults = bench.control(Method::GET, "faults", None).await;
    assert_eq!(faults["faults"][0]["fired"], 2);
    let bad = bench.control(Method::POST, "faults", Some(json!({"endpoint": "x", "kind": "explode"}))).await;
    assert!(bad["errorMessage"].as_str().unwrap().contains("bad fault rule"));
    assert_eq!(bench.sim.stats().calls["checkout.query"], 5);
}

#[tokio::test]
async fn the_control_api_acts_as_customer_reads_the_ledger_moves_the_clock_and_resets() {
    let bench = Bench::start().await;
    let id = bench.create("116").await;
    let wrong =
        bench.control(Method::POST, &format!("payments/{id}/customer"), Some(json!({"wallet": WALLET, "otp": "1", "pin": "12121"}))).await;
    assert_eq!((wrong["ok"].as_bool(), wrong["errorCode"].as_str()), (Some(false), Some("2016")));
    let id = bench.create("117").await;
    let ok = bench
        .control(Method::POST, &format!("payments/{id}/customer"), Some(json!({"wallet": WALLET, "otp": "123456", "pin": "12121"})))
        .await;
    assert_eq!(ok["verificationStatus"], "Complete");
    bench.checkout(&format!("payment/execute/{id}"), None).await;
    let ledger = bench.control(Method::GET, "ledger", None).await;
    assert_eq!(ledger["payments"].as_array().unwrap().len(), 2);
    assert_eq!(ledger["payments"][1]["transactionStatus"], "Completed");
    assert_eq!(ledger["payments"][1]["customerMsisdn"], WALLET);
    let entry = bench.control(Method::GET, &format!("ledger/{id}"), None).await;
    assert_eq!(entry["amount"], "117");

    let before = chrono::DateTime::parse_from_rfc3339(bench.control(Method::GET, "clock", None).await["now"].as_str().unwrap()).unwrap();
    let after = bench.control(Method::POST, "clock/advance", Some(json!({"seconds": 7200}))).await;
    let after = chrono::DateTime::parse_from_rfc3339(after["now"].as_str().unwrap()).unwrap();
    assert!((after - before).num_seconds() >= 7200);
    assert!(bench.control(Method::POST, "clock/advance", Some(json!({"seconds": -1}))).await["errorMessage"]
        .as_str()
        .unwrap()
        .contains("forward"));

    let config = bench.control(Method::GET, "config", None).await;
    assert!(!config.to_string().contains(APP_SECRET), "the control API never shows app secrets");
    bench.control(Method::PUT, "config", Some(json!({"tokenBudgetPerHour": 7}))).await;
    assert_eq!(bench.control(Method::GET, "config", None).await["tokenBudgetPerHour"], 7);

    bench.control(Method::POST, "reset", None).await;
    assert_eq!(bench.control(Method::GET, "ledger", None).await["payments"], json!([]));
    assert_eq!(bench.sim.stats().token_grants, 0);
}
