//! Receipts on a thermal printer, end to end: the real app set up with an
//! ESC/POS network printer (the fake printer of `tests/it/print.rs`, on
//! loopback), a sale paid in bKash's frame, and the bytes that reach the
//! printer decoded back into the paper they would print.

use std::time::Duration;

use bkash_pos::journal::JournalRead;
use bkash_pos::money::PaymentState;

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
    assert!(history.iter().any(|e| e.kind == "receipt_printed"), "{history:?}");
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
        let kinds: Vec<String> = counter.journal().events(id).unwrap().into_iter().map(|e| e.kind).collect();
        kinds.contains(&"receipt_not_printed".to_string()) && kinds.contains(&"receipt_printed".to_string())
    })
    .await;
    counter.app.close().await;
}
