//! The core's only door to bKash: HTTP client, `TokenManager`, wire types and
//! errors.
//!
//! Contract: knows nothing of Tauri or SQLite. Never auto-retries create,
//! execute, refund, capture or void (bKash has no idempotency key). Never puts
//! a secret (app_secret, password, tokens) into a log line, an error message or
//! a `Debug` string.

pub mod codes;
mod environment;

pub use environment::Environment;
