//! The `SecretVault`: where bKash credentials and the token pair are kept.
//!
//! Contract: secrets go to the OS keyring (the desktop Secret Service over
//! D-Bus: GNOME Keyring, KWallet). Where no keyring service answers, for
//! example a kiosk session without one, they go to a sealed file instead:
//!
//! - `<data>/secrets.vault` holds every secret, encrypted and authenticated
//!   with ChaCha20-Poly1305, written atomically, mode 0600;
//! - its 256-bit key is a separate file, `<config>/vault.key`, mode 0600, in
//!   a folder of mode 0700.
//!
//! What the fallback protects against: other local users, and a copy or
//! backup of the data folder (journal, logs, vault) leaking a secret. What it
//! does not: malware running as the shop's own account, which could read both
//! files (an unlocked keyring does not stop that either). The README says so.
//! No secret is ever written anywhere in plaintext.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

use crate::bkash::{StoredTokens, TokenStore};
use crate::money::Secret;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the OS keyring refused: {0}")]
    Keyring(String),
    #[error("the secrets file {path} cannot be used: {problem}")]
    File { path: PathBuf, problem: String },
}

/// A small key-value store for secrets. Values are opaque strings (JSON).
pub trait SecretVault: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<Secret>, VaultError>;
    fn set(&self, key: &str, value: &Secret) -> Result<(), VaultError>;
    fn delete(&self, key: &str) -> Result<(), VaultError>;
    /// Where the secrets are, in words for the settings screen and the log.
    fn describe(&self) -> String;
}

/// The OS keyring, one entry per key under the app's service name.
pub struct KeyringVault {
    service: String,
}

impl KeyringVault {
    /// The keyring, if a Secret Service answers on the session bus.
    pub fn connect(service: &str) -> Result<Self, VaultError> {
        let probe = keyring::Entry::new(service, "availability-probe").map_err(|e| VaultError::Keyring(e.to_string()))?;
        match probe.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(Self { service: service.into() }),
            Err(e) => Err(VaultError::Keyring(e.to_string())),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(&self.service, key).map_err(|e| VaultError::Keyring(e.to_string()))
    }
}

impl SecretVault for KeyringVault {
    fn get(&self, key: &str) -> Result<Option<Secret>, VaultError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(VaultError::Keyring(e.to_string())),
        }
    }

    fn set(&self, key: &str, value: &Secret) -> Result<(), VaultError> {
        self.entry(key)?.set_password(value.expose()).map_err(|e| VaultError::Keyring(e.to_string()))
    }

    fn delete(&self, key: &str) -> Result<(), VaultError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(VaultError::Keyring(e.to_string())),
        }
    }

    fn describe(&self) -> String {
        "the OS keyring (Secret Service)".into()
    }
}

const MAGIC: &[u8; 6] = b"BKPV1\n";
const NONCE_LEN: usize = 12;

/// The fallback: one sealed file, its key in another folder. See the module
/// documentation for what it does and does not protect against.
pub struct FileVault {
    path: PathBuf,
    key_path: PathBuf,
    /// One writer at a time; the instance lock keeps it to one process.
    lock: Mutex<()>,
}

impl FileVault {
    pub const FILE_NAME: &'static str = "secrets.vault";
    pub const KEY_FILE_NAME: &'static str = "vault.key";

