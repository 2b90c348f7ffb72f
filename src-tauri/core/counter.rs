//! The composition root: builds the whole counter (credentials, the journal,
//! the token store, both products' clients, the payment service, the refund
//! gate, recovery, the store's sync and screens, the printer, the desk and
//! the till) from the shop's settings, with no Tauri.
//!
//! The app calls [`CounterBuilder::open`] once at start; the tests build
//! their shops with the same function, so what is tested is what runs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::bkash::{BkashClient, BkashConfig, ConfigError, Environment, TokenPolicy, TokenStore};
use crate::journal::{DeferredCheck, Journal, JournalError, JournalHealth, JournalRead, JournalReader, PaymentRow};
use crate::money::{Clock, Product, SystemClock};
use crate::payment::{CheckoutDesk, PaymentService};
use crate::print::ReceiptPrinter;
use crate::reconcile::Reconciler;
use crate::settings::{self, Settings};
use crate::shift::ShiftDesk;
use crate::staff::Staff;
use crate::store::actions::{ActionRequest, StoreActions};
use crate::store::day::StoreReader;
use crate::store::{StoreConfig, StoreError, SyncThread};
use crate::till::Till;
use crate::vault::{SecretVault, VaultError, VaultTokenStore};

/// Why the counter cannot take payments. The app shows it in the stopped
/// banner; each variant keeps its cause.
#[derive(Debug, thiserror::Error)]
pub enum StartProblem {
    #[error("the bKash credentials cannot be read: {0}")]
    Credentials(VaultError),
    /// A setting bKash's configuration cannot be built from.
    #[error("{}", .0.message)]
    Settings(settings::FieldError),
    #[error("{0}")]
    Journal(JournalError),
    #[error("the journal's identity cannot be read: {0}")]
    JournalIdentity(JournalError),
    #[error("the store database's password cannot be read: {0}")]
    StorePassword(VaultError),
    #[error("{0}")]
    Client(ConfigError),
    #[error("the store sync cannot start: {0}")]
    StoreSync(StoreError),
    #[error("the store sync cannot start: {0}")]
    SyncThread(std::io::Error),
}

/// Which part of the counter could not be opened: the UI words it as
/// `start.<kind>` in the shop's language, with the cause as `{detail}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum StartProblemKind {
    Credentials,
    Settings,
    Journal,
    JournalIdentity,
    StorePassword,
    Client,
    StoreSync,
}

impl StartProblemKind {
    pub const ALL: [StartProblemKind; 7] = [
        StartProblemKind::Credentials,
        StartProblemKind::Settings,
        StartProblemKind::Journal,
        StartProblemKind::JournalIdentity,
        StartProblemKind::StorePassword,
        StartProblemKind::Client,
        StartProblemKind::StoreSync,
    ];
}

/// A [`StartProblem`] as the UI reads it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StartProblemView {
    pub problem: StartProblemKind,
    /// The cause, as the part that failed said it.
    pub detail: String,
}

impl StartProblem {
    pub fn view(&self) -> StartProblemView {
        let (problem, detail) = match self {
            StartProblem::Credentials(e) => (StartProblemKind::Credentials, e.to_string()),
            StartProblem::Settings(e) => (StartProblemKind::Settings, e.message.clone()),
            StartProblem::Journal(e) => (StartProblemKind::Journal, e.to_string()),
            StartProblem::JournalIdentity(e) => (StartProblemKind::JournalIdentity, e.to_string()),
            StartProblem::StorePassword(e) => (StartProblemKind::StorePassword, e.to_string()),
            StartProblem::Client(e) => (StartProblemKind::Client, e.to_string()),
            StartProblem::StoreSync(e) => (StartProblemKind::StoreSync, e.to_string()),
            StartProblem::SyncThread(e) => (StartProblemKind::StoreSync, e.to_string()),
        };
        StartProblemView { problem, detail }
    }
}

