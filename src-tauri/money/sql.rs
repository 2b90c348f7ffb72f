//! The states as SQLite text, one spelling for both directions, and the
//! `IN (…)` lists queries are built from, so no query lists states by hand.

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

/// A name this version does not know is an error, never a guess: the
/// journal stops rather than show a payment in the wrong state.
pub(super) fn from_sql<S: StoredName>(value: ValueRef<'_>, what: &'static str) -> FromSqlResult<S> {
    let text = value.as_str()?;
    S::ALL.iter().copied().find(|s| s.as_str() == text).ok_or_else(|| FromSqlError::Other(format!("unknown {what} `{text}`").into()))
}

macro_rules! stored_as_text {
    ($type:ty, $what:literal) => {
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
