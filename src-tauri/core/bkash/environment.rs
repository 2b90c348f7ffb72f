use serde::{Deserialize, Serialize};

/// Which bKash the app talks to. Only `Training` is safe to play with: it is
/// backed by the embedded simulator and moves no real money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// The embedded simulator on 127.0.0.1. The default whenever no
    /// credentials are configured.
    #[default]
    Training,
    /// bKash's public sandbox: real API, test wallets, no real money.
    Sandbox,
    /// bKash production: real customers, real money.
    Production,
}

impl Environment {
    /// True only where a completed payment takes a customer's real money.
    pub fn moves_real_money(self) -> bool {
        matches!(self, Environment::Production)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Training => "training",
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }
}
