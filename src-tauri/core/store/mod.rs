//! The store: many counters on one PostgreSQL (#17). Optional; a counter
//! without a store configured never opens this module's connections.
//!
//! | part          | owns                                                         |
//! |---------------|--------------------------------------------------------------|
//! | [`config`]    | `StoreConfig`: host, TLS rule, store and counter ids          |
//! | [`schema`]    | PostgreSQL's versioned, forward-only migrations               |
//! | [`pool`]      | `PgSlot`: one kept-open connection, reopened when it breaks   |
//! | [`counters`]  | claiming a counter id (one journal per id)                    |
//! | [`sync`]      | `OutboxPusher`: the journal's outbox into PostgreSQL, idempotent |
//! | [`actions`]   | `StoreActions`: check and resolve any counter's payment       |
//! | [`refunds`]   | `StoreRefundGate`: refund claims, so the cap holds store-wide |
//! | [`tokens`]    | `StoreTokenStore`: one sealed bKash token pair per merchant   |
//! | [`day`]       | `StoreDay`: the manager's store-wide day, read from PostgreSQL |
//!
//! The counter's SQLite journal stays the write-ahead truth: it is written
//! before every bKash call whether PostgreSQL is up or not. PostgreSQL holds
//! copies of every counter's rows (keyed merchant, store, counter, local id)
//! and the few things that must be shared: the token pair and its budget.

pub mod actions;
pub mod config;
pub mod counters;
pub mod day;
pub mod pool;
pub mod refunds;
pub mod schema;
pub mod snapshot;
pub mod staff;
pub mod sync;
pub mod tokens;
pub mod views;

pub use config::{StoreConfig, StoreConfigProblem, TlsMode};
pub use counters::{claim_counter, CounterClaim};
pub use sync::{OutboxPusher, PushReport, SyncNudge, SyncStatus, SyncThread};

/// The store's errors. None of them carries the password: PostgreSQL's own
/// messages do not contain it, and connection errors are reduced to their
/// cause before they are shown.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Config(#[from] StoreConfigProblem),
    #[error("the store database at {host}:{port} cannot be reached ({cause})")]
    Unreachable { host: String, port: u16, cause: String },
    #[error("TLS to the store database failed: {0}")]
    Tls(String),
    #[error("the store database refused this counter's login as {user} (wrong password or no access)")]
    LoginRefused { user: String },
    #[error("counter id {counter_id} is already used in store {store_id} by another PC; choose another counter id")]
    CounterIdTaken { store_id: String, counter_id: String },
    #[error("the store database's schema is version {found}, newer than this app knows ({known}); update this counter")]
    SchemaTooNew { found: i64, known: usize },
    #[error(
        "the store database's schema is version {found} and this app needs {wanted}: the store's owner runs `bkash-pos store-migrate` once"
    )]
    SchemaBehind { found: usize, wanted: usize },
    #[error("the connection to the store database was lost ({0})")]
    ConnectionLost(String),
    #[error("the store database failed: {0}")]
    Database(String),
    /// A row the store does not hold (a payment not yet sent, or a wrong id).
    #[error("{0} is not in the store")]
    NotFound(String),
    #[error("the local journal failed: {0}")]
    Journal(String),
}

impl StoreError {
    fn unreachable(config: &StoreConfig, e: &postgres::Error) -> Self {
        if let Some(db) = e.as_db_error() {
            // 28P01 invalid_password, 28000 invalid_authorization_specification.
            if db.code().code().starts_with("28") {
                return StoreError::LoginRefused { user: config.user.clone() };
            }
        }
        let text = e.to_string();
        if text.contains("password") {
            return StoreError::LoginRefused { user: config.user.clone() };
        }
        if text.contains("tls") || text.contains("TLS") || text.contains("certificate") {
            return StoreError::Tls(short_cause(e));
        }
        StoreError::Unreachable { host: config.host.clone(), port: config.port, cause: short_cause(e) }
    }

    /// PostgreSQL went away or never answered: the counter keeps working on
    /// its journal and tries again later.
    pub fn is_offline(&self) -> bool {
        matches!(self, StoreError::Unreachable { .. } | StoreError::ConnectionLost(_) | StoreError::Tls(_))
    }

    /// The store answered and will not take this counter as it is set up
    /// (its counter id is another PC's, its login, its settings, an older
    /// app): trying again changes nothing until someone fixes it.
    pub fn refuses_this_counter(&self) -> bool {
        matches!(
            self,
            StoreError::CounterIdTaken { .. }
                | StoreError::LoginRefused { .. }
                | StoreError::SchemaTooNew { .. }
                | StoreError::SchemaBehind { .. }
                | StoreError::Config(_)
        )
    }
}

/// The innermost cause, which is what a person can act on ("Connection
/// refused", "timed out"), not the wrapper's "error connecting to server".
fn short_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &(dyn std::error::Error + 'static) = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => StoreError::Database(format!("{} ({})", db.message(), db.code().code())),
            None if e.is_closed() || e.source().is_some() => StoreError::ConnectionLost(short_cause(&e)),
            None => StoreError::Database(e.to_string()),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Journal(e.to_string())
    }
}

use std::error::Error as _;
