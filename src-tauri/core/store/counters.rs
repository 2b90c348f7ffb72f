//! A counter id belongs to one journal. The first journal to claim it keeps
//! it; another PC configured with the same id is refused, so two journals
//! never push the same (store, counter, seq) keys with different contents.

use super::{StoreConfig, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterClaim {
    /// This journal claimed the id just now.
    New,
    /// This journal already held it.
    Ours,
}

pub fn claim_counter(pg: &mut postgres::Client, config: &StoreConfig, install_id: &str) -> Result<CounterClaim, StoreError> {
    let inserted = pg.execute(
        "INSERT INTO counters (merchant, store_id, counter_id, install_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (merchant, store_id, counter_id) DO NOTHING",
        &[&config.merchant, &config.store_id, &config.counter_id, &install_id],
    )?;
    if inserted == 1 {
        return Ok(CounterClaim::New);
    }
    let holder: String = pg
        .query_one(
            "SELECT install_id FROM counters WHERE merchant = $1 AND store_id = $2 AND counter_id = $3",
            &[&config.merchant, &config.store_id, &config.counter_id],
        )?
        .get(0);
    if holder == install_id {
        Ok(CounterClaim::Ours)
    } else {
        Err(StoreError::CounterIdTaken { store_id: config.store_id.clone(), counter_id: config.counter_id.clone() })
    }
}