/// What takes payments: everything the counter's screens use.
pub struct Counter {
    pub service: Arc<PaymentService>,
    pub desk: Arc<CheckoutDesk>,
    /// The writer, for what is not a payment step (closing a day). Every use
    /// locks it on a blocking thread, as `PaymentService` does.
    pub journal: Arc<Mutex<Journal>>,
    pub reconciler: Arc<Reconciler>,
    pub config: BkashConfig,
    /// The checkout window's CSP, built from the configured bKash origins.
    pub checkout_csp: String,
    /// A second, read-only connection for the manager's screens, so reading
    /// a day never waits behind a payment's write.
    pub reader: Mutex<JournalReader>,
    /// What the integrity check running beside the counter has found.
    pub health: Arc<JournalHealth>,
    /// Prints receipts and journals where they printed.
    pub receipts: Arc<ReceiptPrinter>,
    /// Sales with their lines, cash, the catalogue.
    pub till: Arc<Till>,
    /// The store's PostgreSQL, when this counter belongs to one.
    pub store: Option<Arc<StoreLink>>,
    /// Staff accounts, who is signed in here, and who may do what.
    pub staff: Arc<Staff>,
    /// This counter's shift and drawer.
    pub shifts: Arc<ShiftDesk>,
}

/// The counter just opened, with what the last run left behind.
pub struct Opened {
    pub counter: Counter,
    /// Read before any screen exists: every row is left over from the last
    /// run, never a payment a cashier has just started.
    pub unsettled: Vec<PaymentRow>,
    /// The full integrity check, run beside the working counter.
    pub integrity: DeferredCheck,
}

/// This counter's link to its store: the sync thread and what the manager's
/// store screens read with.
pub struct StoreLink {
    pub sync: SyncThread,
    pub config: StoreConfig,
    /// The manager's store screens read through this.
    pub reader: Arc<StoreReader>,
    /// Checks and resolutions of any payment of the store.
    pub actions: Arc<StoreActions>,
    /// Other counters' actions on this counter's payments, found by the
    /// sync; taken once by whoever carries them out.
    pub inbox: Mutex<Option<tokio::sync::mpsc::Receiver<Vec<ActionRequest>>>>,
}

impl StoreLink {
    /// Who acts, as the store's records name a manager at this counter.
    pub fn manager_here(&self) -> String {
        format!("manager at counter {}", self.config.counter_id)
    }
}

/// How the bKash clients are tuned. The defaults are production's; tests
/// shorten the waits.
#[derive(Clone, Default)]
pub struct ClientTuning {
    pub timeout: Option<Duration>,
    pub policy: TokenPolicy,
    /// The pauses between read retries; `None` keeps the client's own.
    pub read_backoff: Option<Vec<Duration>>,
}

/// Everything [`Counter`] is built from. Only the data folder, the settings
/// and the vault are needed; the rest has a default that is production's.
pub struct CounterBuilder {
    data_dir: PathBuf,
    settings: Settings,
    vault: Arc<dyn SecretVault>,
    sim_base: Option<String>,
    training_phone_page: Option<String>,
    tokens: Option<Arc<dyn TokenStore>>,
    clock: Arc<dyn Clock>,
    tuning: ClientTuning,
    journal_at: Option<PathBuf>,
}

impl Counter {
    /// The counter of the shop whose settings are `settings`, with its data in
    /// `data_dir` and its secrets in `vault`.
    pub fn builder(data_dir: &Path, settings: Settings, vault: Arc<dyn SecretVault>) -> CounterBuilder {
        CounterBuilder {
            data_dir: data_dir.to_path_buf(),
            settings,
            vault,
            sim_base: None,
            training_phone_page: None,
            tokens: None,
            clock: Arc::new(SystemClock),
            tuning: ClientTuning::default(),
            journal_at: None,
        }
    }
}

impl CounterBuilder {
    /// Training's bKash: the simulator at `base` (`http://127.0.0.1:PORT`).
    pub fn training_bkash(mut self, base: &str) -> Self {
        self.sim_base = Some(base.to_string());
        self
    }

