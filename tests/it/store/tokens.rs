//! One bKash token pair per merchant, shared by the store's counters through
//! PostgreSQL: sealed there, renewed by one counter at a time, counted
//! against one rolling-hour budget, and honest about calls made offline.

use std::sync::Arc;

use bkash_sim::{SimConfig, SimServer};
use chrono::Duration;
use pos_core::bkash::training_config;
use pos_core::bkash::{BkashClient, Environment, MemoryTokenStore, TokenPolicy, TokenStore};
use pos_core::money::{Clock, ManualClock};
use pos_core::store::tokens::StoreTokenStore;

use super::runtime;
use crate::pg::PrivatePg;

struct Store {
    pg: PrivatePg,
    db: String,
    role: String,
    password: pos_core::money::Secret,
    sim: SimServer,
    clock: Arc<ManualClock>,
}

impl Store {
    fn open(rt: &tokio::runtime::Runtime, name: &str) -> Self {
        let pg = PrivatePg::start();
        let (db, role, password) = pg.store_database(name);
        // bKash's own budget: two token calls per merchant per rolling hour.
        let sim = rt.block_on(SimServer::start(SimConfig::default(), 0)).unwrap();
        Self { pg, db, role, password, sim, clock: Arc::new(ManualClock::default()) }
    }

    /// A counter whose token store is the store's PostgreSQL (and `local`,
    /// its own vault).
    fn counter(&self, id: &str, local: Arc<MemoryTokenStore>) -> BkashClient {
        self.counter_on(id, local, self.clock.clone())
    }

    /// A counter with a clock of its own (one that runs slow, say).
    fn counter_on(&self, id: &str, local: Arc<MemoryTokenStore>, clock: Arc<dyn Clock>) -> BkashClient {
        let config = training_config(&self.sim.base_url());
        let store = StoreTokenStore::new(
            self.pg.config(&self.db, &self.role, id),
            self.password.clone(),
            Environment::Training,
            &config.credentials.app_secret,
            local,
            clock.clone(),
        );
        BkashClient::with_clock(config, Arc::new(store), clock, TokenPolicy::default()).unwrap()
    }

    /// Moves the counters' clocks and the simulator's together.
    fn advance(&self, by: Duration) {
        self.clock.advance(by);
        self.sim.advance_clock(by);
    }

