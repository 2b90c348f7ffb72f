//! The simulator's data: merchants, configuration, payments, refunds,
//! agreements, and the shapes bKash gives its IDs and timestamps.

use chrono::{DateTime, FixedOffset, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// A merchant account: the four credentials bKash issues at onboarding.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Merchant {
    pub username: String,
    pub password: String,
    pub app_key: String,
    pub app_secret: String,
    #[serde(default = "default_org_name")]
    pub org_name: String,
}

fn default_org_name() -> String {
    "Training Shop".into()
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merchant")
            .field("username", &self.username)
            .field("app_key", &self.app_key)
            .field("password", &"<redacted>")
            .field("app_secret", &"<redacted>")
            .finish()
    }
}

impl Merchant {
    fn published(username: &str, password: &str, app_key: &str, app_secret: &str) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            org_name: default_org_name(),
        }
    }

    /// The sandbox credential sets bKash and its integrators publish
    /// (API.md §6). They are public test values, not secrets.
    pub fn published_sandbox_sets() -> Vec<Merchant> {
        vec![
            Self::published(
                "sandboxTestUser",
                "hWD@8vtzw0",
                "5tunt4masn6pv2hnvte1sb5n3j",
                "1vggbqd4hqk9g96o9rrrp2jftvek578v7d2bnerim12a87dbrrka",
            ),
            Self::published(
                "testdemo",
                "test%#de23@msdao",
                "5nej5keguopj928ekcj3dne8p",
                "1honf6u1c56mqcivtc9ffl960slp4v2756jle5925nbooa46ch62",
            ),
            Self::published(
                "sandboxTokenizedUser02",
                "sandboxTokenizedUser02@12345",
                "4f6o0cjiki2rfm34kfdadl1eqq",
                "2is7hdktrekvrbljjh44ll3d9l1dtjo4pasmjvs5vl5qr3fug4b",
            ),
            Self::published(
                "sandboxTokenizedUser01",
                "sandboxTokenizedUser12345",
                "7epj60ddf7id0chhcm3vkejtab",
                "18mvi27h9l38dtdv110rq5g603blk0fhh5hg46gfb27cp2rbs66f",
            ),
            Self::published(
                "01770618567",
                "D7DaC<*E*eG",
                "0vWQuCRGiUX7EPVjQDr0EUAYtc",
                "jcUNPBgbcqEDedNKdvE4G1cAK7D3hCjmJccNPZZBq96QIxxwAMEx",
            ),
        ]
    }
}

/// Everything about the simulated bKash that a test may want to change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SimConfig {
    pub merchants: Vec<Merchant>,
    /// `expires_in` of an id_token (bKash: 3600).
    pub token_lifetime_secs: i64,
    /// How long a refresh_token may be used (sources say 28 days).
    pub refresh_lifetime_secs: i64,
    /// Grants plus refreshes allowed per merchant per rolling hour (bKash: 2).
    pub token_budget_per_hour: u32,
    /// Same wallet and same amount again within this window gets 2029.
    pub duplicate_window_secs: i64,
    /// An unexecuted paymentID expires after this (bKash: 24 h).
    pub payment_lifetime_secs: i64,
    /// Wrong OTPs before 2017 ends the session.
    pub otp_attempts: u32,
    /// Wrong PINs before 2015 ends the session.
    pub pin_attempts: u32,
    /// OTP resends before 2013.
    pub otp_resends: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            merchants: Merchant::published_sandbox_sets(),
            token_lifetime_secs: 3600,
            refresh_lifetime_secs: 28 * 24 * 3600,
            token_budget_per_hour: 2,
            duplicate_window_secs: 300,
            payment_lifetime_secs: 24 * 3600,
            otp_attempts: 3,
            pin_attempts: 3,
            otp_resends: 3,
            max_body_bytes: 64 * 1024,
        }
    }
}

/// Which API family created a payment: they answer in different envelopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Checkout,
    Tokenized,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxStatus {
    Initiated,
    Completed,
    Authorized,
    Cancelled,
}

