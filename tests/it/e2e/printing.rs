//! Receipts on a thermal printer, end to end: the real app set up with an
//! ESC/POS network printer (the fake printer of `tests/it/print.rs`, on
//! loopback), a sale paid in bKash's frame, and the bytes that reach the
//! printer decoded back into the paper they would print.

use std::time::Duration;

use pos_core::journal::JournalRead;
use pos_core::money::PaymentState;

use super::payments::{eventually_async, Counter, SUCCESS_WALLET};
use super::screenshot_display;
use crate::print::{decode, save_picture, Behaviour, FakePrinter};

async fn with_printer(name: &str, printer: &FakePrinter, paper: &str) -> Counter {
    let settings = serde_json::json!({ "printer": "escpos", "escposAddress": printer.address.to_string(), "paper": paper });
    Counter::open_with_settings(name, "checkout", settings, &[]).await
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn printing_a_paid_sale_prints_its_receipt_on_the_thermal_printer_by_itself() {
    let printer = FakePrinter::start(Behaviour::Healthy).await;
    let counter = with_printer("printing_by_itself", &printer, "58mm").await;
    counter.ring_up_and_pay("320").await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    let said = counter.app.wait_for_text("[data-testid=print-outcome][data-kind=printed]", "the receipt to print", |t| !t.is_empty()).await;
    assert_eq!(said, format!("Receipt printed on {}.", printer.address));
    let printed = decode(&printer.job(1).await);
    assert_eq!(printed.picture.width, 384, "58 mm paper");
    assert!(printed.cut && !printed.drawer);
    save_picture("60-e2e-thermal-receipt-58mm", &printed.picture);
    screenshot_display("61-e2e-printed-counter");
    let row = counter.only_payment();
    let history = counter.journal().events(row.id).unwrap();
    assert!(history.iter().any(|e| e.kind == pos_core::money::EventKind::ReceiptPrinted), "{history:?}");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn printing_a_printer_out_of_paper_leaves_the_sale_paid_and_reprint_prints_it_once_paper_is_back() {
    let printer = FakePrinter::start(Behaviour::OutOfPaper).await;
    let counter = with_printer("printing_out_of_paper", &printer, "80mm").await;
    counter.ring_up_and_pay("540").await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    let said = counter.app.wait_for_text("[data-testid=print-outcome][data-kind=failed]", "the print to fail", |t| !t.is_empty()).await;
    assert!(said.contains("out of paper") && said.contains("The sale is saved"), "{said}");
    assert_eq!(counter.only_payment().state, PaymentState::Completed, "the sale is untouched");
    screenshot_display("62-e2e-printer-out-of-paper");

    printer.now_behaves(Behaviour::Healthy);
    counter.click("[data-testid=print-receipt]").await;
    counter.app.wait_for("[data-testid=print-outcome][data-kind=printed]").await;
    let printed = decode(&printer.job(1).await);
    assert_eq!(printed.picture.width, 576, "80 mm paper");
    let id = counter.only_payment().id;
    eventually_async(Duration::from_secs(5), "both prints in the history", || async {
        let kinds: Vec<&str> = counter.journal().events(id).unwrap().into_iter().map(|e| e.kind.as_str()).collect();
        kinds.contains(&"receipt_not_printed") && kinds.contains(&"receipt_printed")
    })
    .await;
    counter.app.close().await;
}

/// CUPS-PDF writes each job as a PDF into the printing user's `~/PDF`.
fn cups_pdf_after(start: std::time::SystemTime) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(&std::env::var("HOME").unwrap()).join("PDF");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .filter(|e| e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t > start))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

/// The PDF CUPS-PDF wrote since `start`, kept as an artifact, as text.
async fn printed_pdf_text(start: std::time::SystemTime, name: &str) -> String {
    let mut found = None;
    eventually_async(Duration::from_secs(20), "CUPS-PDF to write the receipt", || {
        found = cups_pdf_after(start);
        let done = found.is_some();
        async move { done }
    })
    .await;
    // CUPS-PDF writes the file, then closes it; read it once it is whole.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let found = found.unwrap();
    let kept = super::artifacts_dir().join("printed");
    std::fs::create_dir_all(&kept).unwrap();
    std::fs::copy(&found, kept.join(format!("{name}.pdf"))).unwrap();
    let out = std::process::Command::new("pdftotext").arg(found).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn printing_a_receipt_goes_silently_to_a_real_cups_queue_in_english_and_in_bangla() {
    let queues = std::process::Command::new("lpstat")
        .arg("-e")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(queues.lines().any(|q| q == "Receipt_PDF"), "scripts/e2e sets up the CUPS-PDF queue Receipt_PDF; lpstat -e says: {queues:?}");
    let settings = serde_json::json!({ "printer": "cups", "cupsPrinter": "Receipt_PDF", "paper": "80mm" });
    let counter = Counter::open_with_settings("printing_cups", "checkout", settings, &[]).await;
    let start = std::time::SystemTime::now();
    counter.ring_up_and_pay("320").await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    let said =
        counter.app.wait_for_text("[data-testid=print-outcome]", "the receipt to print", |t| !t.contains('…') && !t.is_empty()).await;
    assert_eq!(said, "Receipt printed on Receipt_PDF.");
    let trx = counter.only_payment().trx_id.unwrap();
    let english = printed_pdf_text(start, "cups-receipt-en").await;
    for expected in ["Rahim Store", "320.00", trx.as_str(), "bKash TrxID", "TRAINING"] {
        assert!(english.contains(expected), "the printed receipt holds `{expected}`: {english}");
    }

    // In Bangla, a reprint from the counter.
    counter.click("[data-testid=language] option[value=bn]").await;
    let again = std::time::SystemTime::now();
    counter.click("[data-testid=print-receipt]").await;
    counter.app.wait_for_text("[data-testid=print-outcome]", "the Bangla reprint", |t| t.contains("প্রিন্ট হয়েছে")).await;
    let bangla = printed_pdf_text(again, "cups-receipt-bn").await;
    // pdftotext reads glyphs in the order they are drawn: a vowel sign drawn
    // before its consonant (পিরমাণ for পরিমাণ) and a conjunct drawn as one
    // glyph come back out of order or not at all, so the words checked here
    // have neither. That the Bangla was shaped at all is what moved them.
    for expected in ["আসল", "320.00", trx.as_str()] {
        assert!(bangla.contains(expected), "the Bangla receipt holds `{expected}`: {bangla}");
    }
    assert!(bangla.contains("পিরমাণ"), "পরিমাণ was shaped (its ি drawn before র): {bangla}");
    let id = counter.only_payment().id;
    let printed =
        counter.journal().events(id).unwrap().into_iter().filter(|e| e.kind == pos_core::money::EventKind::ReceiptPrinted).count();
    assert_eq!(printed, 2, "both prints are in the history");

    // A reprint from the manager's details: that receipt alone is on the paper.
    counter.click("[data-testid=language] option[value=en]").await;
    counter.first_manager_visit().await;
    counter.app.wait_for_text("[data-testid=page-info]", "the day's one payment", |t| t == "1–1 of 1").await;
    counter.click("[data-testid=day-row-open]").await;
    let reprint = std::time::SystemTime::now();
    counter.click("[data-testid=payment-details] [data-testid=print-receipt]").await;
    counter
        .app
        .wait_for_text("[data-testid=payment-details] [data-testid=print-outcome]", "the reprint", |t| t.starts_with("Receipt printed"))
        .await;
    let from_details = printed_pdf_text(reprint, "cups-reprint-from-details").await;
    assert_eq!(from_details.matches(trx.as_str()).count(), 1, "one receipt on the paper: {from_details}");

    // The test print from Settings puts the sample receipt on paper.
    counter.click("[data-testid=tab-settings]").await;
    screenshot_display("63-e2e-settings-cups");
    let test = std::time::SystemTime::now();
    counter.click("[data-testid=test-print]").await;
    counter.app.wait_for_text("[data-testid=test-print-message]", "the test print", |t| t == "Receipt printed on Receipt_PDF.").await;
    let sample = printed_pdf_text(test, "cups-test-print").await;
    assert!(sample.contains("Rahim Store") && sample.contains("TEST"), "the sample receipt: {sample}");
    counter.app.close().await;
}
