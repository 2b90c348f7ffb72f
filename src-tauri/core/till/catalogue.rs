//! The catalogue file a shop imports: CSV, UTF-8, one product per row.
//! Every row is checked; the good ones are kept and each bad one is named by
//! its line number and reason, so the manager can fix the file and import
//! it again (an import adds or updates products, it never deletes).

use std::collections::HashMap;

use serde::Serialize;

use crate::journal::CatalogueItem;
use crate::money::sale::MAX_ITEM_NAME_CHARS;
use crate::money::{Amount, TypedAmountProblem, MAX_SALE_POISHA};

/// The largest file an import reads: 20,000 products take about 1.5 MB.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_CODE_CHARS: usize = 32;

/// Why a row was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RowProblem {
    #[error("no code")]
    MissingCode,
    #[error("the code is longer than 32 characters or has spaces")]
    BadCode,
    #[error("no name")]
    MissingName,
    #[error("the name is longer than 80 characters")]
    NameTooLong,
    #[error("the price {problem}")]
    BadPrice { problem: TypedAmountProblem, text: String },
    #[error("the price must be more than ৳0 and at most ৳10,00,000")]
    PriceOutOfRange,
    #[error("the code {code} is already on line {first_line}")]
    DuplicateCode { code: String, first_line: u64 },
    #[error("the barcode {barcode} is already on line {first_line}")]
    DuplicateBarcode { barcode: String, first_line: u64 },
    #[error("the row has {found} columns, the header has {expected}")]
    WrongColumns { found: usize, expected: usize },
    #[error("the row is not valid UTF-8 text")]
    NotText,
}

/// A rejected row: its line in the file (1 is the header) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Rejected {
    pub line: u64,
    pub problem: RowProblem,
    /// The reason in English, for logs and the CLI.
    pub reason: String,
}

/// What an import found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCatalogue {
    pub items: Vec<CatalogueItem>,
    pub rejected: Vec<Rejected>,
}

/// Why a whole file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("the file is larger than 16 MB")]
    TooLarge,
    #[error("the file is empty")]
    Empty,
    #[error("the file is not UTF-8 text (save it as \"CSV UTF-8\")")]
    NotUtf8,
    #[error("the header must name the columns code, name and price (and may name barcode and name_bn); it has {0}")]
    BadHeader(String),
}

/// Column positions, from the header's names (any order, any case).
struct Columns {
    code: usize,
    barcode: Option<usize>,
    name_en: usize,
    name_bn: Option<usize>,
    price: usize,
    count: usize,
}

impl Columns {
    fn of(header: &csv::StringRecord) -> Result<Self, FileProblem> {
        let names: Vec<String> = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase().replace(' ', "_")).collect();
        let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
        let missing = || FileProblem::BadHeader(if names.is_empty() { "no columns".into() } else { names.join(", ") });
        Ok(Self {
            code: find(&["code", "sku"]).ok_or_else(missing)?,
            barcode: find(&["barcode", "ean", "upc"]),
            name_en: find(&["name", "name_en"]).ok_or_else(missing)?,
            name_bn: find(&["name_bn", "bangla_name", "নাম"]),
            price: find(&["price", "price_bdt", "price_taka"]).ok_or_else(missing)?,
            count: names.len(),
        })
    }
}

fn row_item(row: &csv::StringRecord, columns: &Columns) -> Result<CatalogueItem, RowProblem> {
    if row.len() != columns.count {
        return Err(RowProblem::WrongColumns { found: row.len(), expected: columns.count });
    }
    let cell = |i: usize| row.get(i).unwrap_or("").trim();
    let optional = |i: Option<usize>| i.map(cell).filter(|v| !v.is_empty()).map(str::to_string);
    // The price is read before the product is checked, so a row with a bad
    // price and a good code says "bad price", the thing to fix.
    let text = cell(columns.price);
    let price = Amount::parse_typed(text).map_err(|problem| RowProblem::BadPrice { problem, text: text.chars().take(40).collect() });
    let unchecked = CatalogueItem {
        code: cell(columns.code).into(),
        barcode: optional(columns.barcode),
        name_en: cell(columns.name_en).into(),
        name_bn: optional(columns.name_bn),
        price_poisha: 0,
    };
    let checked = check_product(CatalogueItem { price_poisha: 1, ..unchecked })?;
    let price = price?;
    check_product(CatalogueItem { price_poisha: price.poisha(), ..checked })
}

