//! The customer pays on their own phone (Tokenized), without a webview: the
//! counter shows bKash's page as a QR code, asks bKash's payment status until
//! `verificationStatus` is `Complete`, then executes once. Real simulator on
//! loopback, real SQLite journal; the customer's phone is the simulator's own
//! page steps (the E2E tier drives a real phone-sized Chromium).

use std::sync::Arc;
use std::time::Duration;

use bkash_sim::{FaultKind, FaultRule};
use pos_core::journal::JournalRead;
use pos_core::money::{Cause, PayAt, PaymentState};
use pos_core::payment::{CheckoutDesk, DeskError, PaymentView, PhoneWait};
use pos_core::qr::QrImage;

use crate::support::{reason_in_english, Shop};

const WALLET: &str = "01770618575";

/// The counter's schedule, shrunk so a test waits milliseconds, not minutes.
fn quick(timeout_ms: u64) -> PhoneWait {
    PhoneWait { first: Duration::from_millis(20), longest: Duration::from_millis(40), timeout: Duration::from_millis(timeout_ms) }
}

/// Pay on the customer's phone: the payment is journaled, created, and its QR code holds bKash's page.
async fn qr_shown(shop: &Shop, order: &str, poisha: u64) -> (Arc<CheckoutDesk>, i64, String, String) {
    let desk = Arc::new(CheckoutDesk::new(shop.service.clone(), "C1"));
    let created = desk.begin_on_phone(order, poisha, pos_core::payment::Anyway::No).await.unwrap();
    assert_eq!((created.row.state, created.row.pay_at), (PaymentState::AwaitingCustomer, PayAt::Phone));
    let page = created.bkash.unwrap().bkash_url.unwrap();
    (desk, created.row.id, created.row.payment_id.unwrap(), page)
}

fn status_calls(shop: &Shop) -> u32 {
    shop.sim.stats().calls.get("tokenized.status").copied().unwrap_or(0) as u32
}

fn execute_calls(shop: &Shop) -> u32 {
    shop.sim.stats().calls.get("tokenized.execute").copied().unwrap_or(0) as u32
}

fn history(shop: &Shop, id: i64) -> Vec<String> {
    shop.journal.lock().unwrap().events(id).unwrap().into_iter().map(|e| format!("{} {}", e.kind, e.detail.unwrap_or_default())).collect()
}

