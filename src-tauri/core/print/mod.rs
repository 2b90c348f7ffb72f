//! Receipts on the counter's thermal printer (ESC/POS).
//!
//! Contract: plain Rust, no Tauri and no webview. A receipt is laid out as
//! lines (`receipt`), drawn into a one-bit picture of the paper's dot width
//! with Bangla shaped by a real text shaper (`raster`: cosmic-text, which
//! shapes with HarfBuzz's rules through harfrust and draws with swash, from
//! the system's Noto fonts), wrapped in ESC/POS raster commands with a cut
//! and, for a cash sale, the drawer kick (`escpos`), and sent to a network
//! or USB printer with every wait bounded (`printer`).
//!
//! Why a picture and not ESC/POS text: printer code pages have no Bengali,
//! and even a Bengali-capable font in a printer could not shape conjuncts.
//! Why cosmic-text and not the webview: a receipt must print with no window
//! open (an automatic print after a sale, a reprint from the manager's
//! screen, a test), and this keeps it testable without a display.
//!
//! Printing never touches the sale: the payment is journaled before anything
//! here runs, and a failure is a message and a *Reprint*, never a state.

mod escpos;
mod printer;
mod raster;
mod receipt;
mod service;

use serde::{Deserialize, Serialize};

pub use escpos::{encode, Finish, CUT, DRAWER_KICK, STATUS_PAPER};
pub use printer::{PrintError, PrinterAddress, PRINT_TIMEOUT};
pub use raster::{Bitmap, Rasterizer};
pub use receipt::{receipt_lines, word, Line, PaidWith, ReceiptFacts, ReceiptLanguage};
pub use service::{PrintJobError, PrinterSetup, ReceiptPrinter, Shop};

/// Which printer the shop's receipts go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PrinterKind {
    /// The print dialog, on request (as before printers were set up).
    #[default]
    None,
    /// A printer the system's CUPS knows, printed silently through WebKit.
    Cups,
    /// An ESC/POS thermal printer on the network or on USB.
    Escpos,
}

/// The thermal paper's width: 58 mm rolls print 384 dots a line, 80 mm
/// rolls 576 (203 dpi print heads, the common ones in Bangladesh).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
pub enum PaperWidth {
    #[serde(rename = "58mm")]
    Mm58,
    #[default]
    #[serde(rename = "80mm")]
    Mm80,
}

impl PaperWidth {
    pub fn dots(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 384,
            PaperWidth::Mm80 => 576,
        }
    }

    /// The roll's width in millimetres (a page printer's paper size).
    pub fn mm(self) -> f64 {
        match self {
            PaperWidth::Mm58 => 58.0,
            PaperWidth::Mm80 => 80.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaperWidth::Mm58 => "58 mm",
            PaperWidth::Mm80 => "80 mm",
        }
    }
}

/// Everything a receipt needs, rendered and encoded for one printer.
pub fn receipt_job(
    rasterizer: &mut Rasterizer,
    facts: &ReceiptFacts,
    language: ReceiptLanguage,
    paper: PaperWidth,
    finish: Finish,
) -> Vec<u8> {
    let bitmap = rasterizer.render(&receipt_lines(facts, language), paper);
    encode(&bitmap, finish)
}
