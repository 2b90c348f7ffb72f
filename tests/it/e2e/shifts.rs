//! Two cashiers on one counter, end to end in the real app: the manager
//! makes the accounts; Amina opens the shift with a float counted by notes,
//! sells in cash and by bKash, pays a supplier out of the drawer with a
//! supervisor's PIN, and is locked out by the idle time; Babul signs in,
//! refunds with the supervisor's PIN typed there, and closes the shift with
//! a blind count ৳20 short, whose Z report prints on the ESC/POS printer
//! (decoded, saved, and compared with the stored Z drawn again); the manager
//! closes the day after a confirmation, and a sale after it is the next day's.

use std::time::Duration;

use pos_core::journal::JournalRead;
use pos_core::money::{MovementKind, PaymentState};
use pos_core::print::{PaperWidth, Rasterizer, ReceiptLanguage};
use pos_core::shift::{shift_lines, ShiftReport};

use super::payments::{Counter, SUCCESS_WALLET};
use super::{keys, screenshot_display};
use crate::print::{decode, save_picture, Behaviour, FakePrinter};

/// A person at the counter types their PIN on the lock.
async fn sign_in(counter: &Counter, pin: &str, name: &str) {
    counter.app.wait_for("[data-testid=counter-locked]").await;
    counter.type_into("[data-testid=sign-in-pin]", &format!("{pin}{}", keys::ENTER)).await;
    counter.app.wait_for_text("[data-testid=signed-in-name]", "the person signed in", |t| t.starts_with(name)).await;
}

async fn add_account(counter: &Counter, name: &str, role: &str, pin: &str) {
    counter.type_into("[data-testid=staff-new-name]", name).await;
    // Preact sets an option's value as a property, not an attribute: picked by its place.
    let place = ["cashier", "supervisor", "manager"].iter().position(|r| *r == role).unwrap() + 1;
    counter.click(&format!("[data-testid=staff-new-role] option:nth-child({place})")).await;
    counter.type_into("[data-testid=staff-new-pin]", pin).await;
    counter.click("[data-testid=staff-new-submit]").await;
    counter
        .app
        .wait_for_text("[data-testid=staff-message]", "the account made", |t| t.starts_with(&format!("{name} can sign in now")))
        .await;
}

/// Notes and coins into the open or close form (`prefix` float or close).
async fn count_notes(counter: &Counter, prefix: &str, pieces: &[(u32, u32)]) {
    for (taka, n) in pieces {
        counter.type_into(&format!("[data-testid={prefix}-note-{taka}]"), &n.to_string()).await;
    }
}

