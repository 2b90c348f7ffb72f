//! The payment journal: one SQLite file, written *before* every remote call.
//!
//! Contract: owns the schema, the pragmas (WAL, `synchronous=FULL`, read back
//! and asserted), migrations and every query. Knows nothing of Tauri or HTTP.
//! Never deletes or overwrites a journal file it cannot open; it reports why.
//! Rows are changed only through guarded transitions, and the event log is
//! append-only.