impl TxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TxStatus::Initiated => "Initiated",
            TxStatus::Completed => "Completed",
            TxStatus::Authorized => "Authorized",
            TxStatus::Cancelled => "Cancelled",
        }
    }
}

/// Where the customer is in bKash's frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerStep {
    /// Waiting for the wallet number (and the terms checkbox).
    Wallet,
    /// Waiting for the 6-digit verification code.
    Otp,
    /// Waiting for the PIN.
    Pin,
    /// Wallet, OTP and PIN all accepted: `verificationStatus` is Complete.
    Verified,
    /// Too many wrong OTPs or PINs, or the customer closed the frame.
    Ended,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    pub refund_trx_id: String,
    pub amount: String,
    pub amount_poisha: u64,
    pub sku: String,
    pub reason: String,
    pub completed_time: String,
}

/// One payment as the simulated bKash knows it: the ledger's truth.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    pub family: Family,
    pub mode: String,
    #[serde(skip)]
    pub merchant: String,
    /// The amount exactly as the merchant sent it (bKash echoes it).
    pub amount: String,
    pub amount_poisha: u64,
    pub currency: String,
    pub intent: String,
    pub merchant_invoice_number: String,
    pub payer_reference: Option<String>,
    pub callback_url: Option<String>,
    pub agreement_id: Option<String>,
    pub transaction_status: TxStatus,
    pub customer_step: CustomerStep,
    pub customer_msisdn: Option<String>,
    /// Execute has been called (successfully or not): a second call gets 2117.
    pub executed: bool,
    /// Why execute refused it, if it did (e.g. [`Code::InsufficientBalance`]).
    pub execute_error: Option<String>,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    pub create_time: String,
    pub execute_time: Option<String>,
    pub refunds: Vec<Refund>,
    pub refunded_poisha: u64,
    #[serde(skip)]
    pub created_at: DateTime<Utc>,
    #[serde(skip)]
    pub executed_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub otp_failures: u32,
    #[serde(skip)]
    pub pin_failures: u32,
    #[serde(skip)]
    pub otp_resends: u32,
}

impl Payment {
    /// A fresh payment as Create leaves it: Initiated, waiting for the wallet.
    pub fn initiated(family: Family, mode: &str, merchant: &str, now: DateTime<Utc>) -> Self {
        Self {
            payment_id: new_payment_id(mode, now),
            family,
            mode: mode.into(),
            merchant: merchant.into(),
            amount: "0".into(),
            amount_poisha: 0,
            currency: "BDT".into(),
            intent: super::codes::intent::SALE.into(),
            merchant_invoice_number: String::new(),
            payer_reference: None,
            callback_url: None,
            agreement_id: None,
            transaction_status: TxStatus::Initiated,
            customer_step: CustomerStep::Wallet,
            customer_msisdn: None,
            executed: false,
            execute_error: None,
            trx_id: None,
            create_time: bkash_time(now),
            execute_time: None,
            refunds: Vec::new(),
            refunded_poisha: 0,
            created_at: now,
            executed_at: None,
            otp_failures: 0,
            pin_failures: 0,
            otp_resends: 0,
        }
    }

    pub fn verification_status(&self) -> &'static str {
        if self.customer_step == CustomerStep::Verified {
            "Complete"
        } else {
            "Incomplete"
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AgreementStatus {
    Initiated,
    Completed,
    Cancelled,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    #[serde(rename = "agreementID")]
    pub agreement_id: String,
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    #[serde(skip)]
    pub merchant: String,
    pub payer_reference: String,
    pub customer_msisdn: Option<String>,
    pub agreement_status: AgreementStatus,
    pub agreement_create_time: String,
    pub agreement_execute_time: Option<String>,
    pub agreement_void_time: Option<String>,
}

/// bKash's timestamp shape: `2024-07-25T19:35:17:574 GMT+0600`, in Dhaka time,
/// with a colon before the milliseconds (so it is not ISO-8601).
pub fn bkash_time(at: DateTime<Utc>) -> String {
    let dhaka = FixedOffset::east_opt(6 * 3600).expect("+06:00 is a valid offset");
    at.with_timezone(&dhaka).format("%Y-%m-%dT%H:%M:%S:%3f GMT+0600").to_string()
}

const ALNUM_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())] as char).collect()
}

