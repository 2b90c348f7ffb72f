//! `Amount`: money in whole poisha. Never a float: bKash's text form is read
//! and written digit by digit.

use serde::{Deserialize, Deserializer, Serialize};

/// Money in poisha. bKash carries it as a string with at most 2 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(u64);

/// The largest amount we will send: 10 crore taka, far above any counter sale,
/// and small enough that no arithmetic on it can overflow.
pub const MAX_AMOUNT_POISHA: u64 = 1_000_000_000 * 100;

impl Amount {
    pub fn from_poisha(poisha: u64) -> Self {
        Self(poisha)
    }

    pub fn poisha(self) -> u64 {
        self.0
    }

    /// Reads bKash's string form ("85", "85.5", "85.50").
    pub fn parse(text: &str) -> Result<Self, String> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (text.contains('.') && !digits(fraction)) {
            return Err(format!("`{text}` is not an amount"));
        }
        if fraction.len() > 2 {
            return Err(format!("`{text}` has more than 2 decimals"));
        }
        if whole.len() > 12 {
            return Err(format!("`{text}` is too large"));
        }
        let poisha =
            whole.parse::<u64>().map_err(|e| e.to_string())? * 100 + format!("{fraction:0<2}").parse::<u64>().map_err(|e| e.to_string())?;
        Ok(Self(poisha))
    }
}

/// Why a person's amount was refused (a price in a CSV file, a field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TypedAmountProblem {
    #[error("is empty")]
    Empty,
    #[error("is not an amount in taka (write 12.50)")]
    NotANumber,
    #[error("has a comma that is not digit grouping (write 12.50 for twelve taka fifty, 1,250 or 1,25,000 for grouping)")]
    BadGrouping,
    #[error("has more than 2 decimals")]
    TooManyDecimals,
    #[error("has a space inside the number (write 1250 or 1,250)")]
    InnerSpace,
    #[error("is too large")]
    TooLarge,
}

impl Amount {
    /// Reads an amount a person wrote: Bengali digits (০–৯) count, and a
    /// comma only as correct grouping, lakh (`1,25,000`) or thousands
    /// (`125,000`). `12,50` is somebody's decimal comma and is refused,
    /// never read as ৳1,250. A space inside the number (`12 50`, `1 250`,
    /// a no-break space) is refused too: dropping it once read `12 50` as
    /// ৳1,250. The UI's `parseAmount` follows the same rule, and both are
    /// tested against one table (`tests/fixtures/typed-amounts.json`).
    pub fn parse_typed(text: &str) -> Result<Self, TypedAmountProblem> {
        let ascii = super::ascii_digits(text.trim());
        if ascii.is_empty() {
            return Err(TypedAmountProblem::Empty);
        }
        if ascii.chars().any(char::is_whitespace) {
            return Err(TypedAmountProblem::InnerSpace);
        }
        let (whole, fraction) = ascii.split_once('.').unwrap_or((&ascii, ""));
        if whole.contains(',') {
            let groups: Vec<&str> = whole.split(',').collect();
            let (first, rest) = groups.split_first().expect("split yields one at least");
            let (last, middle) = rest.split_last().expect("a comma yields two parts");
            let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
            let head = |n: usize| (1..=n).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
            let lakh = head(2) && middle.iter().all(|g| digits(g, 2)) && digits(last, 3);
            let thousands = head(3) && middle.iter().all(|g| digits(g, 3)) && digits(last, 3);
            if !(lakh || thousands) {
                return Err(TypedAmountProblem::BadGrouping);
            }
        }
        let plain = ascii.replace(',', "");
        let (whole, _) = plain.split_once('.').unwrap_or((&plain, ""));
        if !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && whole.trim_start_matches('0').len() > 12 {
            return Err(TypedAmountProblem::TooLarge);
        }
        if fraction.len() > 2 && fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TypedAmountProblem::TooManyDecimals);
        }
        Self::parse(&plain).map_err(|_| TypedAmountProblem::NotANumber)
    }
}

impl Amount {
    /// `৳1,25,000.50`: the taka sign and lakh grouping, as the counter, its
    /// receipts and its messages write an amount (the UI's `formatBdt` too).
    pub fn taka(self) -> String {
        let poisha = self.0;
        let whole = (poisha / 100).to_string();
        let (head, last3) = whole.split_at(whole.len().saturating_sub(3));
        let mut groups: Vec<&str> = Vec::new();
        let mut rest = head;
        while rest.len() > 2 {
            let (more, two) = rest.split_at(rest.len() - 2);
            groups.insert(0, two);
            rest = more;
        }
        if !rest.is_empty() {
            groups.insert(0, rest);
        }
        groups.push(last3);
        format!("৳{}.{:02}", groups.join(","), poisha % 100)
    }
}

impl std::fmt::Display for Amount {
    /// bKash's form: always two decimals, no grouping ("85.50").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // bKash sends strings; a plain JSON number is read from its exact text.
        struct AmountText;
        impl serde::de::Visitor<'_> for AmountText {
            type Value = Amount;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an amount as a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Amount, E> {
                Amount::parse(text).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Amount, E> {
                Amount::parse(&n.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Amount, E> {
                Amount::parse(&n.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Amount, E> {
                Amount::parse(&serde_json::Number::from_f64(n).map(|n| n.to_string()).unwrap_or_default()).map_err(E::custom)
            }
        }
        d.deserialize_any(AmountText)
    }
}

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
