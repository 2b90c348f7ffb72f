//! Startup: data folder, logging, the single-instance lock, settings,
//! secrets, bKash, the journal, recovery, then the main window.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::bkash::{BkashClient, BkashConfig, Environment};
use crate::instance::InstanceLock;
use crate::journal::{DeferredCheck, Journal, JournalHealth, JournalRead, PaymentRow};
use crate::logging::{self, LogGuard};
use crate::money::Product;
use crate::payment::{CheckoutDesk, PaymentService};
use crate::reconcile::{Reconciler, RecoveryBoard};
use crate::settings::{self, Settings};
use crate::sim::{SimConfig, SimServer};
use crate::vault::{self, SecretVault, VaultTokenStore};

/// The tauri.conf.json `identifier`, also the keyring's service name.
pub const APP_ID: &str = "bd.counterpos.bkash";

/// What takes payments, when everything it needs could be opened.
pub struct Payments {
    pub desk: Arc<CheckoutDesk>,
    /// The writer, for what is not a payment step (closing a day). Every use
    /// locks it on a blocking thread, as `PaymentService` does.
    pub journal: Arc<Mutex<Journal>>,
    pub reconciler: Arc<Reconciler>,
    pub config: BkashConfig,
    /// The checkout window's CSP, built from the configured bKash origins.
    pub checkout_csp: String,
    /// A second, read-only connection for the manager's screens, so reading
    /// a day never waits behind a payment's write.
    pub reader: Mutex<crate::journal::JournalReader>,
    /// What the integrity check running beside the counter has found.
    pub health: Arc<JournalHealth>,
    /// Prints receipts and journals where they printed.
    pub receipts: Arc<crate::print::ReceiptPrinter>,
    /// Sales with their lines, cash, the catalogue.
    pub till: Arc<crate::till::Till>,
    /// The store's PostgreSQL, when this counter belongs to one.
    pub store: Option<Arc<StoreLink>>,
}

/// This counter's link to its store: the sync thread and what the manager's
/// store screens read with.
pub struct StoreLink {
    pub sync: crate::store::SyncThread,
    pub config: crate::store::StoreConfig,
    /// The manager's store screens read through this.
    pub reader: Arc<crate::store::day::StoreReader>,
    /// Checks and resolutions of any payment of the store.
    pub actions: Arc<crate::store::actions::StoreActions>,
    /// Other counters' actions on this counter's payments, found by the
    /// sync; taken once by `events::start`, which carries them out.
    pub inbox: Mutex<Option<tokio::sync::mpsc::Receiver<Vec<crate::store::actions::ActionRequest>>>>,
}

impl StoreLink {
    /// Who acts, as the store's records name a manager at this counter.
    pub fn manager_here(&self) -> String {
        format!("manager at counter {}", self.config.counter_id)
    }
}

/// Sent to the main window when the integrity check finds the journal
/// damaged after the counter is up: the reason, for the stopped banner.
pub const JOURNAL_DAMAGED_EVENT: &str = "journal-damaged";
/// The program holding the journal's lock (a string), or `null` once it let go.
pub const JOURNAL_LOCKED_EVENT: &str = "journal-locked";
/// How often the journal's lock is looked at: a cashier who closed the other
/// program sees the counter back within this.
const LOCK_WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Everything the commands share. Held for the life of the app.
pub struct AppState {
    pub settings: Settings,
    /// Why the saved settings were not used, when they could not be read.
    pub settings_problem: Option<String>,
    /// Takes payments, or says why the counter cannot.
    pub payments: Result<Payments, String>,
    pub vault: Arc<dyn SecretVault>,
    pub recovery: Arc<RecoveryBoard>,
    /// Shared with the blocking threads that check the PIN (Argon2).
    pub manager: Arc<crate::manager_pin::ManagerSession>,
    /// A new PC's first start (no settings file, no journal): the setup is
    /// shown until it is done or skipped.
    pub first_run: std::sync::atomic::AtomicBool,
    /// Training mode's embedded bKash, on 127.0.0.1 and a free port.
    _training_sim: Option<SimServer>,
    /// Training with phone access: where phones reach the practice page.
    training_phone_page: Option<String>,
    /// What the customer display shows (when the shop has one).
    pub customer_display: super::customer_display::CustomerDisplay,
    log: LogGuard,
    /// Tells the integrity check that the cashier screen is up.
    counter_up: Mutex<Option<std::sync::mpsc::Sender<()>>>,
    _lock: InstanceLock,
}

