//! The app's windows, one unit each, and their labels in one place. A unit
//! knows only its own window and the main one; none reaches up into the
//! app's state or commands (`tests/it/layers.rs`).

pub mod checkout;
pub mod customer_display;
pub mod main_window;

/// The counter's screens (tauri.conf.json's one window).
pub const MAIN_LABEL: &str = "main";
/// The customer's bKash window.
pub const CHECKOUT_LABEL: &str = "bkash-checkout";
/// The customer display, on the second screen when there is one.
pub const CUSTOMER_DISPLAY_LABEL: &str = "customer-display";
