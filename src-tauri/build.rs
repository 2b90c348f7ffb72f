include!("app/command_list.rs");

fn main() {
    // Listing the app's commands makes each one a permission (`allow-<name>`),
    // so a window's capability grants exactly the commands it names. Without
    // this list every command would be open to every local window.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)))
        .expect("tauri build step failed");
}