/// Open once `AppState` is managed. The main window is built before the
/// journal and the simulator are ready; the first command it sends
/// (`app_info`) waits here, and no other is sent before that answers.
pub struct StartGate(tokio::sync::watch::Sender<bool>);

impl StartGate {
    pub async fn opened(&self) {
        let _ = self.0.subscribe().wait_for(|open| *open).await;
    }
}

/// The full integrity check waits for the cashier's first screen, or this
/// long when no screen says so, so it never competes with the start-up.
const CHECK_AFTER_AT_MOST: std::time::Duration = std::time::Duration::from_secs(3);

impl AppState {
    /// The cashier screen is up: the deferred integrity check may start.
    pub fn counter_is_up(&self) {
        if let Some(up) = self.counter_up.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = up.send(());
        }
    }

    /// The banner's sentence, once the deferred integrity check found damage.
    pub fn journal_damage(&self) -> Option<String> {
        Some(self.payments.as_ref().ok()?.health.damaged()?.to_string())
    }

    /// The program holding the journal's lock, while one does.
    pub fn journal_locked(&self) -> Option<String> {
        self.payments.as_ref().ok()?.health.locked_by()
    }

    pub fn log_dir(&self) -> String {
        self.log.dir.display().to_string()
    }

    /// The address phones on the shop's Wi-Fi open the practice page at
    /// (Training with phone access on), for the banner.
    pub fn training_phone_address(&self) -> Option<String> {
        self.training_phone_page.clone()
    }
}

/// Training with phone access: opens the simulator's payment page on this
/// PC's network address. A PC with no network says so in the settings
/// banner and keeps the page on loopback.
fn open_to_phones(sim: &SimServer, problem: &mut Option<String>) -> Option<String> {
    let opened = crate::sim::lan_address().and_then(|ip| tauri::async_runtime::block_on(sim.open_to_phones(ip)));
    match opened {
        Ok(base) => Some(base),
        Err(e) => {
            tracing::warn!(error = %e, "phones cannot reach the practice payment page");
            let why = format!("Phones cannot reach the practice payment page: {e}.");
            *problem = Some(problem.take().map_or(why.clone(), |p| format!("{p} {why}")));
            None
        }
    }
}

pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = app.path().app_data_dir()?;
    let log = logging::init(&data_dir.join("logs"))?;
    let lock = match InstanceLock::acquire(&data_dir) {
        Ok(lock) => lock,
        Err(e) => {
            // The desktop single-instance hand-over did not happen (no session
            // bus), but the file lock still keeps the journal to one process.
            // The person who double-clicked sees why nothing opened.
            tracing::error!("{e}");
            eprintln!("{e}");
            super::windows::tell_already_running(&e.to_string());
            std::process::exit(3);
        }
    };
    // The window is created as soon as the lock is held (so a refused second
    // instance never flashes a window of its own), before the journal and
    // Training's simulator are opened: WebKit starts its processes and loads
    // the page meanwhile, and `app_info` waits at the gate until they are.
    let gate = StartGate(tokio::sync::watch::channel(false).0);
    app.manage(gate);
    let config = app.config().app.windows.iter().find(|w| w.label == "main").ok_or("tauri.conf.json has no `main` window")?;
    tauri::WebviewWindowBuilder::from_config(app, config)?
        .on_page_load(|window, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                tracing::info!(window = window.label(), "page loaded");
            }
        })
        .build()?;
    // Before anything writes into the data folder: nothing of a shop is there yet.
    let first_run = settings::first_start(&data_dir);
    let (settings, mut settings_problem) = settings::load_settings(&data_dir);
    let vault = vault::open_vault(APP_ID, &data_dir, &app.path().app_config_dir()?);
    let training_sim = match settings.environment {
        Environment::Training if !settings.uses_external_simulator() => {
            Some(tauri::async_runtime::block_on(SimServer::start(SimConfig::default(), 0))?)
        }
        _ => None,
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        environment = settings.environment.as_str(),
        data_dir = %data_dir.display(),
        training_bkash = %training_sim.as_ref().map(|s| s.base_url()).unwrap_or_default(),
        secrets = %vault.describe(),
        "bKash Counter POS started"
    );
    let training_phone_page = match &training_sim {
        Some(sim) if settings.training_phone_access => open_to_phones(sim, &mut settings_problem),
        _ => None,
    };
    let recovery = Arc::new(RecoveryBoard::default());
    let sim_base = training_sim.as_ref().map(|s| s.base_url());
    let opened = open_payments(&data_dir, &settings, vault.clone(), sim_base.as_deref(), training_phone_page.as_deref());
    let (payments, unsettled, integrity) = match opened {
        Ok((payments, rows, check)) => (Ok(payments), rows, Some(check)),
        Err(reason) => {
            tracing::error!(%reason, "payments are stopped");
            (Err(reason), Vec::new(), None)
        }
    };
    for row in &unsettled {
        recovery.track(row);
    }
    if let Ok(p) = &payments {
        super::events::start(app, p, recovery.clone(), unsettled);
        if settings.printer == crate::print::PrinterKind::Escpos {
            p.receipts.warm_up();
        }
    }
    let manager = Arc::new(crate::manager_pin::ManagerSession::new(vault.clone(), Arc::new(crate::money::SystemClock)));
    let health = payments.as_ref().ok().map(|p| p.health.clone());
    let (counter_up, wait_for_counter) = std::sync::mpsc::channel();
    app.manage(AppState {
        first_run: std::sync::atomic::AtomicBool::new(first_run),
        settings,
        settings_problem,
        payments,
        vault,
        recovery,
        manager,
        _training_sim: training_sim,
        training_phone_page,
        customer_display: Default::default(),
        log,
        counter_up: Mutex::new(Some(counter_up)),
        _lock: lock,
    });
    app.state::<StartGate>().0.send_replace(true);
    if app.state::<AppState>().settings.customer_display {
        super::windows::open_customer_display(app);
    }
    // The full integrity check reads the whole journal, so it runs beside the
    // working counter instead of in front of it; damage stops new payments
    // (the journal refuses them) and shows the same banner as damage at open.
    // Another program holding the journal's lock (an sqlite3 shell, a backup
    // tool) stops new sales and payments the way damage does, with a banner
    // naming it, and the counter comes back by itself once it lets go.
    if let Ok(journal) = app.state::<AppState>().payments.as_ref().map(|p| p.journal.clone()) {
        let app = app.clone();
        std::thread::Builder::new().name("journal-lock-watch".into()).spawn(move || {
            let mut last = None;
            loop {
                let now = journal.lock().unwrap_or_else(|p| p.into_inner()).probe_write_lock().unwrap_or(None);
                if now != last {
                    let _ = app.emit_to("main", JOURNAL_LOCKED_EVENT, now.clone());
                    last = now;
                }
                std::thread::sleep(LOCK_WATCH_EVERY);
            }
        })?;
    }
    if let (Some(check), Some(health)) = (integrity, health) {
        let app = app.clone();
        std::thread::Builder::new().name("journal-check".into()).spawn(move || {
            let _ = wait_for_counter.recv_timeout(CHECK_AFTER_AT_MOST);
            let started = std::time::Instant::now();
            if check.run().is_ok() {
                tracing::info!(took_ms = started.elapsed().as_millis() as u64, "the journal's integrity check passed");
            } else if let Some(damaged) = health.damaged() {
                let _ = app.emit_to("main", JOURNAL_DAMAGED_EVENT, damaged.to_string());
            }
        })?;
    }
    Ok(())
}

/// The client of the product the shop does not take new payments with, when
/// it can be built (Training always; elsewhere when its credentials are
/// stored): a shop that changed product still checks and refunds the
/// payments the old one made, each with its own product.
fn other_product_client(settings: &Settings, vault: Arc<dyn SecretVault>, sim_base: Option<&str>) -> Option<BkashClient> {
    let product = match settings.product {
        Product::Checkout => Product::Tokenized,
        Product::Tokenized => Product::Checkout,
    };
    let environment = settings.environment;
    let credentials = match environment {
        Environment::Training => None,
        _ => Some(settings::load_credentials(vault.as_ref(), environment, product).ok()??),
    };
    let config = Settings { product, ..settings.clone() }.bkash_config(credentials, sim_base).ok()?;
    BkashClient::new(config, Arc::new(VaultTokenStore::new(vault, environment, product))).ok()
}

