/// Keep in step with `app::COMMANDS` (a test compares them).
const COMMANDS: &[&str] = &[
    "app_info",
    "pay",
    "cancel_payment",
    "payment",
    "recovery_status",
    "get_settings",
    "save_settings",
    "restart_app",
    "checkout_context",
    "checkout_create",
    "checkout_execute",
    "checkout_cancel",
];

fn main() {
    // Listing the app's commands makes each one a permission (`allow-<name>`),
    // so a window's capability grants exactly the commands it names. Without
    // this list every command would be open to every local window.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)))
        .expect("tauri build step failed");
}
