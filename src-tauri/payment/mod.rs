//! Payments: `PaymentState`, its one transition table, and `PaymentService`,
//! which orchestrates create / execute / cancel.
//!
//! Contract: every step commits the state that says "a request may have left"
//! before the request is sent. Only a bKash Execute or Query response settles
//! a payment; UI callbacks are hints. Create, execute and refund are never
//! retried automatically.

mod state;

pub use state::PaymentState;
mod service;

pub use service::{Created, PaymentError, PaymentService};
mod desk;
mod refund;
mod resolve;
mod view;

pub use desk::{CheckoutDesk, DeskError};
pub use refund::decide_refund;
pub use resolve::Resolution;

pub use view::{check_sale, mask_wallet, plain_reason, PaymentView, SaleProblem, MAX_SALE_POISHA, MIN_SALE_POISHA};
