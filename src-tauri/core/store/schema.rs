//! The store database's schema: versioned and forward-only, like the
//! journal's. Only the store's owner changes it ([`migrate`], run by
//! `bkash-pos store-migrate`); a counter's role may not, and only checks on
//! connecting that the schema is the one it knows ([`check`]).

use super::StoreError;

const STEPS: &[&str] = &[
    include_str!("migrations/001_store.sql"),
    include_str!("migrations/002_store_actions.sql"),
    include_str!("migrations/003_counter_roles.sql"),
    include_str!("migrations/004_shifts.sql"),
    include_str!("migrations/005_staff.sql"),
];

/// The schema version this app writes.
pub const VERSION: usize = STEPS.len();

/// Any number: the key of the advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x626b_6173_6800_0001;

/// The schema's version, 0 when there is none yet. Reads only.
fn version(pg: &mut impl postgres::GenericClient) -> Result<usize, StoreError> {
    let exists: bool = pg.query_one("SELECT to_regclass('bkash_store.schema_version') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(0);
    }
    let found: Option<i32> = pg.query_opt("SELECT version FROM bkash_store.schema_version", &[])?.map(|r| r.get(0));
    Ok(found.unwrap_or(0) as usize)
}

/// A counter connecting: the schema must be exactly the one this app knows.
/// An older one is the owner's to bring forward; a newer one needs a newer app.
pub fn check(pg: &mut postgres::Client) -> Result<(), StoreError> {
    match version(pg)? {
        found if found == VERSION => Ok(()),
        found if found > VERSION => Err(StoreError::SchemaTooNew { found: found as i64, known: VERSION }),
        found => Err(StoreError::SchemaBehind { found, wanted: VERSION }),
    }
}

/// Brings the `bkash_store` schema to [`VERSION`], as its owner. Returns how
/// many steps it applied. Two owners migrating at once apply each step once.
pub fn migrate(pg: &mut postgres::Client) -> Result<usize, StoreError> {
    let mut tx = pg.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let exists: bool = tx.query_one("SELECT to_regnamespace('bkash_store') IS NOT NULL", &[])?.get(0);
    if !exists {
        tx.batch_execute("CREATE SCHEMA bkash_store")?;
    }
    tx.batch_execute("CREATE TABLE IF NOT EXISTS bkash_store.schema_version (version integer NOT NULL)")?;
    let found = version(&mut tx)?;
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

/// Maps a counter's login to its counter id, as the owner: from then on the
/// login writes that counter's rows and no other's.
pub fn map_login(pg: &mut postgres::Client, login: &str, merchant: &str, store_id: &str, counter_id: &str) -> Result<(), StoreError> {
    pg.execute(
        "INSERT INTO bkash_store.counter_logins (login, merchant, store_id, counter_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (login) DO UPDATE SET merchant = EXCLUDED.merchant, store_id = EXCLUDED.store_id, counter_id = EXCLUDED.counter_id",
        &[&login, &merchant, &store_id, &counter_id],
    )?;
    Ok(())
}
