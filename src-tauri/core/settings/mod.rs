//! The shop's settings: what is not secret (kept by the app in
//! tauri-plugin-store, read at start by `file`) and the bKash credentials
//! (kept in the `SecretVault`, by `credentials`). This module holds the
//! fields, their checks and what they configure.
//!
//! Contract: `Settings::check` names every field that cannot be used, so the
//! settings screen can put each message on its field; nothing invalid is
//! ever saved. `bkash_config` turns valid settings into a `BkashConfig`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::bkash::{BkashConfig, Credentials, Environment};
use crate::money::{PayAt, Product};
use crate::payment::PHONE_TIMEOUT_SECS;
use crate::print::{PaperWidth, PrinterAddress, PrinterKind, PrinterSetup};
use crate::store::{StoreConfig, TlsMode};

mod credentials;
mod file;

pub use credentials::{load_credentials, merge_credentials, store_credentials, summarize_credentials, CredentialsForm, CredentialsSummary};
pub use file::{first_start, journal_file, load_settings, SETTINGS_FILE, SETTINGS_KEY};

/// The settings a manager edits. Field names are the store file's and the UI's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// Printed on receipts.
    pub shop_name: String,
    /// This till, in every invoice number and report: 1–10 letters or digits.
    pub counter_id: String,
    pub environment: Environment,
    /// The bKash product this shop was given: it decides the host, the
    /// credentials and how the customer pays (bKash's frame or bKash's page).
    pub product: Product,
    /// Tokenized only: the https URL on the shop's domain registered with
    /// bKash, where bKash's page returns (never loaded by the app).
    pub callback_url: Option<String>,
    /// Where *Pay* (F9) lets the customer pay; the other place is F8. The
    /// customer's phone needs Tokenized.
    pub pay_at: PayAt,
    /// How long the QR code waits for the customer to finish on their phone.
    pub phone_timeout_secs: u32,
    /// Shows the QR code and the total in a window of their own, on the
    /// second screen when there is one (a customer display).
    pub customer_display: bool,
    /// Training only: the simulator's payment page is also served on this
    /// PC's network address, behind a random per-session token, so cashiers
    /// can practise with a real phone on the shop's Wi-Fi.
    pub training_phone_access: bool,
    /// Where receipts print: the dialog, a CUPS printer, or an ESC/POS one.
    pub printer: PrinterKind,
    /// The CUPS printer's name (`lpstat -e`).
    pub cups_printer: Option<String>,
    /// The ESC/POS printer: `host:port` (network) or `/dev/usb/lpN` (USB).
    pub escpos_address: Option<String>,
    pub paper: PaperWidth,
    /// Print the receipt by itself once a sale is paid (else on request).
    pub print_automatically: bool,
    /// A cash drawer hangs on the ESC/POS printer: open it for cash sales
    /// (and the test print).
    pub open_drawer: bool,
    /// Start the app when the shop's user logs in (XDG autostart).
    pub start_on_login: bool,
    /// The counter locks after this many minutes without a key or a click,
    /// and the next person signs in with their PIN (a sale in progress stays).
    pub lock_after_idle_minutes: u32,
    /// Overrides the environment's API base (ends in `/v1.2.0-beta`).
    pub base_url: Option<String>,
    /// Overrides the environment's checkout.js URL.
    pub script_url: Option<String>,
    /// Per bKash call; bKash asks for 30 s.
    pub timeout_secs: u32,
    pub connect_timeout_secs: u32,
    /// The store's shared PostgreSQL (several counters, one manager's day).
    /// None: this counter works alone on its own journal. The database
    /// password is in the vault (`STORE_PASSWORD_KEY`), never here.
    pub store: Option<StoreSettings>,
}

/// Where the store's PostgreSQL is. The counter id is `Settings::counter_id`
/// and the merchant is the bKash username, so neither is asked twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StoreSettings {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub tls: TlsMode,
    /// A PEM file with the CA of a store server with its own certificate.
    pub ca_file: Option<String>,
    pub store_id: String,
}