    /// Training with phone access: where phones reach the practice page.
    pub fn training_phone_page(mut self, page: Option<&str>) -> Self {
        self.training_phone_page = page.map(str::to_string);
        self
    }

    /// The token store of the product new payments use, instead of the
    /// vault's (or the store's, in a store).
    pub fn tokens(mut self, tokens: Arc<dyn TokenStore>) -> Self {
        self.tokens = Some(tokens);
        self
    }

    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn tuning(mut self, tuning: ClientTuning) -> Self {
        self.tuning = tuning;
        self
    }

    /// The journal at `path`, instead of the environment's file in the data folder.
    pub fn journal_at(mut self, path: &Path) -> Self {
        self.journal_at = Some(path.to_path_buf());
        self
    }

    fn client(&self, config: BkashConfig, tokens: Arc<dyn TokenStore>) -> Result<BkashClient, ConfigError> {
        let mut config = config;
        if let Some(timeout) = self.tuning.timeout {
            config.timeout = timeout;
        }
        let client = BkashClient::with_clock(config, tokens, self.clock.clone(), self.tuning.policy)?;
        Ok(match &self.tuning.read_backoff {
            Some(backoff) => client.with_read_backoff(backoff.clone()),
            None => client,
        })
    }

    /// The client of the product the shop does not take new payments with,
    /// when it can be built (Training always; elsewhere when its credentials
    /// are stored): a shop that changed product still checks and refunds the
    /// payments the old one made, each with its own product.
    fn other_product_client(&self) -> Option<BkashClient> {
        let product = match self.settings.product {
            Product::Checkout => Product::Tokenized,
            Product::Tokenized => Product::Checkout,
        };
        let environment = self.settings.environment;
        let credentials = match environment {
            Environment::Training => None,
            _ => Some(settings::load_credentials(self.vault.as_ref(), environment, product).ok()??),
        };
        let config = Settings { product, ..self.settings.clone() }.bkash_config(credentials, self.sim_base.as_deref()).ok()?;
        self.client(config, Arc::new(VaultTokenStore::new(self.vault.clone(), environment, product))).ok()
    }

