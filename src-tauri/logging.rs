//! Logging: `tracing` to a daily-rotating file in the app's data folder.
//!
//! Contract: log lines carry what a person needs to understand a payment
//! (state, paymentID, bKash code) and never a secret. Secrets are kept out at
//! the source (redacting `Debug` impls), not filtered here.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// How many daily files are kept; older ones are deleted by the appender.
pub const KEEP_DAYS: usize = 14;
pub const FILE_PREFIX: &str = "bkash-pos";

/// Keeps the background writer alive; drop it last so the tail is flushed.
pub struct LogGuard {
    _guard: WorkerGuard,
    pub dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("cannot open the log folder {}: {source}", .dir.display())]
    Open {
        dir: PathBuf,
        #[source]
        source: tracing_appender::rolling::InitError,
    },
}

/// Installs the global subscriber: the rotating file, plus stderr in debug
/// builds. `RUST_LOG` overrides the default `info` level.
pub fn init(dir: &Path) -> Result<LogGuard, LoggingError> {
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(dir)
        .map_err(|source| LoggingError::Open { dir: dir.to_path_buf(), source })?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer().with_writer(writer).with_ansi(false);
    let stderr_layer = cfg!(debug_assertions).then(|| fmt::layer().with_writer(std::io::stderr));
    // A second init (tests) keeps the first subscriber; that is fine.
    let _ = tracing_subscriber::registry().with(filter).with(file_layer).with(stderr_layer).try_init();
    Ok(LogGuard { _guard: guard, dir: dir.to_path_buf() })
}