/// Types the supervisor's PIN into the approval asked for right there.
async fn approve(counter: &Counter, pin: &str) {
    counter.app.wait_for("[data-testid=approval]").await;
    counter.type_into("[data-testid=approval-pin]", &format!("{pin}{}", keys::ENTER)).await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn shifts_two_cashiers_a_float_by_notes_a_pay_out_approved_the_idle_lock_a_refund_approved_a_blind_close_20_short_its_z_printed_and_the_day_closed(
) {
    let printer = FakePrinter::start(Behaviour::Healthy).await;
    let settings = serde_json::json!({
        "printer": "escpos", "escposAddress": printer.address.to_string(), "paper": "80mm",
        "printAutomatically": false, "lockAfterIdleMinutes": 1,
    });
    let counter = Counter::open_with_settings("shifts_two_cashiers", "checkout", settings, &[]).await;

    // The manager's first visit makes the manager account; then the staff.
    counter.first_manager_visit().await;
    counter.click("[data-testid=manager-staff]").await;
    add_account(&counter, "Amina", "cashier", "1357").await;
    add_account(&counter, "Babul", "cashier", "2468").await;
    add_account(&counter, "Salma", "supervisor", "7777").await;
    screenshot_display("90-staff-accounts");
    counter.click("[data-testid=tab-counter]").await;
    counter.click("[data-testid=lock-counter]").await;

    // Amina opens the shift: one ৳1000 and one ৳500 note.
    sign_in(&counter, "1357", "Amina").await;
    counter.click("[data-testid=shift-open-button]").await;
    count_notes(&counter, "float", &[(1000, 1), (500, 1)]).await;
    counter.app.wait_for_text("[data-testid=float-total]", "the float as counted", |t| t == "৳1,500.00").await;
    screenshot_display("91-shift-float-by-notes");
    counter.click("[data-testid=float-submit]").await;
    counter
        .app
        .wait_for_text("[data-testid=shift-open]", "the shift open", |t| t.contains("opened by Amina") && t.contains("৳1,500.00"))
        .await;

    // A cash sale of ৳420 (৳500 handed over), then a bKash sale of ৳400.
    counter.ring_up_and_press("420", keys::F10).await;
    counter.type_into("[data-testid=cash-tendered]", &format!("500{}", keys::ENTER)).await;
    counter.app.wait_for_text("[data-testid=change-due]", "the change", |t| t.contains("৳80.00")).await;
    counter.click("[data-testid=new-sale]").await;
    counter.ring_up_and_pay("400").await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    let paid = counter.journal().payments_between(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now()).unwrap();
    let trx = paid.iter().find(|p| p.state == PaymentState::Completed).and_then(|p| p.trx_id.clone()).expect("the bKash sale's trxID");
    counter.click("[data-testid=new-sale]").await;

    // The eggs supplier is paid ৳300 from the drawer: beyond a cashier, so Salma approves.
    counter.click("[data-testid=shift-move-button]").await;
    counter.click("[data-testid=move-kind] option:nth-child(2)").await; // pay out
    counter.type_into("[data-testid=move-amount]", "300").await;
    counter.type_into("[data-testid=move-reason]", &format!("Eggs supplier{}", keys::ENTER)).await;
    counter.app.wait_for_text("[data-testid=approval]", "the supervisor's PIN asked", |t| t.contains("supervisor's PIN")).await;
    screenshot_display("92-pay-out-asks-a-supervisor");
    approve(&counter, "7777").await;
    counter.app.wait_for_text("[data-testid=shift-message]", "the pay-out recorded", |t| t == "Pay out of ৳300.00 recorded.").await;

    // Amina walks away: a minute without a key locks the counter (the
    // counter asks the core every 15 s).
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while counter.app.client().find_all("[data-testid=counter-locked]").await.unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the idle lock never came");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    screenshot_display("93-idle-lock");

    // Babul signs in: the same shift; his refund of the bKash sale asks for Salma's PIN.
    sign_in(&counter, "2468", "Babul").await;
    counter.app.wait_for_text("[data-testid=shift-open]", "Amina's shift still open", |t| t.contains("Shift #1")).await;
    counter.click("[data-testid=shift-refund-button]").await;
    counter.type_into("[data-testid=refund-reference]", &format!("{trx}{}", keys::ENTER)).await;
    counter.app.wait_for_text("[data-testid=refund-found]", "the sale found", |t| t.contains("৳400.00")).await;
    counter.type_into("[data-testid=counter-refund-amount]", "100").await;
    counter.type_into("[data-testid=counter-refund-sku]", "EGG12").await;
    counter.type_into("[data-testid=counter-refund-reason]", &format!("Two eggs broken{}", keys::ENTER)).await;
    approve(&counter, "7777").await;
    counter.app.wait_for_text("[data-testid=shift-message]", "the refund made", |t| t.contains("৳100.00")).await;
    screenshot_display("94-refund-approved");

    // The blind close: expected ৳1,500 + ৳420 − ৳300 = ৳1,620; counted ৳1,600.
    counter.click("[data-testid=shift-close-button]").await;
    let form = counter.app.text_of("[data-testid=close-count]").await;
    assert!(!form.contains("1,620"), "the count is blind: {form}");
    count_notes(&counter, "close", &[(1000, 1), (500, 1), (100, 1)]).await;
    counter.click("[data-testid=close-submit]").await;
    counter.app.wait_for_text("[data-testid=shift-difference]", "the difference on the Z", |t| t.contains("−৳20.00")).await;
    assert!(counter.app.text_of("[data-testid=shift-expected]").await.contains("৳1,620.00"));
    screenshot_display("95-z-report");
    counter.click("[data-testid=shift-print]").await;
    counter.app.wait_for_text("[data-testid=shift-message]", "the Z printed", |t| t.contains("receipt printer")).await;
    let printed = decode(&printer.job(1).await);
    save_picture("96-z-report-printed-80mm", &printed.picture);
    let stored = ShiftReport::stored(&counter.journal().shift(1).unwrap().unwrap()).expect("a closed shift has its Z");
    assert_eq!((stored.difference_poisha, stored.closed_by.as_deref()), (Some(-2_000), Some("Babul")));
    assert_eq!((stored.cash.amount_poisha, stored.bkash.amount_poisha, stored.refunds.amount_poisha), (42_000, 40_000, 10_000));
    let out = &stored.movements[..];
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(
        (out[0].kind, out[0].amount_poisha, out[0].by.as_str(), out[0].approved_by.as_deref()),
        (MovementKind::PayOut, 30_000, "Amina", Some("Salma"))
    );
    let cashiers: Vec<&str> = stored.by_cashier.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cashiers, ["Amina"], "Amina rang up both sales");
    let drawn = Rasterizer::new().render(&shift_lines(&stored, ReceiptLanguage::En), PaperWidth::Mm80);
    assert!(printed.picture == drawn, "the paper is the stored Z report, drawn line for line");
    assert!(printed.cut, "the Z is cut off the roll");

    // The manager closes the day: asked once more, with the day's totals.
    counter.click("[data-testid=lock-counter]").await;
    counter.click("[data-testid=tab-manager]").await;
    counter.type_into("[data-testid=pin-input]", &format!("4831{}", keys::ENTER)).await;
    counter.click("[data-testid=manager-eod]").await;
    counter.click("[data-testid=eod-close]").await;
    let asked = counter.app.wait_for_text("[data-testid=eod-confirm]", "the question before the close", |t| !t.is_empty()).await;
    assert!(asked.contains("bKash taken: ৳400.00 (1)") && asked.contains("Cash taken: ৳420.00 (1)"), "{asked}");
    screenshot_display("97-close-the-day-confirmation");
    counter.click("[data-testid=eod-confirm-yes]").await;
    counter.app.wait_for_text("[data-testid=eod-title]", "report #1", |t| t == "End-of-day report #1").await;
    let eod = counter.app.text_of("[data-testid=eod-report]").await;
    assert!(eod.contains("−৳20.00") && eod.contains("Babul"), "the shift's difference and who closed it are on the report: {eod}");

    // A sale after the close is tomorrow's, and the counter says so.
    counter.click("[data-testid=tab-counter]").await;
    sign_in(&counter, "1357", "Amina").await;
    let today = pos_core::report::bangladesh_today();
    let tomorrow = today.succ_opt().unwrap();
    counter
        .app
        .wait_for_text("[data-testid=next-day-notice]", "the next-day notice", |t| t.contains(&format!("belong to {tomorrow}")))
        .await;
    counter.ring_up_and_pay("50").await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    screenshot_display("98-sale-after-the-close");
    let journal = counter.journal();
    let (tomorrow_starts, _) = pos_core::report::business_day(&journal, tomorrow).unwrap();
    let late = journal.payments_between(tomorrow_starts, chrono::Utc::now()).unwrap();
    assert_eq!(late.iter().map(|p| p.amount_poisha).collect::<Vec<_>>(), vec![5_000], "only the ৳50 sale is tomorrow's");
    let closed = journal.day_report_of(today).unwrap().expect("today is closed");
    let body: serde_json::Value = serde_json::from_str(&closed.body).unwrap();
    assert_eq!(body["summary"]["completed"]["count"], 1, "report #1 holds the one bKash sale before the close: {body}");
    counter.app.close().await;
}
