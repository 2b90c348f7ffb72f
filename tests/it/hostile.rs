//! Hostile or broken answers where bKash's API should be: redirects,
//! undocumented statuses, garbage, oversized, drip-fed and stalled bodies,
//! answers about another payment, a 401 loop. For each, the payment goes
//! through the real PaymentService and journal, then recovery; the journal
//! must end where the simulator's ledger says, the counter's message must
//! name the real cause, and no credential may reach another host.

use pos_core::journal::JournalRead;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bkash_sim::{FaultKind, FaultRule};
use pos_core::bkash::TokenStore;
use pos_core::money::Cause;
use pos_core::money::PaymentState;
use pos_core::payment::{PaymentView, Reason};
use pos_core::reconcile::Reconciler;
use serde_json::json;

use crate::support::{reason_in_english, Shop};

/// Another host: it records every byte anyone sends it and answers like a
/// server that wants to be believed (a "Completed" payment).
pub struct OtherHost {
    pub url: String,
    pub received: Arc<Mutex<Vec<u8>>>,
    pub connections: Arc<AtomicUsize>,
}

impl OtherHost {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        // `localhost`, not 127.0.0.1: another host name than the configured one.
        let url = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (bytes, count) = (received.clone(), connections.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                count.fetch_add(1, Ordering::SeqCst);
                let mut stream = stream;
                stream.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
                let mut buffer = [0u8; 8192];
                while let Ok(n) = stream.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    bytes.lock().unwrap().extend_from_slice(&buffer[..n]);
                }
                let body = r#"{"paymentID":"X","trxID":"FAKE000001","transactionStatus":"Completed","amount":"1"}"#;
                let answer = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len());
                let _ = std::io::Write::write_all(&mut stream, answer.as_bytes());
            }
        });
        Self { url, received, connections }
    }

    pub fn heard_anything(&self) -> bool {
        self.connections.load(Ordering::SeqCst) > 0 || !self.received.lock().unwrap().is_empty()
    }
}

const WALLET: &str = "01770618575";

/// One payment of `poisha` through create, the customer and execute, with
/// `fault` (if any) on execute. Returns the row as execute left it.
async fn pay_with_fault(shop: &Shop, order: &str, poisha: u64, fault: impl Into<Option<FaultRule>>) -> PaymentView {
    let row = shop.service.start(order, poisha, Some("C1"), None).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap().row;
    assert_eq!(created.state, PaymentState::AwaitingCustomer, "{order}: create must work");
    shop.sim.customer_pays(created.payment_id.as_deref().unwrap(), WALLET, "123456", "12121").unwrap();
    if let Some(fault) = fault.into() {
        shop.sim.add_fault(fault);
    }
    let after = shop.service.execute(row.id).await.unwrap();
    shop.sim.clear_faults();
    PaymentView::from(&after)
}

/// Recovery with bKash healthy, then the journal against the ledger.
async fn recover_and_compare(shop: &Shop, id: i64) -> PaymentState {
    let reconciler = Reconciler::new(shop.service.clone(), 2);
    for _ in 0..3 {
        if reconciler.pass().await.unwrap().still_unknown.is_empty() {
            break;
        }
    }
    let row = shop.row(id);
    let ledger = shop.sim.ledger();
    let truth = ledger.iter().find(|p| Some(&p.payment_id) == row.payment_id.as_ref()).expect("bKash knows the payment");
    match &truth.trx_id {
        Some(trx) => {
            assert_eq!(row.state, PaymentState::Completed, "bKash charged it; the journal says {:?}", row.state);
            assert_eq!(row.trx_id.as_deref(), Some(trx.as_str()));
        }
        None => assert_ne!(row.state, PaymentState::Completed, "the journal says paid; bKash says not"),
    }
    row.state
}

fn answer(status: u16) -> FaultRule {
    FaultRule::once("checkout.execute", FaultKind::Answer).status(status)
}

