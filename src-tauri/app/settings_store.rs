//! The non-secret settings in tauri-plugin-store's `settings.json`, under the
//! key `settings` (read by `settings::load_settings`, which reports a damaged
//! file the plugin would silently ignore). Secrets never go here: see `vault`.

use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

use super::{CommandError, ErrorCode};
use pos_core::bkash::Environment;
use pos_core::money::Secret;
use pos_core::settings::{self, CredentialsForm, CredentialsSummary, FieldError, Settings};
use pos_core::vault::SecretVault;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: Settings,
    /// The stored credentials of the saved environment, without secrets.
    pub credentials: CredentialsSummary,
    pub secrets_kept_in: String,
}

/// `saved` is false when `problems` names fields to fix; nothing was stored.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveOutcome {
    pub saved: bool,
    pub problems: Vec<FieldError>,
    pub restart_needed: bool,
}

/// What a save is checked against: the running app's settings and vault,
/// and whether payments are still being checked (then the environment stays).
pub struct Current {
    pub settings: Settings,
    pub vault: std::sync::Arc<dyn SecretVault>,
    pub payments_being_checked: bool,
}

pub fn save<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> Result<(), String> {
    let store = app.store(settings::SETTINGS_FILE).map_err(|e| e.to_string())?;
    store.set(settings::SETTINGS_KEY, serde_json::to_value(settings).expect("settings serialise"));
    store.save().map_err(|e| format!("the settings could not be saved: {e}"))
}

pub fn view(current: &Settings, vault: &dyn SecretVault) -> Result<SettingsView, CommandError> {
    let environment = current.environment;
    let stored = match environment {
        Environment::Training => None,
        _ => settings::load_credentials(vault, environment, current.product).map_err(|e| CommandError::detailed(ErrorCode::Vault, e))?,
    };
    Ok(SettingsView {
        settings: current.clone(),
        credentials: settings::summarize_credentials(stored.as_ref()),
        secrets_kept_in: vault.describe(),
    })
}

/// Checks everything first and stores nothing unless all of it is valid:
/// credentials into the vault, the rest through `persist` (the store file).
/// The running app keeps its settings until it is restarted.
pub fn apply(
    state: &Current,
    settings: Settings,
    form: CredentialsForm,
    store_password: Option<Secret>,
    persist: impl FnOnce(&Settings) -> Result<(), String>,
) -> Result<SaveOutcome, CommandError> {
    let mut problems = settings.check();
    let mut credentials = None;
    if settings.environment != Environment::Training {
        let stored = settings::load_credentials(state.vault.as_ref(), settings.environment, settings.product)
            .map_err(|e| CommandError::detailed(ErrorCode::Vault, e))?;
        match settings::merge_credentials(&form, stored.as_ref()) {
            Ok(merged) => credentials = Some(merged),
            Err(missing) => problems.extend(missing),
        }
    }
    if problems.is_empty() {
        if let Err(bad) = settings.bkash_config(credentials.clone(), Some("http://127.0.0.1:1")) {
            problems.push(bad);
        }
    }
    if !problems.is_empty() {
        return Ok(SaveOutcome { saved: false, problems, restart_needed: false });
    }
    let switching = settings.environment != state.settings.environment || settings.product != state.settings.product;
    if switching && state.payments_being_checked {
        return Err(CommandError::new(
            ErrorCode::EnvironmentBusy,
            "Some payments are still being checked with bKash. Switch environments once they are settled.",
        ));
    }
    if let Some(credentials) = &credentials {
        settings::store_credentials(state.vault.as_ref(), settings.environment, settings.product, credentials)
            .map_err(|e| CommandError::detailed(ErrorCode::Vault, format!("The credentials could not be stored: {e}")))?;
    }
    // The store database's password goes to the vault with the rest of the
    // secrets; an empty field keeps the stored one, and leaving the store
    // removes it.
    match (&settings.store, store_password.filter(|p| !p.is_empty())) {
        (Some(_), Some(password)) => state.vault.set(settings::STORE_PASSWORD_KEY, &password),
        (None, _) => state.vault.delete(settings::STORE_PASSWORD_KEY),
        (Some(_), None) => Ok(()),
    }
    .map_err(|e| CommandError::detailed(ErrorCode::Vault, format!("The store database's password could not be stored: {e}")))?;
    persist(&settings).map_err(|e| CommandError::detailed(ErrorCode::SettingsFile, e))?;
    tracing::info!(environment = settings.environment.as_str(), "settings saved");
    Ok(SaveOutcome { saved: true, problems: Vec::new(), restart_needed: settings != state.settings })
}
