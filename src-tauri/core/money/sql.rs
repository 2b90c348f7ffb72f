//! The states as text, one spelling for every direction (SQLite, `Display`,
//! `FromStr`), and the `IN (…)` lists queries are built from, so no query
//! lists states by hand.

use rusqlite::types::{FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

/// A state stored as its name in a TEXT column.
pub trait StoredName: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
}

/// `'completed', 'failed'`: the quoted names of `states`, for `IN (…)`.
/// The names are this crate's own constants, never user text.
pub fn sql_list<S: StoredName>(states: impl IntoIterator<Item = S>) -> String {
    states.into_iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}

pub(super) fn to_sql<S: StoredName>(state: S) -> ToSqlOutput<'static> {
    ToSqlOutput::from(state.as_str())
}

/// The state named `text`. A name this version does not know is an error,
/// never a guess: the journal stops rather than show a payment in the wrong
/// state.
pub(super) fn named<S: StoredName>(text: &str, what: &str) -> Result<S, String> {
    S::ALL.iter().copied().find(|s| s.as_str() == text).ok_or_else(|| format!("unknown {what} `{text}`"))
}

pub(super) fn from_sql<S: StoredName>(value: ValueRef<'_>, what: &'static str) -> FromSqlResult<S> {
    named(value.as_str()?, what).map_err(|e| FromSqlError::Other(e.into()))
}

/// Gives an enum with `ALL` and `as_str` its stored name everywhere:
/// `StoredName`, SQLite's `ToSql`/`FromSql`, `Display` and `FromStr`.
macro_rules! stored_as_text {
    ($type:ident, $what:literal) => {
        impl $crate::money::sql::StoredName for $type {
            const ALL: &'static [Self] = &$type::ALL;
            fn as_str(self) -> &'static str {
                $type::as_str(self)
            }
        }
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $type {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                $crate::money::sql::named(text, $what)
            }
        }
        impl rusqlite::types::ToSql for $type {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok($crate::money::sql::to_sql(*self))
            }
        }
        impl rusqlite::types::FromSql for $type {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                $crate::money::sql::from_sql(value, $what)
            }
        }
    };
}
pub(super) use stored_as_text;
