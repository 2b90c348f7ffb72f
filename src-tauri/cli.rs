//! The headless commands of the app binary, for back-office scripts. They
//! start no UI and take no instance lock: the journal is opened read-only
//! (SQLite's WAL lets it be read while the running app writes).
//!
//! `bkash-pos report [--date YYYY-MM-DD] [--format json|csv] [--environment training|sandbox|production] [--data-dir DIR]`

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::bkash::Environment;
use crate::journal::JournalReader;
use crate::report;
use crate::settings;

/// True when the arguments ask for a headless command, not the desktop app.
pub fn is_headless(args: &[String]) -> bool {
    args.get(1).is_some_and(|a| a == "report")
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
    Some(base.join(crate::app::APP_ID))
}

/// Runs a headless command; returns the process exit code (0 ok, 1 the
/// journal could not be read, 2 bad arguments).
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
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
