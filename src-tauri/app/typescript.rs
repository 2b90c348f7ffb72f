//! The UI's TypeScript types, generated from the Rust types the commands
//! send and take (ts-rs), into `ui/src/generated/types.ts`.
//!
//! Why ts-rs and not tauri-specta: ts-rs is a stable release that derives
//! one trait per type and leaves the commands, `generate_handler!` and the
//! capability files exactly as they are; tauri-specta would generate the
//! calls too, but only as a release candidate for Tauri v2, and it replaces
//! the invoke handler. `ipc.ts` keeps the calls by hand, typed with these.
//!
//! `tests/it/ipc_contract.rs` fails when the file on disk differs from this
//! output; `UPDATE_TS_TYPES=1 cargo test --test it generated` rewrites it.

use ts_rs::{Config, TS};

use super::commands::checkout::{CancelReason, CheckoutContext, CheckoutCreated};
use super::commands::counter::{AppInfo, PhonePayment};
use super::commands::manager::{DayQuery, RefundRequest, ResolveOutcome, ResolveRequest};
use super::commands::printing::{Printed, PrinterDraft, ReceiptOf};
use super::commands::reports::{DayOf, EodView, ExportFormat};
use super::commands::setup::FirstRunForm;
use super::commands::staff::{CashMovement, CounterDay, NewAccount};
use super::commands::store::{StoreRefundRequest, StoreResolveRequest};
use super::commands::till::{CashView, DrawerDraft, ImportReport, SaleView};
use super::commands::SaleToPay;
use super::error::{CommandError, ErrorCode};
use super::settings_store::{SaveOutcome, SettingsView};
use super::windows::customer_display::CustomerScreen;
use pos_core::bkash::{Environment, TokenStatus};
use pos_core::counter::{StartProblemKind, StartProblemView};
use pos_core::journal::CatalogueItem;
use pos_core::money::sale::{SaleRules, SALE_RULES};
use pos_core::money::{
    Action, ActionOutcome, Cause, EventKind, EventState, MovementKind, NoteCount, PayAt, PaymentState, Product, RefundState, Role,
    SaleLine, StaffRef, StoreActionKind, Tender, TypedAmountProblem,
};
use pos_core::payment::{PaymentView, Reason};
use pos_core::print::{PaperWidth, PrinterKind, ReceiptLanguage};
use pos_core::qr::QrImage;
use pos_core::reconcile::{RecoveryEntry, RecoverySnapshot};
use pos_core::report::{
    CashCorrection, CashierTotal, Correction, DayPage, DaySummary, DrawerLine, EndOfDay, EventView, GroupTotal, History, ItemLine,
    RefundView, ReportRow, ShiftLine, Tally, TillDay,
};
use pos_core::settings::{CredentialsForm, CredentialsSummary, FieldError, Settings, StoreSettings};
use pos_core::shift::{CashCount, CashierLine, Count, MovementLine, ShiftReport, ShiftReportKind, ShiftView};
use pos_core::staff::{Account, AccountChange, ManagerStatus, StaffStatus};
use pos_core::store::actions::ActionReport;
use pos_core::store::day::{
    CounterSync, StoreActionEntry, StoreCorrection, StoreDayPage, StoreEndOfDay, StoreGroup, StoreHistory, StorePayment, StoreShift,
};
use pos_core::store::{SyncStatus, TlsMode};
use pos_core::till::{Rejected, RowProblem};

/// The QR time-outs the settings screen offers (`payment::PHONE_TIMEOUT_SECS`).
#[derive(serde::Serialize)]
struct PhoneTimeoutRange {
    min: u32,
    max: u32,
}

impl Default for PhoneTimeoutRange {
    fn default() -> Self {
        Self { min: *pos_core::payment::PHONE_TIMEOUT_SECS.start(), max: *pos_core::payment::PHONE_TIMEOUT_SECS.end() }
    }
}

pub const GENERATED_FILE: &str = "ui/src/generated/types.ts";

