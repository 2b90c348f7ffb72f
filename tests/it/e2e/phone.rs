//! The customer pays on their own phone, end to end: the real app shows a QR
//! code of bKash's page; the test reads it off a screenshot of the display
//! with `zbarimg`, as a phone camera would, and opens it in a phone-sized
//! headless Chromium (`phone_customer.mjs`), where the customer types wallet,
//! OTP and PIN. Nobody touches the counter until the outcome is on it.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use pos_core::journal::JournalRead;
use pos_core::money::{PayAt, PaymentState};

use super::payments::{eventually_async, Counter, INSUFFICIENT_WALLET, SUCCESS_WALLET};
use super::{artifacts_dir, keys, repo_root, screenshot_display};

async fn pays_on_phone(name: &str, more: serde_json::Value, env: &[(&str, &str)]) -> Counter {
    let mut settings = serde_json::json!({ "payAt": "phone" });
    if let (Some(settings), serde_json::Value::Object(more)) = (settings.as_object_mut(), more) {
        settings.extend(more);
    }
    Counter::open_configured(name, settings, env).await
}

/// Waits for the QR panel, screenshots the whole display and reads every QR
/// code on it with zbarimg. All must hold the same page: bKash's page of
/// this counter's one payment.
async fn scan_the_counter(counter: &Counter, shot: &str) -> String {
    counter.app.wait_for("[data-testid=phone-qr-code]").await;
    raise_customer_display();
    let picture = screenshot_display(shot);
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(&picture)
        .output()
        .expect("zbarimg (zbar-tools)");
    let text = String::from_utf8_lossy(&out.stdout);
    let codes: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        !codes.is_empty(),
        "no QR code could be read off the display ({}): {}",
        picture.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(codes.iter().all(|c| *c == codes[0]), "every screen shows the same page: {codes:?}");
    let row = counter.only_payment();
    let page = format!("{}/tokenized/pay/{}?", counter.sim.base_url(), row.payment_id.as_deref().unwrap());
    assert!(codes[0].starts_with(&page), "the QR code holds bKash's page of this payment: {} (expected {page}…)", codes[0]);
    codes[0].to_string()
}

/// Xvfb has one screen and no window manager, so the customer display opens
/// beside the counter's window and under it; raised, both show in one
/// picture (the display covers the counter's item entry, not its QR code).
fn raise_customer_display() {
    let _ = Command::new("xdotool").args(["search", "--name", "Customer display", "windowraise"]).status();
}

