//! The headless commands of the app binary, for back-office scripts. They
//! start no UI and take no instance lock: the journal is opened read-only
//! (SQLite's WAL lets it be read while the running app writes).
//!
//! `bkash-pos report [--date YYYY-MM-DD] [--format json|csv] [--environment training|sandbox|production] [--data-dir DIR]`
//!
//! `bkash-pos staff reset-pin --name NAME [--data-dir DIR] [--config-dir DIR]`, the new PIN on stdin: for a
//! manager who forgot theirs (takes the instance lock: the app must be closed).
//!
//! `bkash-pos store-migrate --host H [--port 5432] --database D --user OWNER [--tls off|verified] [--ca-file F]
//!  [--map LOGIN=MERCHANT/STORE/COUNTER]…`, with the owner's password in `BKASH_STORE_PASSWORD`: brings the
//! store database's schema forward as its owner (counters may not) and maps each counter's login to its counter.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::bkash::Environment;
use crate::journal::JournalReader;
use crate::report;
use crate::settings;

/// True when the arguments ask for a headless command, not the desktop app.
pub fn is_headless(args: &[String]) -> bool {
    args.get(1).is_some_and(|a| a == "report" || a == "store-migrate" || a == "staff")
}

const STAFF_USAGE: &str =
    "usage: bkash-pos staff reset-pin --name NAME [--data-dir DIR] [--config-dir DIR]  (the new PIN is read from stdin)";

/// Where the desktop app keeps its vault key file: `$XDG_CONFIG_HOME/<id>`,
/// else `~/.config/<id>` (Tauri's `app_config_dir` on Linux).
fn default_config_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join(crate::APP_ID))
}

/// `staff reset-pin`: a new PIN for an account, read from `input`, for a
/// manager who forgot theirs. It needs the shop's OS account (the data
/// folder and the vault), never the counter's screen, and the app closed
/// (the instance lock). 0 done, 1 refused, 2 bad arguments.
pub fn run_staff(args: &[String], input: &mut dyn std::io::BufRead, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut name = None;
    let (mut data_dir, mut config_dir) = (None, None);
    let mut rest = args.iter().skip(2);
    if rest.next().map(String::as_str) != Some("reset-pin") {
        let _ = writeln!(err, "{STAFF_USAGE}");
        return 2;
    }
    while let Some(flag) = rest.next() {
        let Some(value) = rest.next().cloned() else {
            let _ = writeln!(err, "{flag} needs a value\n{STAFF_USAGE}");
            return 2;
        };
        match flag.as_str() {
            "--name" => name = Some(value),
            "--data-dir" => data_dir = Some(PathBuf::from(value)),
            "--config-dir" => config_dir = Some(PathBuf::from(value)),
            other => {
                let _ = writeln!(err, "unknown argument `{other}`\n{STAFF_USAGE}");
                return 2;
            }
        }
    }
    let (Some(name), Some(data_dir), Some(config_dir)) = (name, data_dir.or_else(default_data_dir), config_dir.or_else(default_config_dir))
    else {
        let _ = writeln!(err, "{STAFF_USAGE}");
        return 2;
    };
    let mut pin = String::new();
    if input.read_line(&mut pin).is_err() {
        let _ = writeln!(err, "cannot read the new PIN from stdin");
        return 2;
    }
    let _lock = match crate::instance::InstanceLock::acquire(&data_dir) {
        Ok(lock) => lock,
        Err(e) => {
            let _ = writeln!(err, "close the app first: {e}");
            return 1;
        }
    };
    let environment = settings::load_settings(&data_dir).0.environment;
    let journal = match crate::journal::Journal::open(&data_dir.join(settings::journal_file(environment))) {
        Ok(journal) => journal,
        Err(e) => {
            let _ = writeln!(err, "cannot open the {} journal: {e}", environment.as_str());
            return 1;
        }
    };
    let vault = crate::vault::open_vault(crate::APP_ID, &data_dir, &config_dir);
    let staff = crate::staff::Staff::new(
        std::sync::Arc::new(std::sync::Mutex::new(journal)),
        vault,
        std::sync::Arc::new(crate::money::SystemClock),
        5,
    );
    match staff.reset_pin(&name, &pin) {
        Ok(account) => {
            let _ = writeln!(out, "{} ({}) has a new PIN", account.name, account.role);
            0
        }
        Err(e) => {
            let _ = writeln!(err, "the PIN was not changed: {e}");
            1
        }
    }
}

