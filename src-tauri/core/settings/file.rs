//! The settings file in the data folder (tauri-plugin-store's), read at
//! start, and the journal file of each environment.

use super::Settings;
use crate::bkash::Environment;

/// One journal per environment, so training sales never mix with real ones.
pub fn journal_file(environment: Environment) -> &'static str {
    match environment {
        Environment::Production => crate::journal::Journal::FILE_NAME,
        Environment::Sandbox => "sandbox-journal.sqlite3",
        Environment::Training => "training-journal.sqlite3",
    }
}

/// The settings file's name in the data folder (tauri-plugin-store's file).
pub const SETTINGS_FILE: &str = "settings.json";
/// The key under which tauri-plugin-store keeps them in that file.
pub const SETTINGS_KEY: &str = "settings";

/// A new PC: no settings saved and no journal of any environment yet, so
/// the first-run setup is offered. A shop's existing data (a journal from
/// before settings existed, say) is never asked to set up again.
pub fn first_start(data_dir: &std::path::Path) -> bool {
    !data_dir.join(SETTINGS_FILE).exists()
        && [Environment::Training, Environment::Sandbox, Environment::Production].iter().all(|e| !data_dir.join(journal_file(*e)).exists())
}

/// The saved settings in `<data>/settings.json`, or the defaults (Training)
/// and the reason they were not used. A damaged file is left as it is.
pub fn load_settings(data_dir: &std::path::Path) -> (Settings, Option<String>) {
    let path = data_dir.join(SETTINGS_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Settings::default(), None),
        Err(e) => return (Settings::default(), Some(format!("{} cannot be read ({e}); Training mode is used.", path.display()))),
    };
    let parsed = serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| e.to_string()).and_then(|file| {
        serde_json::from_value::<Settings>(file.get(SETTINGS_KEY).cloned().unwrap_or_else(|| serde_json::json!({})))
            .map_err(|e| e.to_string())
    });
    let problem = |why: String| {
        (Settings::default(), Some(format!("{} is damaged ({why}); Training mode is used until Settings are saved.", path.display())))
    };
    match parsed {
        Ok(settings) => match settings.check().first() {
            None => (settings, None),
            Some(bad) => problem(format!("{}: {}", bad.field, bad.message)),
        },
        Err(why) => problem(why),
    }
}
