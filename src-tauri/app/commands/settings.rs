//! The settings screen (manager only). Reading or storing credentials talks
//! to the OS keyring, and saving writes the settings file: both run off the
//! runtime's threads.

use tauri::{AppHandle, Manager, Runtime, State};

use super::off_runtime;
use crate::app::settings_store::{self, SaveOutcome, SettingsView};
use crate::app::startup::AppState;
use crate::app::{CommandError, ErrorCode};
use pos_core::settings::{CredentialsForm, Settings};

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn get_settings(state: State<'_, AppState>) -> Result<SettingsView, CommandError> {
    super::authorise(&state, pos_core::money::Action::ChangeSettings, None, None).await?;
    let (settings, vault) = (state.settings.clone(), state.vault.clone());
    off_runtime(move || settings_store::view(&settings, vault.as_ref())).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
    credentials: CredentialsForm,
    store_password: Option<pos_core::money::Secret>,
) -> Result<SaveOutcome, CommandError> {
    super::authorise(&state, pos_core::money::Action::ChangeSettings, None, None).await?;
    let current = settings_store::Current {
        settings: state.settings.clone(),
        vault: state.vault.clone(),
        payments_being_checked: !state.recovery.snapshot().checking.is_empty(),
    };
    let config_dir = app.path().config_dir().map_err(|e| CommandError::detailed(ErrorCode::SettingsFile, e))?;
    off_runtime(move || {
        settings_store::apply(&current, settings, credentials, store_password, |s| {
            settings_store::save(&app, s)?;
            start_on_login(&config_dir, s.start_on_login)
        })
    })
    .await
}

/// Start on login takes effect at once: it is the next login's, not this run's.
#[cfg(target_os = "linux")]
fn start_on_login(config_dir: &std::path::Path, on: bool) -> Result<(), String> {
    let exec = std::env::current_exe().map_err(|e| e.to_string())?;
    pos_core::autostart::set(config_dir, on, &exec).map_err(|e| format!("the login start could not be set: {e}"))
}

/// Windows (the `Run` key) and macOS (a login item) are not built yet.
#[cfg(not(target_os = "linux"))]
fn start_on_login(_: &std::path::Path, _: bool) -> Result<(), String> {
    Ok(())
}
