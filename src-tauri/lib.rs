//! bKash Counter POS: a desktop point-of-sale that takes bKash payments.
//!
//! The crate is split so that only [`app`] knows Tauri exists. Every other
//! module is plain Rust, tested without a webview:
//!
//! | module        | owns                                                        |
//! |---------------|-------------------------------------------------------------|
//! | [`app`]       | Tauri commands, state, windows, events, startup             |
//! | [`bkash`]     | the HTTP client, `TokenManager`, wire types, errors         |
//! | [`cli`]       | headless commands (`bkash-pos report`), no UI               |
//! | [`journal`]   | the SQLite payment journal: open, pragmas, migrations       |
//! | [`payment`]   | `PaymentService`, `CheckoutDesk`, `PaymentView`             |
//! | [`reconcile`] | fetch facts, decide (pure), apply (one transaction)         |
//! | [`report`]    | day summaries, end-of-day report, CSV                       |
//! | [`sim`]       | the bKash simulator (also the `bkash-sim` binary)           |
//! | [`instance`]  | the single-instance lock on the data directory              |
//! | [`logging`]   | tracing to a rotating file                                  |
//! | [`manager_pin`] | the manager PIN: Argon2id hash, lockout                   |
//! | [`money`]     | the money rules: `Amount`, `PaymentState`, `RefundState`, sale rules (a leaf) |
//! | [`settings`]  | the shop's settings, checked field by field                 |
//! | [`vault`]     | credentials and tokens: OS keyring, or a sealed file        |

pub mod app;
pub mod bkash;
pub mod cli;
pub mod failpoint;
pub mod instance;
pub mod journal;
pub mod logging;
pub mod manager_pin;
pub mod money;
pub mod payment;
pub mod reconcile;
pub mod report;
pub mod settings;
pub mod sim;
pub mod vault;

/// Starts the desktop app. `main.rs` calls only this.
pub fn run() {
    app::run();
}
