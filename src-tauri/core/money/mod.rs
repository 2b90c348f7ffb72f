//! The money rules, in one place a newcomer can read top to bottom.
//!
//! Contract: a leaf. It imports nothing else from this crate, so every other
//! layer (journal, bKash client, payments, reports, the app) may depend on it
//! and it on none of them. It holds what the shop's money *is*, not how it is
//! stored or sent:
//!
//! | type / fn       | rule                                                          |
//! |-----------------|---------------------------------------------------------------|
//! | [`Amount`]      | money is whole poisha; bKash's text form has at most 2 decimals |
//! | [`PaymentState`]| where a payment stands, and its one transition table          |
//! | [`RefundState`] | where a refund stands, and its one transition table           |
//! | [`Cause`]       | why a payment ended or waits without bKash's own code         |
//! | [`Product`]     | Checkout (iFrame) or Tokenized Checkout (URL): bKash's products |
//! | [`StoreActionKind`], [`ActionOutcome`] | a manager's check or resolution of another counter's payment, and bKash's answer |
//! | [`PayAt`]       | the customer pays at the counter or on their own phone (QR)   |
//! | [`sale`]        | what a counter sale may be: lines, amount bounds, order number, invoice, change |
//! | [`Role`], [`Action`] | who may do what: the one table of roles × actions (`Role::may`) |
//! | [`MovementKind`], [`NoteCount`] | cash in or out of a shift's drawer, and a count by notes and coins |
//! | [`Clock`]       | "now", injectable so time is tested by moving a clock         |
//! | [`Secret`]      | a credential or token that never prints                        |
//!
//! States cross every boundary as these enums: SQLite columns through
//! `ToSql`/`FromSql`, the UI through serde and the generated TypeScript types
//! (`ui/src/generated/types.ts`). Nothing parses a state from a string by hand.

mod amount;
mod cause;
mod clock;
mod event_kind;
mod pay_at;
mod product;
mod refund_state;
mod roles;
pub mod sale;
mod secret;
mod sql;
mod state;
mod store_action;
pub mod time;

pub use amount::{Amount, TypedAmountProblem, MAX_AMOUNT_POISHA};
pub use cause::Cause;
pub use clock::{Clock, ManualClock, SystemClock};
pub use event_kind::{EventKind, EventState};
pub use pay_at::PayAt;
pub use product::Product;
pub use refund_state::{left_to_refund, refundable, RefundState};
pub use roles::{Action, MovementKind, NoteCount, NoteCountProblem, Role, StaffRef, DENOMINATIONS_TAKA};
pub use sale::{
    change_due, check_lines, check_sale, invoice_problem, LineProblem, SaleLine, SaleProblem, Tender, MAX_SALE_POISHA, MIN_SALE_POISHA,
};
pub use secret::Secret;
pub use sql::{sql_list, StoredName};
pub use state::PaymentState;
pub use store_action::{ActionOutcome, StoreActionKind};

/// Bengali digits (০–৯) read as 0–9, everything else as it is: a person
/// with a Bangla keyboard types the same amount or PIN as one without.
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '০'..='৯' => char::from(b'0' + (c as u32 - '০' as u32) as u8),
            c => c,
        })
        .collect()
}
