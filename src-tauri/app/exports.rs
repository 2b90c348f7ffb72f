//! The end-of-day view and the day's exports (CSV, PDF) for the commands.

use std::path::PathBuf;

use chrono::NaiveDate;
use tauri::{AppHandle, Manager, Runtime, State};

use super::commands::{reader, EodView};
use super::startup::AppState;
use super::CommandError;
use crate::journal::JournalReader;
use crate::report;

pub fn eod_view(reader: &JournalReader, day: NaiveDate, shop_name: &str) -> Result<EodView, CommandError> {
    match reader.day_report_of(&day.to_string())? {
        Some(stored) => {
            let report = serde_json::from_str(&stored.body)
                .map_err(|e| CommandError::new("journal", format!("report #{} cannot be read: {e}", stored.number)))?;
            Ok(EodView { closed: true, report })
        }
        None => Ok(EodView { closed: false, report: report::end_of_day(reader, day, shop_name, chrono::Utc::now())? }),
    }
}

/// `~/Downloads` (XDG), or the data folder's `exports/` where there is none.
fn export_dir<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, CommandError> {
    let dir = app.path().download_dir().or_else(|_| app.path().app_data_dir().map(|d| d.join("exports")));
    let dir = dir.map_err(|e| CommandError::new("export", format!("no folder to export to: {e}")))?;
    std::fs::create_dir_all(&dir).map_err(|e| CommandError::new("export", format!("{} cannot be created: {e}", dir.display())))?;
    Ok(dir)
}

pub async fn export<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    day: NaiveDate,
    format: &str,
) -> Result<String, CommandError> {
    let dir = export_dir(app)?;
    let written = match format {
        "csv" => {
            let path = dir.join(format!("bkash-{}-{day}.csv", state.settings.environment.as_str()));
            let rows = report::day_report(&*reader(state)?, day)?.transactions;
            let file = std::fs::File::create(&path)
                .map_err(|e| CommandError::new("export", format!("{} cannot be written: {e}", path.display())))?;
            report::write_csv(&rows, std::io::BufWriter::new(file)).map_err(|e| CommandError::new("export", e.to_string()))?;
            path
        }
        #[cfg(target_os = "linux")]
        "pdf" => {
            let path = dir.join(format!("end-of-day-{}-{day}.pdf", state.settings.environment.as_str()));
            super::pdf::print_main_to_pdf(app, &path)
                .await
                .map_err(|e| CommandError::new("export", format!("the PDF could not be made: {e}")))?;
            path
        }
        other => return Err(CommandError::new("invalid_format", format!("`{other}` is not csv or pdf."))),
    };
    tracing::info!(file = %written.display(), "day exported");
    Ok(written.display().to_string())
}
