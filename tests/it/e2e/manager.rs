//! The manager's view on the real app: the PIN gate, the day list with
//! search, a partial refund the simulator's ledger shows, and the lockout.

use std::time::Duration;

use super::payments::Counter;
use super::{keys, screenshot_display};

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
    counter.click("[data-testid=tab-manager]").await;
    counter.type_into("[data-testid=pin-input]", "4831").await;
    counter.type_into("[data-testid=pin-again]", &format!("4831{}", keys::ENTER)).await;
    counter.app.wait_for("[data-testid=manager-day]").await;

    // The day list, searched by the trxID from the receipt.
    counter.type_into("[data-testid=day-search]", &trx).await;
    counter.app.wait_for("[data-testid=page-info]").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while counter.app.text_of("[data-testid=page-info]").await != "1–1 of 1" {
        assert!(std::time::Instant::now() < deadline, "search by trxID did not find exactly the sale");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    counter.app.close().await;
}
