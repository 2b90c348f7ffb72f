//! The bKash client and TokenManager against the simulator over loopback.

mod calls;
mod config;
mod decoding;
mod secrets;
mod tokenized;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use bkash_sim::{SimConfig, SimServer};
use pos_core::bkash::{BkashClient, BkashConfig, ExpectedPayment, MemoryTokenStore, TokenPolicy};
use pos_core::money::{Clock, ManualClock};

pub const WALLET: &str = "01770618575";

pub struct Rig {
    pub sim: SimServer,
    pub client: BkashClient,
    pub clock: Arc<ManualClock>,
    pub store: Arc<MemoryTokenStore>,
}

impl Rig {
    pub async fn start() -> Self {
        Self::with(TokenPolicy { budget_per_hour: 50, ..TokenPolicy::default() }, |_| {}).await
    }

    pub async fn with(policy: TokenPolicy, change: impl FnOnce(&mut BkashConfig)) -> Self {
        let sim = SimServer::start(SimConfig { token_budget_per_hour: 100, ..SimConfig::default() }, 0).await.unwrap();
        let mut config = pos_core::bkash::training_config(&sim.base_url());
        config.timeout = Duration::from_secs(2);
        change(&mut config);
        let clock = Arc::new(ManualClock::default());
        let store = Arc::new(MemoryTokenStore::default());
        let client = BkashClient::with_clock(config, store.clone(), clock.clone() as Arc<dyn Clock>, policy)
            .unwrap()
            .with_read_backoff(vec![Duration::from_millis(10), Duration::from_millis(20)]);
        Self { sim, client, clock, store }
    }

    /// A payment the customer has verified, ready to execute.
    pub async fn verified_payment(&self, poisha: u64, wallet: &str) -> ExpectedPayment {
        let created = self.client.create_payment(&create(poisha)).await.unwrap();
        self.sim.customer_pays(&created.payment_id, wallet, "123456", "12121").unwrap();
        ExpectedPayment::from(&created)
    }

    /// Moves both clocks: bKash's and ours.
    pub fn advance(&self, by: chrono::Duration) {
        self.sim.advance_clock(by);
        self.clock.advance(by);
    }
}

pub fn create(poisha: u64) -> pos_core::bkash::CreatePayment {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    pos_core::bkash::CreatePayment { amount: pos_core::money::Amount::from_poisha(poisha), merchant_invoice_number: format!("INV-{n}") }
}
