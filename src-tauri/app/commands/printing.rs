//! Receipts on the shop's printer: print (automatically after a paid sale,
//! or a reprint), a test print of the printer being set up, and the CUPS
//! printers this PC knows. Printing runs beside the counter, never in its
//! way; a failure is a message and a *Reprint*, never a change to the sale.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use super::{off_runtime, payments};
use crate::app::startup::AppState;
use crate::app::{CommandError, ErrorCode};
use pos_core::print::{PaperWidth, PrinterKind, PrinterSetup, ReceiptLanguage};

/// Where a receipt printed.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Printed {
    pub printer: String,
}

/// The printer fields of the settings screen, before they are saved: the
/// test print tries what the manager is setting up, not what is running.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrinterDraft {
    pub printer: PrinterKind,
    pub cups_printer: Option<String>,
    pub escpos_address: Option<String>,
    pub paper: PaperWidth,
    pub open_drawer: bool,
}

/// How long WebKit may take to hand a receipt to CUPS.
const CUPS_LIMIT: Duration = Duration::from_secs(8);

#[cfg(target_os = "linux")]
async fn to_cups<R: Runtime>(app: &AppHandle<R>, printer: &str, paper: PaperWidth) -> Result<(), String> {
    crate::app::pdf::print_main(app, crate::app::pdf::PrintTo::Cups { printer, paper_mm: paper.mm() }, CUPS_LIMIT).await
}

#[cfg(not(target_os = "linux"))]
async fn to_cups<R: Runtime>(_: &AppHandle<R>, _: &str, _: PaperWidth) -> Result<(), String> {
    Err("silent CUPS printing is built for Linux only".into())
}

fn cups_refused(printer: &str, why: &str) -> CommandError {
    CommandError::new(ErrorCode::PrintFailed, format!("Nothing was printed on {printer}: {why}"))
        .with("problem", "print.cups")
        .with("printer", printer)
}

fn not_set_up() -> CommandError {
    CommandError::new(ErrorCode::NoPrinter, "No receipt printer is set up (Settings, Receipt printer).")
}

/// Which receipt a print is of.
enum ReceiptOf {
    /// A paid bKash payment's; where it printed goes into its history.
    Payment(i64),
    /// A sale paid in cash; `first` (right after the sale) opens the drawer.
    Cash { order_id: String, first: bool },
}

/// Prints a receipt on the configured printer. With CUPS the receipt on the
/// main window's page is what prints (its print style shows only the receipt).
async fn print_on_printer<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    of: ReceiptOf,
    language: ReceiptLanguage,
) -> Result<Printed, CommandError> {
    let receipts = payments(state)?.receipts.clone();
    let settings = &state.settings;
    match settings.printer {
        PrinterKind::None => Err(not_set_up()),
        PrinterKind::Escpos => {
            let setup = settings.escpos_setup().ok_or_else(not_set_up)?;
            match of {
                ReceiptOf::Payment(id) => receipts.print(id, &setup, language).await?,
                ReceiptOf::Cash { order_id, first } => receipts.print_cash(&order_id, &setup, language, first).await?,
            }
            Ok(Printed { printer: setup.address.to_string() })
        }
        PrinterKind::Cups => {
            let name = settings.cups_printer.clone().ok_or_else(not_set_up)?;
            let sent = to_cups(app, &name, settings.paper).await;
            if let ReceiptOf::Payment(id) = of {
                let place = format!("CUPS printer {name} ({})", settings.paper.as_str());
                receipts.record(id, &place, sent.as_ref().map_err(Clone::clone)).await?;
            }
            sent.map_err(|why| cups_refused(&name, &why))?;
            Ok(Printed { printer: name })
        }
    }
}

/// Prints paid payment `payment`'s receipt and records it in the payment's history.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn print_receipt<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    payment: i64,
    language: ReceiptLanguage,
) -> Result<Printed, CommandError> {
    print_on_printer(&app, &state, ReceiptOf::Payment(payment), language).await
}

/// Prints the receipt of sale `order_id`, paid in cash. `first` is the print
/// right after the sale: it opens the cash drawer when the shop has one on an
/// ESC/POS printer (a reprint does not).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn print_cash_receipt<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    order_id: String,
    language: ReceiptLanguage,
    first: bool,
) -> Result<Printed, CommandError> {
    print_on_printer(&app, &state, ReceiptOf::Cash { order_id, first }, language).await
}

/// A sample receipt on the printer being set up (ESC/POS: drawn here, with
/// the drawer kick when the drawer is ticked; CUPS: the sample receipt the
/// settings page holds for its print style).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn test_print<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    draft: PrinterDraft,
    language: ReceiptLanguage,
) -> Result<Printed, CommandError> {
    match draft.printer {
        PrinterKind::None => Err(not_set_up()),
        PrinterKind::Escpos => {
            let address = draft.escpos_address.as_deref().unwrap_or("").parse()?;
            let setup = PrinterSetup { address, paper: draft.paper, open_drawer: draft.open_drawer };
            payments(&state)?.receipts.test_print(&setup, language).await?;
            Ok(Printed { printer: setup.address.to_string() })
        }
        PrinterKind::Cups => {
            let name = draft.cups_printer.unwrap_or_default();
            to_cups(&app, &name, draft.paper).await.map_err(|why| cups_refused(&name, &why))?;
            Ok(Printed { printer: name })
        }
    }
}

/// The CUPS printers this PC knows (`lpstat -e`); none when CUPS is not
/// installed or not running.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn cups_printers() -> Result<Vec<String>, CommandError> {
    off_runtime(|| {
        let listed = std::process::Command::new("lpstat").arg("-e").output();
        Ok(match listed {
            Ok(out) if out.status.success() => {
                String::from_utf8_lossy(&out.stdout).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
            }
            _ => Vec::new(),
        })
    })
    .await
}