/// The customer, on their phone, with the page they scanned. Off the test's
/// runtime thread: the simulator the phone talks to is served on it.
async fn customer_on_phone(url: &str, action: &str, wallet: &str, shots: &str) {
    let script = repo_root().join("tests/it/e2e/phone_customer.mjs");
    let dir: PathBuf = artifacts_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let mut phone = Command::new("node");
    phone.arg(script).args([url, action, wallet]).arg(dir.join(shots));
    let out = tokio::task::spawn_blocking(move || phone.output().expect("node")).await.unwrap();
    assert!(
        out.status.success(),
        "the phone could not {action}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Status questions per phone payment, for the closing note's figures.
fn record_status_polls(test: &str, polls: u32) {
    use std::io::Write;
    let path = artifacts_dir().join("phone-status-polls.txt");
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    writeln!(file, "{test} {polls}").unwrap();
}

/// bKash's ledger agrees with the counter: no Execute was ever sent for this
/// paymentID, so nobody was charged.
fn never_executed(counter: &Counter, row: &pos_core::journal::PaymentRow) {
    let ledger = counter.ledger_entry(row);
    assert!(!ledger.executed && ledger.trx_id.is_none(), "bKash's ledger: {ledger:?}");
    assert_eq!(counter.sim.stats().calls.get("tokenized.execute"), None, "no Execute was sent");
}

async fn press(counter: &Counter, key: char) {
    let client = counter.app.client();
    let focused = client.active_element().await.unwrap();
    client.send_keys(&focused, &key.to_string()).await.unwrap();
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn phone_the_customer_scans_the_counters_qr_code_and_pays_on_their_phone_with_no_key_pressed_at_the_counter() {
    let name = "phone_paid";
    let counter = pays_on_phone(name, serde_json::json!({ "customerDisplay": true }), &[]).await;
    counter.ring_up_and_pay("450").await;
    let url = scan_the_counter(&counter, "40-phone-qr-on-counter-and-display").await;
    let picture = artifacts_dir().join("screenshots/40-phone-qr-on-counter-and-display.png");
    let read = Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&picture).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&read.stdout).lines().count(), 2, "the counter's and the customer display's QR codes");
    let status = counter.app.text_of("[data-testid=payment-status-title]").await;
    assert!(status.contains("pay on their phone"), "{status}");
    assert_eq!(counter.sim.stats().calls.get("tokenized.execute"), None, "nothing executed before the customer pays");

    customer_on_phone(&url, "pay", SUCCESS_WALLET, "41-phone-customer").await;
    counter.wait_for_panel("paid").await;
    let trx = counter.app.text_of("[data-testid=receipt-trxid]").await;
    raise_customer_display();
    screenshot_display("42-phone-paid-counter-and-display");
    let row = counter.only_payment();
    assert_eq!((row.state, row.pay_at), (PaymentState::Completed, PayAt::Phone));
    assert_eq!(row.trx_id.as_deref(), Some(trx.as_str()));
    assert_eq!(counter.ledger_entry(&row).trx_id, row.trx_id, "the journal's trxID is bKash's");
    let calls = counter.sim.stats().calls;
    assert_eq!(calls.get("tokenized.execute"), Some(&1), "Execute exactly once: {calls:?}");
    assert_eq!(calls.get("tokenized.status").copied().unwrap_or(0) as u32, row.status_polls, "every status question is in the journal");
    record_status_polls(name, row.status_polls);
    let windows = counter.windows().await;
    assert_eq!(windows.len(), 2, "the counter and the customer display; no checkout window: {windows:?}");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn phone_too_little_balance_on_the_phone_fails_the_sale_with_bkashs_reason() {
    let name = "phone_insufficient";
    // This shop pays at the counter by default (F9); the phone is F8.
    let counter = pays_on_phone(name, serde_json::json!({ "payAt": "counter" }), &[]).await;
    counter.ring_up_and_press("900", keys::F8).await;
    let url = scan_the_counter(&counter, "43-phone-qr-insufficient").await;
    customer_on_phone(&url, "pay", INSUFFICIENT_WALLET, "44-phone-insufficient").await;
    counter.wait_for_panel("failed").await;
    let reason = counter.app.text_of("[data-testid=payment-reason]").await;
    assert!(reason.contains("balance is too low"), "{reason}");
    let row = counter.only_payment();
    assert_eq!((row.state, row.bkash_code.as_deref()), (PaymentState::Failed, Some("2023")));
    assert_eq!(counter.ledger_entry(&row).trx_id, None, "bKash charged nothing");
    record_status_polls(name, row.status_polls);
    screenshot_display("45-phone-insufficient-counter");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn phone_the_customer_cancels_on_their_phone_and_esc_at_the_counter_closes_the_sale_uncharged() {
    let name = "phone_customer_cancels";
    let counter = pays_on_phone(name, serde_json::json!({}), &[]).await;
    counter.ring_up_and_pay("130").await;
    let url = scan_the_counter(&counter, "46-phone-qr-customer-cancels").await;
    customer_on_phone(&url, "cancel", SUCCESS_WALLET, "47-phone-customer-cancels").await;
    // bKash's status still says Incomplete: the counter keeps waiting, and says so.
    tokio::time::sleep(Duration::from_secs(3)).await;
    counter.wait_for_panel("waiting").await;
    press(&counter, keys::ESCAPE).await;
    counter.wait_for_panel("cancelled").await;
    assert_eq!(counter.app.client().find_all("[data-testid=phone-qr]").await.unwrap().len(), 0, "the QR code is gone");
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Cancelled);
    never_executed(&counter, &row);
    record_status_polls(name, row.status_polls);
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn phone_the_cashier_cancels_and_a_customer_who_pays_afterwards_is_not_charged_and_the_manager_sees_it() {
    let name = "phone_cashier_cancels";
    let counter = pays_on_phone(name, serde_json::json!({}), &[]).await;
    counter.ring_up_and_pay("275").await;
    let url = scan_the_counter(&counter, "48-phone-qr-cashier-cancels").await;
    press(&counter, keys::ESCAPE).await;
    counter.wait_for_panel("cancelled").await;
    // The customer did not notice, and pays on their phone anyway.
    customer_on_phone(&url, "pay", SUCCESS_WALLET, "49-phone-pays-after-cancel").await;
    let id = counter.only_payment().id;
    eventually_async(Duration::from_secs(20), "the late customer to be journaled", || async {
        counter.journal().events(id).unwrap().iter().any(|e| e.kind == pos_core::money::EventKind::CustomerFinishedLate)
    })
    .await;
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Cancelled);
    never_executed(&counter, &row);

    counter.first_manager_visit().await;
    // The day's list has loaded (a click on a row still loading can be lost).
    counter.app.wait_for_text("[data-testid=page-info]", "the day's one payment", |t| t == "1–1 of 1").await;
    counter.click("[data-testid=day-row-open]").await;
    let history = counter.app.text_of("[data-testid=payment-events]").await;
    assert!(history.contains("customer finished after the cashier cancelled; not executed"), "{history}");
    let on_phone = counter.app.text_of("[data-testid=paid-on-phone]").await;
    assert!(on_phone.contains(&row.status_polls.to_string()), "{on_phone}");
    screenshot_display("50-phone-late-customer-history");
    record_status_polls(name, row.status_polls);
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn phone_the_app_killed_while_the_qr_code_is_shown_closes_the_sale_as_not_charged_on_restart() {
    let name = "phone_killed_waiting";
    let counter = pays_on_phone(name, serde_json::json!({}), &[]).await;
    counter.ring_up_and_pay("615").await;
    let url = scan_the_counter(&counter, "51-phone-qr-before-kill").await;
    let killed = counter.only_payment();
    assert_eq!(killed.state, PaymentState::AwaitingCustomer);
    // The counter dies; the customer, who does not know, pays on their phone.
    let counter = {
        let Counter { app, sim, .. } = counter;
        drop(app);
        super::payments::kill_leftover_apps();
        customer_on_phone(&url, "pay", SUCCESS_WALLET, "52-phone-pays-while-counter-dead").await;
        Counter::reattach(name, sim).await
    };
    counter.app.wait_for("[data-testid=recovery-entry-resolved][data-state=not_charged]").await;
    screenshot_display("53-phone-recovered-not-charged");
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::NotCharged);
    never_executed(&counter, &row);
    let said: Vec<String> = counter.journal().events(row.id).unwrap().into_iter().filter_map(|e| e.detail).collect();
    assert!(said.iter().any(|d| d.contains("paying on their phone")), "the history says why: {said:?}");
    counter.app.close().await;
}
