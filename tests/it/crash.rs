//! The crash matrix: a real child process runs one payment and is SIGKILLed
//! at a named point on the money path (see `failpoint.rs`). The parent keeps
//! the simulator alive across the death, restarts the core on the same
//! journal file, reconciles, and compares the journal with bKash's ledger.

use pos_core::journal::JournalRead;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bkash_sim::{FaultKind, FaultRule, SimConfig, SimServer};
use pos_core::bkash::{BkashClient, MemoryTokenStore, TokenPolicy};
use pos_core::bkash::{Callback, CallbackStatus};
use pos_core::journal::Journal;
use pos_core::money::PaymentState;
use pos_core::money::SaleLine;
use pos_core::money::{Clock, PayAt, Product, SystemClock};
use pos_core::payment::{CheckoutDesk, PaymentService, PhoneWait};
use pos_core::reconcile::Reconciler;
use pos_core::till::Till;

const POINTS: [&str; 9] = [
    "sale_journaled",
    "after_new",
    "creating_committed",
    "create_answered_not_stored",
    "customer_in_frame",
    "executing_committed",
    "execute_answered_not_stored",
    "answer_stored",
    "reconcile_answered_not_stored",
];

#[derive(Clone, Copy, Debug)]
enum Scenario {
    Success,
    Insufficient,
    Dropped,
    /// bKash charged, then a hostile answer came back instead of its own.
    Redirected,
    NotFound,
    Oversized,
    MismatchedAmount,
}

const SCENARIOS: [Scenario; 7] = [
    Scenario::Success,
    Scenario::Insufficient,
    Scenario::Dropped,
    Scenario::Redirected,
    Scenario::NotFound,
    Scenario::Oversized,
    Scenario::MismatchedAmount,
];

