//! Startup: data folder, logging, the single-instance lock, managed state.

use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Manager, Runtime};

use super::commands::AppInfo;
use crate::bkash::Environment;
use crate::instance::InstanceLock;
use crate::journal::Journal;
use crate::logging::{self, LogGuard};
use crate::sim::{SimConfig, SimServer};

/// Everything the commands share. Held for the life of the app.
pub struct AppState {
    pub environment: Environment,
    /// Training mode's embedded bKash, on 127.0.0.1 and a free port. Held
    /// here so it lives as long as the app; the bKash client will use its URL.
    _training_sim: Option<SimServer>,
    /// The payment journal, or why it could not be opened. Without it the
    /// app takes no payments: nothing may be charged that is not written.
    pub journal: Result<Arc<Mutex<Journal>>, String>,
    log: LogGuard,
    _lock: InstanceLock,
}

impl AppState {
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION"),
            environment: self.environment.as_str(),
            moves_real_money: self.environment.moves_real_money(),
            log_dir: self.log.dir.display().to_string(),
            journal_error: self.journal.as_ref().err().cloned(),
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
            tracing::error!("{e}");
            eprintln!("{e}");
            std::process::exit(3);
        }
    };
    let environment = Environment::default();
    let training_sim = match environment {
        Environment::Training => Some(tauri::async_runtime::block_on(SimServer::start(SimConfig::default(), 0))?),
        _ => None,
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        environment = environment.as_str(),
        data_dir = %data_dir.display(),
        training_bkash = %training_sim.as_ref().map(|s| s.base_url()).unwrap_or_default(),
        "bKash Counter POS started"
    );
    // Opened after the instance lock, so only one process ever writes it. A
    // journal that cannot be opened is reported and left exactly as it is.
    let journal = Journal::open(&data_dir.join(Journal::FILE_NAME)).map(|j| Arc::new(Mutex::new(j))).map_err(|e| {
        tracing::error!(error = %e, "the payment journal cannot be used; payments are stopped");
        e.to_string()
    });
    app.manage(AppState { environment, _training_sim: training_sim, journal, log, _lock: lock });
    // The window is created only now, after the lock is held, so a refused
    // second instance never flashes a window of its own.
    let config = app.config().app.windows.iter().find(|w| w.label == "main").ok_or("tauri.conf.json has no `main` window")?;
    tauri::WebviewWindowBuilder::from_config(app, config)?.build()?;
    Ok(())
}
