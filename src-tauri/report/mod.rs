//! Day summaries, the end-of-day report and CSV export.
//!
//! Contract: reads the journal only; a report never changes a payment. Days are
//! Bangladesh-local (UTC+06:00) while every stored timestamp is UTC.