    pub fn open(data_dir: &Path, key_dir: &Path) -> Self {
        Self { path: data_dir.join(Self::FILE_NAME), key_path: key_dir.join(Self::KEY_FILE_NAME), lock: Mutex::new(()) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, path: &Path, problem: impl std::fmt::Display) -> VaultError {
        VaultError::File { path: path.to_path_buf(), problem: problem.to_string() }
    }

    /// The key, created on first use. A key that exists is never replaced:
    /// that would make the sealed file unreadable.
    fn key(&self, create: bool) -> Result<Option<Key>, VaultError> {
        match std::fs::read(&self.key_path) {
            Ok(bytes) if bytes.len() == 32 => Ok(Some(*Key::from_slice(&bytes))),
            Ok(_) => Err(self.fail(&self.key_path, "the key file is damaged (it is not 32 bytes)")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let mut key = [0u8; 32];
                rand::rng().fill_bytes(&mut key);
                if let Some(dir) = self.key_path.parent() {
                    create_private_dir(dir).map_err(|e| self.fail(dir, e))?;
                }
                write_private(&self.key_path, &key).map_err(|e| self.fail(&self.key_path, e))?;
                Ok(Some(*Key::from_slice(&key)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.fail(&self.key_path, e)),
        }
    }

    fn read_all(&self) -> Result<BTreeMap<String, String>, VaultError> {
        let sealed = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(self.fail(&self.path, e)),
        };
        let key = self.key(false)?.ok_or_else(|| self.fail(&self.key_path, "the key file is missing, so the secrets cannot be read"))?;
        let body = sealed
            .strip_prefix(MAGIC.as_slice())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or_else(|| self.fail(&self.path, "not a vault file"))?;
        let (nonce, ciphertext) = body.split_at(NONCE_LEN);
        let plain = ChaCha20Poly1305::new(&key)
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| self.fail(&self.path, "it was changed or sealed with another key"))?;
        serde_json::from_slice(&plain).map_err(|e| self.fail(&self.path, e))
    }

    fn write_all(&self, entries: &BTreeMap<String, String>) -> Result<(), VaultError> {
        let key = self.key(true)?.expect("created when missing");
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let plain = serde_json::to_vec(entries).expect("a map of strings serialises");
        let ciphertext = ChaCha20Poly1305::new(&key).encrypt(Nonce::from_slice(&nonce), plain.as_slice()).expect("encryption cannot fail");
        let mut sealed = Vec::with_capacity(MAGIC.len() + NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(MAGIC);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.fail(dir, e))?;
        }
        // Written beside, synced, then renamed: a crash leaves the old file or the new one.
        let tmp = self.path.with_extension("vault.tmp");
        write_private(&tmp, &sealed).map_err(|e| self.fail(&tmp, e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.fail(&self.path, e))
    }

    fn change(&self, edit: impl FnOnce(&mut BTreeMap<String, String>)) -> Result<(), VaultError> {
        let _one_writer = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut entries = self.read_all()?;
        edit(&mut entries);
        self.write_all(&entries)
    }
}

impl SecretVault for FileVault {
    fn get(&self, key: &str) -> Result<Option<Secret>, VaultError> {
        let _one_writer = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self.read_all()?.remove(key).map(Secret::new))
    }

    fn set(&self, key: &str, value: &Secret) -> Result<(), VaultError> {
        self.change(|entries| {
            entries.insert(key.into(), value.expose().into());
        })
    }

    fn delete(&self, key: &str) -> Result<(), VaultError> {
        self.change(|entries| {
            entries.remove(key);
        })
    }

    fn describe(&self) -> String {
        format!("a sealed file ({}), because no OS keyring service is running", self.path.display())
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Creates (or truncates) a file readable only by its owner, writes, syncs.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        // `mode` applies only when the file is created; an older file is narrowed too.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Which vault the app uses: the keyring when one answers, else the sealed
/// file. `BKASH_POS_VAULT=file` forces the file (tests on a developer's
/// desktop must not write into the developer's own keyring).
pub fn open_vault(service: &str, data_dir: &Path, key_dir: &Path) -> Arc<dyn SecretVault> {
    let forced_file = std::env::var("BKASH_POS_VAULT").is_ok_and(|v| v == "file");
    if !forced_file {
        match KeyringVault::connect(service) {
            Ok(vault) => return Arc::new(vault),
            Err(e) => tracing::warn!(error = %e, "no OS keyring; secrets go to the sealed fallback file"),
        }
    }
    Arc::new(FileVault::open(data_dir, key_dir))
}

/// The bKash token pair (and recent token calls) kept in the vault, one
/// entry per environment, so a restart spends no grant.
pub struct VaultTokenStore {
    vault: Arc<dyn SecretVault>,
    key: String,
}

impl VaultTokenStore {
    /// Tokens of one environment's one product: a Checkout token is no use
    /// on the Tokenized host, and a switch of product must not hand the new
    /// client the old one's token (bKash would refuse it as just issued).
    /// Checkout keeps the key it had before products existed.
    pub fn new(vault: Arc<dyn SecretVault>, environment: crate::bkash::Environment, product: crate::money::Product) -> Self {
        let key = match product {
            crate::money::Product::Checkout => format!("bkash-tokens.{}", environment.as_str()),
            crate::money::Product::Tokenized => format!("bkash-tokens.{}.{}", environment.as_str(), product.as_str()),
        };
        Self { vault, key }
    }
}

impl TokenStore for VaultTokenStore {
    fn load(&self) -> Option<StoredTokens> {
        match self.vault.get(&self.key) {
            Ok(found) => found.and_then(|json| serde_json::from_str(json.expose()).ok()),
            Err(e) => {
                tracing::warn!(error = %e, "the saved bKash token could not be read; a new one will be granted");
                None
            }
        }
    }

    fn save(&self, tokens: &StoredTokens) {
        let json = Secret::new(serde_json::to_string(tokens).expect("tokens serialise"));
        if let Err(e) = self.vault.set(&self.key, &json) {
            tracing::error!(error = %e, "the bKash token could not be saved; a restart will need a new grant");
        }
    }
}