const MIGRATE_USAGE: &str = "usage: BKASH_STORE_PASSWORD=… bkash-pos store-migrate --host H [--port 5432] --database D --user OWNER \
[--tls off|verified] [--ca-file F] [--map LOGIN=MERCHANT/STORE/COUNTER]…";

/// One counter's login and the counter it is, for the owner to map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginMap {
    pub login: String,
    pub merchant: String,
    pub store_id: String,
    pub counter_id: String,
}

/// Parses `store-migrate`'s arguments (after its name), naming what is wrong.
pub fn parse_migrate_args(args: &[String]) -> Result<(crate::store::StoreConfig, Vec<LoginMap>), String> {
    let mut config = crate::store::StoreConfig {
        host: String::new(),
        port: 5432,
        database: String::new(),
        user: String::new(),
        tls: crate::store::TlsMode::Verified,
        ca_file: None,
        // Not used by a migration; only a counter's connection names them.
        merchant: "owner".into(),
        store_id: "owner".into(),
        counter_id: "owner".into(),
        install_id: None,
    };
    let mut maps = Vec::new();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{MIGRATE_USAGE}"));
        match flag.as_str() {
            "--host" => config.host = value()?,
            "--port" => {
                let text = value()?;
                config.port = text.parse().map_err(|_| format!("--port `{text}` is not a port number"))?;
            }
            "--database" => config.database = value()?,
            "--user" => config.user = value()?,
            "--tls" => {
                config.tls = match value()?.as_str() {
                    "off" => crate::store::TlsMode::Off,
                    "verified" => crate::store::TlsMode::Verified,
                    other => return Err(format!("--tls `{other}` is not off or verified")),
                }
            }
            "--ca-file" => config.ca_file = Some(PathBuf::from(value()?)),
            "--map" => {
                let text = value()?;
                let parsed = text.split_once('=').and_then(|(login, counter)| {
                    let mut parts = counter.split('/');
                    let (merchant, store_id, counter_id) = (parts.next()?, parts.next()?, parts.next()?);
                    let filled = [login, merchant, store_id, counter_id].iter().all(|p| !p.trim().is_empty()) && parts.next().is_none();
                    filled.then(|| LoginMap {
                        login: login.into(),
                        merchant: merchant.into(),
                        store_id: store_id.into(),
                        counter_id: counter_id.into(),
                    })
                });
                maps.push(parsed.ok_or_else(|| format!("--map `{text}` is not LOGIN=MERCHANT/STORE/COUNTER"))?);
            }
            "-h" | "--help" => return Err(MIGRATE_USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{MIGRATE_USAGE}")),
        }
    }
    for (flag, given) in [("--host", &config.host), ("--database", &config.database), ("--user", &config.user)] {
        if given.trim().is_empty() {
            return Err(format!("{flag} is needed\n{MIGRATE_USAGE}"));
        }
    }
    Ok((config, maps))
}

