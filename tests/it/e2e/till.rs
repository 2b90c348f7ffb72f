//! The till end to end in the real app: a catalogue imported through the
//! manager's file field, three products scanned by a simulated scanner (the
//! barcode's digits and Enter in one fast burst of key events), paid with
//! bKash with the items on the receipt; a cash sale with change; a failed
//! bKash payment then paid in cash; the shift's blind close; the day view and
//! the end-of-day report with both tenders and the shift's difference; and the app killed while the
//! customer types their PIN, reopening the sale with its lines.

use std::time::Duration;

use pos_core::journal::JournalRead;
use pos_core::money::{PaymentState, Tender};

use super::payments::{eventually_async, Counter, INSUFFICIENT_WALLET, SUCCESS_WALLET};
use super::{keys, screenshot_display};

const CATALOGUE: &str = "code,barcode,name,name_bn,price\r\n\
RICE5,8941100500012,Miniket rice 5 kg,মিনিকেট চাল ৫ কেজি,420.00\r\n\
OIL1,8941100500029,Soybean oil 1 L,সয়াবিন তেল ১ লিটার,189.50\r\n\
TEA200,8941100500036,Tea leaves 200 g,চা পাতা ২০০ গ্রাম,120.00\r\n\
SUGAR,8941100500050,Sugar 1 kg,চিনি ১ কেজি,\"1,20.00\"\r\n\
SALT,8941100500043,Iodised salt 1 kg,আয়োডিনযুক্ত লবণ,42\r\n";

/// The manager imports the catalogue through the file field (WebDriver types
/// the file's path into it, as a person picks it in the file chooser).
async fn import_catalogue(counter: &Counter, dir: &std::path::Path) {
    let file = dir.join("catalogue.csv");
    std::fs::write(&file, CATALOGUE).unwrap();
    counter.first_manager_visit().await;
    counter.click("[data-testid=manager-catalogue]").await;
    let field = counter.app.wait_for("[data-testid=catalogue-file]").await;
    counter.app.client().send_keys(&field, &file.display().to_string()).await.unwrap();
    counter.app.wait_for_text("[data-testid=import-saved]", "four products imported", |t| t.contains("4 products imported")).await;
    let rejected = counter.app.text_of("[data-testid=import-rejected]").await;
    assert!(rejected.contains("Line 5") && rejected.contains("“1,20.00”"), "the bad price is named by its line: {rejected}");
    screenshot_display("80-catalogue-imported");
    counter.click("[data-testid=tab-counter]").await;
}

/// A scanner reads `barcode`: its digits and Enter as one burst of key
/// events into whatever has focus (the item field after each line).
async fn scan(counter: &Counter, barcode: &str) {
    let client = counter.app.client();
    let focused = client.active_element().await.unwrap();
    client.send_keys(&focused, &format!("{barcode}{}", keys::ENTER)).await.unwrap();
}

async fn lines_shown(counter: &Counter) -> usize {
    counter.app.client().find_all("[data-testid=order-line]").await.unwrap().len()
}

