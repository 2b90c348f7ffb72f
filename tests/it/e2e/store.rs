//! Two counters of one store, end to end: two real app instances (their own
//! data folders, counter ids c1 and c2) on one PostgreSQL and one bKash
//! (the simulator). A payment taken at counter 1 shows in counter 2's
//! manager view; counter 2 refunds part of it, as bKash's ledger shows; a
//! second refund beyond what is left is refused before bKash hears of it;
//! counter 1 closes the store's day and exports it (CSV and PDF). A payment
//! left unknown at counter 1 is checked and resolved from counter 2, and
//! counter 1 settles it itself with bKash.

use std::time::Duration;

use bkash_pos::app::APP_ID;
use bkash_sim::{SimConfig, SimServer};
use pos_core::money::Secret;
use pos_core::vault::{FileVault, SecretVault};

use super::payments::{point_at_simulator_with, Counter};
use super::{keys, AppSession, XdgHome};
use crate::pg::PrivatePg;

/// A counter's home set up for the store: its settings (counter id, the
/// store's database) and the database password in its vault, as Settings
/// would have saved them.
fn store_home(test_name: &str, sim: &SimServer, pg: &PrivatePg, db: &str, role: &str, password: &Secret, counter: &str) -> XdgHome {
    let home = XdgHome::fresh(test_name);
    let store = serde_json::json!({
        "host": "127.0.0.1", "port": pg.port, "database": db, "user": pg.counter_login(db, role, counter),
        "tls": "off", "caFile": null, "storeId": "dhanmondi"
    });
    point_at_simulator_with(&home, sim, "checkout", serde_json::json!({ "counterId": counter, "store": store }));
    let vault = FileVault::open(&home.app_data(), &home.root.join("config").join(APP_ID));
    vault.set(pos_core::settings::STORE_PASSWORD_KEY, password).unwrap();
    home
}

/// The Manager tab on a counter that has no PIN yet: sets one.
async fn first_manager_visit(app: &AppSession) {
    let client = app.client();
    client.click(&app.wait_for("[data-testid=tab-manager]").await).await.unwrap();
    for (field, text) in [("pin-input", "4831".to_string()), ("pin-again", format!("4831{}", keys::ENTER))] {
        let input = app.wait_for(&format!("[data-testid={field}]")).await;
        client.click(&input).await.unwrap();
        client.send_keys(&input, &text).await.unwrap();
    }
}

