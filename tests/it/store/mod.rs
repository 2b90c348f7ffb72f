//! The store (#17): counters sharing one real PostgreSQL (a private
//! instance per test, `tests/it/pg.rs`).
#![allow(clippy::inconsistent_digit_grouping)]

mod day;
mod sync;
mod tokens;

/// The tests drive the shop on this runtime and PostgreSQL's synchronous
/// client outside it, as the app does (the sync and token store run on
/// their own or blocking threads).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}
