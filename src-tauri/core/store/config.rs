//! `StoreConfig`: where the store's PostgreSQL is and who this counter is in
//! it, checked field by field. The password is not here: it lives in the
//! vault and is handed to [`StoreConfig::connect`] as a [`Secret`].

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::money::Secret;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// Plain TCP or a local socket: allowed only when PostgreSQL is on this
    /// PC (loopback), where there is no wire to listen on.
    Off,
    /// TLS, with the server's certificate checked against the public roots
    /// (or the shop's own CA file) and its name against `host`.
    Verified,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreConfig {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub tls: TlsMode,
    /// A PEM file with the CA that signed a store server's certificate, for
    /// a shop that runs its own PostgreSQL with its own certificate.
    #[ts(type = "string | null")]
    pub ca_file: Option<PathBuf>,
    /// The merchant: bKash's token budget is counted per merchant.
    pub merchant: String,
    pub store_id: String,
    pub counter_id: String,
    /// This PC's journal (its install id), which must hold `counter_id` in
    /// the store: every connection checks that claim before any read or
    /// write, so a PC refused for its counter id gets nothing through.
    /// Not a setting: the app fills it in from the journal it opened.
    #[serde(skip)]
    #[ts(skip)]
    pub install_id: Option<String>,
}

/// One field that is wrong, named for the settings form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreConfigProblem {
    #[error("the store database's host is empty")]
    NoHost,
    #[error("the store database's port must be 1 to 65535")]
    BadPort,
    #[error("{field} must be 1 to {max} characters of letters, digits, '-' or '_'")]
    BadName { field: &'static str, max: usize },
    #[error("TLS is required for a store database that is not on this PC ({host})")]
    TlsRequired { host: String },
    #[error("the CA file {0} cannot be read")]
    UnreadableCaFile(PathBuf),
}

impl StoreConfigProblem {
    /// The settings form's field this problem belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            StoreConfigProblem::NoHost => "storeHost",
            StoreConfigProblem::BadPort => "storePort",
            StoreConfigProblem::BadName { field, .. } => match *field {
                "the database name" => "storeDatabase",
                "the database user" => "storeUser",
                "the store id" => "storeId",
                "the counter id" => "counterId",
                _ => "storeMerchant",
            },
            StoreConfigProblem::TlsRequired { .. } => "storeTls",
            StoreConfigProblem::UnreadableCaFile(_) => "storeCaFile",
        }
    }
}

impl StoreConfig {
    pub fn check(&self) -> Result<(), StoreConfigProblem> {
        if self.host.trim().is_empty() {
            return Err(StoreConfigProblem::NoHost);
        }
        if self.port == 0 {
            return Err(StoreConfigProblem::BadPort);
        }
        if self.tls == TlsMode::Off && !is_on_this_pc(&self.host) {
            return Err(StoreConfigProblem::TlsRequired { host: self.host.clone() });
        }
        if self.merchant.is_empty() || self.merchant.chars().count() > 64 || self.merchant.chars().any(char::is_control) {
            return Err(StoreConfigProblem::BadName { field: "the merchant", max: 64 });
        }
        for (field, value, max) in [
            ("the database name", &self.database, 63),
            ("the database user", &self.user, 63),
            ("the store id", &self.store_id, 32),
            ("the counter id", &self.counter_id, 32),
        ] {
            let ok = (1..=max).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(StoreConfigProblem::BadName { field, max });
            }
        }
        if let Some(ca) = &self.ca_file {
            if std::fs::metadata(ca).map(|m| !m.is_file()).unwrap_or(true) {
                return Err(StoreConfigProblem::UnreadableCaFile(ca.clone()));
            }
        }
        Ok(())
    }

    /// Opens a connection, never waiting more than `timeout` for the server.
    /// Every error names the cause and never the password.
    pub fn connect(&self, password: &Secret, timeout: Duration) -> Result<postgres::Client, StoreError> {
        self.check().map_err(StoreError::Config)?;
        let mut pg = postgres::Config::new();
        pg.host(&self.host)
            .port(self.port)
            .dbname(&self.database)
            .user(&self.user)
            .application_name(&format!("bkash-pos {}/{}", self.store_id, self.counter_id))
            .connect_timeout(timeout)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            // Everything the app owns lives in its own schema.
            .options("-c search_path=bkash_store -c statement_timeout=30000 -c lock_timeout=15000");
        if !password.is_empty() {
            pg.password(password.expose());
        }
        let client = match self.tls {
            TlsMode::Off => pg.ssl_mode(postgres::config::SslMode::Disable).connect(postgres::NoTls),
            TlsMode::Verified => {
                pg.ssl_mode(postgres::config::SslMode::Require);
                pg.connect(self.tls_connector()?)
            }
        };
        client.map_err(|e| StoreError::unreachable(self, &e))
    }

    fn tls_connector(&self) -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        if let Some(ca) = &self.ca_file {
            let pem = std::fs::read(ca).map_err(|_| StoreError::Config(StoreConfigProblem::UnreadableCaFile(ca.clone())))?;
            let mut found = false;
            for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(&pem) {
                let cert: rustls::pki_types::CertificateDer =
                    cert.map_err(|_| StoreError::Config(StoreConfigProblem::UnreadableCaFile(ca.clone())))?;
                roots.add(cert).map_err(|_| StoreError::Config(StoreConfigProblem::UnreadableCaFile(ca.clone())))?;
                found = true;
            }
            if !found {
                return Err(StoreError::Config(StoreConfigProblem::UnreadableCaFile(ca.clone())));
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| StoreError::Tls(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
    }
}

/// Loopback addresses, `localhost` and a local socket folder: no network in between.
pub fn is_on_this_pc(host: &str) -> bool {
    let host = host.trim();
    host.starts_with('/') || host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
