//! The Tauri layer, and the only module that imports `tauri`.
//!
//! Contract: commands are thin (take state, call the core, map the error)
//! and live in `commands/` by domain, each traced and never blocking the
//! runtime; windows, capabilities, events and startup live here. No payment
//! logic. Every failure is a `CommandError` with an `ErrorCode` the UI words
//! in the user's language; every type the UI sees is generated into
//! `ui/src/generated/types.ts` (`typescript.rs`).

pub mod commands;
mod error;
mod events;
#[cfg(target_os = "linux")]
mod pdf;
mod settings_store;
mod startup;
pub mod typescript;
mod windows;

pub use commands::checkout::{CancelReason, CheckoutContext, CheckoutCreated};
pub use commands::counter::AppInfo;
pub use commands::manager::{DayQuery, RefundRequest, ResolveOutcome, ResolveRequest};
pub use commands::reports::{EodView, ExportFormat};
pub use error::{CommandError, ErrorCode};
pub use settings_store::{SaveOutcome, SettingsView};
pub use startup::APP_ID;
pub use windows::{CHECKOUT_LABEL, CUSTOMER_DISPLAY_LABEL, MAIN_LABEL};

use commands::{checkout, counter, manager, printing, reports, settings, setup, staff, store, till};
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
            windows::main_window::bring_forward(app);
        }))
        .plugin(tauri_plugin_store::Builder::default().build())
        .invoke_handler(tauri::generate_handler![
            counter::app_info,
            counter::cashier_ready,
            counter::journal_damage,
            counter::journal_locked,
            counter::pay,
            counter::pay_on_phone,
            counter::phone_qr_shown,
            counter::customer_display,
            counter::cancel_payment,
            counter::payment,
            counter::recovery_status,
            counter::bkash_status,
            counter::store_sync_status,
            settings::get_settings,
            settings::save_settings,
            counter::restart_app,
            setup::first_run_setup,
            setup::skip_first_run,
            setup::test_connection,
            manager::manager_status,
            manager::manager_set_pin,
            manager::manager_unlock,
            manager::manager_lock,
            manager::manager_change_pin,
            manager::day_view,
            manager::payment_history,
            manager::refund_payment,
            manager::check_payment,
            manager::check_refund,
            manager::resolve_payment,
            store::store_day,
            store::store_payment_history,
            store::store_refund,
            store::store_check_payment,
            store::store_resolve_payment,
            store::close_store_day,
            reports::end_of_day,
            reports::close_day,
            reports::export_day,
            printing::print_receipt,
            printing::cups_printers,
            till::pay_cash,
            till::finish_sale,
            till::unfinished_sale,
            till::sale_of,
            till::catalogue,
            till::import_catalogue,
            till::save_product,
            till::count_drawer,
            staff::staff_status,
            staff::sign_in,
            staff::sign_out,
            staff::staff_touch,
            staff::staff_accounts,
            staff::add_staff_account,
            staff::change_staff_account,
            staff::current_shift,
            staff::counter_day,
            manager::find_paid_payment,
            staff::open_shift,
            staff::move_cash,
            staff::x_report,
            staff::close_shift,
            staff::print_shift_report,
            checkout::checkout_context,
            checkout::checkout_create,
            checkout::checkout_execute,
            checkout::checkout_cancel,
        ])
        .on_window_event(|window, event| {
            // The customer display never keeps the app running on its own.
            if window.label() == MAIN_LABEL && matches!(event, WindowEvent::Destroyed) {
                if let Some(display) = window.app_handle().get_webview_window(CUSTOMER_DISPLAY_LABEL) {
                    let _ = display.close();
                }
            }
            // The cashier closed bKash's window: like the customer's close,
            // unless execute has already been sent.
            if window.label() == CHECKOUT_LABEL && matches!(event, WindowEvent::Destroyed) {
                if let Ok(payments) = &window.state::<startup::AppState>().payments {
                    // Off the main thread: the cancel is a journal commit.
                    let desk = payments.desk.clone();
                    tauri::async_runtime::spawn(async move {
                        if let Err(e) = desk.cancel("the checkout window was closed before the customer paid").await {
                            tracing::warn!(error = %e, "closing the checkout window could not cancel its payment");
                        }
                    });
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