/// `TR` + mode + random letters + 13-digit epoch milliseconds, like
/// `TR0011ON1565154754797`.
pub fn new_payment_id(mode: &str, at: DateTime<Utc>) -> String {
    format!("TR{mode}{}{:013}", random_from(ALNUM, 8), at.timestamp_millis())
}

/// 10 upper-case alphanumerics, like `6H7801QFYM`.
pub fn new_trx_id() -> String {
    random_from(ALNUM_UPPER, 10)
}

pub fn new_agreement_id(at: DateTime<Utc>) -> String {
    format!("TokenizedMerchant02{}{:013}", random_from(ALNUM_UPPER, 6), at.timestamp_millis())
}

/// An opaque token shaped like the Cognito JWT bKash issues. Clients must not
/// parse it; the shape only makes logs and redaction tests realistic.
pub fn new_token() -> String {
    format!("eyJraWQiOiJzaW0iLCJhbGciOiJSUzI1NiJ9.{}.{}", random_from(ALNUM, 120), random_from(ALNUM, 43))
}

/// bKash's amount rule: a string of digits with at most 2 decimals, at least
/// 1 BDT. Returns poisha. Anything else is 2006.
pub fn parse_amount(text: &str) -> Option<u64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || whole.len() > 12 || fraction.len() > 2 || (text.contains('.') && !digits(fraction)) {
        return None;
    }
    let poisha = whole.parse::<u64>().ok()? * 100 + format!("{fraction:0<2}").parse::<u64>().ok()?;
    (poisha >= 100).then_some(poisha)
}

/// The canonical bKash string for poisha: `85.50`.
pub fn format_amount(poisha: u64) -> String {
    format!("{}.{:02}", poisha / 100, poisha % 100)
}

/// A bKash customer wallet number: 11 digits starting 01.
pub fn valid_wallet(wallet: &str) -> bool {
    wallet.len() == 11 && wallet.starts_with("01") && wallet.bytes().all(|b| b.is_ascii_digit())
}

/// How a sandbox wallet behaves at execute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalletKind {
    Funded,
    InsufficientBalance,
    DebitBlocked,
}

pub const INSUFFICIENT_BALANCE_WALLET: &str = "01823074817";
pub const DEBIT_BLOCKED_WALLET: &str = "01823074818";
/// bKash's published sandbox success wallets, shown as a hint in the frame.
pub const SUCCESS_WALLETS: &[&str] = &["01770618575", "01929918378", "01770618576", "01877722345", "01619777282", "01619777283"];
pub const SANDBOX_OTP: &str = "123456";
pub const SANDBOX_PIN: &str = "12121";

pub fn wallet_kind(wallet: &str) -> WalletKind {
    match wallet {
        INSUFFICIENT_BALANCE_WALLET => WalletKind::InsufficientBalance,
        DEBIT_BLOCKED_WALLET => WalletKind::DebitBlocked,
        // Any other well-formed number pays, so a trainee can use their own.
        _ => WalletKind::Funded,
    }
}

/// merchantAssociationInfo: repeated 2-letter tag, 2-digit length, value.
pub fn valid_tlv(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if i + 4 > bytes.len()
            || !bytes[i..i + 2].iter().all(u8::is_ascii_alphabetic)
            || !bytes[i + 2..i + 4].iter().all(u8::is_ascii_digit)
        {
            return false;
        }
        let len: usize = text[i + 2..i + 4].parse().unwrap_or(0);
        i += 4 + len;
        if i > bytes.len() {
            return false;
        }
    }
    !text.is_empty()
}
