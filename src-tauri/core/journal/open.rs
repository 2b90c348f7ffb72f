//! Opening the journal: pragmas read back and asserted, an integrity check,
//! migrations, and errors a manager can act on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use rusqlite_migration::{Migrations, M};

const MIGRATION_STEPS: &[M<'static>] = &[
    M::up(include_str!("migrations/001_init.sql")),
    M::up(include_str!("migrations/002_day_reports.sql")),
    M::up(include_str!("migrations/003_causes.sql")),
    M::up(include_str!("migrations/004_products.sql")),
    M::up(include_str!("migrations/005_phone.sql")),
    M::up(include_str!("migrations/006_till.sql")),
    M::up(include_str!("migrations/007_outbox.sql")),
    M::up(include_str!("migrations/008_store_actions.sql")),
    M::up(include_str!("migrations/009_staff_shifts.sql")),
    M::up(include_str!("migrations/010_outbox_shifts.sql")),
];

pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_STEPS);

/// The triggers that fill the outbox once the journal belongs to a store.
/// Kept beside the migrations, which install it; the outbox reinstalls it on joining a store.
pub(crate) const OUTBOX_TRIGGERS: &str = include_str!("outbox_triggers.sql");

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("the payment journal {} is damaged ({detail}). It was left untouched; see \"Recovering the journal\" in the README", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("the payment journal {} is in use by another program{}", .path.display(), holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Locked { path: PathBuf, holder: Option<String> },
    #[error("the payment journal {} cannot be opened for writing ({detail})", .path.display())]
    Unwritable { path: PathBuf, detail: String },
    #[error("SQLite refused the setting {name}: wanted {wanted}, got {got}")]
    Pragma { name: &'static str, wanted: String, got: String },
    #[error("the payment journal {} was written by a newer version of this app (schema {found}, this app knows up to {known})", .path.display())]
    TooNew { path: PathBuf, found: i64, known: usize },
    #[error("invalid {field}: {problem}")]
    Invalid { field: &'static str, problem: String },
    #[error("order {order_id} already has a payment that is not settled as not charged")]
    LivePaymentExists { order_id: String },
    #[error("invoice number {0} is already used")]
    DuplicateInvoice(String),
    #[error("payment {id} cannot go from {from} to {to}")]
    IllegalTransition { id: i64, from: String, to: String },
    #[error("payment {0} does not exist")]
    NotFound(i64),
    #[error("payment {payment} has {left} poisha left to refund; a refund of {asked} poisha is refused")]
    RefundTooLarge { payment: i64, asked: u64, left: u64 },
    #[error("the day {day} is already closed (report #{number}); later changes go on the next report")]
    DayClosed { day: String, number: i64 },
    #[error("sale {order_id} is already paid")]
    SaleAlreadyPaid { order_id: String },
    #[error("a bKash payment of sale {order_id} is under way or still being checked; it may have charged the customer")]
    SaleBeingPaid { order_id: String },
    #[error("no shift is open at counter {counter_id}: open one with the drawer's float before taking cash")]
    NoShiftOpen { counter_id: String },
    #[error("a shift is already open at counter {counter_id}; close it first")]
    ShiftAlreadyOpen { counter_id: String },
    #[error("the day {day} has not come yet; only today or an earlier day can be closed")]
    DayToCome { day: String },
    #[error("a shift is still open at counter {counter_id} (opened by {opened_by}); close it with its count first")]
    ShiftStillOpen { counter_id: String, opened_by: String },
    #[error("the shift is closed")]
    ShiftClosed,
    #[error("sale {0} does not exist")]
    NoSuchSale(String),
    #[error("a recorded fact cannot change: {0}")]
    FactConflict(String),
    #[error("payment journal error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// The pragmas as SQLite reports them after open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalSettings {
    pub journal_mode: String,
    /// 2 = FULL.
    pub synchronous: i64,
    pub foreign_keys: bool,
    pub busy_timeout_ms: i64,
}

/// Sorts SQLite's errors into what a person can do about them.
pub(crate) fn classify(path: &Path, error: rusqlite::Error) -> JournalError {
    let path = path.to_path_buf();
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => JournalError::Corrupt { path, detail: error.to_string() },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            let holder = lock_holder(&path);
            JournalError::Locked { path, holder }
        }
        Some(
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::DiskFull | ErrorCode::SystemIoFailure,
        ) => JournalError::Unwritable { path, detail: error.to_string() },
        _ => JournalError::Sqlite(error),
    }
}

pub(crate) fn read_settings(conn: &Connection, path: &Path) -> Result<JournalSettings, JournalError> {
    let get_text = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, String>(0));
    let get_int = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
    let wrap = |e| classify(path, e);
    Ok(JournalSettings {
        journal_mode: get_text("journal_mode").map_err(wrap)?,
        synchronous: get_int("synchronous").map_err(wrap)?,
        foreign_keys: get_int("foreign_keys").map_err(wrap)? == 1,
        busy_timeout_ms: get_int("busy_timeout").map_err(wrap)?,
    })
}

fn expect(name: &'static str, wanted: impl ToString, got: impl ToString) -> Result<(), JournalError> {
    let (wanted, got) = (wanted.to_string(), got.to_string());
    if wanted == got {
        Ok(())
    } else {
        Err(JournalError::Pragma { name, wanted, got })
    }
}

