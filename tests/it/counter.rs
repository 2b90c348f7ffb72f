//! The counter's core without a webview: `CheckoutDesk`, `RecoveryBoard`,
//! the recheck scope of the `Reconciler`, and `PaymentView`'s words.

use std::sync::Arc;

use pos_core::journal::TransitionFacts;
use pos_core::money::{check_sale, PaymentState, SaleProblem};
use pos_core::payment::{mask_wallet, CheckoutDesk, DeskError, PaymentError, PaymentView};
use pos_core::reconcile::{Reconciler, RecoveryBoard};

use crate::support::{reason_in_english, Shop};

#[test]
fn a_sale_is_refused_before_anything_is_written_when_amount_or_order_is_wrong() {
    assert_eq!(check_sale("S-1", 99), Err(SaleProblem::TooSmall));
    assert_eq!(check_sale("S-1", 0), Err(SaleProblem::TooSmall));
    assert_eq!(check_sale("S-1", 1_000_000 * 100 + 1), Err(SaleProblem::TooLarge));
    assert_eq!(check_sale("S-1", u64::MAX), Err(SaleProblem::TooLarge));
    assert_eq!(check_sale("", 100), Err(SaleProblem::BadOrder));
    assert_eq!(check_sale("S 1", 100), Err(SaleProblem::BadOrder));
    assert_eq!(check_sale("S-<1>", 100), Err(SaleProblem::BadOrder));
    assert_eq!(check_sale(&"S".repeat(65), 100), Err(SaleProblem::BadOrder));
    assert_eq!(check_sale("S-20261125-AB12", 100), Ok(()));
    assert_eq!(check_sale("S-1", 1_000_000 * 100), Ok(()));
}

#[test]
fn wallets_are_masked_as_bkash_shows_them_on_receipts() {
    assert_eq!(mask_wallet("01770618575"), "017XXXXX575");
    assert_eq!(mask_wallet("8801770618575"), "880XXXXXXX575");
    assert_eq!(mask_wallet("12345"), "XXXXX", "too short to show any part");
}

fn failed_with(code: &str, message: Option<&str>) -> PaymentView {
    PaymentView::from(&pos_core::journal::PaymentRow {
        bkash_code: Some(code.into()),
        bkash_message: message.map(str::to_string),
        ..crate::support::row_in(PaymentState::Failed)
    })
}

#[test]
fn a_failure_is_told_in_plain_words_with_bkash_code_and_message() {
    let reason = reason_in_english(&failed_with("2023", Some("Insufficient Balance"))).unwrap();
    assert!(
        reason.starts_with("The customer's bKash balance is too low") && reason.contains("bKash 2023: Insufficient Balance"),
        "{reason}"
    );
    assert_eq!(
        reason_in_english(&failed_with("2001", None)).unwrap(),
        "Invalid App Key (bKash 2001)",
        "bKash's own words when the catalog has none"
    );
    assert!(reason_in_english(&failed_with("7777", None)).unwrap().contains("bKash 7777"), "an unknown code is still named");
}

#[tokio::test]
async fn the_desk_holds_one_payment_at_a_time_and_the_checkout_acts_only_on_it() {
    let shop = Shop::open().await;
    let desk = Arc::new(CheckoutDesk::new(shop.service.clone(), "C2"));
    assert!(matches!(desk.create().await, Err(DeskError::NothingOpen)), "nothing to create before Pay");
    let first = desk.begin("S-1", 12_345).await.unwrap();
    assert!(first.invoice.starts_with("C2-"), "{}", first.invoice);
    assert!(matches!(desk.begin("S-2", 500).await, Err(DeskError::Busy)), "a second Pay while the first is open is refused");

    let created = desk.create().await.unwrap();
    let payment_id = created.bkash.unwrap().payment_id;
    shop.sim.customer_pays(&payment_id, "01770618575", "123456", "12121").unwrap();
    let done = desk.execute().await.unwrap();
    assert_eq!(done.state, PaymentState::Completed);
    assert_eq!(shop.sim.ledger().iter().find(|p| p.payment_id == payment_id).unwrap().trx_id, done.trx_id);

    // Settled, so the desk takes the next sale; the paid order cannot be paid again.
    desk.release(first.id);
    assert!(matches!(desk.begin("S-1", 12_345).await, Err(DeskError::Payment(_))), "the same order cannot be charged twice");
    let next = desk.begin("S-2", 500).await.unwrap();
    assert_eq!(desk.open_payment(), Some(next.id));
}

