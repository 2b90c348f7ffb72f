//! Who may do what at the counter: staff roles, the actions that need one,
//! and the one table between them ([`Role::may`]). The commands ask it, the
//! UI only reflects it (`staff_status` sends each role's actions), and the
//! README's table is checked against it (`tests/it/staff.rs`).
//!
//! An action beyond the signed-in person's role takes the PIN of someone
//! whose role allows it, for that one action; both names are journaled.

use serde::{Deserialize, Serialize};

use super::sql::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Cashier,
    Supervisor,
    Manager,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Cashier, Role::Supervisor, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
        }
    }

    /// The table: whether this role may do `action` without anyone's PIN.
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            Sell | TakeCash | Reprint | OpenShift | CloseShift | CashDrop => true,
            Refund | Return | DiscountBeyondLimit | PriceOverride | NoSaleOpen | PayInOut | ReadShift | ReadDay | CheckPayment => {
                self >= Supervisor
            }
            ResolveByHand | CloseDay | EditCatalogue | ChangeSettings | ManageStaff => self == Manager,
        }
    }

    /// Every action this role may do, in [`Action::ALL`]'s order.
    pub fn actions(self) -> Vec<Action> {
        Action::ALL.into_iter().filter(|a| self.may(*a)).collect()
    }
}

stored_as_text!(Role, "staff role");

/// What a role may or may not do. Each command that needs one names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Ring up a sale and take bKash for it.
    Sell,
    TakeCash,
    Refund,
    Return,
    DiscountBeyondLimit,
    PriceOverride,
    /// Open the drawer without a sale.
    NoSaleOpen,
    /// Print a receipt again.
    Reprint,
    OpenShift,
    /// Count the drawer blind and close the shift (the Z report).
    CloseShift,
    /// Cash into or out of the drawer that is not a sale (petty cash, a supplier).
    PayInOut,
    /// Cash from the drawer to the safe.
    CashDrop,
    /// The X report: the shift so far, with the cash expected. Beyond a
    /// cashier, so the count at the close stays blind.
    ReadShift,
    /// The manager's day: transactions, totals, exports, reports.
    ReadDay,
    /// *Check now* on a payment or refund being checked.
    CheckPayment,
    /// Settle a payment by hand with the customer's trxID.
    ResolveByHand,
    CloseDay,
    EditCatalogue,
    ChangeSettings,
    ManageStaff,
}

impl Action {
    pub const ALL: [Action; 20] = [
        Action::Sell,
        Action::TakeCash,
        Action::Refund,
        Action::Return,
        Action::DiscountBeyondLimit,
        Action::PriceOverride,
        Action::NoSaleOpen,
        Action::Reprint,
        Action::OpenShift,
        Action::CloseShift,
        Action::PayInOut,
        Action::CashDrop,
        Action::ReadShift,
        Action::ReadDay,
        Action::CheckPayment,
        Action::ResolveByHand,
        Action::CloseDay,
        Action::EditCatalogue,
        Action::ChangeSettings,
        Action::ManageStaff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Sell => "sell",
            Action::TakeCash => "take_cash",
            Action::Refund => "refund",
            Action::Return => "return",
            Action::DiscountBeyondLimit => "discount_beyond_limit",
            Action::PriceOverride => "price_override",
            Action::NoSaleOpen => "no_sale_open",
            Action::Reprint => "reprint",
            Action::OpenShift => "open_shift",
            Action::CloseShift => "close_shift",
            Action::PayInOut => "pay_in_out",
            Action::CashDrop => "cash_drop",
            Action::ReadShift => "read_shift",
            Action::ReadDay => "read_day",
            Action::CheckPayment => "check_payment",
            Action::ResolveByHand => "resolve_by_hand",
            Action::CloseDay => "close_day",
            Action::EditCatalogue => "edit_catalogue",
            Action::ChangeSettings => "change_settings",
            Action::ManageStaff => "manage_staff",
        }
    }

    /// The least role that may do it.
    pub fn least_role(self) -> Role {
        Role::ALL.into_iter().find(|r| r.may(self)).expect("the manager may do everything")
    }
}

stored_as_text!(Action, "staff action");

/// A staff member as the journal's rows name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffRef {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// What moves cash in or out of a shift's drawer that is not a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    PayIn,
    PayOut,
    /// To the safe.
    Drop,
    /// The drawer opened without a sale: no money, a reason.
    NoSale,
}

impl MovementKind {
    pub const ALL: [MovementKind; 4] = [MovementKind::PayIn, MovementKind::PayOut, MovementKind::Drop, MovementKind::NoSale];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::PayIn => "pay_in",
            MovementKind::PayOut => "pay_out",
            MovementKind::Drop => "drop",
            MovementKind::NoSale => "no_sale",
        }
    }

    /// The action it takes.
    pub fn action(self) -> Action {
        match self {
            MovementKind::PayIn | MovementKind::PayOut => Action::PayInOut,
            MovementKind::Drop => Action::CashDrop,
            MovementKind::NoSale => Action::NoSaleOpen,
        }
    }

    /// Its sign in the drawer: +1 in, -1 out, 0 for a no-sale open.
    pub fn sign(self) -> i64 {
        match self {
            MovementKind::PayIn => 1,
            MovementKind::PayOut | MovementKind::Drop => -1,
            MovementKind::NoSale => 0,
        }
    }
}

stored_as_text!(MovementKind, "drawer movement");

/// The notes and coins of Bangladesh a drawer is counted in, in poisha.
pub const DENOMINATIONS_TAKA: [u64; 10] = [1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

/// A drawer counted by notes and coins: how many of each (by taka value).
/// Its total is what the count says; the pieces are kept with it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteCount {
    /// `(taka, pieces)`; each taka value one of [`DENOMINATIONS_TAKA`], once.
    pub pieces: Vec<(u64, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteCountProblem {
    #[error("৳{0} is not a note or coin of Bangladesh")]
    NotADenomination(u64),
    #[error("৳{0} is counted twice")]
    Twice(u64),
    #[error("{0} pieces of one note is more than a drawer holds")]
    TooMany(u32),
}

impl NoteCount {
    /// The total in poisha, once every piece is a real note or coin.
    pub fn total_poisha(&self) -> Result<u64, NoteCountProblem> {
        let mut seen = Vec::new();
        let mut total = 0u64;
        for &(taka, pieces) in &self.pieces {
            if !DENOMINATIONS_TAKA.contains(&taka) {
                return Err(NoteCountProblem::NotADenomination(taka));
            }
            if seen.contains(&taka) {
                return Err(NoteCountProblem::Twice(taka));
            }
            if pieces > 100_000 {
                return Err(NoteCountProblem::TooMany(pieces));
            }
            seen.push(taka);
            total += taka * 100 * u64::from(pieces);
        }
        Ok(total)
    }
}