impl Scenario {
    fn wallet(self) -> &'static str {
        match self {
            Scenario::Insufficient => "01823074817",
            _ => "01770618575",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Scenario::Success => "success",
            Scenario::Insufficient => "insufficient",
            Scenario::Dropped => "dropped",
            Scenario::Redirected => "redirect",
            Scenario::NotFound => "404",
            Scenario::Oversized => "oversized",
            Scenario::MismatchedAmount => "wrong amount",
        }
    }

    /// What happens to execute's answer.
    fn fault(self, product: Product) -> Option<FaultRule> {
        let call = if product == Product::Tokenized { "tokenized.execute" } else { "checkout.execute" };
        let execute = |kind| FaultRule::once(call, kind);
        match self {
            Scenario::Success | Scenario::Insufficient => None,
            Scenario::Dropped => Some(execute(FaultKind::DropResponse)),
            Scenario::Redirected => Some(execute(FaultKind::Answer).status(302).location("http://localhost:9/elsewhere").body("")),
            Scenario::NotFound => Some(execute(FaultKind::Answer).status(404).body(r#"{"message":"Not Found"}"#)),
            Scenario::Oversized => Some(execute(FaultKind::Oversized).bytes(8 << 20)),
            Scenario::MismatchedAmount => Some(execute(FaultKind::Answer).patch(serde_json::json!({"amount": "12.00"}))),
        }
    }
}

/// The sale every child rings up before it pays: ৳125.00 in three lines.
fn sale_lines() -> Vec<SaleLine> {
    vec![
        SaleLine { code: Some("RICE5".into()), name: "Miniket rice 5 kg".into(), quantity: 2, unit_poisha: 50_00 },
        SaleLine { code: None, name: "চা পাতা".into(), quantity: 1, unit_poisha: 20_00 },
        SaleLine { code: None, name: "Carry bag".into(), quantity: 1, unit_poisha: 5_00 },
    ]
}

fn service(journal_path: &std::path::Path, sim_url: &str, product: Product) -> Arc<PaymentService> {
    let mut config = pos_core::bkash::training_config(sim_url).with_product(product);
    config.timeout = Duration::from_secs(3);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let policy = TokenPolicy { budget_per_hour: 50, ..Default::default() };
    let client =
        BkashClient::with_clock(config, Arc::new(MemoryTokenStore::default()), clock.clone(), policy).unwrap().with_read_backoff(vec![]);
    let journal = Arc::new(Mutex::new(Journal::open(journal_path).unwrap()));
    Arc::new(PaymentService::new(journal, Arc::new(client), clock))
}

/// Not a test: the body of the child process the matrix kills. It does
/// nothing unless the matrix started it (CRASH_JOURNAL is set).
#[tokio::test]
#[ignore = "child process of the crash matrix; started by it, not by hand"]
async fn crash_child_process_entry_point() {
    let Ok(journal_path) = std::env::var("CRASH_JOURNAL") else { return };
    let sim_url = std::env::var("CRASH_SIM").unwrap();
    let wallet = std::env::var("CRASH_WALLET").unwrap();
    let product = if std::env::var("CRASH_PRODUCT").as_deref() == Ok("tokenized") { Product::Tokenized } else { Product::Checkout };
    let service = service(std::path::Path::new(&journal_path), &sim_url, product);
    let desk = Arc::new(CheckoutDesk::new(service.clone(), "C1"));
    // The till journals the sale with its lines before any payment of it.
    let sale = Till::new(service.clone(), "C1").ring_up("ORDER-1", sale_lines(), None).await.unwrap();
    assert_eq!(sale.total_poisha, 12_500);
    let pays = |payment_id: &str| {
        let customer = format!("{sim_url}/__sim/payments/{payment_id}/customer");
        let body = serde_json::json!({"wallet": wallet, "otp": "123456", "pin": "12121"});
        async move { reqwest::Client::new().post(customer).json(&body).send().await.unwrap() }
    };
    if std::env::var("CRASH_PAY_AT").as_deref() == Ok("phone") {
        // The counter asks bKash's status while the customer, a moment later,
        // pays on their phone; the desk executes once bKash says Complete.
        let created = desk.begin_on_phone("ORDER-1", 12_500, pos_core::payment::Anyway::No).await.unwrap().row;
        if created.state == PaymentState::AwaitingCustomer {
            let wait = PhoneWait { first: Duration::from_millis(30), longest: Duration::from_millis(60), timeout: Duration::from_secs(10) };
            let waiting = desk.wait_on_phone(created.id, wait);
            tokio::time::sleep(Duration::from_millis(200)).await;
            pays(&created.payment_id.unwrap()).await;
            waiting.await.unwrap().unwrap();
        }
        Reconciler::new(service, 2).pass().await.unwrap();
        println!("CHILD-DONE");
        return;
    }
    let row = desk.begin("ORDER-1", 12_500).await.unwrap();
    let created = desk.create().await.unwrap().row;
    if created.state == PaymentState::AwaitingCustomer {
        let payment_id = created.payment_id.unwrap();
        pays(&payment_id).await;
        match product {
            Product::Checkout => drop(service.execute(row.id).await.unwrap()),
            // bKash's page returns to the callback; the desk executes on it.
            Product::Tokenized => drop(desk.callback(Callback { payment_id, status: CallbackStatus::Success }).await.unwrap()),
        }
    }
    Reconciler::new(service, 2).pass().await.unwrap();
    println!("CHILD-DONE");
}

struct Cell {
    reached: bool,
    state: String,
    lost: usize,
    charged_twice: usize,
    misreported: usize,
    /// The sale or one of its lines missing after the restart.
    sale_lost: usize,
    /// Cash taken for a sale bKash paid, or refused for one it did not.
    tender_wrong: usize,
}

async fn run_cell(point: &str, scenario: Scenario, product: Product, pay_at: PayAt) -> Cell {
    let sim = SimServer::start(SimConfig { token_budget_per_hour: 100, ..SimConfig::default() }, 0).await.unwrap();
    if let Some(fault) = scenario.fault(product) {
        sim.add_fault(fault);
    }
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join(Journal::FILE_NAME);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash::crash_child_process_entry_point", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("CRASH_JOURNAL", &journal_path)
        .env("CRASH_SIM", sim.base_url())
        .env("CRASH_WALLET", scenario.wallet())
        .env("CRASH_PRODUCT", product.as_str())
        .env("CRASH_PAY_AT", pay_at.as_str())
        .env("BKASH_POS_CRASH_AT", point)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("CRASH-POINT") || line.contains("CHILD-DONE") {
                let _ = tx.send(line);
                return;
            }
        }
        let _ = tx.send("EOF".into());
    });
    // The child needs the simulator, which lives on this test's runtime.
    let line =
        tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| "TIMEOUT".into())).await.unwrap();
    let reached = line.contains("CRASH-POINT");
    assert!(reached || line.contains("CHILD-DONE"), "child at {point}/{scenario:?} said {line}");
    child.kill().unwrap(); // SIGKILL: nothing is flushed that a crash would not flush
    child.wait().unwrap();
    if pay_at == PayAt::Phone {
        // The customer does not know the counter died, and finishes on their
        // phone: still nobody may be charged, since Execute was never sent.
        for payment in sim.ledger() {
            let _ = sim.customer_pays(&payment.payment_id, scenario.wallet(), "123456", "12121");
        }
    }

    // Restart on the same journal and recover, with bKash healthy again.
    sim.clear_faults();
    let service = service(&journal_path, &sim.base_url(), product);
    let reconciler = Reconciler::new(service.clone(), 2);
    for _ in 0..3 {
        if reconciler.pass().await.unwrap().still_unknown.is_empty() {
            break;
        }
    }
    let rows = service.in_flight().await.unwrap();
    assert!(rows.is_empty(), "{point}/{scenario:?}: still unsettled after recovery: {rows:?}");

    // The counter reopens the sale with its lines and the payment's outcome;
    // the customer then offers cash, which only an unpaid sale may take.
    let till = Till::new(service.clone(), "C1");
    let reopened = till.unfinished().await.unwrap();
    let sale_lost = usize::from(reopened.as_ref().is_none_or(|(sale, _)| sale.lines != sale_lines()));
    let bkash_paid = reopened.as_ref().and_then(|(_, p)| p.as_ref()).is_some_and(|p| p.state == PaymentState::Completed);
    let cash = till.take_cash("ORDER-1", sale_lines(), 20_000, pos_core::payment::Anyway::No, None).await;
    let tender_wrong = usize::from(bkash_paid == cash.is_ok());

    let journal = Journal::open(&journal_path).unwrap();
    let row = journal.get(1).ok();
    if pay_at == PayAt::Phone && ["phone_waiting", "phone_verified"].contains(&point) {
        let said: Vec<String> = journal.events(1).unwrap().into_iter().filter_map(|e| e.detail).collect();
        assert!(
            said.iter().any(|d| d.contains("the app stopped while the customer was paying on their phone); not charged")),
            "{point}/{scenario:?}: the history says why it was not charged: {said:?}"
        );
    }
    let ledger = sim.ledger();
    let completed: Vec<_> = ledger.iter().filter(|p| p.trx_id.is_some()).collect();
    let journal_trx = row.as_ref().filter(|r| r.state == PaymentState::Completed).and_then(|r| r.trx_id.clone());
    let lost = completed.iter().filter(|p| p.trx_id != journal_trx).count();
    let charged_twice = completed.len().saturating_sub(1);
    let misreported = match &row {
        Some(r) => {
            let truth = ledger.iter().find(|p| Some(&p.payment_id) == r.payment_id.as_ref());
            let charged = truth.is_some_and(|p| p.trx_id.is_some());
            let says_charged = r.state == PaymentState::Completed;
            usize::from(charged != says_charged || (says_charged && truth.and_then(|p| p.trx_id.clone()) != r.trx_id))
        }
        None => usize::from(!completed.is_empty()),
    };
    Cell {
        reached,
        state: row.map(|r| r.state.to_string()).unwrap_or_else(|| "-".into()),
        lost,
        charged_twice,
        misreported,
        sale_lost,
        tender_wrong,
    }
}