async fn press(counter: &Counter, key: char) {
    let focused = counter.app.client().active_element().await.unwrap();
    counter.app.client().send_keys(&focused, &key.to_string()).await.unwrap();
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn till_scanned_products_bkash_cash_with_change_a_failed_payment_paid_in_cash_and_the_days_tenders_and_drawer() {
    let counter = Counter::open("till_day").await;
    let dir = tempfile::tempdir().unwrap();
    import_catalogue(&counter, dir.path()).await;

    // Three products scanned, the rice twice; an unknown code adds nothing.
    counter.click("[data-testid=item-name]").await;
    for barcode in ["8941100500012", "8941100500029", "8941100500012", "8941100500043"] {
        let before = counter.app.text_of("[data-testid=order-total]").await;
        scan(&counter, barcode).await;
        counter.app.wait_for_text("[data-testid=order-total]", "the scan to add to the total", |t| t != before).await;
    }
    scan(&counter, "8941100599999").await;
    counter.app.wait_for_text("[data-testid=line-error]", "the unknown code named", |t| t.contains("8941100599999")).await;
    assert_eq!(lines_shown(&counter).await, 3, "the rice scanned twice is one line of 2");
    assert_eq!(counter.app.text_of("[data-testid=order-total]").await, "৳1,071.50");
    screenshot_display("81-three-products-scanned");

    press(&counter, keys::F9).await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    let items = counter.app.text_of("[data-testid=receipt-items]").await;
    for item in ["2 × Miniket rice 5 kg", "Soybean oil 1 L", "Iodised salt 1 kg", "৳840.00"] {
        assert!(items.contains(item), "the receipt lists {item}: {items}");
    }
    screenshot_display("82-bkash-receipt-with-items");
    let bkash_order = counter.only_payment().order_id;
    let sale = counter.journal().sale(&bkash_order).unwrap().unwrap();
    assert_eq!((sale.lines.len(), sale.tender()), (3, Some(Tender::Bkash)));

    // Cash needs a shift: the manager at the counter opens one, ৳1,000 in one note.
    counter.click("[data-testid=new-sale]").await;
    counter.click("[data-testid=shift-open-button]").await;
    counter.type_into("[data-testid=float-note-1000]", &format!("1{}", keys::ENTER)).await;
    counter.app.wait_for_text("[data-testid=shift-open]", "the shift open", |t| t.contains("৳1,000.00")).await;

    // Cash: the oil found by typing its name, ↓ to the match, Enter; F10, ৳500.
    counter.type_into("[data-testid=item-name]", "soy").await;
    counter.app.wait_for("[data-testid=item-match]").await;
    press(&counter, keys::ENTER).await;
    counter.app.wait_for("[data-testid=order-line]").await;
    press(&counter, keys::F10).await;
    counter.type_into("[data-testid=cash-tendered]", "500").await;
    counter.app.wait_for_text("[data-testid=cash-change]", "the change as typed", |t| t == "৳310.50").await;
    press(&counter, keys::ENTER).await;
    counter.app.wait_for_text("[data-testid=change-due]", "the change to give", |t| t.contains("৳310.50")).await;
    assert!(counter.app.text_of("[data-testid=receipt-items]").await.contains("Soybean oil 1 L"));
    assert_eq!(counter.app.text_of("[data-testid=receipt-change]").await, "৳310.50");
    screenshot_display("83-cash-sale-change");

    // bKash refuses (too little balance); the customer pays the same sale in cash.
    counter.click("[data-testid=new-sale]").await;
    counter.click("[data-testid=item-name]").await;
    scan(&counter, "8941100500043").await;
    counter.app.wait_for("[data-testid=order-line]").await;
    press(&counter, keys::F9).await;
    counter.customer_pays(INSUFFICIENT_WALLET).await;
    counter.wait_for_panel("failed").await;
    counter.click("[data-testid=pay-cash]").await;
    counter.type_into("[data-testid=cash-tendered]", &format!("50{}", keys::ENTER)).await;
    counter.app.wait_for_text("[data-testid=change-due]", "৳8 change", |t| t.contains("৳8.00")).await;
    screenshot_display("84-failed-bkash-then-cash");
    let rows = counter.journal().payments_between(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now() + chrono::Duration::days(1)).unwrap();
    let failed = rows.iter().find(|r| r.state == PaymentState::Failed).expect("the refused payment");
    let paid_cash = counter.journal().sale(&failed.order_id).unwrap().unwrap();
    assert_eq!((paid_cash.tender(), paid_cash.cash.unwrap().change_poisha), (Some(Tender::Cash), 8_00));

    // The shift closes with a blind count: expected ৳1,000 float + ৳231.50
    // cash = ৳1,231.50; ৳1,211 in notes counted, ৳20.50 short.
    counter.click("[data-testid=shift-close-button]").await;
    for (taka, n) in [(1000, 1), (200, 1), (10, 1), (1, 1)] {
        counter.type_into(&format!("[data-testid=close-note-{taka}]"), &n.to_string()).await;
    }
    counter.click("[data-testid=close-submit]").await;
    counter.app.wait_for_text("[data-testid=shift-difference]", "a ৳20.50 shortfall", |t| t.contains("−৳20.50")).await;

    // The manager's day: bKash and cash apart, the shift's drawer ৳20.50 short.
    counter.click("[data-testid=tab-manager]").await;
    counter.app.wait_for_text("[data-testid=total-cash]", "cash taken", |t| t.contains("৳231.50")).await;
    assert!(counter.app.text_of("[data-testid=total-completed]").await.contains("৳1,071.50"));
    counter.app.wait_for_text("[data-testid=shift-row-difference]", "the shift's difference", |t| t == "−৳20.50").await;
    assert_eq!(counter.app.text_of("[data-testid=shift-row-expected]").await, "৳1,231.50");
    assert!(counter.app.text_of("[data-testid=top-items]").await.contains("Miniket rice 5 kg"));
    screenshot_display("85-day-tenders-shift-items");
    counter.click("[data-testid=manager-eod]").await;
    counter.app.wait_for_text("[data-testid=eod-cash]", "cash on the report", |t| t.contains("৳231.50")).await;
    let eod = counter.app.text_of("[data-testid=eod-report]").await;
    assert!(eod.contains("−৳20.50") && eod.contains("৳1,231.50"), "{eod}");
    screenshot_display("86-end-of-day-tenders-shift");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn till_the_app_killed_while_the_customer_types_their_pin_reopens_the_sale_with_its_lines() {
    let name = "till_killed_at_pin";
    let counter = Counter::open(name).await;
    let dir = tempfile::tempdir().unwrap();
    import_catalogue(&counter, dir.path()).await;
    counter.click("[data-testid=item-name]").await;
    for barcode in ["8941100500029", "8941100500036"] {
        let before = counter.app.text_of("[data-testid=order-total]").await;
        scan(&counter, barcode).await;
        counter.app.wait_for_text("[data-testid=order-total]", "the scan to add to the total", |t| t != before).await;
    }
    // Free text beside the products: a carry bag at ৳5.
    counter.type_into("[data-testid=item-name]", &format!("Carry bag{}1{}5{}", keys::TAB, keys::TAB, keys::ENTER)).await;
    eventually_async(Duration::from_secs(5), "three lines", || async { lines_shown(&counter).await == 3 }).await;
    press(&counter, keys::F9).await;
    counter.to_checkout_window().await;
    counter.enter_bkash_frame().await;
    counter.type_into("#step-wallet:not([hidden]) #wallet", SUCCESS_WALLET).await;
    counter.click("#terms").await;
    counter.click("#proceed").await;
    counter.type_into("#step-otp:not([hidden]) #otp", "123456").await;
    counter.click("#proceed").await;
    counter.type_into("#step-pin:not([hidden]) #pin", "121").await;
    screenshot_display("87-customer-typing-pin");

    // The power goes: the app dies mid-PIN. Restart on the same journal.
    let counter = counter.restart(name).await;
    // The shop has a manager account now (the catalogue import made it): after
    // the restart nobody is signed in, and the sale waits behind the lock.
    counter.app.wait_for("[data-testid=counter-locked]").await;
    counter.type_into("[data-testid=sign-in-pin]", &format!("4831{}", keys::ENTER)).await;
    counter.app.wait_for("[data-testid=signed-in]").await;
    counter.app.wait_for_text("[data-testid=till-notice]", "the sale reopened", |t| t.contains("Reopened the sale")).await;
    eventually_async(Duration::from_secs(10), "the three lines back", || async { lines_shown(&counter).await == 3 }).await;
    let lines = counter.app.text_of("[data-testid=order-lines]").await;
    for item in ["Soybean oil 1 L", "Tea leaves 200 g", "Carry bag"] {
        assert!(lines.contains(item), "{item} is back: {lines}");
    }
    assert_eq!(counter.app.text_of("[data-testid=order-total]").await, "৳314.50");
    // Recovery settled the payment: the PIN was never confirmed, nothing charged.
    counter.wait_for_panel("cancelled").await;
    assert!(counter.sim.ledger().iter().all(|p| p.trx_id.is_none()), "nothing was charged");
    screenshot_display("88-restart-sale-reopened");
    // The sale can be paid again, as rung up.
    press(&counter, keys::F9).await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    assert!(counter.app.text_of("[data-testid=receipt-items]").await.contains("Carry bag"));
    counter.app.close().await;
}
