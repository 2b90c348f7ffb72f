//! The manager's view on the real app: the PIN gate, the day list with
//! search, a partial refund the simulator's ledger shows, and the lockout.

use std::time::Duration;

use super::payments::Counter;
use super::{eventually, keys, screenshot_display};

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_manager_sets_the_pin_finds_a_sale_refunds_part_of_it_and_wrong_pins_lock_the_view() {
    let counter = Counter::open("manager_day").await;
    counter.ring_up_and_pay("640").await;
    counter.customer_pays("01770618575").await;
    counter.wait_for_panel("paid").await;
    let paid = counter.only_payment();
    let trx = paid.trx_id.clone().unwrap();

    // First use: the PIN is set, twice.
    counter.first_manager_visit().await;
    counter.app.wait_for("[data-testid=manager-day]").await;

    // The day list, searched by the trxID from the receipt.
    counter.type_into("[data-testid=day-search]", &trx).await;
    counter.app.wait_for("[data-testid=page-info]").await;
    counter.app.wait_for_text("[data-testid=page-info]", "search by trxID did not find exactly the sale", |t| t == "1–1 of 1").await;
    assert!(counter.app.text_of("[data-testid=total-completed]").await.contains("৳640.00"));
    screenshot_display("11-manager-day-search");

    // A partial refund: ৳140.50 of ৳640.00.
    counter.click("[data-testid=day-row-open]").await;
    counter.type_into("[data-testid=refund-amount]", "140.50").await;
    counter.type_into("[data-testid=refund-sku]", "rice-5kg").await;
    counter.type_into("[data-testid=refund-reason]", &format!("one bag returned{}", keys::ENTER)).await;
    let text = counter.app.text_of("[data-testid=details-message]").await;
    assert!(text.starts_with("Refunded ৳140.50"), "{text}");
    let ledger = counter.ledger_entry(&paid);
    assert_eq!((ledger.refunded_poisha, ledger.refunds.len()), (14_050, 1), "bKash's ledger shows the partial refund");
    assert!(text.contains(&ledger.refunds[0].refund_trx_id));
    screenshot_display("12-manager-partial-refund");

    // Locked again; five wrong PINs lock the gate.
    counter.click("[data-testid=manager-lock]").await;
    for _ in 0..5 {
        counter.type_into("[data-testid=pin-input]", &format!("0000{}", keys::ENTER)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let locked = counter.app.text_of("[data-testid=pin-message]").await;
    assert!(locked.starts_with("Too many wrong PINs"), "{locked}");
    counter.type_into("[data-testid=pin-input]", &format!("4831{}", keys::ENTER)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(counter.app.text_of("[data-testid=pin-message]").await.starts_with("Too many wrong PINs"), "even the right PIN waits");
    screenshot_display("13-manager-pin-locked");
    // Every refusal the UI was given is in the log, under its command, and
    // no argument (a PIN) is ever written there.
    eventually(Duration::from_secs(5), "the refused unlocks in the log", || {
        let log = counter.app.home.log_text();
        log.lines().any(|l| l.contains("manager_unlock:") && l.contains("pin_wrong"))
            && log.lines().any(|l| l.contains("manager_unlock:") && l.contains("pin_locked"))
    });
    let log = counter.app.home.log_text();
    assert!(!log.contains("pin=") && !log.contains("current=") && !log.contains("new="), "a command's arguments are never logged");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn the_end_of_day_report_is_a_preview_until_a_close_asked_once_more_and_exports_as_csv_and_pdf() {
    let counter = Counter::open("manager_end_of_day").await;
    counter.ring_up_and_pay("1250.50").await;
    counter.customer_pays("01770618575").await;
    counter.wait_for_panel("paid").await;
    let trx = counter.only_payment().trx_id.unwrap();

    counter.first_manager_visit().await;
    counter.click("[data-testid=manager-eod]").await;
    assert!(counter.app.text_of("[data-testid=eod-title]").await.contains("preview, not closed"));
    // Closing is final, so it is asked once more; Go back closes nothing (the
    // close itself is tests/it/e2e/shifts.rs, and a day to come never closes:
    // tests/it/shifts.rs).
    counter.click("[data-testid=eod-close]").await;
    let asked = counter.app.wait_for_text("[data-testid=eod-confirm]", "the question before the close", |t| !t.is_empty()).await;
    assert!(asked.contains("bKash taken: ৳1,250.50 (1)"), "{asked}");
    counter.click("[data-testid=eod-confirm-back]").await;
    assert!(counter.app.text_of("[data-testid=eod-title]").await.contains("preview, not closed"));
    assert!(counter.app.text_of("[data-testid=eod-net]").await.contains("৳1,250.50"));
    screenshot_display("14-end-of-day-report");

    // CSV: the day's transactions and, beside them, the sale's lines; UTF-8 with a byte-order mark.
    counter.click("[data-testid=eod-export-csv]").await;
    let saved = wait_for_saved(&counter).await;
    let csv = std::fs::read(&saved).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()) && String::from_utf8_lossy(&csv).contains(&trx), "{saved}");
    let lines_file =
        std::path::Path::new(&saved).with_file_name(format!("sale-lines-training-{}.csv", pos_core::report::bangladesh_today()));
    let lines = std::fs::read_to_string(&lines_file).unwrap();
    assert!(lines.contains(",bkash,1,,Tea,1,1250.50,1250.50,1250.50,C7,"), "the sale's one line, paid by bKash: {lines}");
    std::fs::remove_file(&saved).unwrap();
    std::fs::remove_file(&lines_file).unwrap();
    // PDF: the report as printed by WebKit, A4.
    counter.click("[data-testid=eod-export-pdf]").await;
    let saved = wait_for_saved(&counter).await;
    let pdf = std::fs::read(&saved).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "{saved} is not a PDF");
    let text = std::process::Command::new("pdftotext").args([&saved, "-"]).output().expect("pdftotext (Debian package poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("End-of-day report (preview, not closed)") && text.contains("1,250.50"), "PDF text: {text}");
    assert!(!text.contains("Export PDF"), "only the report is on paper, not the buttons");
    std::fs::remove_file(&saved).unwrap();

    // The same report in Bangla with Bengali digits, switched on the spot.
    counter.click("[data-testid=language] option[value=bn]").await;
    counter.click("[data-testid=bengali-digits]").await;
    counter
        .app
        .wait_for_text("[data-testid=eod-title]", "the report did not switch to Bangla", |t| t == "দিনশেষের রিপোর্ট (খসড়া, বন্ধ হয়নি)")
        .await;
    assert!(counter.app.text_of("[data-testid=eod-net]").await.contains("১,২৫০.৫০"));
    screenshot_display("15-end-of-day-report-bangla");
    counter.app.close().await;
}

/// The path from the "Saved …" message, once the export has finished.
async fn wait_for_saved(counter: &Counter) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let message = counter.app.text_of("[data-testid=eod-message]").await;
        // A CSV export names two files: "Saved <transactions> and the sale lines in <lines>".
        let first = message.strip_prefix("Saved ").map(|rest| rest.split(" and the sale lines in ").next().unwrap_or(rest));
        if let Some(path) = first {
            // The message stays from the last export until the next one replaces it.
            if std::path::Path::new(path).exists() {
                return path.to_string();
            }
        }
        assert!(std::time::Instant::now() < deadline, "no export within 60 s: {message}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_manager_resolves_an_unknown_payment_with_a_trx_id_bkash_confirms() {
    use bkash_sim::{FaultKind, FaultRule};
    use pos_core::money::PaymentState;
    let counter = Counter::open("manager_resolve").await;
    // The execute answer is lost and Query keeps failing: only a person with
    // evidence can settle it now.
    counter.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    counter.sim.add_fault(FaultRule::once("checkout.query", FaultKind::Maintenance).times(1000));
    counter.ring_up_and_pay("910").await;
    counter.customer_pays("01770618575").await;
    counter.wait_for_panel("checking").await;
    let unknown = counter.only_payment();
    assert_eq!(unknown.state, PaymentState::Unknown);
    let trx = counter.ledger_entry(&unknown).trx_id.expect("bKash did charge");

    counter.first_manager_visit().await;
    // The day's list has loaded (a click on a row still loading can be lost).
    counter.app.wait_for_text("[data-testid=page-info]", "the day's one payment", |t| t == "1–1 of 1").await;
    counter.click("[data-testid=day-row-open]").await;
    // A trxID bKash does not know is refused.
    counter.type_into("[data-testid=resolve-trx]", "WRONG12345").await;
    counter.type_into("[data-testid=resolve-reason]", &format!("customer showed the bKash SMS{}", keys::ENTER)).await;
    counter.app.wait_for_text("[data-testid=details-message]", "a wrong trxID was not refused", |t| t.contains("not known to bKash")).await;
    assert_eq!(counter.only_payment().state, PaymentState::Unknown);
    // The customer's real trxID, checked with Search Transaction.
    let field = counter.app.wait_for("[data-testid=resolve-trx]").await;
    counter.app.client().clear(&field).await.unwrap();
    counter.type_into("[data-testid=resolve-trx]", &format!("{trx}{}", keys::ENTER)).await;
    counter
        .app
        .wait_for_text("[data-testid=details-message]", "the confirmed trxID did not settle the payment", |t| {
            t.contains("the payment is completed")
        })
        .await;
    let row = counter.only_payment();
    assert_eq!((row.state, row.trx_id.as_deref()), (PaymentState::Completed, Some(trx.as_str())));
    let history = counter.app.text_of("[data-testid=payment-events]").await;
    assert!(history.contains("resolved by hand") && history.contains("customer showed the bKash SMS"), "{history}");
    screenshot_display("16-manual-resolution");
    counter.app.close().await;
}
