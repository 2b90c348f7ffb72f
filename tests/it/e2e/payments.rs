//! The cashier's counter end to end: the real app, its checkout window with
//! the simulator's checkout.js and frame, and the simulator's ledger as the
//! truth. The simulator runs in this test process (so a test can inject
//! faults and read the ledger, and so it outlives an app that is killed); the
//! app reaches it through the Training URL overrides in `settings.json`,
//! exactly as a manager would point it at a standalone `bkash-sim`.

use std::time::{Duration, Instant};

use bkash_sim::{FaultKind, FaultRule, SimConfig, SimServer};
use pos_core::journal::{JournalRead, JournalReader, PaymentRow};
use pos_core::money::PaymentState;

use super::{keys, AppSession, XdgHome, APP_BIN};

pub const SUCCESS_WALLET: &str = "01770618575";
pub const INSUFFICIENT_WALLET: &str = "01823074817";

pub struct Counter {
    pub app: AppSession,
    pub sim: SimServer,
    main: String,
}

/// Writes the settings a manager would save to use a standalone simulator,
/// with the shop's bKash product (`checkout` or `tokenized`).
pub fn point_at_simulator_as(home: &XdgHome, sim: &SimServer, product: &str) {
    point_at_simulator_with(home, sim, product, serde_json::json!({}));
}

/// The same, with more of the shop's settings (`{"payAt": "phone"}`).
pub fn point_at_simulator_with(home: &XdgHome, sim: &SimServer, product: &str, more: serde_json::Value) {
    std::fs::create_dir_all(home.app_data()).unwrap();
    let mut settings = serde_json::json!({ "settings": {
        "shopName": "Rahim Store",
        "counterId": "C7",
        "environment": "training",
        "product": product,
        "baseUrl": format!("{}/v1.2.0-beta", sim.base_url()),
        "scriptUrl": sim.script_url(),
        "timeoutSecs": 5,
        "connectTimeoutSecs": 2
    }});
    if let (Some(settings), serde_json::Value::Object(more)) = (settings["settings"].as_object_mut(), more) {
        settings.extend(more);
    }
    std::fs::write(home.app_data().join("settings.json"), settings.to_string()).unwrap();
}

impl Counter {
    pub async fn open(test_name: &str) -> Self {
        Self::open_with(test_name, &[]).await
    }

    pub async fn open_with(test_name: &str, env: &[(&str, &str)]) -> Self {
        Self::open_as(test_name, "checkout", env).await
    }

    /// A counter whose shop was given `product` by bKash.
    pub async fn open_as(test_name: &str, product: &str, env: &[(&str, &str)]) -> Self {
        let sim = SimServer::start(SimConfig::default(), 0).await.unwrap();
        let home = XdgHome::fresh(test_name);
        point_at_simulator_as(&home, &sim, product);
        Self::attach(test_name, home, sim, env).await
    }

    /// A Tokenized counter with more settings (where the customer pays, the display…).
    pub async fn open_configured(test_name: &str, more: serde_json::Value, env: &[(&str, &str)]) -> Self {
        Self::open_with_settings(test_name, "tokenized", more, env).await
    }

    /// A counter of `product` with more of the shop's settings (the printer…).
    pub async fn open_with_settings(test_name: &str, product: &str, more: serde_json::Value, env: &[(&str, &str)]) -> Self {
        let sim = SimServer::start(SimConfig::default(), 0).await.unwrap();
        let home = XdgHome::fresh(test_name);
        point_at_simulator_with(&home, &sim, product, more);
        Self::attach(test_name, home, sim, env).await
    }

    /// Starts the app again on the same home and the same simulator.
    pub async fn restart(self, test_name: &str) -> Self {
        let Counter { app, sim, .. } = self;
        drop(app);
        kill_leftover_apps();
        Self::reattach(test_name, sim).await
    }

    /// Starts the app on the home of `test_name`, which is not running.
    pub async fn reattach(test_name: &str, sim: SimServer) -> Self {
        Self::attach(test_name, XdgHome::existing(test_name), sim, &[]).await
    }

