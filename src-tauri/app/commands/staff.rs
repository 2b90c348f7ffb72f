//! People and shifts: sign-in at the counter, the staff accounts (manager),
//! and this counter's shift (open, pay in/out, drop, no-sale, X, Z). Each
//! command names its `Action`; the core decides who may (`Role::may`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tauri::State;

use super::{authorise, off_runtime, payments};
use crate::app::startup::AppState;
use crate::app::CommandError;
use pos_core::money::{Action, MovementKind, Role, StaffRef};
use pos_core::print::ReceiptLanguage;
use pos_core::shift::{CashCount, ShiftReport, ShiftView};
use pos_core::staff::{Account, AccountChange, StaffStatus};

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn staff_status(state: State<'_, AppState>) -> Result<StaffStatus, CommandError> {
    let staff = state.staff.clone();
    off_runtime(move || Ok(staff.status()?)).await
}

/// Signs in whoever's PIN this is (switching cashier is one PIN).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn sign_in(state: State<'_, AppState>, pin: String) -> Result<StaffRef, CommandError> {
    let staff = state.staff.clone();
    off_runtime(move || Ok(staff.sign_in(&pin)?)).await
}

/// Locks the counter: the next person signs in with their PIN. The sale on
/// the screen stays.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.staff.sign_out();
    Ok(())
}

/// The person signed in is still at the counter (keys, clicks).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn staff_touch(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.staff.touch();
    Ok(())
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn staff_accounts(state: State<'_, AppState>) -> Result<Vec<Account>, CommandError> {
    authorise(&state, Action::ManageStaff, None, None).await?;
    let staff = state.staff.clone();
    off_runtime(move || Ok(staff.accounts()?)).await
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAccount {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn add_staff_account(state: State<'_, AppState>, account: NewAccount) -> Result<Account, CommandError> {
    authorise(&state, Action::ManageStaff, None, Some(format!("new account {}", account.name))).await?;
    let staff = state.staff.clone();
    off_runtime(move || Ok(staff.add_account(&account.name, account.role, &account.pin)?)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn change_staff_account(state: State<'_, AppState>, id: i64, change: AccountChange) -> Result<Account, CommandError> {
    authorise(&state, Action::ManageStaff, None, Some(format!("account {id}"))).await?;
    let staff = state.staff.clone();
    off_runtime(move || Ok(staff.change_account(id, change)?)).await
}

/// The shift open at this counter, if any: a shift left open by a crash is
/// found here at start-up, and closed with its count as any other.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn current_shift(state: State<'_, AppState>) -> Result<Option<ShiftView>, CommandError> {
    Ok(payments(&state)?.shifts.current().await?.as_ref().map(ShiftView::from))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn open_shift(state: State<'_, AppState>, float: CashCount, approval: Option<String>) -> Result<ShiftView, CommandError> {
    let actor = authorise(&state, Action::OpenShift, approval, None).await?;
    Ok(ShiftView::from(&payments(&state)?.shifts.open(&actor, &float).await?))
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CashMovement {
    pub kind: MovementKind,
    pub amount_poisha: u64,
    pub reason: String,
    /// A supervisor's PIN for this one movement, when the cashier's role does not allow it.
    #[serde(default)]
    #[ts(optional)]
    pub approval: Option<String>,
}

/// Pay in, pay out, a drop to the safe, or a no-sale open: journaled with its reason.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn move_cash(state: State<'_, AppState>, movement: CashMovement) -> Result<(), CommandError> {
    let subject = format!("{} {}", movement.kind, movement.amount_poisha);
    let actor = authorise(&state, movement.kind.action(), movement.approval.clone(), Some(subject)).await?;
    Ok(payments(&state)?.shifts.move_cash(&actor, movement.kind, movement.amount_poisha, &movement.reason).await?)
}

/// The X report: the shift so far, with the cash expected (beyond a cashier,
/// so the count at the close stays blind).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn x_report(state: State<'_, AppState>, approval: Option<String>) -> Result<ShiftReport, CommandError> {
    authorise(&state, Action::ReadShift, approval, None).await?;
    Ok(payments(&state)?.shifts.x_report().await?)
}

/// Closes the shift with a blind count: the Z report.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn close_shift(state: State<'_, AppState>, count: CashCount, approval: Option<String>) -> Result<ShiftReport, CommandError> {
    let actor = authorise(&state, Action::CloseShift, approval, None).await?;
    Ok(payments(&state)?.shifts.close(&actor, &count).await?)
}

/// Prints a shift's report (the X now, or a stored Z) on the counter's
/// receipt printer (ESC/POS), in the shop's language.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn print_shift_report(state: State<'_, AppState>, report: ShiftReport, language: ReceiptLanguage) -> Result<(), CommandError> {
    authorise(&state, Action::Reprint, None, None).await?;
    let payments = payments(&state)?;
    // A Z is printed as it was stored, never as the screen sent it.
    let report = match report.z_number {
        Some(_) => payments.shifts.z_report(report.shift).await?.ok_or_else(|| {
            CommandError::new(crate::app::ErrorCode::NotFound, format!("There is no Z report of shift {}.", report.shift))
                .with("id", report.shift)
        })?,
        None => payments.shifts.x_report().await?,
    };
    let setup = state.settings.escpos_setup().ok_or_else(|| {
        CommandError::new(
            crate::app::ErrorCode::NoPrinter,
            "Shift reports print on the counter's receipt printer (ESC/POS); set one up in Settings.",
        )
    })?;
    let lines = pos_core::shift::shift_lines(&report, language);
    Ok(payments.receipts.print_lines(lines, &setup, false).await?)
}

/// The day a sale rung up now belongs to, beside the calendar's: they differ
/// once today is closed, and the counter says so.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CounterDay {
    #[ts(type = "string")]
    pub sales_day: NaiveDate,
    #[ts(type = "string")]
    pub calendar_day: NaiveDate,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn counter_day(state: State<'_, AppState>) -> Result<CounterDay, CommandError> {
    let now = chrono::Utc::now();
    let sales_day = pos_core::report::business_today(&*super::reader(&state)?, now)?;
    Ok(CounterDay { sales_day, calendar_day: pos_core::money::time::bangladesh_date(now) })
}