/// The rules of one product, wherever it comes from (a file's row, the
/// manager's form): a code of 1–32 characters without spaces, the same for a
/// barcode, an English name of 1–80 characters (and a Bangla one at most as
/// long), a price above ৳0 and at most ৳10 lakh. Returns it trimmed.
pub fn check_product(item: CatalogueItem) -> Result<CatalogueItem, RowProblem> {
    let code = item.code.trim();
    if code.is_empty() {
        return Err(RowProblem::MissingCode);
    }
    let code_ok = |c: &str| c.chars().count() <= MAX_CODE_CHARS && !c.chars().any(|ch| ch.is_whitespace() || ch.is_control());
    let barcode = item.barcode.as_deref().map(str::trim).filter(|b| !b.is_empty());
    if !code_ok(code) || barcode.is_some_and(|b| !code_ok(b)) {
        return Err(RowProblem::BadCode);
    }
    let name_en = item.name_en.trim();
    if name_en.is_empty() {
        return Err(RowProblem::MissingName);
    }
    let name_bn = item.name_bn.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if name_en.chars().count() > MAX_ITEM_NAME_CHARS || name_bn.is_some_and(|n| n.chars().count() > MAX_ITEM_NAME_CHARS) {
        return Err(RowProblem::NameTooLong);
    }
    if item.price_poisha == 0 || item.price_poisha > MAX_SALE_POISHA {
        return Err(RowProblem::PriceOutOfRange);
    }
    Ok(CatalogueItem {
        code: code.into(),
        barcode: barcode.map(str::to_string),
        name_en: name_en.into(),
        name_bn: name_bn.map(str::to_string),
        price_poisha: item.price_poisha,
    })
}

/// Line numbers of byte offsets, asked in increasing order.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl LineCounter<'_> {
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut to = (byte as usize).min(self.text.len());
        // With CRLF ends, a record's offset can fall on the `\n` of the
        // line before it: the record itself starts after the line break.
        while to < self.text.len() && matches!(self.text[to], b'\r' | b'\n') {
            to += 1;
        }
        if to > self.at {
            self.line += self.text[self.at..to].iter().filter(|&&b| b == b'\n').count() as u64;
            self.at = to;
        }
        self.line
    }
}

/// Reads a catalogue file. A file-wide problem refuses the file; a bad row
/// is skipped and reported, and the rows after it still count. A code or a
/// barcode given twice keeps the first row and rejects the later one.
pub fn parse_catalogue(bytes: &[u8]) -> Result<ParsedCatalogue, FileProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::None).from_reader(text.as_bytes());
    let columns = Columns::of(reader.headers().map_err(|e| FileProblem::BadHeader(e.to_string()))?)?;
    let mut items = Vec::new();
    let mut rejected = Vec::new();
    let mut codes: HashMap<String, u64> = HashMap::new();
    let mut barcodes: HashMap<String, u64> = HashMap::new();
    // The line a text editor shows, counted from the record's byte offset
    // (the csv crate's own line count drifts on CRLF files).
    let mut lines = LineCounter { text: text.as_bytes(), at: 0, line: 1 };
    for record in reader.records() {
        let (line, outcome) = match record {
            Ok(row) => {
                let line = row.position().map_or(0, |p| lines.line_at(p.byte()));
                if row.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                (line, row_item(&row, &columns))
            }
            Err(e) => (e.position().map_or(0, |p| lines.line_at(p.byte())), Err(RowProblem::NotText)),
        };
        let checked = outcome.and_then(|item| {
            if let Some(&first_line) = codes.get(&item.code) {
                return Err(RowProblem::DuplicateCode { code: item.code, first_line });
            }
            if let Some(&first_line) = item.barcode.as_ref().and_then(|b| barcodes.get(b)) {
                return Err(RowProblem::DuplicateBarcode { barcode: item.barcode.unwrap_or_default(), first_line });
            }
            Ok(item)
        });
        match checked {
            Ok(item) => {
                codes.insert(item.code.clone(), line);
                if let Some(barcode) = &item.barcode {
                    barcodes.insert(barcode.clone(), line);
                }
                items.push(item);
            }
            Err(problem) => rejected.push(Rejected { line, reason: problem.to_string(), problem }),
        }
    }
    Ok(ParsedCatalogue { items, rejected })
}
