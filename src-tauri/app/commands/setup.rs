//! The first start on a new PC (no settings file and no journal yet): the
//! shop's setup in one go, with the manager PIN; or Skip, which keeps
//! Training and its defaults; and *Test connection*, one token grant with
//! the credentials being typed (the screen says it costs one).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};

use super::off_runtime;
use crate::app::settings_store;
use crate::app::settings_store::SaveOutcome;
use crate::app::startup::AppState;
use crate::app::{CommandError, ErrorCode};
use pos_core::bkash::{BkashClient, Environment, MemoryTokenStore};
use pos_core::money::Product;
use pos_core::print::PrinterKind;
use pos_core::settings::{merge_credentials, CredentialsForm, FieldError, Settings};
use pos_core::staff::{StaffError, FIRST_MANAGER_NAME};

/// What the first-run screen asks; every other setting keeps its default.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FirstRunForm {
    pub shop_name: String,
    pub counter_id: String,
    #[ts(type = "string")]
    pub pin: pos_core::money::Secret,
    pub environment: Environment,
    pub product: Product,
    pub credentials: CredentialsForm,
    pub printer: PrinterKind,
    pub cups_printer: Option<String>,
    pub escpos_address: Option<String>,
}

impl FirstRunForm {
    fn settings(&self) -> Settings {
        Settings {
            shop_name: self.shop_name.trim().to_string(),
            counter_id: self.counter_id.trim().to_string(),
            environment: self.environment,
            product: self.product,
            printer: self.printer,
            cups_printer: self.cups_printer.clone(),
            escpos_address: self.escpos_address.clone(),
            ..Settings::default()
        }
    }
}

fn already_set_up() -> CommandError {
    CommandError::new(ErrorCode::SetupDone, "This counter is already set up; change it in Settings.")
}

/// Sets the counter up: the settings and credentials are checked together
/// (nothing is stored unless all of them and the PIN are right), then the
/// PIN is set and the settings saved. The app restarts to use them.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn first_run_setup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    form: FirstRunForm,
) -> Result<SaveOutcome, CommandError> {
    if !state.first_run.load(Ordering::SeqCst) {
        return Err(already_set_up());
    }
    let settings = form.settings();
    let current = settings_store::Current { settings: state.settings.clone(), vault: state.vault.clone(), payments_being_checked: false };
    let (staff, pin) = (state.staff.clone(), form.pin.clone());
    let outcome = off_runtime(move || {
        if pos_core::staff::normalise(pin.expose()).is_err() {
            let mut problems = settings.check();
            problems.push(FieldError { field: "pin", message: StaffError::BadPin.to_string() });
            return Ok(SaveOutcome { saved: false, problems, restart_needed: false });
        }
        settings_store::apply(&current, settings, form.credentials, None, |s| {
            // The first manager account; the vault keeps a copy, so the
            // journal of the environment chosen here takes it at the restart.
            match staff.first_manager(FIRST_MANAGER_NAME, pin.expose()) {
                Ok(_) => {}
                // Accounts kept from an earlier install (an OS keyring outlives
                // the data folder): the PIN typed must be a manager's there.
                Err(StaffError::AlreadySetUp) => drop(staff.elevate(pin.expose()).map_err(|e| e.to_string())?),
                Err(e) => return Err(e.to_string()),
            }
            settings_store::save(&app, s)
        })
    })
    .await?;
    if outcome.saved {
        state.first_run.store(false, Ordering::SeqCst);
        tracing::info!("the counter was set up on its first start");
    }
    Ok(SaveOutcome { restart_needed: outcome.saved, ..outcome })
}

/// Skip: the counter stays in Training with the default settings, which are
/// saved so the setup does not come back.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn skip_first_run<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<(), CommandError> {
    if !state.first_run.swap(false, Ordering::SeqCst) {
        return Err(already_set_up());
    }
    let settings = state.settings.clone();
    off_runtime(move || settings_store::save(&app, &settings).map_err(|e| CommandError::detailed(ErrorCode::SettingsFile, e))).await?;
    tracing::info!("the first-run setup was skipped; the counter stays in Training");
    Ok(())
}

/// One token grant with the credentials on the screen, against the chosen
/// environment's bKash. Nothing is stored; the token is dropped.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn test_connection(state: State<'_, AppState>, form: FirstRunForm) -> Result<(), CommandError> {
    if !state.first_run.load(Ordering::SeqCst) {
        return Err(already_set_up());
    }
    let settings = form.settings();
    let credentials = merge_credentials(&form.credentials, None).map_err(|missing| invalid(&missing[0]))?;
    let config = settings.bkash_config(Some(credentials), None).map_err(|bad| invalid(&bad))?;
    let client =
        BkashClient::new(config, Arc::new(MemoryTokenStore::default())).map_err(|e| CommandError::detailed(ErrorCode::Invalid, e))?;
    client.tokens().token().await.map(drop).map_err(|e| CommandError::detailed(ErrorCode::ConnectionFailed, e))
}

fn invalid(problem: &FieldError) -> CommandError {
    CommandError::new(ErrorCode::Invalid, format!("The {} {}.", problem.field, problem.message))
        .with("field", problem.field)
        .with("problem", &problem.message)
}
