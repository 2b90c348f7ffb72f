//! The store database's schema: versioned and forward-only, like the
//! journal's. Each counter brings its schema up to date when it connects,
//! under a lock, so two counters starting together apply a step once.

use super::StoreError;

const STEPS: &[&str] = &[include_str!("migrations/001_store.sql"), include_str!("migrations/002_store_actions.sql")];

/// The schema version this app writes.
pub const VERSION: usize = STEPS.len();

/// Any number: the key of the advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x626b_6173_6800_0001;

/// Brings the `bkash_store` schema to [`VERSION`]. The role needs to own
/// that schema (README: "The store's database role"); it needs nothing else.
pub fn migrate(pg: &mut postgres::Client) -> Result<usize, StoreError> {
    let mut tx = pg.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let exists: bool = tx.query_one("SELECT to_regnamespace('bkash_store') IS NOT NULL", &[])?.get(0);
    if !exists {
        tx.batch_execute("CREATE SCHEMA bkash_store")?;
    }
    tx.batch_execute("CREATE TABLE IF NOT EXISTS bkash_store.schema_version (version integer NOT NULL)")?;
    let found: Option<i32> = tx.query_opt("SELECT version FROM bkash_store.schema_version", &[])?.map(|r| r.get(0));
    let found = found.unwrap_or(0) as usize;
    if found > VERSION {
        return Err(StoreError::SchemaTooNew { found: found as i64, known: VERSION });
    }
    for step in &STEPS[found..] {
        tx.batch_execute("SET LOCAL search_path = bkash_store")?;
        tx.batch_execute(step)?;
    }
    if found < VERSION {
        tx.execute("DELETE FROM bkash_store.schema_version", &[])?;
        tx.execute("INSERT INTO bkash_store.schema_version (version) VALUES ($1)", &[&(VERSION as i32)])?;
    }
    tx.commit()?;
    Ok(VERSION - found)
}
