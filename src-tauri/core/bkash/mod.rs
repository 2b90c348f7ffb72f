//! The core's only door to bKash: HTTP client, `TokenManager`, wire types and
//! errors.
//!
//! Contract: knows nothing of Tauri, SQLite or the simulator (uses `money`
//! only). Never auto-retries create,
//! execute, refund, capture or void (bKash has no idempotency key). Never puts
//! a secret (app_secret, password, tokens) into a log line, an error message or
//! a `Debug` string.

pub mod answer;
mod callback;
mod client;
pub mod codes;
pub(crate) mod config;
mod environment;
mod error;
mod expect;
pub mod origins;
mod routes;
mod tokens;
mod transport;
pub mod wire;

pub use callback::{is_callback, parse_callback, Callback, CallbackError, CallbackStatus};
pub use client::{BkashClient, CreatePayment};
pub use config::{
    check_callback_url, loopback_by_name, training_config, BkashConfig, ConfigError, Credentials, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
    PRODUCTION_BASE_URL, PRODUCTION_SCRIPT_URL, SANDBOX_BASE_URL, SANDBOX_SCRIPT_URL, TOKENIZED_PRODUCTION_BASE_URL,
    TOKENIZED_SANDBOX_BASE_URL, TRAINING_CALLBACK_URL,
};
pub use environment::Environment;
pub use error::BkashError;
pub use expect::ExpectedPayment;
pub use origins::{bkash_page_allowed, navigation, Navigation};
pub use tokens::{MemoryTokenStore, SharedTokens, StoredTokens, TokenManager, TokenPolicy, TokenStatus, TokenStore};
pub use transport::Endpoint;
pub use wire::{CreatedPayment, PaymentResult, RefundResult, SearchResult, TransactionStatus, VerificationStatus};
