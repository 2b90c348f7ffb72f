//! Tauri commands: each one takes state, calls the core, maps the error.

use serde::Serialize;
use tauri::State;

use super::startup::AppState;
use super::CommandError;

/// What the UI needs to know about this running app.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub environment: &'static str,
    pub moves_real_money: bool,
    pub log_dir: String,
    /// Why payments are stopped, when the journal cannot be used.
    pub journal_error: Option<String>,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    Ok(state.info())
}
