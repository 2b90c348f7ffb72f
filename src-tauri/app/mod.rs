//! The Tauri layer, and the only module that imports `tauri`.
//!
//! Contract: commands are thin (take state, call the core, map the error);
//! windows, capabilities, events and startup live here. No payment logic.

mod commands;
mod error;
mod events;
mod exports;
#[cfg(target_os = "linux")]
mod pdf;
mod settings_store;
mod startup;
mod windows;

pub use commands::{
    AppInfo, CheckoutContext, CheckoutCreated, DayQuery, EodView, RefundRequest, ResolveOutcome, ResolveRequest, SaveOutcome, SettingsView,
};
pub use error::CommandError;
pub use startup::APP_ID;
pub use windows::CHECKOUT_LABEL;

use tauri::{Manager, WindowEvent};

include!("command_list.rs");

/// WebKitGTK switches the app sets for itself unless the environment already
/// says otherwise. A counter PC's weak GPU or missing driver is the commonest
/// cause of a blank or flickering WebKitGTK window (the DMA-BUF renderer on
/// NVIDIA, compositing on old Intel chips); these screens have no animation
/// that needs either, and without compositing WebKit uses about 85 MB less
/// (measured: `cargo bench --bench launch`).
pub const WEBKIT_SWITCHES: &[(&str, &str)] = &[("WEBKIT_DISABLE_COMPOSITING_MODE", "1"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1")];

/// Builds and runs the app until the last window closes.
pub fn run() {
    for (name, value) in WEBKIT_SWITCHES {
        if std::env::var_os(name).is_none() {
            // Before any thread or GTK starts: nothing else reads the environment yet.
            std::env::set_var(name, value);
        }
    }
    let result = tauri::Builder::default()
        // Registered first: a second launch hands over to the first instance
        // and exits before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            tracing::info!("a second launch was refused; focusing the running window");
            events::focus_main(app);
        }))
        .plugin(tauri_plugin_store::Builder::default().build())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::cashier_ready,
            commands::journal_damage,
            commands::pay,
            commands::cancel_payment,
            commands::payment,
            commands::recovery_status,
            commands::bkash_status,
            commands::get_settings,
            commands::save_settings,
            commands::restart_app,
            commands::manager_status,
            commands::manager_set_pin,
            commands::manager_unlock,
            commands::manager_lock,
            commands::manager_change_pin,
            commands::day_view,
            commands::payment_history,
            commands::refund_payment,
            commands::check_payment,
            commands::check_refund,
            commands::resolve_payment,
            commands::end_of_day,
            commands::close_day,
            commands::export_day,
            commands::checkout_context,
            commands::checkout_create,
            commands::checkout_execute,
            commands::checkout_cancel,
        ])
        .on_window_event(|window, event| {
            // The cashier closed bKash's window: like the customer's close,
            // unless execute has already been sent.
            if window.label() == CHECKOUT_LABEL && matches!(event, WindowEvent::Destroyed) {
                if let Ok(payments) = &window.state::<startup::AppState>().payments {
                    if let Err(e) = payments.desk.cancel("the checkout window was closed before the customer paid") {
                        tracing::warn!(error = %e, "closing the checkout window could not cancel its payment");
                    }
                }
            }
        })
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
