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
use pos_core::settings::Settings;

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
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum ReceiptOf {
    /// A paid bKash payment's; where it printed goes into its history.
    Payment { payment: i64 },
    /// A sale paid in cash; `first` (the print right after the sale) opens
    /// the cash drawer when the shop has one on an ESC/POS printer (a
    /// reprint does not).
    Cash { order_id: String, first: bool },
    /// Settings' test print: a sample receipt on the printer being set up,
    /// not the one running (ESC/POS: drawn here, with the drawer kick when
    /// the drawer is ticked; CUPS: the sample the settings page holds for
    /// its print style).
    Sample { draft: PrinterDraft },
}

/// The printer a receipt goes to: the shop's, as running, or the one the
/// settings screen is setting up (a test print tries the draft).
enum Printer {
    None,
    Escpos(PrinterSetup),
    Cups { name: String, paper: PaperWidth },
}

impl Printer {
    fn running(settings: &Settings) -> Result<Self, CommandError> {
        Ok(match settings.printer {
            PrinterKind::None => Self::None,
            PrinterKind::Escpos => Self::Escpos(settings.escpos_setup().ok_or_else(not_set_up)?),
            PrinterKind::Cups => Self::Cups { name: settings.cups_printer.clone().ok_or_else(not_set_up)?, paper: settings.paper },
        })
    }

    /// A draft's address that does not parse is the manager's typing
    /// mistake, worded as such (not "no printer").
    fn draft(draft: &PrinterDraft) -> Result<Self, CommandError> {
        Ok(match draft.printer {
            PrinterKind::None => Self::None,
            PrinterKind::Escpos => Self::Escpos(PrinterSetup {
                address: draft.escpos_address.as_deref().unwrap_or("").parse()?,
                paper: draft.paper,
                open_drawer: draft.open_drawer,
            }),
            PrinterKind::Cups => Self::Cups { name: draft.cups_printer.clone().unwrap_or_default(), paper: draft.paper },
        })
    }
}

/// Prints a receipt: a paid payment's or cash sale's on the shop's printer
/// (after the sale, or a reprint; a payment's records where it printed in
/// its history), or the sample on a printer being set up. With CUPS the
/// receipt on the main window's page is what prints (its print style shows
/// only the receipt).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn print_receipt<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    receipt: ReceiptOf,
    language: ReceiptLanguage,
) -> Result<Printed, CommandError> {
    let printer = match &receipt {
        // A sample reaches the journal only to draw on ESC/POS (below): a
        // CUPS test print works while payments are stopped.
        ReceiptOf::Sample { draft } => Printer::draft(draft)?,
        // A sold receipt is the journal's: without it nothing prints.
        _ => {
            payments(&state)?;
            Printer::running(&state.settings)?
        }
    };
    let receipts = || payments(&state).map(|counter| counter.receipts.clone());
    match printer {
        Printer::None => Err(not_set_up()),
        Printer::Escpos(setup) => {
            let receipts = receipts()?;
            match receipt {
                ReceiptOf::Payment { payment } => receipts.print(payment, &setup, language).await?,
                ReceiptOf::Cash { order_id, first } => receipts.print_cash(&order_id, &setup, language, first).await?,
                ReceiptOf::Sample { .. } => receipts.test_print(&setup, language).await?,
            }
            Ok(Printed { printer: setup.address.to_string() })
        }
        Printer::Cups { name, paper } => {
            let sent = to_cups(&app, &name, paper).await;
            if let ReceiptOf::Payment { payment } = receipt {
                let place = format!("CUPS printer {name} ({})", paper.as_str());
                receipts()?.record(payment, &place, sent.as_ref().map_err(Clone::clone)).await?;
            }
            sent.map_err(|why| cups_refused(&name, &why))?;
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
