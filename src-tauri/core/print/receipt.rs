//! What a receipt says, as lines, in English or Bangla. The words come from
//! the UI's own catalogs (`receipt.*` in `ui/src/i18n/*.json`), so the paper
//! and the screen never disagree.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::{Amount, SaleLine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ReceiptLanguage {
    #[default]
    En,
    Bn,
}

/// How the sale was paid, as the receipt says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaidWith {
    Bkash { trx_id: Option<String>, masked_wallet: Option<String> },
    Cash { tendered: Amount, change: Amount },
}

/// One paid sale, as the receipt tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFacts {
    pub shop_name: String,
    /// "TRAINING" or "SANDBOX" when no real money moved; `None` in Production.
    pub not_real: Option<String>,
    /// The sale's lines; empty for a payment taken before the till kept them.
    pub items: Vec<SaleLine>,
    pub amount: Amount,
    pub paid_with: PaidWith,
    pub paid_at: DateTime<Utc>,
    /// bKash's invoice number, or the sale's number for cash.
    pub invoice: String,
    pub counter: String,
}

/// One line of the receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Large and bold, centred: the shop's name.
    Title(String),
    /// Centred.
    Centered(String),
    /// A label on the left and its value on the right.
    Pair { label: String, value: String },
    /// A dashed rule across the paper.
    Rule,
}

fn catalog(language: ReceiptLanguage) -> &'static serde_json::Map<String, serde_json::Value> {
    static EN: OnceLock<serde_json::Map<String, serde_json::Value>> = OnceLock::new();
    static BN: OnceLock<serde_json::Map<String, serde_json::Value>> = OnceLock::new();
    let (cell, text) = match language {
        ReceiptLanguage::En => (&EN, include_str!("../../../ui/src/i18n/en.json")),
        ReceiptLanguage::Bn => (&BN, include_str!("../../../ui/src/i18n/bn.json")),
    };
    cell.get_or_init(|| serde_json::from_str(text).expect("the UI's catalogs are JSON objects (ui/src/i18n.test.ts)"))
}

/// A catalog text, with `{name}` filled; the English one when Bangla lacks it.
pub fn word(language: ReceiptLanguage, key: &str, fill: &[(&str, &str)]) -> String {
    let text = catalog(language).get(key).or_else(|| catalog(ReceiptLanguage::En).get(key)).and_then(|v| v.as_str()).unwrap_or(key);
    fill.iter().fold(text.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The receipt of a paid sale, top to bottom.
pub fn receipt_lines(facts: &ReceiptFacts, language: ReceiptLanguage) -> Vec<Line> {
    let pair = |key: &str, value: String| Line::Pair { label: word(language, key, &[]), value };
    let mut lines = vec![Line::Title(facts.shop_name.clone())];
    if let Some(environment) = &facts.not_real {
        lines.push(Line::Centered(word(language, "receipt.notReal", &[("environment", environment)])));
    }
    lines.push(Line::Centered(word(language, "status.paid", &[])));
    lines.push(Line::Rule);
    for item in &facts.items {
        // Digits stay ASCII on paper in both languages, as the amount's do.
        let label = if item.quantity == 1 { item.name.clone() } else { format!("{} × {}", item.quantity, item.name) };
        lines.push(Line::Pair { label, value: Amount::from_poisha(item.total_poisha()).taka() });
    }
    if !facts.items.is_empty() {
        lines.push(Line::Rule);
    }
    lines.push(pair("receipt.amount", facts.amount.taka()));
    match &facts.paid_with {
        PaidWith::Bkash { trx_id, masked_wallet } => {
            lines.push(pair("receipt.trx", trx_id.clone().unwrap_or_else(|| "—".into())));
            lines.push(pair("receipt.wallet", masked_wallet.clone().unwrap_or_else(|| "—".into())));
        }
        PaidWith::Cash { tendered, change } => {
            lines.push(pair("receipt.cash", tendered.taka()));
            lines.push(pair("receipt.change", change.taka()));
        }
    }
    lines.push(pair("receipt.time", crate::money::time::receipt_time(facts.paid_at)));
    lines.push(pair("receipt.invoice", facts.invoice.clone()));
    lines.push(pair("receipt.counter", facts.counter.clone()));
    lines.push(Line::Rule);
    lines
}
