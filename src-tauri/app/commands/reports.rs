//! End of day and the day's exports (manager only).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};

use super::{off_runtime, payments, reader};
use crate::app::startup::AppState;
use crate::app::{CommandError, ErrorCode};
use pos_core::journal::{JournalRead, JournalReader};
use pos_core::report;

/// A day's end-of-day report: the stored one once the day is closed,
/// otherwise a preview (`closed: false`, number 0).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EodView {
    pub closed: bool,
    pub report: report::EndOfDay,
}

/// What `export_day` writes.
#[derive(Debug, Clone, Copy, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Every transaction of the day.
    Csv,
    /// The end-of-day report as shown.
    Pdf,
}

fn eod_view(reader: &JournalReader, day: NaiveDate, shop_name: &str) -> Result<EodView, CommandError> {
    match reader.day_report_of(day)? {
        Some(stored) => {
            let report = serde_json::from_str(&stored.body)
                .map_err(|e| CommandError::detailed(ErrorCode::Journal, format!("report #{} cannot be read: {e}", stored.number)))?;
            Ok(EodView { closed: true, report })
        }
        None => Ok(EodView { closed: false, report: report::end_of_day(reader, day, shop_name, chrono::Utc::now())? }),
    }
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn end_of_day(state: State<'_, AppState>, date: NaiveDate) -> Result<EodView, CommandError> {
    super::authorise(&state, pos_core::money::Action::ReadDay, None, None).await?;
    let reader = reader(&state)?;
    eod_view(&reader, date, &state.settings.shop_name)
}

/// Closes the day: its report is numbered and stored, never to change. The
/// report is built and stored by the journal's writer, on a blocking thread.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn close_day(state: State<'_, AppState>, date: NaiveDate) -> Result<EodView, CommandError> {
    super::authorise(&state, pos_core::money::Action::CloseDay, None, None).await?;
    let (journal, shop_name) = (payments(&state)?.journal.clone(), state.settings.shop_name.clone());
    let (report, _) = off_runtime(move || {
        let mut journal = journal.lock().unwrap_or_else(|p| p.into_inner());
        Ok(report::close_day(&mut journal, date, &shop_name, chrono::Utc::now())?)
    })
    .await?;
    Ok(EodView { closed: true, report })
}

/// `~/Downloads` (XDG), or the data folder's `exports/` where there is none.
pub(super) fn export_dir<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, CommandError> {
    let dir = app.path().download_dir().or_else(|_| app.path().app_data_dir().map(|d| d.join("exports")));
    let dir = dir.map_err(|e| CommandError::detailed(ErrorCode::Export, format!("no folder to export to: {e}")))?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| CommandError::detailed(ErrorCode::Export, format!("{} cannot be created: {e}", dir.display())))?;
    Ok(dir)
}

/// Whose day an export is of.
#[derive(Debug, Clone, Copy, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DayOf {
    /// This counter's journal.
    Counter,
    /// Every counter of the store, from PostgreSQL.
    Store,
}

/// Writes a day to the Downloads folder and returns the files' paths. This
/// counter's day: its transactions and sale lines (two CSV files) or the
/// shown report (PDF); the store's: see `store_day_files`.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn export_day<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    date: NaiveDate,
    format: ExportFormat,
    of: DayOf,
) -> Result<Vec<String>, CommandError> {
    super::authorise(&state, pos_core::money::Action::ReadDay, None, None).await?;
    let dir = export_dir(&app)?;
    let environment = state.settings.environment.as_str();
    let written = match (of, format) {
        (DayOf::Store, _) => store_day_files(&app, &state, dir, date, format).await?,
        (DayOf::Counter, ExportFormat::Csv) => {
            let path = dir.join(format!("bkash-{environment}-{date}.csv"));
            let lines_path = dir.join(format!("sale-lines-{environment}-{date}.csv"));
            let whole = report::day_report(&*reader(&state)?, date)?;
            let (target, lines_target) = (path.clone(), lines_path.clone());
            off_runtime(move || {
                write_file(&target, |out| report::write_csv(&whole.transactions, out))?;
                write_file(&lines_target, |out| report::write_lines_csv(&whole.sales, out))
            })
            .await?;
            vec![path, lines_path]
        }
        (DayOf::Counter, ExportFormat::Pdf) => vec![pdf(&app, dir.join(format!("end-of-day-{environment}-{date}.pdf"))).await?],
    };
    for file in &written {
        tracing::info!(file = %file.display(), ?of, "day exported");
    }
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

pub(super) fn write_file(
    target: &std::path::Path,
    write: impl FnOnce(std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), CommandError> {
    let cannot = |e: std::io::Error| CommandError::detailed(ErrorCode::Export, format!("{} cannot be written: {e}", target.display()));
    let file = std::fs::File::create(target).map_err(cannot)?;
    write(std::io::BufWriter::new(file)).map_err(cannot)
}

#[cfg(target_os = "linux")]
pub(super) async fn pdf<R: Runtime>(app: &AppHandle<R>, path: PathBuf) -> Result<PathBuf, CommandError> {
    crate::app::pdf::print_main_to_pdf(app, &path)
        .await
        .map_err(|e| CommandError::detailed(ErrorCode::Export, format!("the PDF could not be made: {e}")))?;
    Ok(path)
}

#[cfg(not(target_os = "linux"))]
pub(super) async fn pdf<R: Runtime>(_: &AppHandle<R>, _: PathBuf) -> Result<PathBuf, CommandError> {
    Err(CommandError::new(ErrorCode::InvalidFormat, "PDF export needs WebKitGTK (Linux).").with("text", "pdf"))
}

/// The store's day as files in `dir` (see `export_day`): every
/// counter's transactions (CSV, with the counter of each) or the store's
/// report as shown (PDF).
async fn store_day_files<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    dir: PathBuf,
    day: NaiveDate,
    format: ExportFormat,
) -> Result<Vec<PathBuf>, CommandError> {
    let store = super::link(state)?;
    let name = format!("store-{}-{}-{day}", store.config.store_id, state.settings.environment.as_str());
    Ok(vec![match format {
        ExportFormat::Csv => {
            let path = dir.join(format!("{name}.csv"));
            let target = path.clone();
            off_runtime(move || {
                let rows = store.reader.transactions(day)?;
                write_file(&target, |out| report::write_csv(&rows, out))
            })
            .await?;
            path
        }
        ExportFormat::Pdf => pdf(app, dir.join(format!("end-of-day-{name}.pdf"))).await?,
    }])
}
