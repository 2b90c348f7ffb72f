//! What a counter sale may be, checked before anything is written or sent.
//! The UI checks the same rules as the cashier types (`ui/src/sale.ts`,
//! `ui/src/order.ts`) with the bounds it is given from here
//! (`generated/types.ts`); this is the rule.

/// bKash takes at least 1 BDT.
pub const MIN_SALE_POISHA: u64 = 100;
/// A counter sale above 10 lakh taka is almost certainly a typo.
pub const MAX_SALE_POISHA: u64 = 1_000_000 * 100;
/// Order numbers: the shop's own, 1–64 ASCII letters, digits or dashes.
pub const MAX_ORDER_ID_CHARS: usize = 64;
/// bKash's `merchantInvoiceNumber` limit.
pub const MAX_INVOICE_CHARS: usize = 255;

/// Why a sale cannot be paid, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaleProblem {
    #[error("The amount must be at least ৳1.00 (bKash's minimum).")]
    TooSmall,
    #[error("The amount must be at most ৳10,00,000.00 for one counter sale.")]
    TooLarge,
    #[error("The order number must be 1–64 letters, digits or dashes.")]
    BadOrder,
    #[error("The sale has no items.")]
    NoLines,
    #[error("A sale has at most {MAX_LINES} lines.")]
    TooManyLines,
    /// `line` counts from 1, as the cashier sees the list.
    #[error("Line {line}: {problem}")]
    BadLine { line: usize, problem: LineProblem },
    #[error("The cash given ({}) is less than the total ({}).", crate::money::Amount::from_poisha(*.tendered).taka(), crate::money::Amount::from_poisha(*.total).taka())]
    CashShort { tendered: u64, total: u64 },
}

/// What is wrong with one line of a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LineProblem {
    #[error("the item name must be 1–{MAX_ITEM_NAME_CHARS} characters")]
    Name,
    #[error("the quantity must be 1–{MAX_QUANTITY}")]
    Quantity,
    #[error("the price must be more than ৳0")]
    Price,
    #[error("the product code must be 1–32 characters")]
    Code,
}

/// An item name longer than this is a paste gone wrong: the receipt has one line for it.
pub const MAX_ITEM_NAME_CHARS: usize = 80;
pub const MAX_QUANTITY: u32 = 9999;
/// A counter sale with more lines than this is a stuck key or a scanner loop.
pub const MAX_LINES: usize = 500;

/// One line of a sale: a catalogue product or free text, as rung up.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SaleLine {
    /// The catalogue's code, `None` for a free-text line.
    pub code: Option<String>,
    pub name: String,
    pub quantity: u32,
    pub unit_poisha: u64,
}

impl SaleLine {
    pub fn total_poisha(&self) -> u64 {
        u64::from(self.quantity) * self.unit_poisha
    }

    fn problem(&self) -> Option<LineProblem> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_ITEM_NAME_CHARS || name.chars().any(char::is_control) {
            Some(LineProblem::Name)
        } else if self.quantity == 0 || self.quantity > MAX_QUANTITY {
            Some(LineProblem::Quantity)
        } else if self.unit_poisha == 0 || self.unit_poisha > MAX_SALE_POISHA {
            Some(LineProblem::Price)
        } else if self.code.as_ref().is_some_and(|c| c.is_empty() || c.chars().count() > 32) {
            Some(LineProblem::Code)
        } else {
            None
        }
    }
}

/// Checks a sale's lines and returns its total: what Pay and Cash charge.
pub fn check_lines(order_id: &str, lines: &[SaleLine]) -> Result<u64, SaleProblem> {
    if lines.is_empty() {
        return Err(SaleProblem::NoLines);
    }
    if lines.len() > MAX_LINES {
        return Err(SaleProblem::TooManyLines);
    }
    if let Some((line, problem)) = lines.iter().enumerate().find_map(|(i, l)| l.problem().map(|p| (i + 1, p))) {
        return Err(SaleProblem::BadLine { line, problem });
    }
    // Bounded per line above, so the sum cannot overflow.
    let total = lines.iter().map(SaleLine::total_poisha).sum();
    check_sale(order_id, total)?;
    Ok(total)
}

/// Cash handed over for a sale: what goes back to the customer.
pub fn change_due(total_poisha: u64, tendered_poisha: u64) -> Result<u64, SaleProblem> {
    tendered_poisha.checked_sub(total_poisha).ok_or(SaleProblem::CashShort { tendered: tendered_poisha, total: total_poisha })
}

/// How a sale was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Tender {
    Bkash,
    Cash,
}

pub fn order_id_ok(order_id: &str) -> bool {
    !order_id.is_empty() && order_id.len() <= MAX_ORDER_ID_CHARS && order_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Checks a sale as the UI sends it.
pub fn check_sale(order_id: &str, amount_poisha: u64) -> Result<(), SaleProblem> {
    if !order_id_ok(order_id) {
        return Err(SaleProblem::BadOrder);
    }
    if amount_poisha < MIN_SALE_POISHA {
        return Err(SaleProblem::TooSmall);
    }
    if amount_poisha > MAX_SALE_POISHA {
        return Err(SaleProblem::TooLarge);
    }
    Ok(())
}

/// bKash's invoice rule: unique per payment (the journal's job), at most 255
/// characters, no `<`, `>` or `&`. `None` when the invoice is acceptable.
pub fn invoice_problem(invoice: &str) -> Option<&'static str> {
    if invoice.trim().is_empty() {
        Some("must not be empty")
    } else if invoice.chars().count() > MAX_INVOICE_CHARS {
        Some("must be at most 255 characters")
    } else if invoice.contains(['<', '>', '&']) || invoice.chars().any(char::is_control) {
        Some("must not contain <, >, & or control characters")
    } else {
        None
    }
}

/// The bounds the UI checks as the cashier types: written into the generated
/// TypeScript (`SALE_RULES`), so the screen and this module cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SaleRules {
    pub min_sale_poisha: u64,
    pub max_sale_poisha: u64,
    pub max_order_id_chars: usize,
    pub max_item_name_chars: usize,
    pub max_quantity: u32,
    pub max_lines: usize,
}

pub const SALE_RULES: SaleRules = SaleRules {
    min_sale_poisha: MIN_SALE_POISHA,
    max_sale_poisha: MAX_SALE_POISHA,
    max_order_id_chars: MAX_ORDER_ID_CHARS,
    max_item_name_chars: MAX_ITEM_NAME_CHARS,
    max_quantity: MAX_QUANTITY,
    max_lines: MAX_LINES,
};
