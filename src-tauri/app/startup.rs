//! Startup: data folder, logging, the single-instance lock, settings,
//! secrets, bKash, the journal, recovery, then the main window.

use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Emitter, Manager, Runtime};

use bkash_sim::{SimConfig, SimServer};
use pos_core::bkash::Environment;
use pos_core::instance::InstanceLock;
use pos_core::logging::{self, LogGuard};
use pos_core::reconcile::RecoveryBoard;
use pos_core::settings::{self, Settings};
use pos_core::vault::{self, SecretVault};

pub use pos_core::APP_ID;

pub use pos_core::counter::StoreLink;
use pos_core::counter::{Counter, StartProblem};

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
    pub payments: Result<Counter, StartProblem>,
    pub vault: Arc<dyn SecretVault>,
    pub recovery: Arc<RecoveryBoard>,
    /// Staff accounts and who is signed in: the counter's, or, while the
    /// counter is stopped, the managers of the vault's copy (to reach the
    /// settings). Shared with the blocking threads that check PINs (Argon2).
    pub staff: Arc<pos_core::staff::Staff>,
    /// A new PC's first start (no settings file, no journal): the setup is
    /// shown until it is done or skipped.
    pub first_run: std::sync::atomic::AtomicBool,
    /// Training mode's embedded bKash, on 127.0.0.1 and a free port.
    _training_sim: Option<SimServer>,
    /// Training with phone access: where phones reach the practice page.
    training_phone_page: Option<String>,
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
    let opened = bkash_sim::lan_address().and_then(|ip| tauri::async_runtime::block_on(sim.open_to_phones(ip)));
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
            super::windows::main_window::tell_already_running(&e.to_string());
            std::process::exit(3);
        }
    };
    // The window is created as soon as the lock is held (so a refused second
    // instance never flashes a window of its own), before the journal and
    // Training's simulator are opened: WebKit starts its processes and loads
    // the page meanwhile, and `app_info` waits at the gate until they are.
    let gate = StartGate(tokio::sync::watch::channel(false).0);
    app.manage(gate);
    let config = app.config().app.windows.iter().find(|w| w.label == super::MAIN_LABEL).ok_or("tauri.conf.json has no `main` window")?;
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
    let mut counter = Counter::builder(&data_dir, settings.clone(), vault.clone()).training_phone_page(training_phone_page.as_deref());
    if let Some(base) = &sim_base {
        counter = counter.training_bkash(base);
    }
    let (payments, unsettled, integrity) = match counter.open() {
        Ok(opened) => (Ok(opened.counter), opened.unsettled, Some(opened.integrity)),
        Err(problem) => {
            tracing::error!(reason = %problem, "payments are stopped");
            (Err(problem), Vec::new(), None)
        }
    };
    for row in &unsettled {
        recovery.track(row);
    }
    if let Ok(p) = &payments {
        super::events::start(app, p, recovery.clone(), unsettled);
        if settings.printer == pos_core::print::PrinterKind::Escpos {
            p.receipts.warm_up();
        }
    }
    let staff = match &payments {
        Ok(p) => p.staff.clone(),
        Err(_) => Arc::new(pos_core::staff::Staff::stopped(vault.clone(), Arc::new(pos_core::money::SystemClock))),
    };
    let health = payments.as_ref().ok().map(|p| p.health.clone());
    let (counter_up, wait_for_counter) = std::sync::mpsc::channel();
    app.manage(super::windows::customer_display::CustomerDisplay::new(settings.customer_display, &settings.shop_name));
    app.manage(AppState {
        first_run: std::sync::atomic::AtomicBool::new(first_run),
        settings,
        settings_problem,
        payments,
        vault,
        recovery,
        staff,
        _training_sim: training_sim,
        training_phone_page,
        log,
        counter_up: Mutex::new(Some(counter_up)),
        _lock: lock,
    });
    app.state::<StartGate>().0.send_replace(true);
    if app.state::<AppState>().settings.customer_display {
        super::windows::customer_display::open(app);
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
                    let _ = app.emit_to(super::MAIN_LABEL, JOURNAL_LOCKED_EVENT, now.clone());
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
                let _ = app.emit_to(super::MAIN_LABEL, JOURNAL_DAMAGED_EVENT, damaged.to_string());
            }
        })?;
    }
    Ok(())
}