    /// Opens the journal, builds every part over it, and reads what the last
    /// run left unsettled. Nothing is sent to bKash here.
    pub fn open(self) -> Result<Opened, StartProblem> {
        let settings = &self.settings;
        let environment = settings.environment;
        let credentials = match environment {
            Environment::Training => None,
            _ => settings::load_credentials(self.vault.as_ref(), environment, settings.product).map_err(StartProblem::Credentials)?,
        };
        let mut config = settings.bkash_config(credentials, self.sim_base.as_deref()).map_err(StartProblem::Settings)?;
        config.training_phone_page = self.training_phone_page.clone();
        // Opened after the instance lock, so only one process ever writes it. A
        // journal that cannot be opened is reported and left exactly as it is.
        let path = self.journal_at.clone().unwrap_or_else(|| self.data_dir.join(settings::journal_file(environment)));
        let (mut journal, integrity) = Journal::open_deferring_check(&path).map_err(StartProblem::Journal)?;
        let health = journal.health();
        // Before the first screen: a lock held at start shows its banner at once.
        if let Err(e) = journal.probe_write_lock() {
            tracing::warn!(error = %e, "the journal's lock could not be looked at");
        }
        let reader = JournalReader::beside(&journal).map_err(StartProblem::Journal)?;
        let unsettled = journal.in_flight().map_err(StartProblem::Journal)?;
        let store = match settings.store_config(&config.credentials.username) {
            Some(mut store) => {
                // Every connection to the store checks that this journal holds
                // the counter id, so a second PC set up as this counter acts on nothing.
                store.install_id = Some(journal.install_id().map_err(StartProblem::JournalIdentity)?);
                let password = self.vault.get(settings::STORE_PASSWORD_KEY).map_err(StartProblem::StorePassword)?.unwrap_or_default();
                Some((store, password))
            }
            None => None,
        };
        let local_tokens: Arc<dyn TokenStore> = Arc::new(VaultTokenStore::new(self.vault.clone(), environment, settings.product));
        // In a store, the merchant's one token pair is the store's (sealed in
        // PostgreSQL); this counter's vault keeps its copy for offline use.
        let tokens: Arc<dyn TokenStore> = match (&self.tokens, &store) {
            (Some(tokens), _) => tokens.clone(),
            (None, Some((store, password))) => Arc::new(crate::store::tokens::StoreTokenStore::new(
                store.clone(),
                password.clone(),
                environment,
                &config.credentials.app_secret,
                local_tokens,
                self.clock.clone(),
            )),
            (None, None) => local_tokens,
        };
        let client = self.client(config.clone(), tokens).map_err(StartProblem::Client)?;
        let journal_path = journal.path().to_path_buf();
        let journal = Arc::new(Mutex::new(journal));
        let mut service = PaymentService::new(journal.clone(), Arc::new(client), self.clock.clone());
        if let Some(other) = self.other_product_client() {
            service = service.with_client(Arc::new(other));
        }
        if let Some((store, password)) = &store {
            service = service.with_refund_gate(Arc::new(crate::store::refunds::StoreRefundGate::new(store.clone(), password.clone())));
        }
        let service = Arc::new(service);
        let reconciler = Arc::new(Reconciler::new(service.clone(), 4));
        let staff = Arc::new(Staff::new(journal.clone(), self.vault.clone(), self.clock.clone(), settings.lock_after_idle_minutes));
        // Before any screen: the manager PIN of an earlier version becomes the
        // first manager account. If the vault cannot be read now, the old PIN
        // stays where it is and is moved on the next start.
        if let Err(e) = staff.upgrade() {
            tracing::warn!(error = %e, "the manager PIN could not become the first manager account yet");
        }
        let store = match store {
            Some((store, password)) => {
                let (inbox_tx, inbox) = tokio::sync::mpsc::channel(1);
                let pusher = crate::store::OutboxPusher::new(store.clone(), password.clone(), &journal_path, self.clock.clone())
                    .map_err(StartProblem::StoreSync)?
                    .with_inbox(inbox_tx)
                    .with_staff(
                        crate::store::staff::StaffExchange::new(
                            store.clone(),
                            password.clone(),
                            &config.credentials.app_secret,
                            environment,
                        ),
                        staff.clone(),
                    );
                let sync = SyncThread::start(pusher).map_err(StartProblem::SyncThread)?;
                let reader = Arc::new(StoreReader::new(store.clone(), password));
                let actions =
                    StoreActions::new(service.clone(), reconciler.clone(), reader.clone(), &store.counter_id).with_nudge(sync.nudger());
                Some(Arc::new(StoreLink { sync, config: store, reader, actions: Arc::new(actions), inbox: Mutex::new(Some(inbox)) }))
            }
            None => None,
        };
        let shop = crate::print::Shop {
            name: settings.shop_name.clone(),
            counter: settings.counter_id.clone(),
            not_real: (!environment.moves_real_money()).then(|| environment.as_str().to_uppercase()),
        };
        let counter = Counter {
            shifts: Arc::new(ShiftDesk::new(service.clone(), &settings.counter_id, &settings.shop_name)),
            staff,
            receipts: Arc::new(ReceiptPrinter::new(service.clone(), shop)),
            desk: Arc::new(CheckoutDesk::new(service.clone(), &settings.counter_id)),
            till: Arc::new(Till::new(service.clone(), &settings.counter_id)),
            service,
            journal,
            reconciler,
            checkout_csp: crate::bkash::origins::checkout_csp(&config),
            config,
            reader: Mutex::new(reader),
            health,
            store,
        };
        Ok(Opened { counter, unsettled, integrity })
    }
}
