//! The `Reconciler`: settles payments whose outcome is not known.
//!
//! Contract: fetch facts (Query Payment), decide in a pure function, apply in
//! one transaction. Queries only `Executing` or `Unknown` payments, never one
//! that a successful Execute already settled. When the evidence is not enough,
//! it leaves the row alone.
