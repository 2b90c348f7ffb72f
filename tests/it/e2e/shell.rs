use super::{keys, AppSession};

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn the_app_opens_on_the_cashier_screen_under_a_training_banner() {
    let app = AppSession::launch("training_banner").await;

    let banner = app.text_of("[data-testid=training-banner]").await;
    assert!(banner.contains("TRAINING MODE: no real money"), "banner reads: {banner}");
    assert_eq!(app.text_of("[data-testid=order-total]").await, "৳0.00");
    let title = app.client().title().await.unwrap();
    assert_eq!(title, "bKash Counter POS");
    app.screenshot("01-cashier-training").await;

    // The app wrote its log where the README says it does.
    let log = app.home.log_text();
    assert!(log.contains("bKash Counter POS started") && log.contains("environment=\"training\""), "log: {log}");
    // Training mode runs its own bKash on loopback, and it answers.
    let sim_url = log.split("training_bkash=").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("simulator URL in the log");
    assert!(sim_url.starts_with("http://127.0.0.1:"), "{sim_url}");
    let health = reqwest::get(format!("{sim_url}/__sim/health")).await.unwrap().text().await.unwrap();
    assert_eq!(health, r#"{"ok":true}"#);
    // The journal was created and opened; payments are not stopped.
    assert!(app.home.app_data().join("training-journal.sqlite3").exists());
    assert!(app.client().find_all("[data-testid=payments-stopped]").await.unwrap().is_empty());
    app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_cashier_rings_up_lines_from_the_keyboard_and_sees_the_total_in_lakh_grouping() {
    let app = AppSession::launch("keyboard_ring_up").await;
    // The item field has focus on start; the cashier never touches the mouse.
    let client = app.client();
    let active = client.active_element().await.unwrap();
    assert_eq!(client.attribute(&active, "data-testid").await.unwrap().as_deref(), Some("item-name"));
    client.send_keys(&active, &format!("Rice 25 kg{}2{}62500.25{}", keys::TAB, keys::TAB, keys::ENTER)).await.unwrap();
    app.wait_for("[data-testid=order-lines] tbody tr").await;
    assert_eq!(app.text_of("[data-testid=order-total]").await, "৳1,25,000.50");

    // A bad price is refused with a reason, and the order is unchanged.
    let focused = client.active_element().await.unwrap();
    client.send_keys(&focused, &format!("Oil{}{}12.345{}", keys::TAB, keys::TAB, keys::ENTER)).await.unwrap();
    let error = app.text_of("[data-testid=line-error]").await;
    assert!(error.contains("at most 2 decimal places"), "error reads: {error}");
    assert_eq!(app.text_of("[data-testid=order-total]").await, "৳1,25,000.50");
    app.screenshot("02-cashier-order-lines").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_damaged_journal_stops_payments_with_a_clear_reason_and_is_left_untouched() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 13 % 251) as u8).collect();
    let bytes = garbage.clone();
    let app = AppSession::launch_with("damaged_journal", move |home| {
        std::fs::create_dir_all(home.app_data()).unwrap();
        std::fs::write(home.app_data().join("training-journal.sqlite3"), &bytes).unwrap();
    })
    .await;
    let banner = app.text_of("[data-testid=payments-stopped]").await;
    assert!(banner.starts_with("Payments are stopped:") && banner.contains("is damaged") && banner.contains("left untouched"), "{banner}");
    app.screenshot("04-journal-damaged").await;
    assert_eq!(std::fs::read(app.home.app_data().join("training-journal.sqlite3")).unwrap(), garbage, "the journal file was not touched");
    app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn damage_deep_in_a_large_journal_is_found_after_start_up_and_stops_payments_with_the_banner() {
    let app = AppSession::launch_with("damaged_large_journal", |home| {
        std::fs::create_dir_all(home.app_data()).unwrap();
        crate::journal::damaged_large_journal(&home.app_data().join("training-journal.sqlite3"), 100_000);
    })
    .await;
    // The counter came up without reading the whole file first …
    app.wait_for("[data-testid=item-name]").await;
    // … and the check running beside it stops payments with the same banner.
    let banner = app.text_of("[data-testid=payments-stopped]").await;
    assert!(banner.starts_with("Payments are stopped:") && banner.contains("is damaged"), "{banner}");
    let log = app.home.log_text();
    assert!(log.contains("the cashier screen is up"), "the counter was up before the check ended");
    assert!(log.contains("integrity check failed"), "found by the deferred check, not at open:\n{log}");
    app.screenshot("19-journal-damaged-after-start").await;
    app.close().await;
}