/// How long a counter may stand idle before it locks.
pub const LOCK_AFTER_IDLE_MINUTES: std::ops::RangeInclusive<u32> = 1..=240;

/// The vault entry of the store database's password.
pub const STORE_PASSWORD_KEY: &str = "store.database-password";

impl Default for Settings {
    fn default() -> Self {
        Self {
            shop_name: "My Shop".into(),
            counter_id: "C1".into(),
            environment: Environment::Training,
            product: Product::Checkout,
            callback_url: None,
            pay_at: PayAt::Counter,
            phone_timeout_secs: 180,
            customer_display: false,
            training_phone_access: false,
            printer: PrinterKind::None,
            cups_printer: None,
            escpos_address: None,
            paper: PaperWidth::Mm80,
            print_automatically: true,
            open_drawer: false,
            start_on_login: false,
            lock_after_idle_minutes: 5,
            base_url: None,
            script_url: None,
            timeout_secs: 30,
            connect_timeout_secs: 10,
            store: None,
        }
    }
}

/// One field that cannot be used, and why, in words for the cashier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

pub(crate) fn field(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

impl Settings {
    /// Every problem with these settings, field by field. Empty means valid.
    pub fn check(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let name = self.shop_name.trim();
        if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
            problems.push(field("shopName", "Enter the shop's name (1–60 characters)."));
        }
        if self.counter_id.is_empty() || self.counter_id.len() > 10 || !self.counter_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            problems.push(field("counterId", "Use 1–10 letters or digits (it goes into every invoice number)."));
        }
        for (name, value, max) in [("timeoutSecs", self.timeout_secs, 120), ("connectTimeoutSecs", self.connect_timeout_secs, 60)] {
            if value == 0 || value > max {
                problems.push(field(name, format!("Use a whole number of seconds from 1 to {max}.")));
            }
        }
        // URL rules are the client's own, so a URL accepted here always works there.
        for (name, url) in [("baseUrl", &self.base_url), ("scriptUrl", &self.script_url)] {
            if let Some(url) = url {
                if let Err(e) = crate::bkash::config::check_url(name, url, self.environment) {
                    problems.push(field(name, e.problem));
                } else if name == "scriptUrl" && !crate::bkash::origins::script_host_allowed(url) {
                    problems.push(field(name, "bKash's checkout script must come from a bka.sh host (or this computer, for a simulator)."));
                }
            }
        }
        if let Some(url) = &self.callback_url {
            if let Err(e) = crate::bkash::check_callback_url(url) {
                problems.push(field("callbackUrl", e.problem));
            }
        }
        if !self.pay_at.offered_by(self.product) {
            problems.push(field("payAt", "The customer can pay on their phone only with bKash Tokenized Checkout."));
        }
        if !PHONE_TIMEOUT_SECS.contains(&self.phone_timeout_secs) {
            problems.push(field(
                "phoneTimeoutSecs",
                format!("Use a whole number of seconds from {} to {}.", PHONE_TIMEOUT_SECS.start(), PHONE_TIMEOUT_SECS.end()),
            ));
        }
        if !LOCK_AFTER_IDLE_MINUTES.contains(&self.lock_after_idle_minutes) {
            problems.push(field(
                "lockAfterIdleMinutes",
                format!("Use a whole number of minutes from {} to {}.", LOCK_AFTER_IDLE_MINUTES.start(), LOCK_AFTER_IDLE_MINUTES.end()),
            ));
        }
        if self.training_phone_access && self.environment != Environment::Training {
            problems.push(field("trainingPhoneAccess", "Phones can reach the practice payment page only in Training."));
        }
        if let Some(problem) = self.store_config("merchant").and_then(|c| c.check().err()) {
            problems.push(field(problem.field(), problem.to_string()));
        }
        match self.printer {
            PrinterKind::None => {}
            PrinterKind::Cups => {
                let name = self.cups_printer.as_deref().unwrap_or("");
                if name.is_empty() || name.len() > 127 || !name.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b'#' | b'\\')) {
                    problems.push(field("cupsPrinter", "Choose a printer from the system's list."));
                }
            }
            PrinterKind::Escpos => {
                if let Err(e) = self.escpos_address.as_deref().unwrap_or("").parse::<PrinterAddress>() {
                    problems.push(field("escposAddress", e.to_string()));
                }
            }
        }
        problems
    }

    /// The store database's settings for this counter, when a store is set.
    pub fn store_config(&self, merchant: &str) -> Option<StoreConfig> {
        let store = self.store.as_ref()?;
        Some(StoreConfig {
            host: store.host.trim().to_string(),
            port: store.port,
            database: store.database.clone(),
            user: store.user.clone(),
            tls: store.tls,
            ca_file: store.ca_file.as_ref().filter(|f| !f.trim().is_empty()).map(std::path::PathBuf::from),
            merchant: merchant.to_string(),
            store_id: store.store_id.clone(),
            counter_id: self.counter_id.clone(),
            install_id: None,
        })
    }

    /// The client's configuration. `sim_base` is the embedded simulator's
    /// URL, used in Training unless a URL override points elsewhere.
    pub fn bkash_config(&self, credentials: Option<Credentials>, sim_base: Option<&str>) -> Result<BkashConfig, FieldError> {
        let mut config = match self.environment {
            Environment::Training => crate::bkash::training_config(sim_base.unwrap_or("http://127.0.0.1:0")),
            Environment::Sandbox | Environment::Production => {
                let credentials = credentials.ok_or_else(|| {
                    field(
                        "credentials",
                        format!(
                            "No bKash {} credentials are stored for {}. Enter them in Settings.",
                            self.product.as_str(),
                            self.environment.as_str()
                        ),
                    )
                })?;
                if self.environment == Environment::Sandbox {
                    BkashConfig::sandbox(credentials)
                } else {
                    BkashConfig::production(credentials)
                }
            }
        };
        config = config.with_product(self.product);
        if let Some(url) = &self.callback_url {
            config.callback_url = url.clone();
        }
        if let Some(url) = &self.base_url {
            config.base_url = url.trim_end_matches('/').to_string();
        }
        if let Some(url) = &self.script_url {
            config.script_url = url.clone();
        }
        config.timeout = Duration::from_secs(self.timeout_secs.into());
        config.connect_timeout = Duration::from_secs(self.connect_timeout_secs.into());
        config.validate().map_err(|e| field(setting_field(e.setting), e.problem))?;
        Ok(config)
    }

    /// The ESC/POS printer, when receipts go to one.
    pub fn escpos_setup(&self) -> Option<PrinterSetup> {
        let address = self.escpos_address.as_deref()?.parse().ok()?;
        (self.printer == PrinterKind::Escpos).then_some(PrinterSetup { address, paper: self.paper, open_drawer: self.open_drawer })
    }

    /// True when Training needs no simulator of its own: both URLs point
    /// at another one (a standalone `bkash-sim`).
    pub fn uses_external_simulator(&self) -> bool {
        self.environment == Environment::Training && self.base_url.is_some() && self.script_url.is_some()
    }
}

/// The client names settings in snake_case; the screen's fields are camelCase.
fn setting_field(setting: &str) -> &'static str {
    match setting {
        "base_url" => "baseUrl",
        "script_url" => "scriptUrl",
        "timeout" => "timeoutSecs",
        "connect_timeout" => "connectTimeoutSecs",
        "username" => "username",
        "password" => "password",
        "app_key" => "appKey",
        "app_secret" => "appSecret",
        "callback_url" => "callbackUrl",
        _ => "settings",
    }
}
