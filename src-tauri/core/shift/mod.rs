//! `ShiftDesk`: this counter's shift and its drawer. Open with a counted
//! float, pay in and out, drop to the safe, open the drawer without a sale,
//! read the X report, close with a blind count (the Z report).
//!
//! Contract: plain Rust over the journal; every step is one journal
//! transaction (`journal::shifts`), so a crash leaves a shift open or
//! closed, never half-closed. The close fixes the expected cash as it stood
//! then; nothing is recomputed later. The caller has authorised the action
//! (`staff::Staff::authorise`) and passes who did it.
//! Depends on money, journal, payment, print, staff.

mod report;

pub use report::{shift_lines, CashierLine, Count, MovementLine, ShiftReport, ShiftReportKind};

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::journal::{BlindCount, JournalError, JournalRead, ShiftRow};
use crate::money::{MovementKind, NoteCount, NoteCountProblem};
use crate::payment::{PaymentError, PaymentService};
use crate::staff::Actor;

#[derive(Debug, thiserror::Error)]
pub enum ShiftError {
    #[error("Nobody is signed in at this counter. Sign in with your PIN.")]
    NotSignedIn,
    #[error("No shift is open at this counter. Open one with the float in the drawer.")]
    NoShiftOpen,
    #[error("The count: {0}.")]
    Count(#[from] NoteCountProblem),
    #[error("The notes add up to {notes}, not {total}.")]
    CountDisagrees { notes: String, total: String },
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

impl From<JournalError> for ShiftError {
    fn from(e: JournalError) -> Self {
        ShiftError::Payment(PaymentError::Journal(e))
    }
}

/// Cash as counted: a total, or notes and coins, or both (which must agree).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CashCount {
    pub total_poisha: Option<u64>,
    pub notes: Option<NoteCount>,
}

impl CashCount {
    pub fn of_total(poisha: u64) -> Self {
        Self { total_poisha: Some(poisha), notes: None }
    }

    pub fn of_notes(pieces: &[(u64, u32)]) -> Self {
        Self { total_poisha: None, notes: Some(NoteCount { pieces: pieces.to_vec() }) }
    }

    /// The total it says, once its notes are real and agree with it.
    pub fn checked(&self) -> Result<BlindCount, ShiftError> {
        let by_notes = self.notes.as_ref().map(NoteCount::total_poisha).transpose()?;
        let counted_poisha = match (self.total_poisha, by_notes) {
            (Some(total), Some(notes)) if total != notes => {
                return Err(ShiftError::CountDisagrees {
                    notes: crate::money::Amount::from_poisha(notes).taka(),
                    total: crate::money::Amount::from_poisha(total).taka(),
                })
            }
            (Some(total), _) => total,
            (None, Some(notes)) => notes,
            (None, None) => 0,
        };
        Ok(BlindCount { counted_poisha, notes: self.notes.clone() })
    }
}

/// The open shift as the counter shows it: never the cash expected, so the
/// count at the close stays blind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ShiftView {
    #[ts(type = "number")]
    pub id: i64,
    pub counter: String,
    pub opened_by: String,
    #[ts(type = "string")]
    pub opened_at: chrono::DateTime<chrono::Utc>,
    pub float_poisha: u64,
}

impl From<&ShiftRow> for ShiftView {
    fn from(s: &ShiftRow) -> Self {
        Self {
            id: s.id,
            counter: s.counter_id.clone(),
            opened_by: s.opened_by.clone(),
            opened_at: s.opened_at,
            float_poisha: s.float_poisha,
        }
    }
}

pub struct ShiftDesk {
    service: Arc<PaymentService>,
    counter_id: String,
    shop_name: String,
}

fn signed_in(actor: &Actor) -> Result<i64, ShiftError> {
    actor.by.as_ref().map(|b| b.id).ok_or(ShiftError::NotSignedIn)
}

impl ShiftDesk {
    pub fn new(service: Arc<PaymentService>, counter_id: &str, shop_name: &str) -> Self {
        Self { service, counter_id: counter_id.into(), shop_name: shop_name.into() }
    }

    /// The shift open at this counter, if any (left open by a crash too).
    pub async fn current(&self) -> Result<Option<ShiftRow>, ShiftError> {
        let counter = self.counter_id.clone();
        Ok(self.service.journal(move |j, _| j.open_shift_of(&counter)).await?)
    }

    async fn open_shift(&self) -> Result<ShiftRow, ShiftError> {
        self.current().await?.ok_or(ShiftError::NoShiftOpen)
    }

    /// Opens a shift with the float counted in the drawer.
    pub async fn open(&self, actor: &Actor, float: &CashCount) -> Result<ShiftRow, ShiftError> {
        let by = signed_in(actor)?;
        let float = float.checked()?;
        let counter = self.counter_id.clone();
        let row = self.service.journal(move |j, now| j.open_shift(&counter, by, float.counted_poisha, float.notes.as_ref(), now)).await?;
        tracing::info!(shift = row.id, float = row.float_poisha, "shift opened");
        Ok(row)
    }

    /// Cash in or out of the drawer (or a no-sale open), with its reason.
    pub async fn move_cash(&self, actor: &Actor, kind: MovementKind, amount_poisha: u64, reason: &str) -> Result<(), ShiftError> {
        let by = signed_in(actor)?;
        let shift = self.open_shift().await?.id;
        let approved = actor.approved_by.as_ref().map(|a| a.id);
        let reason = reason.to_string();
        let row = self.service.journal(move |j, now| j.move_cash(shift, kind, amount_poisha, &reason, by, approved, now)).await?;
        tracing::info!(shift, %kind, amount = row.amount_poisha, "drawer movement");
        Ok(())
    }

    /// The X report: the open shift so far, read-only.
    pub async fn x_report(&self) -> Result<ShiftReport, ShiftError> {
        let shift = self.open_shift().await?;
        let shop = self.shop_name.clone();
        Ok(self
            .service
            .journal(move |j, now| {
                let figures = j.shift_figures(&shift)?;
                Ok(ShiftReport::of(&shop, &shift, &figures, now))
            })
            .await?)
    }

    /// Closes the open shift with a blind count: the Z report, numbered at
    /// this counter, fixed as it was printed.
    pub async fn close(&self, actor: &Actor, count: &CashCount) -> Result<ShiftReport, ShiftError> {
        let by = signed_in(actor)?;
        let count = count.checked()?;
        let shift = self.open_shift().await?.id;
        let shop = self.shop_name.clone();
        let (closed, _) = self
            .service
            .journal(move |j, now| {
                j.close_shift(shift, by, &count, now, |closed, figures| {
                    serde_json::to_string(&ShiftReport::of(&shop, closed, figures, now)).expect("a report serialises")
                })
            })
            .await?;
        let report = ShiftReport::stored(&closed).expect("written above");
        tracing::info!(shift, z = report.z_number, difference = report.difference_poisha, "shift closed");
        Ok(report)
    }

    /// A closed shift's Z report, as it was printed.
    pub async fn z_report(&self, shift: i64) -> Result<Option<ShiftReport>, ShiftError> {
        let row = self.service.journal(move |j, _| j.shift(shift)).await?;
        Ok(row.as_ref().and_then(ShiftReport::stored))
    }
}
