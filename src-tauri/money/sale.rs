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
}

pub const SALE_RULES: SaleRules =
    SaleRules { min_sale_poisha: MIN_SALE_POISHA, max_sale_poisha: MAX_SALE_POISHA, max_order_id_chars: MAX_ORDER_ID_CHARS };