/// The journal holds full wallet numbers: only the shop's own account may
/// read it. A new file is created 0600 before SQLite opens it (SQLite gives
/// its `-wal` and `-shm` files the main file's mode); an older, wider one is
/// narrowed. A file that is not ours to change is left to SQLite's own error.
#[cfg(unix)]
fn owner_only(path: &Path) -> Result<(), JournalError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let unwritable = |e: std::io::Error| JournalError::Unwritable { path: path.to_path_buf(), detail: e.to_string() };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.permissions().mode() & 0o077 != 0 => {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(unwritable)
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map(drop).or_else(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Ok(()),
                _ => Err(unwritable(e)),
            })
        }
        Err(_) => Ok(()),
    }
}

#[cfg(not(unix))]
fn owner_only(_: &Path) -> Result<(), JournalError> {
    Ok(())
}

/// `full_check`: run `PRAGMA quick_check` before anything else. It reads the
/// whole file (about 1.5 s on a year of payments), so the app's startup
/// skips it and runs [`check_integrity`] beside the working counter instead.
pub(crate) fn open_writable(path: &Path, busy_timeout: Duration, full_check: bool) -> Result<Connection, JournalError> {
    let wrap = |e| classify(path, e);
    owner_only(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(wrap)?;
    // Wait this long for another connection (a report) instead of failing at once.
    conn.busy_timeout(busy_timeout).map_err(wrap)?;
    // WAL: readers (reports) never block the cashier's writes.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(wrap)?;
    expect("journal_mode", "wal", mode.to_ascii_lowercase())?;
    // FULL: a committed transition survives power loss, not only a crash.
    conn.pragma_update(None, "synchronous", "FULL").map_err(wrap)?;
    // Refunds and events must point at a real payment.
    conn.pragma_update(None, "foreign_keys", "ON").map_err(wrap)?;
    // A misspelt or unsupported pragma is silently ignored, so read them all back.
    let settings = read_settings(&conn, path)?;
    expect("synchronous", 2, settings.synchronous)?;
    expect("foreign_keys", true, settings.foreign_keys)?;
    expect("busy_timeout", busy_timeout.as_millis(), settings.busy_timeout_ms)?;
    if full_check {
        integrity_check(&conn, path)?;
    }
    check_version(&conn, path)?;
    MIGRATIONS.to_latest(&mut conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => classify(path, err),
        other => JournalError::Corrupt { path: path.to_path_buf(), detail: other.to_string() },
    })?;
    // A migration that rebuilds the outbox drops its triggers with it; a
    // journal that belongs to a store gets them back before anything else
    // writes to it (each is `IF NOT EXISTS`, so this is a no-op otherwise).
    let in_store: bool = conn.query_row("SELECT enabled = 1 FROM outbox_sent WHERE id = 1", [], |r| r.get(0)).map_err(wrap)?;
    if in_store {
        conn.execute_batch(OUTBOX_TRIGGERS).map_err(wrap)?;
    }
    Ok(conn)
}

pub(crate) fn open_read_only(path: &Path, check: bool) -> Result<Connection, JournalError> {
    let wrap = |e| classify(path, e);
    if !path.exists() {
        return Err(JournalError::Unwritable { path: path.to_path_buf(), detail: "no journal at this path".into() });
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(wrap)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(wrap)?;
    conn.pragma_update(None, "query_only", "ON").map_err(wrap)?;
    if check {
        integrity_check(&conn, path)?;
    }
    Ok(conn)
}

/// The whole file, page by page, through a read-only connection of its own,
/// so it runs beside a journal that is taking payments.
pub fn check_integrity(path: &Path) -> Result<(), JournalError> {
    open_read_only(path, true).map(drop)
}

fn integrity_check(conn: &Connection, path: &Path) -> Result<(), JournalError> {
    let verdict: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| classify(path, e))?;
    if verdict != "ok" {
        return Err(JournalError::Corrupt { path: path.to_path_buf(), detail: verdict });
    }
    Ok(())
}

/// A journal from a newer app must not be "migrated" by an older one.
fn check_version(conn: &Connection, path: &Path) -> Result<(), JournalError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| classify(path, e))?;
    let known = MIGRATION_STEPS.len();
    if found > known as i64 {
        return Err(JournalError::TooNew { path: path.to_path_buf(), found, known });
    }
    Ok(())
}

/// The other program holding a lock on the journal (its file, `-wal` or
/// `-shm`), as `name (process N)`, from the kernel's table of file locks.
/// `None` when no other process is listed (or off Linux).
pub fn lock_holder(path: &Path) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let inodes: Vec<u64> = ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok().map(|m| m.ino()))
            .collect();
        let ours = std::process::id() as i64;
        let table = std::fs::read_to_string("/proc/locks").ok()?;
        // `1: POSIX  ADVISORY  WRITE 4242 08:01:1311 128 128`: the pid, then device:inode.
        let holder = table.lines().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let at = fields.iter().position(|f| f.matches(':').count() == 2)?;
            let pid: i64 = fields.get(at.checked_sub(1)?)?.parse().ok()?;
            let inode: u64 = fields[at].rsplit(':').next()?.parse().ok()?;
            (pid > 0 && pid != ours && inodes.contains(&inode)).then_some(pid)
        })?;
        let name = std::fs::read_to_string(format!("/proc/{holder}/comm")).map(|n| n.trim().to_string()).unwrap_or_default();
        Some(if name.is_empty() { format!("process {holder}") } else { format!("{name}, process {holder}") })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}
