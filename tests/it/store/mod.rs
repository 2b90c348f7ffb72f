//! The store (#17): counters sharing one real PostgreSQL (a private
//! instance per test, `tests/it/pg.rs`).
#![allow(clippy::inconsistent_digit_grouping)]

mod actions;
mod day;
mod fleet;
mod membership;
mod refunds;
mod roles;
mod snapshot;
mod staff;
mod sync;
mod tokens;

/// The tests drive the shop on this runtime and PostgreSQL's synchronous
/// client outside it, as the app does (the sync and token store run on
/// their own or blocking threads).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// A PaymentService over `journal` that pays through `beside`'s bKash
/// (simulator) and claims its refunds in the store through `gate`.
pub(crate) fn counter_service(
    beside: &crate::support::Shop,
    journal: std::sync::Arc<std::sync::Mutex<pos_core::journal::Journal>>,
    gate: std::sync::Arc<dyn pos_core::payment::RefundGate>,
) -> std::sync::Arc<pos_core::payment::PaymentService> {
    use std::sync::Arc;
    let mut config = pos_core::bkash::training_config(&beside.sim.base_url());
    config.timeout = std::time::Duration::from_secs(2);
    let clock: Arc<dyn pos_core::money::Clock> = Arc::new(pos_core::money::SystemClock);
    let policy = pos_core::bkash::TokenPolicy { budget_per_hour: 50, ..Default::default() };
    let tokens = Arc::new(pos_core::bkash::MemoryTokenStore::default());
    let client = pos_core::bkash::BkashClient::with_clock(config, tokens, clock.clone(), policy).unwrap().with_read_backoff(vec![]);
    Arc::new(pos_core::payment::PaymentService::new(journal, Arc::new(client), clock).with_refund_gate(gate))
}

/// A second counter of the same shop: a journal of its own in `dir`.
pub(crate) fn journal_in(dir: &tempfile::TempDir) -> std::sync::Arc<std::sync::Mutex<pos_core::journal::Journal>> {
    let path = dir.path().join(pos_core::journal::Journal::FILE_NAME);
    std::sync::Arc::new(std::sync::Mutex::new(pos_core::journal::Journal::open(&path).unwrap()))
}
