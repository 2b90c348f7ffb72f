//! A shop for money-path tests: the simulator, and the counter the app
//! builds (`Counter::builder`) over a real journal file, with short timeouts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bkash_sim::{SimConfig, SimServer};
use pos_core::bkash::{MemoryTokenStore, TokenPolicy, TokenStore};
use pos_core::counter::{ClientTuning, Counter};
use pos_core::journal::{Journal, JournalRead, JournalReader};
use pos_core::money::SystemClock;
use pos_core::payment::{PaymentService, PaymentView, Reason};

pub struct Shop {
    pub sim: SimServer,
    pub service: Arc<PaymentService>,
    pub journal: Arc<Mutex<Journal>>,
    /// The whole counter, as the app opens it.
    pub counter: Counter,
    pub dir: tempfile::TempDir,
}

impl Shop {
    pub async fn open() -> Self {
        Self::open_with_store(Arc::new(MemoryTokenStore::default())).await
    }

    /// A shop taking payments with bKash's Tokenized Checkout (URL).
    pub async fn open_tokenized() -> Self {
        Self::open_as(Arc::new(MemoryTokenStore::default()), pos_core::money::Product::Tokenized).await
    }

    /// A shop whose token store starts as `store` holds it (a restart).
    pub async fn open_with_store(store: Arc<dyn TokenStore>) -> Self {
        Self::open_as(store, pos_core::money::Product::Checkout).await
    }

    pub async fn open_as(store: Arc<dyn TokenStore>, product: pos_core::money::Product) -> Self {
        Self::open_configured(store, product, false).await
    }

    /// A Tokenized shop whose simulator also serves its payment page to
    /// phones (Training's phone access), on loopback here.
    pub async fn open_tokenized_for_phones() -> Self {
        Self::open_configured(Arc::new(MemoryTokenStore::default()), pos_core::money::Product::Tokenized, true).await
    }

    /// A Checkout shop whose journal is the file at `journal` (a fixture being written).
    pub async fn open_at(journal: &std::path::Path) -> Self {
        Self::open_configured_at(
            Arc::new(MemoryTokenStore::default()),
            pos_core::money::Product::Checkout,
            false,
            Some(journal),
            Arc::new(SystemClock),
        )
        .await
    }

    /// A Checkout shop whose counter reads "now" from `clock`.
    pub async fn open_with_clock(clock: Arc<dyn pos_core::money::Clock>) -> Self {
        Self::open_configured_at(Arc::new(MemoryTokenStore::default()), pos_core::money::Product::Checkout, false, None, clock).await
    }

    async fn open_configured(store: Arc<dyn TokenStore>, product: pos_core::money::Product, phones: bool) -> Self {
        Self::open_configured_at(store, product, phones, None, Arc::new(SystemClock)).await
    }

    async fn open_configured_at(
        store: Arc<dyn TokenStore>,
        product: pos_core::money::Product,
        phones: bool,
        journal_at: Option<&std::path::Path>,
        clock: Arc<dyn pos_core::money::Clock>,
    ) -> Self {
        let sim = SimServer::start(SimConfig { token_budget_per_hour: 50, ..SimConfig::default() }, 0).await.unwrap();
        let phone_page = match phones {
            true => Some(sim.open_to_phones(std::net::Ipv4Addr::LOCALHOST.into()).await.unwrap()),
            false => None,
        };
        let dir = tempfile::tempdir().unwrap();
        let path = journal_at.map(std::path::Path::to_path_buf).unwrap_or_else(|| dir.path().join(Journal::FILE_NAME));
        // The app's own composition root, with short waits.
        let settings = pos_core::settings::Settings { product, ..Default::default() };
        let vault = Arc::new(pos_core::vault::FileVault::open(dir.path(), &dir.path().join("keys")));
        let tuning = ClientTuning {
            timeout: Some(Duration::from_secs(2)),
            policy: TokenPolicy { budget_per_hour: 50, ..Default::default() },
            read_backoff: Some(vec![]),
        };
        let opened = Counter::builder(dir.path(), settings, vault)
            .training_bkash(&sim.base_url())
            .training_phone_page(phone_page.as_deref())
            .tokens(store)
            .clock(clock)
            .tuning(tuning)
            .journal_at(&path)
            .open()
            .unwrap();
        opened.integrity.run().unwrap();
        let counter = opened.counter;
        Self { sim, service: counter.service.clone(), journal: counter.journal.clone(), counter, dir }
    }

    /// A second, read-only connection: what another process would see on disk.
    pub fn reader(&self) -> JournalReader {
        JournalReader::open(&self.dir.path().join(Journal::FILE_NAME)).unwrap()
    }

    pub fn row(&self, id: i64) -> pos_core::journal::PaymentRow {
        self.journal.lock().unwrap().get(id).unwrap()
    }
}

/// One text of the UI's English catalog (`ui/src/i18n/en.json`).
pub fn english(key: &str) -> String {
    static CATALOG: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    let catalog = CATALOG.get_or_init(|| {
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/i18n/en.json")).unwrap()).unwrap()
    });
    catalog.get(key).and_then(|t| t.as_str()).map(str::to_string).unwrap_or_else(|| panic!("en.json has no `{key}`"))
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The sentence the cashier's screen shows for a payment's reason, in
/// English: the UI's `reasonText` (ui/src/i18n.ts, tested there too) over
/// the English catalog, so core tests assert what a cashier reads.
pub fn reason_in_english(view: &PaymentView) -> Option<String> {
    let reason = view.reason.as_ref()?;
    let key = reason.catalog_key();
    Some(match reason {
        Reason::Bkash(code) => {
            let known = std::panic::catch_unwind(|| english(&key)).ok();
            match (known, view.bkash_message.as_deref()) {
                (Some(text), Some(message)) => fill(&english("reason.bkashCode"), &[("text", &text), ("code", code), ("message", message)]),
                (Some(text), None) => fill(&english("reason.bkashCodeOnly"), &[("text", &text), ("code", code)]),
                (None, Some(message)) => fill(&english("reason.bkashCodeOnly"), &[("text", message), ("code", code)]),
                (None, None) => fill(&english("reason.bkashCodeOnly"), &[("text", &english("reason.refused")), ("code", code)]),
            }
        }
        _ => english(&key),
    })
}

/// A journal row in `state`, for the pure functions (`decide`, `PaymentView`).
pub fn row_in(state: pos_core::money::PaymentState) -> pos_core::journal::PaymentRow {
    let at = chrono::Utc::now();
    pos_core::journal::PaymentRow {
        id: 1,
        order_id: "S-1".into(),
        invoice: "C1-1".into(),
        amount_poisha: 10_000,
        state,
        payment_id: Some("TR0011ABC".into()),
        trx_id: None,
        customer_msisdn: None,
        bkash_code: None,
        bkash_message: None,
        cause: None,
        counter_id: None,
        cashier: None,
        created_at: at,
        updated_at: at,
        settled_at: None,
        product: pos_core::money::Product::Checkout,
        pay_at: pos_core::money::PayAt::Counter,
        status_polls: 0,
    }
}