/// Reads a QR code the way a phone camera does: the screen's drawing (the
/// SVG path, 4 pixels a module) as a picture, decoded by rqrr.
fn scan(qr: &QrImage) -> String {
    let scale = 4usize;
    let side = qr.size as usize * scale;
    let mut dark = vec![false; side * side];
    for run in qr.path.split('M').filter(|r| !r.is_empty()) {
        // "x yhNv1h-Nz"
        let (x, rest) = run.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let n = rest.split_once('v').unwrap().0;
        let (x, y, n): (usize, usize, usize) = (x.parse().unwrap(), y.parse().unwrap(), n.parse().unwrap());
        for py in y * scale..(y + 1) * scale {
            for px in x * scale..(x + n) * scale {
                dark[py * side + px] = true;
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| if dark[y * side + x] { 0 } else { 255 });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn the_qr_code_holds_exactly_bkashs_page_and_a_phone_camera_reads_it_back() {
    let shop = Shop::open_tokenized().await;
    let (_desk, _, _, page) = qr_shown(&shop, "Q-1", 25_050).await;
    let qr = QrImage::of(&page).unwrap();
    assert_eq!(scan(&qr), page);
    assert!(qr.size >= 21 + 8, "a real QR grid with its quiet zone: {}", qr.size);
    // bKash's production pages are longer than the simulator's; they still fit.
    let long = format!(
        "https://sandbox.payment.bkash.com/?paymentId=TR0011{}&hash={}&mode=0011&apiVersion=v1.2.0-beta",
        "A".repeat(40),
        "b".repeat(120)
    );
    assert_eq!(scan(&QrImage::of(&long).unwrap()), long);
}

#[tokio::test]
async fn a_customer_who_finishes_on_their_phone_is_executed_once_with_no_key_pressed_at_the_counter() {
    let shop = Shop::open_tokenized().await;
    let (desk, id, payment_id, _) = qr_shown(&shop, "P-1", 25_050).await;
    let waiting = desk.wait_on_phone(id, quick(3_000));
    // The customer takes a moment to type wallet, OTP and PIN on their phone.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(shop.row(id).state, PaymentState::AwaitingCustomer, "nothing is executed before the customer finishes");
    assert_eq!(execute_calls(&shop), 0);
    shop.sim.customer_pays(&payment_id, WALLET, "123456", "12121").unwrap();
    let row = waiting.await.unwrap().unwrap();

    assert_eq!(row.state, PaymentState::Completed);
    let ledger = shop.sim.ledger();
    assert_eq!(row.trx_id, ledger[0].trx_id, "the trxID is bKash's");
    assert_eq!(execute_calls(&shop), 1, "Execute is sent exactly once");
    assert!(row.status_polls >= 2, "the counter asked until the customer had finished: {}", row.status_polls);
    assert_eq!(row.status_polls, status_calls(&shop), "every status question is counted in the journal");
    assert!(row.status_polls <= quick(3_000).max_polls());
    let said = history(&shop, id);
    assert!(said.iter().any(|e| e.starts_with("customer_verified bKash says the customer finished on their phone")), "{said:?}");
    assert_eq!(PaymentView::from(&row).status_polls, row.status_polls, "the manager's details show the count");
}

#[tokio::test]
async fn while_bkash_says_incomplete_nothing_is_executed_and_the_qr_times_out_as_not_charged() {
    let shop = Shop::open_tokenized().await;
    let (desk, id, payment_id, _) = qr_shown(&shop, "P-2", 10_000).await;
    // The customer enters their wallet and OTP, then walks away before the PIN.
    shop.sim.shared().engine().customer_wallet(&payment_id, WALLET, chrono::Utc::now()).unwrap();
    shop.sim.shared().engine().customer_otp(&payment_id, "123456", chrono::Utc::now()).unwrap();
    let wait = quick(400);
    let row = desk.wait_on_phone(id, wait).await.unwrap().unwrap();

    assert_eq!((row.state, row.cause), (PaymentState::Cancelled, Some(Cause::PhoneTimedOut)));
    assert_eq!(execute_calls(&shop), 0, "no Execute for a customer who never finished");
    assert_eq!(row.status_polls, wait.max_polls(), "asked on the schedule, and no more");
    assert_eq!(status_calls(&shop), row.status_polls);
    let reason = reason_in_english(&PaymentView::from(&row)).unwrap();
    assert!(reason.contains("did not finish on their phone") && reason.contains("Nothing was charged"), "{reason}");
    assert!(shop.sim.ledger()[0].trx_id.is_none(), "bKash's ledger: nobody was charged");
}

#[tokio::test]
async fn the_cashier_cancels_and_a_customer_who_finishes_afterwards_is_recorded_and_never_charged() {
    let shop = Shop::open_tokenized().await;
    let (desk, id, payment_id, _) = qr_shown(&shop, "P-3", 12_300).await;
    let waiting = desk.wait_on_phone(id, quick(3_000));
    tokio::time::sleep(Duration::from_millis(60)).await;
    let cancelled = desk.cancel("the cashier cancelled").await.unwrap().unwrap();
    assert_eq!(cancelled.state, PaymentState::Cancelled);
    // The customer did not see the counter and finishes on their phone anyway.
    shop.sim.customer_pays(&payment_id, WALLET, "123456", "12121").unwrap();
    let row = waiting.await.unwrap().unwrap();

    assert_eq!(row.state, PaymentState::Cancelled, "still cancelled: never executed");
    assert_eq!(execute_calls(&shop), 0, "no Execute was ever sent for this paymentID");
    let entry = shop.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).unwrap();
    assert!(!entry.executed && entry.trx_id.is_none(), "bKash's ledger agrees: not charged");
    let said = history(&shop, id);
    assert!(
        said.iter().any(|e| e.starts_with("customer_finished_late customer finished after the cashier cancelled; not executed")),
        "the manager's history says what happened: {said:?}"
    );
}

#[tokio::test]
async fn a_cancel_that_lands_between_complete_and_execute_wins_and_nothing_is_sent() {
    let shop = Shop::open_tokenized().await;
    let (desk, id, payment_id, _) = qr_shown(&shop, "P-4", 9_900).await;
    shop.sim.customer_pays(&payment_id, WALLET, "123456", "12121").unwrap();
    // The cashier's Esc is committed before the first question's answer can be acted on.
    desk.cancel("the cashier cancelled").await.unwrap();
    let row = desk.wait_on_phone(id, quick(1_000)).await.unwrap().unwrap();
    assert_eq!(row.state, PaymentState::Cancelled);
    assert_eq!(execute_calls(&shop), 0);
    assert!(history(&shop, id).iter().any(|e| e.starts_with("customer_finished_late")));
}

#[tokio::test]
async fn too_little_balance_on_the_phone_fails_the_sale_with_bkashs_reason() {
    let shop = Shop::open_tokenized().await;
    let (desk, id, payment_id, _) = qr_shown(&shop, "P-5", 50_000).await;
    let waiting = desk.wait_on_phone(id, quick(3_000));
    shop.sim.customer_pays(&payment_id, bkash_sim::model::INSUFFICIENT_BALANCE_WALLET, "123456", "12121").unwrap();
    let row = waiting.await.unwrap().unwrap();
    assert_eq!((row.state, row.bkash_code.as_deref()), (PaymentState::Failed, Some("2023")));
    let reason = reason_in_english(&PaymentView::from(&row)).unwrap();
    assert!(reason.contains("balance is too low"), "{reason}");
    assert_eq!(execute_calls(&shop), 1);
}

#[tokio::test]
async fn status_questions_without_an_answer_or_about_another_payment_never_settle_or_execute_it() {
    let shop = Shop::open_tokenized().await;
    let (desk, id, payment_id, _) = qr_shown(&shop, "P-6", 7_700).await;
    // Two questions get no answer, then one claims "Complete" for another payment.
    shop.sim.add_fault(FaultRule::once("tokenized.status", FaultKind::Html500).times(1));
    shop.sim.add_fault(FaultRule::once("tokenized.status", FaultKind::Reset).times(1));
    shop.sim.add_fault(
        FaultRule::once("tokenized.status", FaultKind::Answer)
            .patch(serde_json::json!({"paymentID": "TR0011SOMEONEELSE1", "verificationStatus": "Complete"}))
            .times(1),
    );
    let waiting = desk.wait_on_phone(id, quick(3_000));
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(shop.row(id).state, PaymentState::AwaitingCustomer, "no answer and a wrong answer leave the payment waiting");
    assert_eq!(execute_calls(&shop), 0);
    shop.sim.customer_pays(&payment_id, WALLET, "123456", "12121").unwrap();
    let row = waiting.await.unwrap().unwrap();
    assert_eq!(row.state, PaymentState::Completed);
    assert_eq!(execute_calls(&shop), 1);
    assert_eq!(row.status_polls, status_calls(&shop), "failed questions are counted too");
}

#[tokio::test]
async fn a_checkout_iframe_shop_is_offered_only_the_counter_and_nothing_is_journaled() {
    let shop = Shop::open().await;
    let desk = CheckoutDesk::new(shop.service.clone(), "C1");
    let refused = desk.begin_on_phone("P-7", 1_000, pos_core::payment::Anyway::No).await.unwrap_err();
    assert!(matches!(refused, DeskError::PhoneNeedsTokenized(_)), "{refused}");
    assert!(refused.to_string().contains("Tokenized"), "says why: {refused}");
    assert!(shop.journal.lock().unwrap().in_flight().unwrap().is_empty());
    assert!(shop.sim.ledger().is_empty(), "bKash was not asked");
}

#[test]
fn the_counter_asks_gently_and_a_bounded_number_of_times() {
    for secs in [60, 180, 300] {
        let wait = PhoneWait::with_timeout(Duration::from_secs(secs));
        let delays: Vec<Duration> = wait.delays().collect();
        assert!(delays.iter().sum::<Duration>() <= wait.timeout, "no question after the time-out");
        assert!(delays.windows(2).all(|w| w[0] <= w[1]), "the waits only grow: {delays:?}");
        assert!(delays.iter().all(|d| *d >= Duration::from_secs(2) && *d <= Duration::from_secs(5)), "{delays:?}");
        assert_eq!(wait.max_polls() as usize, delays.len());
        assert!(wait.max_polls() <= secs as u32 / 5 + 3, "{secs} s costs at most one question per 5 s: {}", wait.max_polls());
    }
    assert_eq!(PhoneWait::with_timeout(Duration::from_secs(180)).max_polls(), 37);
}

#[tokio::test]
async fn phones_reach_the_practice_page_only_through_the_session_token_and_never_the_api() {
    let shop = Shop::open_tokenized_for_phones().await;
    let (desk, id, payment_id, page) = qr_shown(&shop, "P-8", 4_200).await;
    let base = shop.service.bkash().config().training_phone_page.clone().unwrap();
    assert!(page.starts_with(&format!("{base}/tokenized/pay/")), "Create's bkashURL is the phones' address: {page}");
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(page.clone()).await, 200, "the page with its token");
    let origin = base.split("/p/").next().unwrap().to_string();
    assert_eq!(get(format!("{origin}/tokenized/pay/{payment_id}")).await, 404, "without the token");
    assert_eq!(get(format!("{origin}/p/WRONGTOKEN/tokenized/pay/{payment_id}")).await, 404, "with a wrong token");
    let api = http.post(format!("{origin}/v1.2.0-beta/tokenized/checkout/token/grant")).body("{}").send().await.unwrap();
    assert_eq!(api.status().as_u16(), 404, "no bKash API on the phones' address");
    let control = http.get(format!("{origin}/__sim/ledger")).send().await.unwrap();
    assert_eq!(control.status().as_u16(), 404, "no simulator control on the phones' address");

    // The phone pays through the page's own calls, under the token.
    let waiting = desk.wait_on_phone(id, quick(3_000));
    for (step, body) in [
        ("wallet", serde_json::json!({"wallet": WALLET})),
        ("otp", serde_json::json!({"otp": "123456"})),
        ("pin", serde_json::json!({"pin": "12121"})),
    ] {
        let answer: serde_json::Value =
            http.post(format!("{base}/frame-api/{payment_id}/{step}")).json(&body).send().await.unwrap().json().await.unwrap();
        assert_eq!(answer["ok"], true, "{step}: {answer}");
    }
    assert_eq!(waiting.await.unwrap().unwrap().state, PaymentState::Completed);
}