/// The Manager tab on a counter of a store where another counter made the
/// manager's account: the store brings the account here, and its PIN opens
/// the manager's screens (asked again until the account has arrived).
async fn manager_visit_with_the_stores_account(app: &AppSession) {
    let client = app.client();
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    loop {
        client.click(&app.wait_for("[data-testid=tab-manager]").await).await.unwrap();
        app.wait_for("[data-testid=pin-input]").await;
        if client.find_all("[data-testid=pin-again]").await.unwrap().is_empty() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the store's manager account never reached this counter");
        client.click(&app.wait_for("[data-testid=tab-counter]").await).await.unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let input = app.wait_for("[data-testid=pin-input]").await;
    client.click(&input).await.unwrap();
    client.send_keys(&input, &format!("4831{}", keys::ENTER)).await.unwrap();
}

#[test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
fn a_payment_unknown_at_counter_1_is_resolved_from_counter_2_and_counter_1_settles_it_with_bkash() {
    use bkash_sim::{FaultKind, FaultRule};
    use pos_core::journal::JournalRead;
    use pos_core::money::PaymentState;
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("e2e_store_resolve");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let env = [("BKASH_POS_VAULT", "file")];
        let sim = SimServer::start(SimConfig::default(), 0).await.unwrap();
        let home_one = store_home("store_resolve_1", &sim, &pg, &db, &role, &password, "c1");
        let home_two = store_home("store_resolve_2", &sim, &pg, &db, &role, &password, "c2");
        let one = Counter::open_home("store_resolve_1", home_one, sim, &env).await;
        let two = AppSession::launch_in("store_resolve_2", home_two, &env).await;
        // The execute answer is lost and Query keeps failing, for both
        // counters: only the customer's trxID can settle it now.
        one.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
        one.sim.add_fault(FaultRule::once("checkout.query", FaultKind::Maintenance).times(1000));
        one.ring_up_and_pay("910").await;
        one.customer_pays("01770618575").await;
        one.wait_for_panel("checking").await;
        let unknown = one.only_payment();
        assert_eq!(unknown.state, PaymentState::Unknown);
        let trx = one.ledger_entry(&unknown).trx_id.expect("bKash did charge");

        first_manager_visit(&two).await;
        two.wait_for_text("[data-testid=store-list]", "counter 1's unknown payment is not in the store's day", |t| t.contains("৳910.00"))
            .await;
        two.client().click(&two.wait_for("[data-testid=store-row][data-counter=c1] [data-testid=store-row-open]").await).await.unwrap();
        two.client().click(&two.wait_for("[data-testid=store-check-now]").await).await.unwrap();
        two.wait_for_text("[data-testid=store-details-message]", "no answer to the check", |t| t.contains("has not answered yet")).await;
        for (field, text) in
            [("store-resolve-trx", trx.clone()), ("store-resolve-reason", format!("customer showed the SMS{}", keys::ENTER))]
        {
            let input = two.wait_for(&format!("[data-testid={field}]")).await;
            two.client().click(&input).await.unwrap();
            two.client().send_keys(&input, &text).await.unwrap();
        }
        let said =
            two.wait_for_text("[data-testid=store-details-message]", "no answer to the resolution", |t| t.contains("went through")).await;
        assert!(said.contains(&trx) && said.contains("Counter c1 records it"), "{said}");

        // Counter 1 hears of it through the store, asks Search Transaction
        // itself and settles its own journal; counter 2's view follows.
        let settled = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                let row = one.only_payment();
                if row.state == PaymentState::Completed {
                    return row;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
        .await
        .expect("counter 1 did not settle its payment from counter 2's resolution");
        assert_eq!(settled.trx_id.as_deref(), Some(trx.as_str()));
        let events = one.journal().events(settled.id).unwrap();
        let last = events.last().unwrap().detail.clone().unwrap_or_default();
        assert!(
            last.contains("customer showed the SMS (asked at counter c2, action 2)") && last.contains("verified by Search Transaction"),
            "{last}"
        );
        two.wait_for_text("[data-testid=store-list]", "counter 2's view did not show the payment completed", |t| t.contains(&trx)).await;
        // The open details follow: settled, with both actions carried out at counter 1.
        let details = two
            .wait_for_text("[data-testid=store-details]", "the open details did not follow the settled payment", |t| {
                t.contains("counter c1 asked bKash itself: completed")
            })
            .await;
        assert!(details.contains("৳910.00 · completed · counter c1"), "{details}");
        assert!(details.contains("Resolved by trxID at counter c2: bKash says completed"), "{details}");
        assert!(details.contains("Checked at counter c2: no answer from bKash"), "{details}");
        two.screenshot("97-store-resolved-from-counter-2").await;
        two.close().await;
        one.app.close().await;
    });
}