#[tokio::test]
async fn every_hostile_execute_answer_leaves_the_payment_checking_until_query_finds_bkashs_truth() {
    let shop = Shop::open().await;
    let other = OtherHost::start();
    let elsewhere = format!("{}/v1.2.0-beta/checkout/payment/execute/X", other.url);
    let cases: Vec<(&str, FaultRule, &str)> = vec![
        ("redirect 301", answer(301).location(&elsewhere).body(""), "redirect to localhost"),
        ("redirect 302", answer(302).location(&elsewhere).body(""), "redirect to localhost"),
        ("redirect 307", answer(307).location(&elsewhere).body(""), "redirect to localhost"),
        ("404 after execute", answer(404).body(r#"{"message":"Not Found"}"#), "HTTP 404"),
        ("405 after execute", answer(405).body("<html>Method Not Allowed</html>"), "HTTP 405"),
        ("an errorCode behind a 404", answer(404).body(r#"{"errorCode":"2023","errorMessage":"Insufficient Balance"}"#), "HTTP 404"),
        ("HTML with 200", answer(200).body("<html><body>Payment successful!</body></html>"), "not JSON"),
        ("an empty object", answer(200).body("{}"), "could not be read"),
        ("wrong types", answer(200).body(r#"{"paymentID":5,"amount":[1],"transactionStatus":true}"#), "could not be read"),
        ("a body far over the limit", FaultRule::once("checkout.execute", FaultKind::Oversized).bytes(16 << 20), "larger than 1024 KiB"),
        ("a drip-fed body", FaultRule::once("checkout.execute", FaultKind::Drip).delay_ms(40), "timed out"),
        ("headers then silence", FaultRule::once("checkout.execute", FaultKind::Stall), "timed out"),
        ("an answer for another paymentID", answer(200).patch(json!({"paymentID": "TR0011OTHER1"})), "paymentID TR0011OTHER1"),
        ("a mismatched amount", answer(200).patch(json!({"amount": "12.00"})), "amount 12.00 instead of"),
        ("a mismatched invoice", answer(200).patch(json!({"merchantInvoiceNumber": "SOMEONE-ELSE"})), "merchantInvoiceNumber"),
        ("another currency", answer(200).patch(json!({"currency": "USD"})), "currency USD"),
    ];
    for (n, (name, fault, says)) in cases.into_iter().enumerate() {
        let started = std::time::Instant::now();
        let view = pay_with_fault(&shop, &format!("H-{n}"), 41_996 + n as u64, fault).await;
        assert!(started.elapsed() < Duration::from_secs(6), "{name}: bounded by the 2 s timeout, took {:?}", started.elapsed());
        assert_eq!(view.state, PaymentState::Unknown, "{name}: bKash charged it, so it must not be {}", view.state);
        let mismatch = name.contains("another") || name.contains("mismatched");
        assert_eq!(view.reason, Some(if mismatch { Reason::Cause(Cause::Mismatch) } else { Reason::Checking }), "{name}");
        let events = shop.journal.lock().unwrap().events(view.id).unwrap();
        let detail = events.last().and_then(|e| e.detail.clone()).unwrap_or_default();
        assert!(detail.contains(says), "{name}: the journal must name the cause ({says}), says: {detail}");
        assert_eq!(recover_and_compare(&shop, view.id).await, PaymentState::Completed, "{name}");
    }
    assert!(!other.heard_anything(), "a redirect was followed: the other host heard {} bytes", other.received.lock().unwrap().len());
    assert_eq!(shop.sim.stats().calls["checkout.execute"], 16, "execute was sent once per payment, never again");
}

#[tokio::test]
async fn a_mismatched_answer_stays_checking_with_a_warning_while_query_keeps_mismatching() {
    let shop = Shop::open().await;
    let view = pay_with_fault(&shop, "MM-1", 41_996, answer(200).patch(json!({"amount": "12.00"}))).await;
    assert_eq!(view.state, PaymentState::Unknown);
    let said = reason_in_english(&view).unwrap();
    assert!(said.contains("did not match this payment"), "{said}");
    shop.sim.add_fault(FaultRule::once("checkout.query", FaultKind::Answer).patch(json!({"amount": "12.00"})).times(0));
    let pass = Reconciler::new(shop.service.clone(), 1).pass().await.unwrap();
    assert_eq!(pass.still_unknown, vec![view.id], "a mismatched Query is never taken as Completed");
    let row = shop.row(view.id);
    assert_eq!((row.state, row.cause), (PaymentState::Unknown, Some(Cause::Mismatch)), "the manager sees the warning");
    shop.sim.clear_faults();
    assert_eq!(recover_and_compare(&shop, view.id).await, PaymentState::Completed);
}

#[tokio::test]
async fn hostile_answers_on_create_never_leave_a_sale_payable_twice_or_marked_paid() {
    let shop = Shop::open().await;
    let other = OtherHost::start();
    let faults = [
        FaultRule::once("checkout.create", FaultKind::Answer).status(302).location(&other.url).body(""),
        FaultRule::once("checkout.create", FaultKind::Answer).status(404).body("{}"),
        FaultRule::once("checkout.create", FaultKind::Answer).patch(json!({"amount": "1.00"})),
        FaultRule::once("checkout.create", FaultKind::Oversized).bytes(4 << 20),
    ];
    for (n, fault) in faults.into_iter().enumerate() {
        let row = shop.service.start(&format!("HC-{n}"), 5_000 + n as u64, None, None).await.unwrap();
        shop.sim.add_fault(fault);
        let created = shop.service.create(row.id).await.unwrap().row;
        shop.sim.clear_faults();
        // Execute was never sent, so no money can have moved: not charged, and the order may be paid again.
        assert_eq!(created.state, PaymentState::NotCharged, "case {n}");
    }
    assert!(shop.sim.ledger().iter().all(|p| p.trx_id.is_none()));
    assert!(!other.heard_anything());
}

#[tokio::test]
async fn redirects_on_every_call_never_carry_a_credential_or_token_to_another_host() {
    let other = OtherHost::start();
    let to_other = |endpoint: &str| FaultRule::once(endpoint, FaultKind::Refuse).status(307).location(&other.url).body("").times(0);

    // The payment calls carry x-app-key and the token.
    let shop = Shop::open().await;
    let row = shop.service.start("LEAK-1", 9_901, None, None).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap().row;
    shop.sim.customer_pays(created.payment_id.as_deref().unwrap(), WALLET, "123456", "12121").unwrap();
    for endpoint in ["checkout.execute", "checkout.query", "checkout.search"] {
        shop.sim.add_fault(to_other(endpoint));
    }
    assert_eq!(shop.service.execute(row.id).await.unwrap().state, PaymentState::Unknown, "a redirect is no answer");
    let pass = Reconciler::new(shop.service.clone(), 1).pass().await.unwrap();
    assert_eq!(pass.still_unknown.len(), 1, "a redirected Query settles nothing");
    assert!(shop.service.bkash().search_transaction("AAAAAAAAAA").await.is_err());

    // The token grant carries username, password, app_key and app_secret.
    let shop = Shop::open().await;
    shop.sim.add_fault(to_other("checkout.token.grant"));
    let row = shop.service.start("LEAK-2", 9_902, None, None).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap().row;
    assert_eq!(created.state, PaymentState::NotCharged);
    assert!(!other.heard_anything(), "the other host heard: {}", String::from_utf8_lossy(&other.received.lock().unwrap()));
}

#[tokio::test]
async fn a_gateway_that_answers_401_to_everything_costs_no_token_call_and_names_the_cause() {
    let shop = Shop::open().await;
    // A sale that works: the token is granted and bKash accepts it.
    let first = pay_with_fault(&shop, "U-0", 10_000, None).await;
    assert_eq!(first.state, PaymentState::Completed);
    let calls_before = shop.sim.stats().token_grants + shop.sim.stats().token_refreshes;

    // One hostile minute: every call answers the gateway's 401.
    let unauthorized = FaultRule::once("*", FaultKind::Refuse).status(401).body(r#"{"message":"Unauthorized"}"#).times(0);
    let mut failed = Vec::new();
    for n in 1..=3 {
        let row = shop.service.start(&format!("U-{n}"), 10_000 + n, None, None).await.unwrap();
        let created = shop.service.create(row.id).await.unwrap().row;
        shop.sim.customer_pays(created.payment_id.as_deref().unwrap(), WALLET, "123456", "12121").unwrap();
        shop.sim.add_fault(unauthorized.clone());
        failed.push(PaymentView::from(&shop.service.execute(row.id).await.unwrap()));
        shop.sim.clear_faults();
    }
    for view in &failed {
        assert_eq!(view.state, PaymentState::Failed, "the gateway's documented 401 is a definitive refusal: nothing ran");
        assert_eq!(view.reason, Some(Reason::Cause(Cause::TokenRejected)), "not 'bKash refused the payment'");
        let said = reason_in_english(view).unwrap();
        assert!(said.contains("credentials"), "{said}");
    }
    let stats = shop.sim.stats();
    assert_eq!(stats.token_grants + stats.token_refreshes, calls_before, "the 401 loop spent no token call");
    assert!(shop.sim.ledger().iter().filter(|p| p.trx_id.is_some()).count() == 1, "nothing but the first sale was charged");

    // The minute is over: the next sale goes through at once, with the token in hand.
    let after = pay_with_fault(&shop, "U-9", 10_900, None).await;
    assert_eq!(after.state, PaymentState::Completed);
    let status = shop.service.bkash().tokens().status().await;
    assert_eq!((status.paused_until, status.token_rejected), (None, false));
}

#[tokio::test]
async fn an_unanswered_grant_pauses_token_calls_for_minutes_not_an_hour_and_says_until_when() {
    let shop = Shop::open().await;
    shop.sim.add_fault(FaultRule::once("checkout.token.grant", FaultKind::Html500));
    let row = shop.service.start("T-1", 10_000, None, None).await.unwrap();
    let view = PaymentView::from(&shop.service.create(row.id).await.unwrap().row);
    assert_eq!(view.state, PaymentState::NotCharged);
    // The second sale does not spend bKash's second token call of the hour on a broken gateway.
    let row = shop.service.start("T-2", 10_001, None, None).await.unwrap();
    let view = PaymentView::from(&shop.service.create(row.id).await.unwrap().row);
    assert_eq!((view.state, view.reason.clone()), (PaymentState::Failed, Some(Reason::Cause(Cause::TokenCoolingDown))));
    assert!(reason_in_english(&view).unwrap().contains("Nothing was sent"));
    assert_eq!(shop.sim.stats().calls["checkout.token.grant"], 1, "nothing pretends bKash was asked");
    let status = shop.service.bkash().tokens().status().await;
    let until = status.paused_until.expect("the counter can say when payments resume");
    let wait = until - chrono::Utc::now();
    assert!(wait > chrono::Duration::minutes(4) && wait <= chrono::Duration::minutes(5), "{wait}");
    assert_eq!(status.paused_because, Some(Cause::TokenCoolingDown));
    assert_eq!(status.calls_in_last_hour, 1);
}

#[tokio::test]
async fn a_spent_budget_fails_the_sale_without_asking_bkash_and_says_so_in_plain_words() {
    // The hour's token calls were spent by an earlier run of the app.
    let tokens = pos_core::bkash::StoredTokens { token_calls: vec![chrono::Utc::now(); 50], ..Default::default() };
    let store = pos_core::bkash::MemoryTokenStore::default();
    store.save(&tokens);
    let shop = Shop::open_with_store(Arc::new(store)).await;
    let row = shop.service.start("B-1", 10_000, None, None).await.unwrap();
    let view = PaymentView::from(&shop.service.create(row.id).await.unwrap().row);
    assert_eq!((view.state, view.reason.clone()), (PaymentState::Failed, Some(Reason::Cause(Cause::TokenBudget))));
    assert!(reason_in_english(&view).unwrap().contains("Nothing was sent to bKash"));
    assert_eq!(shop.sim.stats().calls.get("checkout.token.grant"), None, "bKash was not asked");
    let status = shop.service.bkash().tokens().status().await;
    assert_eq!(status.paused_because, Some(Cause::TokenBudget));
    assert!(status.paused_until.is_some());
    assert!(shop.sim.ledger().is_empty());
}
