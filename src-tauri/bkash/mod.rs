//! The core's only door to bKash: HTTP client, `TokenManager`, wire types and
//! errors.
//!
//! Contract: knows nothing of Tauri or SQLite. Never auto-retries create,
//! execute, refund, capture or void (bKash has no idempotency key). Never puts
//! a secret (app_secret, password, tokens) into a log line, an error message or
//! a `Debug` string.

pub mod answer;
mod client;
pub mod codes;
pub(crate) mod config;
mod environment;
mod error;
mod tokens;
pub mod wire;

pub use client::{invoice_problem, BkashClient, CreatePayment, Endpoint, ExpectedPayment, MIN_AMOUNT_POISHA};
pub use config::{
    BkashConfig, ConfigError, Credentials, Secret, PRODUCTION_BASE_URL, PRODUCTION_SCRIPT_URL, SANDBOX_BASE_URL, SANDBOX_SCRIPT_URL,
};
pub use environment::Environment;
pub use error::{BkashError, Cause};
pub use tokens::{Clock, ManualClock, MemoryTokenStore, StoredTokens, SystemClock, TokenManager, TokenPolicy, TokenStatus, TokenStore};
pub use wire::{Amount, CreatedPayment, PaymentResult, RefundResult, SearchResult, TransactionStatus};