#[tokio::test]
async fn cancel_stops_a_payment_before_execute_and_leaves_one_after_it_to_bkash() {
    let shop = Shop::open().await;
    let desk = Arc::new(CheckoutDesk::new(shop.service.clone(), "C1"));
    let row = desk.begin("S-9", 1_000).await.unwrap();
    desk.create().await.unwrap();
    let cancelled = desk.cancel("the customer closed bKash's window").await.unwrap().unwrap();
    assert_eq!(cancelled.state, PaymentState::Cancelled);
    assert!(matches!(desk.execute().await, Err(DeskError::Payment(_))), "a cancelled payment is never executed");
    assert_eq!(shop.sim.ledger()[0].trx_id, None);

    desk.release(row.id);
    let second = desk.begin("S-9", 1_000).await.unwrap();
    let created = desk.create().await.unwrap().bkash.unwrap();
    shop.sim.customer_pays(&created.payment_id, "01770618575", "123456", "12121").unwrap();
    // Execute has been sent (the row says Executing): a late cancel changes nothing.
    shop.journal.lock().unwrap().transition(second.id, PaymentState::Executing, &TransitionFacts::default(), chrono::Utc::now()).unwrap();
    assert_eq!(desk.cancel("the cashier cancelled").await.unwrap().unwrap().state, PaymentState::Executing);
}

#[tokio::test]
async fn a_recheck_while_the_counter_is_open_never_touches_a_live_checkout() {
    let shop = Shop::open().await;
    let desk = CheckoutDesk::new(shop.service.clone(), "C1");
    let live = desk.begin("S-live", 800).await.unwrap();
    desk.create().await.unwrap();
    let pass = Reconciler::new(shop.service.clone(), 2).recheck().await.unwrap();
    assert_eq!(pass, Default::default());
    assert_eq!(shop.row(live.id).state, PaymentState::AwaitingCustomer, "the customer is still in bKash's frame");
}

#[tokio::test]
async fn the_recovery_board_shows_what_is_checked_and_how_each_ended() {
    let shop = Shop::open().await;
    let board = RecoveryBoard::default();
    let mut events = shop.service.subscribe();
    let row = shop.service.start("S-5", 4_200, None, None).await.unwrap();
    board.track(&row);
    assert_eq!(board.snapshot().checking.len(), 1);
    shop.service.commit(row.id, PaymentState::Cancelled, TransitionFacts::default()).await.unwrap();
    let _started = events.recv().await.unwrap();
    assert!(board.observe(&events.recv().await.unwrap()));
    let snapshot = board.snapshot();
    assert!(snapshot.checking.is_empty());
    assert_eq!(
        (snapshot.resolved[0].id, snapshot.resolved[0].state, snapshot.resolved[0].amount_poisha),
        (row.id, PaymentState::Cancelled, 4_200)
    );

    // A payment that becomes Unknown while the app runs joins the board.
    let other = shop.service.start("S-6", 100, None, None).await.unwrap();
    let _ = events.recv().await.unwrap();
    shop.service.commit(other.id, PaymentState::Creating, TransitionFacts::default()).await.unwrap();
    assert!(!board.observe(&events.recv().await.unwrap()), "a normal step is not recovery's business");
    let view = PaymentView::from(&shop.row(other.id));
    assert_eq!(view.state, PaymentState::Creating);
}

