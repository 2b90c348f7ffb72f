//! bKash Counter POS, the desktop app: the Tauri shell over `pos-core`.
//!
//! Only this crate knows Tauri exists. It holds commands, windows, events and
//! start-up; every rule about money lives in `pos_core`, which the app calls.

pub mod app;

/// Starts the desktop app. `main.rs` calls only this.
pub fn run() {
    app::run();
}
