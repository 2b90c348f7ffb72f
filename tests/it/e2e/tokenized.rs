//! Tokenized Checkout (URL) end to end: the real app, its checkout window on
//! the simulator's bkashURL page, and bKash's return to the shop's callback.

use std::time::Duration;

use bkash_sim::{FaultKind, FaultRule};
use pos_core::money::{PaymentState, Product};

use super::payments::{eventually_async, Counter, INSUFFICIENT_WALLET, SUCCESS_WALLET};
use super::screenshot_display;

async fn tokenized(name: &str, env: &[(&str, &str)]) -> Counter {
    Counter::open_as(name, "tokenized", env).await
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn tokenized_a_customer_pays_on_bkashs_page_and_the_receipt_shows_bkashs_trx_id() {
    let counter = tokenized("tokenized_success", &[]).await;
    counter.ring_up_and_pay("250.50").await;
    counter.on_bkash_page().await;
    screenshot_display("20-tokenized-bkash-page");
    counter.to_main().await;
    counter.customer_pays_on_bkash_page(SUCCESS_WALLET).await;

    counter.wait_for_panel("paid").await;
    let trx_on_receipt = counter.app.text_of("[data-testid=receipt-trxid]").await;
    assert_eq!(counter.app.text_of("[data-testid=receipt-amount]").await, "৳250.50");
    screenshot_display("21-tokenized-paid-receipt");
    let row = counter.only_payment();
    assert_eq!((row.state, row.product), (PaymentState::Completed, Product::Tokenized));
    assert_eq!(row.trx_id.as_deref(), Some(trx_on_receipt.as_str()));
    assert_eq!(counter.ledger_entry(&row).trx_id, row.trx_id, "the journal's trxID is bKash's");
    let calls = counter.sim.stats().calls;
    assert_eq!((calls.get("tokenized.execute"), calls.get("checkout.execute")), (Some(&1), None), "{calls:?}");
    eventually_async(Duration::from_secs(10), "the checkout window to close", || async { counter.windows().await.len() == 1 }).await;
    let log = counter.app.home.log_text();
    assert!(log.contains("bKash's page returned to the shop status=\"success\""), "the callback was read, not loaded");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn tokenized_insufficient_balance_is_bkashs_refusal_and_nothing_is_charged() {
    let counter = tokenized("tokenized_insufficient", &[]).await;
    counter.ring_up_and_pay("99").await;
    counter.customer_pays_on_bkash_page(INSUFFICIENT_WALLET).await;
    counter.wait_for_panel("failed").await;
    let reason = counter.app.text_of("[data-testid=payment-reason]").await;
    assert!(reason.contains("balance is too low") && reason.contains("2023"), "{reason}");
    screenshot_display("22-tokenized-insufficient");
    let row = counter.only_payment();
    assert_eq!((row.state, row.bkash_code.as_deref()), (PaymentState::Failed, Some("2023")));
    assert_eq!(counter.ledger_entry(&row).trx_id, None, "bKash charged nothing");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn tokenized_the_customer_cancels_on_bkashs_page_and_nothing_is_executed() {
    let counter = tokenized("tokenized_cancel", &[]).await;
    counter.ring_up_and_pay("120").await;
    counter.on_bkash_page().await;
    counter.click("#close").await;
    counter.click("#yes_button").await;
    counter.to_main().await;
    counter.wait_for_panel("cancelled").await;
    screenshot_display("23-tokenized-cancelled");
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::NotCharged);
    assert_eq!(counter.sim.stats().calls.get("tokenized.execute"), None, "no execute after the customer cancelled");
    eventually_async(Duration::from_secs(10), "the checkout window to close", || async { counter.windows().await.len() == 1 }).await;
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn tokenized_a_dropped_execute_answer_is_checked_then_settled_by_payment_status() {
    let counter = tokenized("tokenized_dropped_execute", &[]).await;
    counter.sim.add_fault(FaultRule::once("tokenized.execute", FaultKind::DropResponse));
    counter.ring_up_and_pay("480").await;
    counter.customer_pays_on_bkash_page(SUCCESS_WALLET).await;
    counter.wait_for_panel("checking").await;
    assert_eq!(counter.app.text_of("[data-testid=payment-status-title]").await, "Checking with bKash");
    screenshot_display("24-tokenized-checking");
    counter.wait_for_panel("paid").await;
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Completed);
    assert_eq!(counter.ledger_entry(&row).trx_id, row.trx_id);
    assert!(counter.sim.stats().calls.get("tokenized.status").is_some_and(|n| *n >= 1), "settled by payment status");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn tokenized_the_app_killed_mid_execute_settles_on_restart_with_payment_status() {
    let name = "tokenized_killed_mid_execute";
    let counter = tokenized(name, &[("BKASH_POS_CRASH_AT", "execute_answered_not_stored")]).await;
    counter.ring_up_and_pay("730").await;
    counter.customer_pays_on_bkash_page(SUCCESS_WALLET).await;
    counter.died_after_bkash_charged().await;

    let counter = counter.restart(name).await;
    counter.app.wait_for("[data-testid=recovery-entry-resolved][data-state=completed]").await;
    let row = counter.only_payment();
    assert_eq!((row.state, row.product), (PaymentState::Completed, Product::Tokenized));
    assert_eq!(counter.ledger_entry(&row).trx_id, row.trx_id);
    assert!(counter.sim.stats().calls.get("tokenized.status").is_some_and(|n| *n >= 1), "the payment's own product was queried");
    screenshot_display("25-tokenized-recovered-after-kill");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn tokenized_a_manager_refunds_part_of_a_sale_through_the_tokenized_refund() {
    let counter = tokenized("tokenized_partial_refund", &[]).await;
    counter.ring_up_and_pay("640").await;
    counter.customer_pays_on_bkash_page(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    let paid = counter.only_payment();

    counter.first_manager_visit().await;
    counter.app.wait_for("[data-testid=manager-day]").await;
    counter.type_into("[data-testid=day-search]", paid.trx_id.as_deref().unwrap()).await;
    counter.app.wait_for_text("[data-testid=page-info]", "the sale by its trxID", |t| t == "1–1 of 1").await;
    counter.click("[data-testid=day-row-open]").await;
    counter.type_into("[data-testid=refund-amount]", "140.50").await;
    counter.type_into("[data-testid=refund-sku]", "rice-5kg").await;
    counter.type_into("[data-testid=refund-reason]", &format!("one bag returned{}", super::keys::ENTER)).await;
    let text = counter.app.text_of("[data-testid=details-message]").await;
    assert!(text.starts_with("Refunded ৳140.50"), "{text}");
    let ledger = counter.ledger_entry(&paid);
    assert_eq!((ledger.refunded_poisha, ledger.refunds.len()), (14_050, 1), "bKash's ledger shows the partial refund");
    assert!(text.contains(&ledger.refunds[0].refund_trx_id));
    let calls = counter.sim.stats().calls;
    assert!(calls.contains_key("tokenized.refund") && !calls.contains_key("checkout.refund"), "{calls:?}");
    screenshot_display("26-tokenized-partial-refund");
    counter.app.close().await;
}
