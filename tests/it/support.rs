//! A shop for money-path tests: the simulator, a BkashClient with short
//! timeouts, a real journal file, and a PaymentService over them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bkash_pos::bkash::{BkashClient, BkashConfig, Clock, MemoryTokenStore, SystemClock, TokenPolicy, TokenStore};
use bkash_pos::journal::{Journal, JournalReader};
use bkash_pos::payment::PaymentService;
use bkash_pos::sim::{SimConfig, SimServer};

pub struct Shop {
    pub sim: SimServer,
    pub service: Arc<PaymentService>,
    pub journal: Arc<Mutex<Journal>>,
    pub dir: tempfile::TempDir,
}

impl Shop {
    pub async fn open() -> Self {
        Self::open_with_store(Arc::new(MemoryTokenStore::default())).await
    }

    /// A shop whose token store starts as `store` holds it (a restart).
    pub async fn open_with_store(store: Arc<dyn TokenStore>) -> Self {
        let sim = SimServer::start(SimConfig { token_budget_per_hour: 50, ..SimConfig::default() }, 0).await.unwrap();
        let mut config = BkashConfig::training(&sim.base_url());
        config.timeout = Duration::from_secs(2);
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let policy = TokenPolicy { budget_per_hour: 50, ..Default::default() };
        let client = BkashClient::with_clock(config, store, clock.clone(), policy).unwrap().with_read_backoff(vec![]);
        let dir = tempfile::tempdir().unwrap();
        let journal = Arc::new(Mutex::new(Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap()));
        let service = Arc::new(PaymentService::new(journal.clone(), Arc::new(client), clock));
        Self { sim, service, journal, dir }
    }

    /// A second, read-only connection: what another process would see on disk.
    pub fn reader(&self) -> JournalReader {
        JournalReader::open(&self.dir.path().join(Journal::FILE_NAME)).unwrap()
    }

    pub fn row(&self, id: i64) -> bkash_pos::journal::PaymentRow {
        self.journal.lock().unwrap().get(id).unwrap()
    }
}
