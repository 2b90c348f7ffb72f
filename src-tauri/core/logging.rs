//! Logging: `tracing` to a daily-rotating file in the app's data folder.
//!
//! Contract: log lines carry what a person needs to understand a payment
//! (state, paymentID, bKash code) and never a secret. Secrets are kept out at
//! the source (redacting `Debug` impls), not filtered here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// How many daily files are kept; older ones are deleted by the appender.
pub const KEEP_DAYS: usize = 14;
pub const FILE_PREFIX: &str = "bkash-pos";
/// Lines wait in memory at most this long before they reach the file;
/// warnings and errors are written at once.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// If the file cannot keep up (a stalled disk), events beyond this many are
/// dropped and counted rather than filling the counter's memory.
const MAX_PENDING: usize = 20_000;

/// Keeps the writer thread alive; dropping it writes what is pending.
pub struct LogGuard {
    shared: Arc<Pending>,
    writer: Option<std::thread::JoinHandle<()>>,
    pub dir: PathBuf,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.wake.notify_one();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("cannot open the log folder {}: {source}", .dir.display())]
    Open {
        dir: PathBuf,
        #[source]
        source: tracing_appender::rolling::InitError,
    },
    #[error("cannot start the log writer: {0}")]
    Thread(#[from] std::io::Error),
}

/// Events not yet in the file. Recording one costs its caller a clock read,
/// copies of its field values and one short lock: it is formatted and
/// written later, by the writer thread, so neither the formatting nor a
/// system call nor a thread wake-up sits on the payment path.
/// (`tracing_appender::non_blocking` wakes its writer thread for every line,
/// about 25 µs a line on a 2-core counter PC, which tripled the bKash
/// client's own cost; formatting in place still cost it 6 %.)
#[derive(Default)]
struct Pending {
    events: Mutex<Vec<Recorded>>,
    wake: Condvar,
    stop: AtomicBool,
    dropped: AtomicU64,
}

impl Pending {
    fn events(&self) -> MutexGuard<'_, Vec<Recorded>> {
        self.events.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One event as it happened, waiting to be formatted.
struct Recorded {
    at: chrono::DateTime<chrono::Utc>,
    level: Level,
    target: &'static str,
    /// The spans it happened in, outermost first: the command's name for a
    /// command's error (`#[instrument]`), empty elsewhere.
    spans: Vec<&'static str>,
    message: String,
    fields: Vec<(&'static str, FieldValue)>,
}

enum FieldValue {
    /// Written quoted, as `tracing`'s own format does for strings.
    Text(String),
    /// Numbers, booleans and `%`/`?` values, written as they came.
    Plain(String),
}

impl Visit for Recorded {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.fields.push((field.name(), FieldValue::Text(value.to_string())));
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.push((field.name(), FieldValue::Plain(value.to_string())));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.push((field.name(), FieldValue::Plain(value.to_string())));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.push((field.name(), FieldValue::Plain(value.to_string())));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            self.fields.push((field.name(), FieldValue::Plain(format!("{value:?}"))));
        }
    }
}

impl Recorded {
    /// `2026-11-30T02:44:13.901183Z  INFO target: message key="value" n=1`,
    /// the shape of `tracing-subscriber`'s own format.
    fn write_to(&self, out: &mut Vec<u8>) {
        let _ = write!(out, "{} {:>5} {}:", self.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), self.level, self.target);
        for span in &self.spans {
            let _ = write!(out, " {span}:");
        }
        let _ = write!(out, " {}", self.message);
        for (name, value) in &self.fields {
            let _ = match value {
                FieldValue::Text(text) => write!(out, " {name}={text:?}"),
                FieldValue::Plain(text) => write!(out, " {name}={text}"),
            };
        }
        out.push(b'\n');
    }
}

/// The file layer: records each event for the writer thread.
struct FileLayer(Arc<Pending>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for FileLayer {
    fn on_event(&self, event: &Event<'_>, context: Context<'_, S>) {
        let meta = event.metadata();
        let spans = context.event_scope(event).map(|scope| scope.from_root().map(|span| span.name()).collect()).unwrap_or_default();
        let mut recorded = Recorded {
            at: chrono::Utc::now(),
            level: *meta.level(),
            target: meta.target(),
            spans,
            message: String::new(),
            fields: Vec::new(),
        };
        event.record(&mut recorded);
        {
            let mut events = self.0.events();
            if events.len() >= MAX_PENDING {
                self.0.dropped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            events.push(recorded);
        }
        // WARN and ERROR (the less verbose levels compare lower) are written at once.
        if *meta.level() <= Level::WARN {
            self.0.wake.notify_one();
        }
    }
}

/// The writer thread: every `FLUSH_EVERY`, when woken for a warning, and
/// once more when the guard is dropped.
fn write_pending(pending: Arc<Pending>, mut file: RollingFileAppender) {
    let mut text = Vec::new();
    loop {
        let batch = {
            let events = pending.events();
            let mut events = if pending.stop.load(Ordering::SeqCst) {
                events
            } else {
                pending.wake.wait_timeout(events, FLUSH_EVERY).unwrap_or_else(|p| p.into_inner()).0
            };
            std::mem::take(&mut *events)
        };
        text.clear();
        for event in &batch {
            event.write_to(&mut text);
        }
        let dropped = pending.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let _ = writeln!(
                text,
                "{}  WARN pos_core::logging: {dropped} log lines were dropped: the log file could not keep up",
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
            );
        }
        if !text.is_empty() {
            let _ = file.write_all(&text).and_then(|_| file.flush());
        }
        if pending.stop.load(Ordering::SeqCst) && pending.events().is_empty() {
            return;
        }
    }
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
    let pending = Arc::new(Pending::default());
    let writer = {
        let pending = pending.clone();
        std::thread::Builder::new().name("log-writer".into()).spawn(move || write_pending(pending, appender))?
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = FileLayer(pending.clone());
    let stderr_layer = cfg!(debug_assertions).then(|| fmt::layer().with_writer(std::io::stderr));
    // A second init (tests) keeps the first subscriber; that is fine.
    let _ = tracing_subscriber::registry().with(filter).with(file_layer).with(stderr_layer).try_init();
    Ok(LogGuard { shared: pending, writer: Some(writer), dir: dir.to_path_buf() })
}
