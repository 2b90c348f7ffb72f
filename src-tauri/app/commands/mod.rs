//! Tauri commands, by domain: `counter` (the cashier's screen), `checkout`
//! (bKash's window), `manager` (the PIN and the day), `settings`, `reports`
//! (end of day and exports), `till` (cash, the unfinished sale, the
//! catalogue, the drawer). Each command takes state, calls the core, maps
//! the error; the DTOs it sends live beside it.
//!
//! Every command is traced (`#[instrument(skip_all, err)]`): an error returned
//! to the UI is logged with its code and English message, and no argument is
//! ever recorded (a PIN or a credential may be one). Blocking work (Argon2,
//! the keyring, the settings file, a journal write) runs on a blocking thread
//! through [`off_runtime`] or `PaymentService`, never on a runtime thread.

pub mod checkout;
pub mod counter;
pub mod manager;
pub mod printing;
pub mod reports;
pub mod settings;
pub mod setup;
pub mod staff;
pub mod store;
pub mod till;

use tauri::State;

use super::startup::AppState;
use super::{CommandError, ErrorCode};
use pos_core::counter::Counter;

pub(super) fn payments<'a>(state: &'a State<'_, AppState>) -> Result<&'a Counter, CommandError> {
    state.payments.as_ref().map_err(|problem| CommandError::detailed(ErrorCode::PaymentsStopped, problem))
}

/// The store this counter belongs to, for the whole-store commands.
pub(super) fn link(state: &State<'_, AppState>) -> Result<std::sync::Arc<super::startup::StoreLink>, CommandError> {
    payments(state)?.store.clone().ok_or_else(|| CommandError::new(ErrorCode::NoStore, "This counter does not belong to a store."))
}

/// The read-only journal connection of the manager's screens. A poisoned
/// lock only means a read panicked; the connection is still sound.
pub(super) fn reader<'a>(
    state: &'a State<'_, AppState>,
) -> Result<std::sync::MutexGuard<'a, pos_core::journal::JournalReader>, CommandError> {
    Ok(payments(state)?.reader.lock().unwrap_or_else(|p| p.into_inner()))
}

/// Runs blocking work on Tauri's blocking pool, so Argon2, the keyring or an
/// fsync never holds up the runtime threads that serve the counter.
pub(super) async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|e| CommandError::detailed(ErrorCode::Interrupted, e))?
}

/// Whether the person at the counter may do `action`, and on whose authority
/// (`approval`: a PIN typed for this one action). Off the runtime: Argon2
/// and the keyring block.
pub(super) async fn authorise(
    state: &State<'_, AppState>,
    action: pos_core::money::Action,
    approval: Option<String>,
    subject: Option<String>,
) -> Result<pos_core::staff::Actor, CommandError> {
    let staff = state.staff.clone();
    off_runtime(move || Ok(staff.authorise(action, approval.as_deref(), subject.as_deref())?)).await
}

/// A sale the cashier asks to pay, by bKash or in cash: its lines are
/// journaled before any payment, and the core sums them.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SaleToPay {
    pub order_id: String,
    pub lines: Vec<pos_core::money::SaleLine>,
    /// The cashier saw a payment of this amount still being checked and
    /// confirmed a new one. Absent means not asked yet.
    #[serde(default)]
    pub anyway: bool,
}

impl SaleToPay {
    pub(super) fn anyway(&self) -> pos_core::payment::Anyway {
        if self.anyway {
            pos_core::payment::Anyway::Yes
        } else {
            pos_core::payment::Anyway::No
        }
    }
}