/// `store-migrate`: 0 done, 1 the database refused, 2 bad arguments.
fn run_migrate(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (config, maps) = match parse_migrate_args(&args[2..]) {
        Ok(parsed) => parsed,
        Err(message) => {
            let _ = writeln!(err, "{message}");
            return 2;
        }
    };
    let Some(password) = std::env::var("BKASH_STORE_PASSWORD").ok().filter(|p| !p.is_empty()) else {
        let _ = writeln!(err, "set BKASH_STORE_PASSWORD to the owner's password (it is never taken on the command line)");
        return 2;
    };
    let done = config.connect(&crate::money::Secret::new(password), std::time::Duration::from_secs(10)).and_then(|mut pg| {
        let steps = crate::store::schema::migrate(&mut pg)?;
        for map in &maps {
            crate::store::schema::map_login(&mut pg, &map.login, &map.merchant, &map.store_id, &map.counter_id)?;
        }
        Ok(steps)
    });
    match done {
        Ok(steps) => {
            let _ = writeln!(
                out,
                "the store database is at schema {} ({steps} steps applied); {} logins mapped",
                crate::store::schema::VERSION,
                maps.len()
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "the store database was not migrated: {e}");
            1
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct ReportArgs {
    pub date: NaiveDate,
    pub csv: bool,
    pub environment: Option<Environment>,
    pub data_dir: Option<PathBuf>,
}

const USAGE: &str =
    "usage: bkash-pos report [--date YYYY-MM-DD] [--format json|csv] [--environment training|sandbox|production] [--data-dir DIR]";

/// Parses `report`'s arguments (after the word `report`), naming what is wrong.
pub fn parse_report_args(args: &[String]) -> Result<ReportArgs, String> {
    let mut parsed = ReportArgs { date: report::bangladesh_today(), csv: false, environment: None, data_dir: None };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--date" => {
                let text = value()?;
                parsed.date =
                    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| format!("--date `{text}` is not a date like 2026-11-25"))?;
            }
            "--format" => {
                parsed.csv = match value()?.as_str() {
                    "csv" => true,
                    "json" => false,
                    other => return Err(format!("--format `{other}` is not json or csv")),
                }
            }
            "--environment" => {
                let text = value()?;
                parsed.environment = Some(
                    serde_json::from_value(serde_json::Value::String(text.clone()))
                        .map_err(|_| format!("--environment `{text}` is not training, sandbox or production"))?,
                );
            }
            "--data-dir" => parsed.data_dir = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// Where the desktop app keeps its data: `$XDG_DATA_HOME/<id>`, else
/// `~/.local/share/<id>` (what Tauri's `app_data_dir` resolves to on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))?;
    Some(base.join(crate::APP_ID))
}

/// Runs a headless command; returns the process exit code (0 ok, 1 the
/// journal could not be read, 2 bad arguments).
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if args.get(1).is_some_and(|a| a == "store-migrate") {
        return run_migrate(args, out, err);
    }
    if args.get(1).is_some_and(|a| a == "staff") {
        return run_staff(args, &mut std::io::stdin().lock(), out, err);
    }
    let parsed = match parse_report_args(&args[2..]) {
        Ok(parsed) => parsed,
        Err(message) => {
            let _ = writeln!(err, "{message}");
            return 2;
        }
    };
    let Some(data_dir) = parsed.data_dir.clone().or_else(default_data_dir) else {
        let _ = writeln!(err, "cannot find the data folder: set --data-dir");
        return 2;
    };
    // The environment the app is set to, unless asked for another.
    let environment = parsed.environment.unwrap_or_else(|| settings::load_settings(&data_dir).0.environment);
    let path = data_dir.join(settings::journal_file(environment));
    let journal = match JournalReader::open(&path) {
        Ok(journal) => journal,
        Err(e) => {
            let _ = writeln!(err, "cannot read the {} journal: {e}", environment.as_str());
            return 1;
        }
    };
    let day = match report::day_report(&journal, parsed.date) {
        Ok(day) => day,
        Err(e) => {
            let _ = writeln!(err, "cannot read the {} journal: {e}", environment.as_str());
            return 1;
        }
    };
    let written = if parsed.csv {
        report::write_csv(&day.transactions, &mut *out)
    } else {
        serde_json::to_writer_pretty(&mut *out, &day).map_err(std::io::Error::other).and_then(|()| writeln!(out))
    };
    match written {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "cannot write the report: {e}");
            1
        }
    }
}