/// The bKash client, the journal and the desk, plus the payments left
/// unsettled by the last run. Each failure is a sentence for the banner.
fn open_payments(
    data_dir: &Path,
    settings: &Settings,
    vault: Arc<dyn SecretVault>,
    sim_base: Option<&str>,
    training_phone_page: Option<&str>,
) -> Result<(Payments, Vec<PaymentRow>, DeferredCheck), String> {
    let environment = settings.environment;
    let credentials = match environment {
        Environment::Training => None,
        _ => settings::load_credentials(vault.as_ref(), environment, settings.product)
            .map_err(|e| format!("the bKash credentials cannot be read: {e}"))?,
    };
    let mut config = settings.bkash_config(credentials, sim_base).map_err(|e| e.message)?;
    config.training_phone_page = training_phone_page.map(str::to_string);
    // Opened after the instance lock, so only one process ever writes it. A
    // journal that cannot be opened is reported and left exactly as it is.
    let (journal, integrity) =
        Journal::open_deferring_check(&data_dir.join(settings::journal_file(environment))).map_err(|e| e.to_string())?;
    let health = journal.health();
    let mut journal = journal;
    // Before the first screen: a lock held at start shows its banner at once.
    if let Err(e) = journal.probe_write_lock() {
        tracing::warn!(error = %e, "the journal's lock could not be looked at");
    }
    let reader = crate::journal::JournalReader::beside(&journal).map_err(|e| e.to_string())?;
    // Read before any window exists: every row here is left over from the
    // last run, never a payment a cashier has just started.
    let unsettled = journal.in_flight().map_err(|e| e.to_string())?;
    let local_tokens: Arc<dyn crate::bkash::TokenStore> = Arc::new(VaultTokenStore::new(vault.clone(), environment, settings.product));
    let store = match settings.store_config(&config.credentials.username) {
        Some(mut store) => {
            // Every connection to the store checks that this journal holds
            // the counter id, so a second PC set up as this counter acts on nothing.
            store.install_id = Some(journal.install_id().map_err(|e| format!("the journal's identity cannot be read: {e}"))?);
            let password = vault
                .get(settings::STORE_PASSWORD_KEY)
                .map_err(|e| format!("the store database's password cannot be read: {e}"))?
                .unwrap_or_default();
            Some((store, password))
        }
        None => None,
    };
    // In a store, the merchant's one token pair is the store's (sealed in
    // PostgreSQL); this counter's vault keeps its copy for offline use.
    let tokens: Arc<dyn crate::bkash::TokenStore> = match &store {
        Some((store, password)) => Arc::new(crate::store::tokens::StoreTokenStore::new(
            store.clone(),
            password.clone(),
            environment,
            &config.credentials.app_secret,
            local_tokens,
            Arc::new(crate::money::SystemClock),
        )),
        None => local_tokens,
    };
    let client = BkashClient::new(config.clone(), tokens).map_err(|e| e.to_string())?;
    let journal_path = journal.path().to_path_buf();
    let journal = Arc::new(Mutex::new(journal));
    let mut service = PaymentService::new(journal.clone(), Arc::new(client), Arc::new(crate::money::SystemClock));
    if let Some(other) = other_product_client(settings, vault, sim_base) {
        service = service.with_client(Arc::new(other));
    }
    if let Some((store, password)) = &store {
        service = service.with_refund_gate(Arc::new(crate::store::refunds::StoreRefundGate::new(store.clone(), password.clone())));
    }
    let service = Arc::new(service);
    let reconciler = Arc::new(Reconciler::new(service.clone(), 4));
    let store = match store {
        Some((store, password)) => {
            let (inbox_tx, inbox) = tokio::sync::mpsc::channel(1);
            let pusher =
                crate::store::OutboxPusher::new(store.clone(), password.clone(), &journal_path, Arc::new(crate::money::SystemClock))
                    .map_err(|e| format!("the store sync cannot start: {e}"))?
                    .with_inbox(inbox_tx);
            let sync = crate::store::SyncThread::start(pusher).map_err(|e| format!("the store sync cannot start: {e}"))?;
            let reader = Arc::new(crate::store::day::StoreReader::new(store.clone(), password));
            let actions = crate::store::actions::StoreActions::new(service.clone(), reconciler.clone(), reader.clone(), &store.counter_id)
                .with_nudge(sync.nudger());
            Some(Arc::new(StoreLink { sync, config: store, reader, actions: Arc::new(actions), inbox: Mutex::new(Some(inbox)) }))
        }
        None => None,
    };
    let shop = crate::print::Shop {
        name: settings.shop_name.clone(),
        counter: settings.counter_id.clone(),
        not_real: (!environment.moves_real_money()).then(|| environment.as_str().to_uppercase()),
    };
    Ok((
        Payments {
            receipts: Arc::new(crate::print::ReceiptPrinter::new(service.clone(), shop)),
            desk: Arc::new(CheckoutDesk::new(service.clone(), &settings.counter_id)),
            till: Arc::new(crate::till::Till::new(service.clone(), &settings.counter_id)),
            journal,
            reconciler,
            checkout_csp: settings::checkout_csp(&config),
            config,
            reader: Mutex::new(reader),
            health,
            store,
        },
        unsettled,
        integrity,
    ))
}