    /// A counter on `home` as a test prepared it (settings, vault), paying
    /// through `sim`.
    pub async fn open_home(test_name: &str, home: XdgHome, sim: SimServer, env: &[(&str, &str)]) -> Self {
        Self::attach(test_name, home, sim, env).await
    }

    async fn attach(test_name: &str, home: XdgHome, sim: SimServer, env: &[(&str, &str)]) -> Self {
        let app = AppSession::launch_in(test_name, home, env).await;
        let main = app.client().window_handle().await.unwrap();
        Self { app, sim, main }
    }

    /// Rings up one line from the keyboard and presses F9.
    pub async fn ring_up_and_pay(&self, price: &str) {
        self.ring_up_and_press(price, keys::F9).await;
    }

    /// Rings up one line from the keyboard and presses `key` (F9, F8).
    pub async fn ring_up_and_press(&self, price: &str, key: char) {
        let client = self.app.client();
        let item = self.app.wait_for("[data-testid=item-name]").await;
        client.click(&item).await.unwrap();
        let typed = format!("Tea{}1{}{price}{}", keys::TAB, keys::TAB, keys::ENTER);
        client.send_keys(&item, &typed).await.unwrap();
        self.app.wait_for("[data-testid=order-lines] tbody tr").await;
        let focused = client.active_element().await.unwrap();
        client.send_keys(&focused, &key.to_string()).await.unwrap();
    }

