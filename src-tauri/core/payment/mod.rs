//! Payments: `PaymentService`, which orchestrates create / execute / cancel
//! and refunds; the `CheckoutDesk` (the counter's one open checkout); and
//! `PaymentView`, what the screens are told; `phone`, waiting for a customer
//! who pays on their own phone. The states and their transition
//! tables live in `money`.
//!
//! Contract: every step commits the state that says "a request may have left"
//! before the request is sent. Only a bKash Execute or Query response settles
//! a payment; UI callbacks are hints. Create, execute and refund are never
//! retried automatically.

mod desk;
mod phone;
mod refund;
mod resolve;
mod service;
mod view;

pub use desk::{CheckoutDesk, DeskError};
pub use phone::{PhoneWait, PHONE_TIMEOUT_SECS};
pub use refund::{decide_refund, ClaimRefused, RefundClaim, RefundGate};
pub use resolve::{resolution_claim, search_verdict, Resolution, SearchVerdict};
pub use service::{Anyway, Created, PaymentError, PaymentService, Step};
pub use view::{mask_wallet, PaymentView, Reason};
