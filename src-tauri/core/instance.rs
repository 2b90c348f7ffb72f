//! The single-instance lock: at most one app process per data directory.
//!
//! Two instances reconciling the same journal could both query and settle the
//! same payment, so this is a hard guarantee, not a courtesy. The desktop-level
//! single-instance plugin (which focuses the first window) relies on a session
//! bus that is not always there; this OS file lock is what the money path
//! trusts. The OS releases it when the process dies, however it dies, so a
//! crash never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Holds the lock for as long as it lives.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("another bKash Counter POS is already running on this data folder ({})", .0.display())]
    AlreadyRunning(PathBuf),
    #[error("cannot create the instance lock {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl InstanceLock {
    pub const FILE_NAME: &'static str = "instance.lock";

    /// Takes the lock in `dir`, creating the folder if needed. Fails at once
    /// (never waits) when another live process holds it.
    pub fn acquire(dir: &Path) -> Result<Self, InstanceError> {
        let path = dir.join(Self::FILE_NAME);
        let io_err = |source| InstanceError::Io { path: path.clone(), source };
        std::fs::create_dir_all(dir).map_err(io_err)?;
        let mut file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(InstanceError::AlreadyRunning(dir.to_path_buf())),
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        // The pid is only for a human reading the folder; the lock is the truth.
        file.set_len(0).map_err(io_err)?;
        writeln!(file, "{}", std::process::id()).map_err(io_err)?;
        Ok(Self { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