#[tokio::test]
async fn a_new_payment_of_an_amount_still_being_checked_shows_the_pending_one_and_needs_a_deliberate_yes() {
    let shop = Shop::open().await;
    shop.sim.add_fault(bkash_sim::FaultRule::once("checkout.execute", bkash_sim::FaultKind::DropResponse));
    let desk = Arc::new(CheckoutDesk::new(shop.service.clone(), "C1"));
    let first = desk.begin("S-20", 45_000).await.unwrap();
    let created = desk.create().await.unwrap().bkash.unwrap();
    shop.sim.customer_pays(&created.payment_id, "01770618575", "123456", "12121").unwrap();
    assert_eq!(desk.execute().await.unwrap().state, PaymentState::Unknown, "no answer: being checked");
    desk.release(first.id);

    // The cashier rings the same sale up again (a new order number) for the same amount.
    let refused = desk.begin("S-21", 45_000).await.unwrap_err();
    match &refused {
        DeskError::Payment(PaymentError::SameAmountBeingChecked(pending)) => assert_eq!(pending.id, first.id, "the pending one is named"),
        other => panic!("expected the pending payment to be shown, got {other}"),
    }
    assert!(refused.to_string().contains(&first.invoice), "{refused}");
    assert_eq!(pos_core::journal::JournalRead::in_flight(&*shop.journal.lock().unwrap()).unwrap().len(), 1, "nothing new was journaled");
    // Another amount, or another counter, is not held up.
    desk.begin("S-22", 45_001).await.unwrap();
    let other_counter = CheckoutDesk::new(shop.service.clone(), "C2");
    other_counter.begin("S-23", 45_000).await.unwrap();
    // Seen and confirmed: a new payment is taken.
    let desk2 = CheckoutDesk::new(shop.service.clone(), "C1");
    let again = desk2.begin_with("S-24", 45_000, pos_core::payment::Anyway::Yes).await.unwrap();
    assert_eq!(again.state, PaymentState::New);
}

#[tokio::test]
async fn when_bkashs_checkout_script_cannot_be_loaded_the_cashier_is_told_bkash_could_not_be_reached() {
    let shop = Shop::open().await;
    let desk = CheckoutDesk::new(shop.service.clone(), "C1");
    desk.begin("S-30", 7_500).await.unwrap();
    // What the checkout window does when bKash's script never loads (no internet in Sandbox).
    let row = desk
        .cancel_because("bKash's checkout script could not be loaded", Some(pos_core::money::Cause::Unreachable))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.state, PaymentState::Cancelled);
    let said = crate::support::reason_in_english(&pos_core::payment::PaymentView::from(&row)).unwrap();
    assert!(said.contains("could not be reached") && said.contains("not charged"), "{said}");
    assert!(shop.sim.ledger().is_empty(), "bKash was never asked");
}

/// The composition root, opened as the app opens it, on a data folder that
/// cannot take payments: each reason keeps its cause and its kind.
#[test]
fn the_counter_that_cannot_open_says_which_part_failed_and_why() {
    use pos_core::counter::{Counter, StartProblem, StartProblemKind};
    use pos_core::settings::{self, Settings};
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(pos_core::vault::FileVault::open(dir.path(), &dir.path().join("keys")));

    // Training's journal file is not a database.
    let training = Settings::default();
    std::fs::write(dir.path().join(settings::journal_file(training.environment)), vec![7u8; 8192]).unwrap();
    let problem = Counter::builder(dir.path(), training, vault.clone()).training_bkash("http://127.0.0.1:9").open().err().unwrap();
    assert!(matches!(problem, StartProblem::Journal(pos_core::journal::JournalError::Corrupt { .. })), "{problem}");
    let view = problem.view();
    assert_eq!(view.problem, StartProblemKind::Journal);
    assert!(view.detail.contains("is damaged") && view.detail.contains("left untouched"), "{}", view.detail);

    // Sandbox with no credentials stored: the settings say so, nothing is opened.
    let sandbox = Settings { environment: pos_core::bkash::Environment::Sandbox, ..Settings::default() };
    let problem = Counter::builder(dir.path(), sandbox, vault).open().err().unwrap();
    assert_eq!(problem.view().problem, StartProblemKind::Settings);
    assert!(problem.to_string().contains("No bKash checkout credentials are stored for sandbox"), "{problem}");
    assert!(!dir.path().join(settings::journal_file(pos_core::bkash::Environment::Sandbox)).exists(), "no journal was made");
}