    /// `pg_dump` of the store database, as whoever runs the server (the
    /// `postgres` user when the tests run as root).
    fn dump(&self) -> String {
        use std::os::unix::fs::MetadataExt;
        let as_root = std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false);
        let mut command = if as_root {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--", "pg_dump"]);
            c
        } else {
            std::process::Command::new("pg_dump")
        };
        let out = command
            .arg("-h")
            .arg(self.pg.dir.path().join("socket"))
            .args(["-p", &self.pg.port.to_string(), "-U", "postgres", &self.db])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn three_counters_share_one_grant_and_a_dump_of_the_store_holds_no_usable_secret() {
    let rt = runtime();
    let store = Store::open(&rt, "tokens_shared");
    let counters: Vec<_> = ["c1", "c2", "c3"].iter().map(|id| store.counter(id, Arc::default())).collect();
    let tokens = rt.block_on(async {
        let asks = counters.iter().map(|c| c.tokens().token());
        futures_util::future::join_all(asks).await
    });
    let tokens: Vec<_> = tokens.into_iter().map(Result::unwrap).collect();
    assert!(tokens.iter().all(|t| t == &tokens[0]), "every counter uses the one pair");
    assert_eq!((store.sim.stats().token_grants, store.sim.stats().token_refreshes), (1, 0));

    // Minute 51: one counter refreshes; the others find its new token.
    store.advance(Duration::minutes(51));
    let renewed = rt.block_on(async {
        let mut renewed = Vec::new();
        for c in &counters {
            renewed.push(c.tokens().token().await.unwrap());
        }
        renewed
    });
    assert!(renewed.iter().all(|t| t == &renewed[0]) && renewed[0] != tokens[0]);
    assert_eq!((store.sim.stats().token_grants, store.sim.stats().token_refreshes), (1, 1));

    let dump = store.dump();
    assert!(dump.contains("bkash_tokens"), "the dump is of the store");
    let config = training_config(&store.sim.base_url());
    for (what, secret) in [
        ("the id_token", renewed[0].expose()),
        ("the app_secret", config.credentials.app_secret.expose()),
        ("bKash's password", config.credentials.password.expose()),
        ("the database password", store.password.expose()),
    ] {
        assert!(!dump.contains(secret), "{what} is in plaintext in a dump of the store");
    }
}

#[test]
fn the_rolling_hour_budget_counts_the_token_calls_of_every_counter() {
    let rt = runtime();
    let store = Store::open(&rt, "tokens_budget");
    let first = store.counter("c1", Arc::default());
    let token = rt.block_on(first.tokens().token()).unwrap();
    // Another counter's call, a minute later, is in the store's count too.
    store
        .pg
        .admin_client(&store.db)
        .execute(
            "INSERT INTO bkash_store.token_calls (merchant, environment, call_id, at, counter_id)
             VALUES ('sandboxTestUser', 'training', 'c9@x', now() + interval '1 minute', 'c9')",
            &[],
        )
        .unwrap();
    store.advance(Duration::minutes(51));
    let second = store.counter("c2", Arc::default());
    // Due a refresh, but the store has spent its two calls this hour: the
    // still-valid token is used, and bKash is not asked.
    assert_eq!(rt.block_on(second.tokens().token()).unwrap(), token);
    assert_eq!((store.sim.stats().token_grants, store.sim.stats().token_refreshes), (1, 0));
    let status = rt.block_on(second.tokens().status());
    assert_eq!((status.calls_in_last_hour, status.budget_per_hour), (2, 2));
}

#[test]
fn cut_off_from_the_store_a_counter_keeps_its_token_grants_only_when_none_is_left_and_reports_it_later() {
    let rt = runtime();
    let store = Store::open(&rt, "tokens_offline");
    let local = Arc::new(MemoryTokenStore::default());
    let counter = store.counter("c1", local.clone());
    let token = rt.block_on(counter.tokens().token()).unwrap();

    store.pg.kill();
    // Minute 55: due a refresh, but the store cannot be asked: the token
    // bKash still takes is kept.
    store.advance(Duration::minutes(55));
    assert_eq!(rt.block_on(counter.tokens().token()).unwrap(), token);
    assert_eq!((store.sim.stats().token_grants, store.sim.stats().token_refreshes), (1, 0));

    // Two hours on, no valid token is left: this counter grants alone
    // (its own view of the budget allows it) and keeps the call to report.
    store.advance(Duration::hours(2));
    let alone = rt.block_on(counter.tokens().token()).unwrap();
    assert_ne!(alone, token);
    assert_eq!(store.sim.stats().token_refreshes + store.sim.stats().token_grants, 2);
    assert_eq!(local.load().unwrap().unreported_calls.len(), 1);

    // Back: the next counter to read the store reports it, marked offline.
    store.pg.restart();
    let other = store.counter("c2", Arc::default());
    let reporter = StoreTokenStore::new(
        store.pg.config(&store.db, &store.role, "c1"),
        store.password.clone(),
        Environment::Training,
        &training_config(&store.sim.base_url()).credentials.app_secret,
        local.clone(),
        store.clock.clone(),
    );
    assert!(reporter.load().is_some());
    let offline: i64 = store
        .pg
        .admin_client(&store.db)
        .query_one("SELECT count(*) FROM bkash_store.token_calls WHERE offline AND counter_id = 'c1'", &[])
        .unwrap()
        .get(0);
    assert_eq!(offline, 1);
    assert!(local.load().unwrap().unreported_calls.is_empty());
    let status = rt.block_on(other.tokens().status());
    assert_eq!(status.calls_in_last_hour, 1, "the offline grant counts in the store's hour");
}

#[test]
fn a_token_expired_at_a_counter_whose_clock_runs_slow_never_lowers_the_stores_pair_and_two_calls_an_hour_suffice() {
    let rt = runtime();
    let store = Store::open(&rt, "tokens_slow_clock");
    let c1 = store.counter("c1", Arc::default());
    // c2's clock runs 20 minutes slow: it believes every token is 20 minutes younger than it is.
    let slow = Arc::new(ManualClock::default());
    slow.advance(Duration::minutes(-20));
    let c2 = store.counter_on("c2", Arc::default(), slow.clone());
    let generation = || -> i64 {
        let row = store.pg.admin_client(&store.db).query_opt("SELECT generation FROM bkash_store.bkash_tokens", &[]).unwrap();
        row.map(|r| r.get(0)).unwrap_or(0)
    };
    let mut calls_at = Vec::new();
    let mut last_generation = 0;
    let mut refused_expired = 0;
    for minute in (0u32..=180).step_by(5) {
        if minute > 0 {
            store.advance(Duration::minutes(5));
            slow.advance(Duration::minutes(5));
        }
        for (name, counter) in [("c1", &c1), ("c2", &c2)] {
            let before = store.sim.stats();
            let answer = rt.block_on(counter.search_transaction("AAAAAAAAAA"));
            // bKash knows no such trxID: its own logic answered, so the token was taken.
            assert!(matches!(answer, Err(pos_core::bkash::BkashError::Refused { .. })), "{name} at minute {minute}: {answer:?}");
            let after = store.sim.stats();
            let spent = (after.token_grants + after.token_refreshes) - (before.token_grants + before.token_refreshes);
            calls_at.extend(std::iter::repeat_n(minute, spent as usize));
            let gateway_refusals =
                after.calls.get("checkout.search").copied().unwrap_or(0) - before.calls.get("checkout.search").copied().unwrap_or(0);
            refused_expired += gateway_refusals.saturating_sub(1);
            let now = generation();
            assert!(
                now >= last_generation,
                "{name} at minute {minute} lowered the store's pair from generation {last_generation} to {now}"
            );
            last_generation = now;
        }
    }
    assert!(refused_expired > 0, "the slow counter did meet bKash's 'expired' (else this tests nothing)");
    for &at in &calls_at {
        let in_hour = calls_at.iter().filter(|&&c| c > at.saturating_sub(60) && c <= at).count();
        assert!(in_hour <= 2, "{in_hour} token calls in the hour up to minute {at}: {calls_at:?}");
    }
    let status = rt.block_on(c2.tokens().status());
    assert_eq!(status.paused_until, None, "the slow counter is never told payments are paused while a valid shared token exists");
}