/// The matrix for one product: every point × every scenario, as a table.
async fn matrix(product: Product, pay_at: PayAt, points: &[&str], scenarios: &[Scenario]) {
    let place = if pay_at == PayAt::Phone { ", phone" } else { "" };
    let mut table = format!("\n{:<32}", format!("crash point ({product}{place})"));
    for scenario in scenarios {
        table.push_str(&format!(" | {:<16}", scenario.label()));
    }
    table.push_str(&format!("\n{}\n", "-".repeat(32 + 19 * scenarios.len())));
    let (mut lost, mut twice, mut misreported, mut sales_lost, mut tenders_wrong) = (0, 0, 0, 0, 0);
    for point in points {
        let mut line = format!("{point:<32}");
        for scenario in scenarios {
            let cell = run_cell(point, *scenario, product, pay_at).await;
            lost += cell.lost;
            twice += cell.charged_twice;
            misreported += cell.misreported;
            sales_lost += cell.sale_lost;
            tenders_wrong += cell.tender_wrong;
            let mark =
                if cell.lost + cell.charged_twice + cell.misreported + cell.sale_lost + cell.tender_wrong == 0 { "ok" } else { "BAD" };
            let reached = if cell.reached { "" } else { " (n/r)" };
            line.push_str(&format!(" | {:<16}", format!("{} {mark}{reached}", cell.state)));
        }
        table.push_str(&line);
        table.push('\n');
    }
    table.push_str(&format!(
        "lost: {lost}, charged twice: {twice}, misreported: {misreported}, sales or lines lost: {sales_lost}, tender wrong: {tenders_wrong}\n"
    ));
    println!("{table}");
    assert_eq!((lost, twice, misreported, sales_lost, tenders_wrong), (0, 0, 0, 0, 0), "{table}");
}

#[tokio::test]
async fn sigkill_at_every_point_of_the_payment_path_loses_nothing_and_charges_nothing_twice() {
    matrix(Product::Checkout, PayAt::Counter, &POINTS, &SCENARIOS).await;
}

#[tokio::test]
async fn sigkill_at_every_point_of_a_tokenized_payment_loses_nothing_and_charges_nothing_twice() {
    let mut points = POINTS.to_vec();
    points.insert(4, "callback_received");
    matrix(Product::Tokenized, PayAt::Counter, &points, &[Scenario::Success, Scenario::Insufficient, Scenario::Dropped]).await;
}

/// "Waiting on the phone" and "bKash said Complete, Execute not yet
/// committed" close as not charged at restart, even when the customer
/// finishes on their phone while the counter is dead.
#[tokio::test]
async fn sigkill_at_every_point_of_a_payment_on_the_customers_phone_loses_nothing_and_charges_nothing_twice() {
    let mut points = POINTS.to_vec();
    points.splice(4..4, ["phone_waiting", "phone_verified"]);
    matrix(Product::Tokenized, PayAt::Phone, &points, &[Scenario::Success, Scenario::Insufficient, Scenario::Dropped]).await;
}