#[test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
fn a_payment_at_counter_1_is_refunded_from_counter_2_within_what_is_left() {
    let pg = PrivatePg::start();
    let (db, role, password) = pg.store_database("e2e_store");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let env = [("BKASH_POS_VAULT", "file")];
        let sim = SimServer::start(SimConfig::default(), 0).await.unwrap();
        let home_one = store_home("store_counter_1", &sim, &pg, &db, &role, &password, "c1");
        let home_two = store_home("store_counter_2", &sim, &pg, &db, &role, &password, "c2");
        let one = Counter::open_home("store_counter_1", home_one, sim, &env).await;
        let two = AppSession::launch_in("store_counter_2", home_two, &env).await;

        one.ring_up_and_pay("250").await;
        one.customer_pays("01770618575").await;
        one.wait_for_panel("paid").await;
        let paid = one.only_payment();

        // Counter 2's manager sees it in the whole store's day.
        let client = two.client();
        first_manager_visit(&two).await;
        let row = two.wait_for("[data-testid=store-row][data-counter=c1]").await;
        assert!(two.text_of("[data-testid=store-list]").await.contains(paid.trx_id.as_deref().unwrap()));
        two.wait_for_text("[data-testid=store-total-completed]", "the store's total did not include counter 1's sale", |t| {
            t.contains("৳250.00")
        })
        .await;

        // A partial refund of it, from counter 2.
        let open = client.find_all("[data-testid=store-row][data-counter=c1] [data-testid=store-row-open]").await.unwrap();
        client.click(open.first().unwrap_or(&row)).await.unwrap();
        for (field, text) in [("store-refund-amount", "100"), ("store-refund-sku", "TEA"), ("store-refund-reason", "one pack back")] {
            let input = two.wait_for(&format!("[data-testid={field}]")).await;
            client.click(&input).await.unwrap();
            client.send_keys(&input, text).await.unwrap();
        }
        client.click(&two.wait_for("[data-testid=store-refund-submit]").await).await.unwrap();
        let done = two.wait_for_text("[data-testid=store-details-message]", "no refund answer", |t| !t.is_empty()).await;
        assert!(done.starts_with("Refunded ৳100.00"), "{done}");
        let ledger = one.ledger_entry(&paid);
        assert_eq!((ledger.refunded_poisha, ledger.refunds.len()), (10_000, 1), "bKash's ledger shows counter 2's refund");
        assert!(done.contains(&ledger.refunds[0].refund_trx_id));
        two.screenshot("95-store-refund-from-counter-2").await;

        // More than is left: refused, and bKash never hears of it.
        let amount = two.wait_for("[data-testid=store-refund-amount]").await;
        client.click(&amount).await.unwrap();
        client.send_keys(&amount, &format!("200{}", keys::ENTER)).await.unwrap();
        let refused =
            two.wait_for_text("[data-testid=store-details-message]", "the second refund was not refused", |t| t.contains("150.00")).await;
        assert!(!refused.starts_with("Refunded"), "{refused}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(one.ledger_entry(&paid).refunds.len(), 1, "the refused refund never reached bKash");
        two.screenshot("96-store-refund-refused").await;

        // Counter 1's manager sees counter 2's refund on its own payment,
        // signed in with the account made at counter 2.
        manager_visit_with_the_stores_account(&one.app).await;
        one.app.wait_for("[data-testid=store-day]").await;
        one.app
            .wait_for_text("[data-testid=store-total-refunded]", "counter 1 does not see counter 2's refund", |t| t.contains("৳100.00"))
            .await;
        // Counter 1 closes the store's day and exports it: every counter's
        // payments (CSV), and the report as printed (PDF).
        one.click("[data-testid=store-close-day]").await;
        one.app.wait_for("[data-testid=store-eod-report]").await;
        for (button, kind) in [("store-eod-export-csv", "csv"), ("store-eod-export-pdf", "pdf")] {
            one.click(&format!("[data-testid={button}]")).await;
            let said = one
                .app
                .wait_for_text("[data-testid=store-eod-message]", "no export", |t| t.starts_with("Saved ") && t.ends_with(kind))
                .await;
            let saved = said.trim_start_matches("Saved ").to_string();
            if kind == "csv" {
                let csv = std::fs::read_to_string(&saved).unwrap();
                let line = csv.lines().find(|l| l.contains(paid.trx_id.as_deref().unwrap())).unwrap_or_else(|| panic!("{csv}"));
                assert!(line.contains(",250.00,") && line.contains(",c1,"), "{line}");
            } else {
                let text = std::process::Command::new("pdftotext").args([&saved, "-"]).output().expect("pdftotext (poppler-utils)");
                let text = String::from_utf8_lossy(&text.stdout);
                assert!(text.contains("Store report #1") && text.contains("250.00"), "PDF text: {text}");
                assert!(!text.contains("Export PDF"), "only the report is on paper: {text}");
            }
            std::fs::remove_file(&saved).unwrap();
        }
        // The database password is in the vault only: never in a log, the
        // settings file or what the webview was given.
        for home in [&one.app.home, &two.home] {
            assert!(!home.log_text().contains(password.expose()), "the store's password is in a log");
            let settings = std::fs::read_to_string(home.app_data().join("settings.json")).unwrap();
            assert!(!settings.contains(password.expose()), "the store's password is in settings.json");
        }
        let seen = two.client().execute("return document.documentElement.outerHTML", vec![]).await.unwrap();
        assert!(!seen.to_string().contains(password.expose()), "the store's password reached the webview");
        two.close().await;
        one.app.close().await;
    });
}