fn declare<T: TS>(config: &Config, out: &mut String) {
    if let Some(docs) = T::docs() {
        out.push_str(docs.trim_end());
        out.push('\n');
    }
    out.push_str("export ");
    out.push_str(&T::decl(config));
    out.push_str("\n\n");
}

fn constant(name: &str, type_name: &str, value: &impl serde::Serialize, out: &mut String) {
    let json = serde_json::to_string(value).expect("constants serialise");
    out.push_str(&format!("export const {name}: {type_name} = {json};\n\n"));
}

/// The whole file, as it must be on disk.
pub fn typescript() -> String {
    // JSON numbers: poisha and IDs stay far below 2^53, and serde sends them as numbers.
    let config = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by `src-tauri/app/typescript.rs` (ts-rs). Do not edit:\n\
         // run `UPDATE_TS_TYPES=1 cargo test --test it generated` after changing a Rust type.\n\n",
    );
    macro_rules! declare_all {
        ($($t:ty),* $(,)?) => { $(declare::<$t>(&config, &mut out);)* };
    }
    declare_all!(
        PaymentState,
        RefundState,
        Cause,
        Product,
        PayAt,
        Reason,
        Environment,
        ErrorCode,
        CommandError,
        SaleRules,
        AppInfo,
        PaymentView,
        QrImage,
        PhonePayment,
        SaleToPay,
        CustomerScreen,
        PrinterKind,
        PaperWidth,
        ReceiptLanguage,
        PrinterDraft,
        Printed,
        ReceiptOf,
        RecoveryEntry,
        RecoverySnapshot,
        TokenStatus,
        TlsMode,
        StoreSettings,
        Settings,
        CredentialsForm,
        CredentialsSummary,
        FieldError,
        SettingsView,
        SaveOutcome,
        FirstRunForm,
        CheckoutContext,
        CheckoutCreated,
        CancelReason,
        ManagerStatus,
        Tally,
        DaySummary,
        DayPage,
        DayQuery,
        StartProblemKind,
        StartProblemView,
        EventKind,
        EventState,
        EventView,
        RefundView,
        History,
        RefundRequest,
        ResolveRequest,
        ResolveOutcome,
        ReportRow,
        GroupTotal,
        Correction,
        EndOfDay,
        EodView,
        ExportFormat,
        DayOf,
        SaleLine,
        Tender,
        TypedAmountProblem,
        CashView,
        SaleView,
        CatalogueItem,
        RowProblem,
        Rejected,
        ImportReport,
        DrawerDraft,
        DrawerLine,
        ItemLine,
        TillDay,
        SyncStatus,
        StorePayment,
        StoreGroup,
        CounterSync,
        StoreDayPage,
        StoreShift,
        StoreHistory,
        StoreCorrection,
        StoreEndOfDay,
        StoreRefundRequest,
        StoreResolveRequest,
        ActionReport,
        StoreActionEntry,
        StoreActionKind,
        ActionOutcome,
        Role,
        Action,
        StaffRef,
        StaffStatus,
        Account,
        AccountChange,
        NewAccount,
        MovementKind,
        NoteCount,
        CashCount,
        CashMovement,
        ShiftView,
        CounterDay,
        ShiftReportKind,
        Count,
        MovementLine,
        CashierLine,
        ShiftReport,
        ShiftLine,
        CashierTotal,
        CashCorrection,
    );
    constant("PAYMENT_STATES", "readonly PaymentState[]", &PaymentState::ALL, &mut out);
    constant("REFUND_STATES", "readonly RefundState[]", &RefundState::ALL, &mut out);
    constant("EVENT_KINDS", "readonly EventKind[]", &EventKind::ALL, &mut out);
    constant("ERROR_CODES", "readonly ErrorCode[]", &ErrorCode::ALL.as_slice(), &mut out);
    constant("SALE_RULES", "SaleRules", &SALE_RULES, &mut out);
    constant("DENOMINATIONS_TAKA", "readonly number[]", &pos_core::money::DENOMINATIONS_TAKA, &mut out);
    constant("PHONE_TIMEOUT_SECS", "{ min: number; max: number }", &PhoneTimeoutRange::default(), &mut out);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