    /// Switches WebDriver to the checkout window once it exists.
    pub async fn to_checkout_window(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let handles = self.app.client().window_handles().await.unwrap();
            if let Some(other) = handles.iter().find(|h| **h != self.main) {
                self.app.client().switch_to_window(other).await.unwrap();
                return;
            }
            assert!(Instant::now() < deadline, "the bKash checkout window did not open");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// In the checkout window: into bKash's frame, once it has loaded.
    pub async fn enter_bkash_frame(&self) {
        let frame = self.app.wait_for("#bKashFrame[src*='/frame/checkout/']").await;
        self.app.client().switch_to_frame(&frame).await.unwrap();
        self.app.wait_for("body[data-ready=true]").await;
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.app.wait_for(css).await;
        self.app.client().click(&field).await.unwrap();
        self.app.client().send_keys(&field, text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        let element = self.app.wait_for(css).await;
        self.app.client().click(&element).await.unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    /// The customer's three steps in bKash's frame: wallet and terms, OTP, PIN.
    pub async fn customer_pays(&self, wallet: &str) {
        self.to_checkout_window().await;
        self.enter_bkash_frame().await;
        self.customer_steps(wallet).await;
        self.to_main().await;
    }

    /// Wallet and terms, OTP, PIN: the same on bKash's frame and on its page.
    async fn customer_steps(&self, wallet: &str) {
        self.type_into("#step-wallet:not([hidden]) #wallet", wallet).await;
        self.click("#terms").await;
        self.click("#proceed").await;
        self.type_into("#step-otp:not([hidden]) #otp", "123456").await;
        self.click("#proceed").await;
        self.type_into("#step-pin:not([hidden]) #pin", "12121").await;
        self.click("#proceed").await;
    }

    /// Tokenized: the customer's steps on bKash's own page, which the
    /// checkout window shows at the top level (no frame), then bKash's page
    /// returns to the shop's callback.
    pub async fn customer_pays_on_bkash_page(&self, wallet: &str) {
        self.on_bkash_page().await;
        self.customer_steps(wallet).await;
        self.to_main().await;
    }

    /// In the checkout window, once bKash's page is ready.
    pub async fn on_bkash_page(&self) {
        self.to_checkout_window().await;
        self.app.wait_for("body[data-ready=true]").await;
    }

    pub async fn to_main(&self) {
        self.app.client().switch_to_window(&self.main).await.unwrap();
    }

    /// Opens the Manager tab, setting the manager PIN on this first use.
    pub async fn first_manager_visit(&self) {
        self.click("[data-testid=tab-manager]").await;
        self.type_into("[data-testid=pin-input]", "4831").await;
        self.type_into("[data-testid=pin-again]", &format!("4831{}", keys::ENTER)).await;
    }

    /// Waits until the pay panel shows `state` (`paid`, `failed`, …).
    pub async fn wait_for_panel(&self, state: &str) {
        self.app.wait_for(&format!("[data-testid=pay-panel][data-state={state}]")).await;
    }

    pub fn journal(&self) -> JournalReader {
        JournalReader::open(&self.app.home.app_data().join(pos_core::settings::journal_file(pos_core::bkash::Environment::Training)))
            .unwrap()
    }

    /// The one payment this counter took.
    pub fn only_payment(&self) -> PaymentRow {
        let rows = self.journal().payments_between(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now() + chrono::Duration::days(1)).unwrap();
        assert_eq!(rows.len(), 1, "expected exactly one payment in the journal: {rows:?}");
        rows.into_iter().next().unwrap()
    }

    pub fn ledger_entry(&self, row: &PaymentRow) -> bkash_sim::Payment {
        let payment_id = row.payment_id.as_deref().expect("the payment has a paymentID");
        self.sim.ledger().into_iter().find(|p| p.payment_id == payment_id).expect("the simulator knows the payment")
    }

    /// With `BKASH_POS_CRASH_AT=execute_answered_not_stored`: bKash has
    /// charged, and the app died before writing that down.
    pub async fn died_after_bkash_charged(&self) {
        eventually_async(Duration::from_secs(20), "bKash to complete the payment", || async {
            self.sim.ledger().iter().any(|p| p.trx_id.is_some())
        })
        .await;
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(self.only_payment().state, PaymentState::Executing, "the journal still says the answer may be on its way");
    }

    pub async fn windows(&self) -> Vec<String> {
        self.app.client().window_handles().await.unwrap()
    }
}

/// A killed WebDriver session can leave the app itself running (it is the
/// WebKit driver's child); make sure no app holds the instance lock.
pub fn kill_leftover_apps() {
    let _ = std::process::Command::new("pkill").args(["-KILL", "-f", APP_BIN]).status();
    std::thread::sleep(Duration::from_millis(300));
}

pub async fn eventually_async<F: std::future::Future<Output = bool>>(limit: Duration, what: &str, mut check: impl FnMut() -> F) {
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out after {limit:?} waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_success_wallet_pays_and_the_receipt_shows_the_trx_id_the_journal_and_bkash_agree_on() {
    let counter = Counter::open("pay_success").await;
    counter.ring_up_and_pay("250.50").await;
    counter.to_checkout_window().await;
    counter.enter_bkash_frame().await;
    super::screenshot_display("05-checkout-window-bkash-frame");
    counter.to_main().await;
    counter.customer_pays(SUCCESS_WALLET).await;

    counter.wait_for_panel("paid").await;
    let trx_on_receipt = counter.app.text_of("[data-testid=receipt-trxid]").await;
    assert_eq!(counter.app.text_of("[data-testid=receipt-amount]").await, "৳250.50");
    assert_eq!(counter.app.text_of("[data-testid=receipt-wallet]").await, "017XXXXX575");
    super::screenshot_display("06-paid-receipt");

    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Completed);
    assert_eq!(row.trx_id.as_deref(), Some(trx_on_receipt.as_str()));
    assert_eq!(row.amount_poisha, 25050);
    let ledger = counter.ledger_entry(&row);
    assert_eq!(ledger.trx_id, row.trx_id, "the journal's trxID is bKash's");
    assert_eq!(ledger.amount_poisha, 25050);
    // The checkout window closed itself once the payment settled.
    eventually_async(Duration::from_secs(10), "the checkout window to close", || async { counter.windows().await.len() == 1 }).await;
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn the_insufficient_balance_wallet_gets_bkash_reason_and_nothing_is_charged() {
    let counter = Counter::open("pay_insufficient").await;
    counter.ring_up_and_pay("99").await;
    counter.customer_pays(INSUFFICIENT_WALLET).await;

    counter.wait_for_panel("failed").await;
    let reason = counter.app.text_of("[data-testid=payment-reason]").await;
    assert!(reason.contains("balance is too low") && reason.contains("2023"), "{reason}");
    // The order stays open: Try again starts a new payment.
    assert_eq!(counter.app.text_of("[data-testid=pay-bkash]").await, "Try again (F9)");
    super::screenshot_display("07-insufficient-balance");

    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Failed);
    assert_eq!(row.bkash_code.as_deref(), Some("2023"));
    let ledger = counter.ledger_entry(&row);
    assert_eq!(ledger.trx_id, None, "bKash charged nothing");
    assert_ne!(format!("{:?}", ledger.transaction_status), "Completed");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn the_customer_closes_bkash_frame_and_the_payment_is_cancelled() {
    let counter = Counter::open("pay_cancelled").await;
    counter.ring_up_and_pay("120").await;
    counter.to_checkout_window().await;
    counter.enter_bkash_frame().await;
    counter.click("#close").await;
    counter.click("#yes_button").await;
    counter.to_main().await;

    counter.wait_for_panel("cancelled").await;
    assert_eq!(counter.app.text_of("[data-testid=payment-status-title]").await, "Cancelled");
    super::screenshot_display("08-customer-closed-frame");
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Cancelled);
    assert_eq!(counter.ledger_entry(&row).trx_id, None);
    eventually_async(Duration::from_secs(10), "the checkout window to close", || async { counter.windows().await.len() == 1 }).await;
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_dropped_execute_answer_shows_checking_with_bkash_and_then_the_ledger_truth() {
    let counter = Counter::open("pay_dropped_execute").await;
    counter.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    counter.ring_up_and_pay("480").await;
    counter.customer_pays(SUCCESS_WALLET).await;

    counter.wait_for_panel("checking").await;
    assert_eq!(counter.app.text_of("[data-testid=payment-status-title]").await, "Checking with bKash");
    assert!(counter.app.client().find_all("[data-testid=pay-bkash]").await.unwrap().is_empty(), "the sale cannot be paid twice");
    super::screenshot_display("09-checking-with-bkash");
    assert_eq!(counter.only_payment().state, PaymentState::Unknown);

    // bKash did charge; Query finds it without anyone clicking.
    counter.wait_for_panel("paid").await;
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Completed);
    assert_eq!(counter.ledger_entry(&row).trx_id, row.trx_id);
    assert_eq!(counter.app.text_of("[data-testid=receipt-trxid]").await, row.trx_id.clone().unwrap());
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn the_app_killed_while_executing_reconciles_on_restart_without_a_click() {
    let name = "pay_killed_while_executing";
    let counter = Counter::open_with(name, &[("BKASH_POS_CRASH_AT", "execute_answered_not_stored")]).await;
    counter.ring_up_and_pay("730").await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.died_after_bkash_charged().await;

    let counter = counter.restart(name).await;
    let outcome = counter.app.wait_for("[data-testid=recovery-entry-resolved][data-state=completed]").await;
    let text = counter
        .app
        .client()
        .execute("return arguments[0].innerText", vec![serde_json::json!({"element-6066-11e4-a52e-4f735466cecf": outcome.0})])
        .await
        .unwrap();
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Completed);
    let ledger = counter.ledger_entry(&row);
    assert_eq!(ledger.trx_id, row.trx_id);
    assert!(text.as_str().unwrap().contains(row.trx_id.as_deref().unwrap()), "the banner names the trxID: {text}");
    // The token pair survived the kill in the vault: the restart spent no grant.
    assert_eq!(counter.sim.stats().calls.get("checkout.token.grant").copied(), Some(1));
    super::screenshot_display("10-recovered-after-kill");
    counter.app.close().await;
}
