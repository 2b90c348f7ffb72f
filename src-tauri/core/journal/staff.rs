//! Staff accounts and the approvals journal (migration 009). The PIN's hash
//! arrives here sealed: the journal stores bytes it cannot read.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::open::classify;
use super::payments::stamp;
use super::{Journal, JournalError};
use crate::money::{Action, Role, StaffRef};

/// One staff account as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// The PIN's Argon2id hash, sealed (see `staff::PinSeal`).
    pub pin_sealed: Vec<u8>,
    pub pin_nonce: Vec<u8>,
}

impl StaffRow {
    pub fn as_ref(&self) -> StaffRef {
        StaffRef { id: self.id, name: self.name.clone(), role: self.role }
    }
}

/// A sealed PIN hash: the ciphertext and its nonce.
pub type SealedPin = (Vec<u8>, Vec<u8>);

const STAFF_COLUMNS: &str = "id, name, role, active, pin_sealed, pin_nonce";

fn row_to_staff(r: &Row<'_>) -> rusqlite::Result<StaffRow> {
    Ok(StaffRow { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, active: r.get(3)?, pin_sealed: r.get(4)?, pin_nonce: r.get(5)? })
}

pub(super) fn all_staff(conn: &Connection) -> Result<Vec<StaffRow>, JournalError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {STAFF_COLUMNS} FROM staff ORDER BY id"))?;
    let rows = stmt.query_map([], row_to_staff)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn staff_member(conn: &Connection, id: i64) -> Result<Option<StaffRow>, JournalError> {
    Ok(conn.query_row(&format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?1"), [id], row_to_staff).optional()?)
}

fn refusal(path: &std::path::Path, name: &str, e: rusqlite::Error) -> JournalError {
    let text = e.to_string();
    if text.contains("UNIQUE constraint failed: staff.name") {
        JournalError::Invalid { field: "name", problem: format!("another account is already called {name}") }
    } else if text.contains("the last manager") {
        JournalError::Invalid { field: "role", problem: "the shop needs at least one active manager".into() }
    } else if text.contains("CHECK constraint failed") {
        JournalError::Invalid { field: "name", problem: "a name is 1 to 40 characters".into() }
    } else {
        classify(path, e)
    }
}

impl Journal {
    /// A new account. `seal` seals the PIN's hash for the id the account is
    /// given (the id and role are bound into the seal, so a sealed PIN
    /// copied onto another row opens nothing).
    pub fn add_staff(
        &mut self,
        name: &str,
        role: Role,
        seal: impl FnOnce(i64) -> SealedPin,
        now: DateTime<Utc>,
    ) -> Result<StaffRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM staff", [], |r| r.get(0))?;
        let (sealed, nonce) = seal(id);
        tx.execute(
            "INSERT INTO staff (id, name, role, active, pin_sealed, pin_nonce, created_at, updated_at) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?6)",
            params![id, name.trim(), role, sealed, nonce, stamp(now)],
        )
        .map_err(|e| refusal(&path, name, e))?;
        let row = staff_member(&tx, id)?.expect("just written");
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(row)
    }

    /// Accounts as another journal held them (same ids, same seals), into a
    /// journal that has none. All or nothing.
    pub fn import_staff(&mut self, rows: &[StaffRow], now: DateTime<Utc>) -> Result<(), JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        for row in rows {
            tx.execute(
                "INSERT INTO staff (id, name, role, active, pin_sealed, pin_nonce, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![row.id, row.name, row.role, row.active, row.pin_sealed, row.pin_nonce, stamp(now)],
            )
            .map_err(|e| refusal(&path, &row.name, e))?;
        }
        tx.commit().map_err(|e| classify(&path, e))
    }

    /// Changes an account: its name, role, whether it may sign in, and its
    /// sealed PIN (sealed again whenever the role changes).
    pub fn update_staff(&mut self, row: &StaffRow, now: DateTime<Utc>) -> Result<StaffRow, JournalError> {
        let path = self.path.clone();
        let changed = self
            .conn
            .execute(
                "UPDATE staff SET name = ?2, role = ?3, active = ?4, pin_sealed = ?5, pin_nonce = ?6, updated_at = ?7 WHERE id = ?1",
                params![row.id, row.name.trim(), row.role, row.active, row.pin_sealed, row.pin_nonce, stamp(now)],
            )
            .map_err(|e| refusal(&path, &row.name, e))?;
        if changed == 0 {
            return Err(JournalError::Invalid { field: "staff", problem: format!("there is no account {}", row.id) });
        }
        Ok(staff_member(&self.conn, row.id)?.expect("just written"))
    }

    /// Every account with when it last changed: what the store's exchange
    /// compares with the store's copies (`store::staff`).
    pub fn staff_with_changes(&self) -> Result<Vec<(StaffRow, DateTime<Utc>)>, JournalError> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {STAFF_COLUMNS}, updated_at FROM staff ORDER BY id"))?;
        let rows = stmt
            .query_map([], |r| Ok((row_to_staff(r)?, r.get::<_, String>(6)?)))?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|(row, at)| {
                let at = DateTime::parse_from_rfc3339(&at)
                    .map_err(|e| JournalError::Invalid { field: "staff", problem: format!("account {} changed at {at:?}: {e}", row.id) })?;
                Ok((row, at.with_timezone(&Utc)))
            })
            .collect::<Result<Vec<_>, JournalError>>()?;
        Ok(rows)
    }

    /// An account as the store holds it, taken into this journal: the one of
    /// that name (any case) is changed, or a new one is added. It keeps the
    /// store's time of change, so it is not sent back as a newer change.
    /// `seal` seals the hash for the account's id here.
    pub fn take_staff_from_store(
        &mut self,
        name: &str,
        role: Role,
        active: bool,
        seal: impl FnOnce(i64) -> SealedPin,
        changed_at: DateTime<Utc>,
    ) -> Result<StaffRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let known: Option<i64> = tx.query_row("SELECT id FROM staff WHERE name = ?1", [name.trim()], |r| r.get(0)).optional()?;
        let id = match known {
            Some(id) => id,
            None => tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM staff", [], |r| r.get(0))?,
        };
        let (sealed, nonce) = seal(id);
        let at = stamp(changed_at);
        match known {
            Some(_) => tx.execute(
                "UPDATE staff SET name = ?2, role = ?3, active = ?4, pin_sealed = ?5, pin_nonce = ?6, updated_at = ?7 WHERE id = ?1",
                params![id, name.trim(), role, active, sealed, nonce, at],
            ),
            None => tx.execute(
                "INSERT INTO staff (id, name, role, active, pin_sealed, pin_nonce, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![id, name.trim(), role, active, sealed, nonce, at],
            ),
        }
        .map_err(|e| refusal(&path, name, e))?;
        let row = staff_member(&tx, id)?.expect("just written");
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(row)
    }

    /// `approved_by` allowed `action` for `by` (who was signed in, if anyone).
    pub fn record_approval(
        &mut self,
        action: Action,
        by: Option<i64>,
        approved_by: i64,
        subject: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        let path = self.path.clone();
        self.conn
            .execute(
                "INSERT INTO approvals (action, by_staff, approved_by, subject, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![action, by, approved_by, subject, stamp(now)],
            )
            .map_err(|e| classify(&path, e))?;
        Ok(())
    }
}

/// One approval, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRow {
    pub action: Action,
    pub by: Option<String>,
    pub approved_by: String,
    pub subject: Option<String>,
    pub at: DateTime<Utc>,
}

pub(super) fn approvals(conn: &Connection) -> Result<Vec<ApprovalRow>, JournalError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.action, b.name, s.name, a.subject, a.at FROM approvals a
         LEFT JOIN staff b ON b.id = a.by_staff JOIN staff s ON s.id = a.approved_by ORDER BY a.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ApprovalRow {
                action: r.get(0)?,
                by: r.get(1)?,
                approved_by: r.get(2)?,
                subject: r.get(3)?,
                at: super::payments::time(r.get(4)?)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
