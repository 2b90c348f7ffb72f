//! The Tauri layer, and the only module that imports `tauri`.
//!
//! Contract: commands are thin (take state, call the core, map the error);
//! windows, capabilities, events and startup live here. No payment logic.

mod commands;
mod error;
mod startup;

pub use error::CommandError;

use tauri::{AppHandle, Manager, Runtime};

/// Builds and runs the app until the last window closes.
pub fn run() {
    let result = tauri::Builder::default()
        // Registered first: a second launch hands over to the first instance
        // and exits before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            tracing::info!("a second launch was refused; focusing the running window");
            focus_main(app);
        }))
        .plugin(tauri_plugin_store::Builder::default().build())
        .invoke_handler(tauri::generate_handler![commands::app_info])
        .setup(|app| {
            startup::start(app.handle())?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("bKash Counter POS could not start: {e}");
        std::process::exit(1);
    }
}

fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
