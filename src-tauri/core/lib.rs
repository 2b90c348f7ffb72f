//! The counter's core: every rule about money, the journal, bKash, the store
//! and the till, in plain Rust with no Tauri, tested without a webview. The
//! app crate (`bkash-pos`) is the Tauri shell over it; the simulator
//! (`bkash-sim`) is a crate of its own that this one never names.
//!
//! | module        | owns                                                        |
//! |---------------|-------------------------------------------------------------|
//! | [`money`]     | the money rules (a leaf): `Amount`, `PaymentState`, `RefundState`, `Cause`, `PayAt`, sale rules, `Clock`, `Secret` |
//! | [`journal`]   | the SQLite payment journal: open, pragmas, migrations, queries |
//! | [`bkash`]     | the HTTP client, `TokenManager`, wire types, errors         |
//! | [`payment`]   | `PaymentService`, `CheckoutDesk`, `PaymentView`, `PhoneWait` |
//! | [`qr`]        | the QR code of bKash's page for the customer's phone        |
//! | [`print`]     | receipts on ESC/POS printers: Bangla shaped, raster, bounded I/O |
//! | [`reconcile`] | fetch facts, decide (pure), apply (one transaction)         |
//! | [`report`]    | day summaries, end-of-day report, CSV (reads only)          |
//! | [`till`]      | sales with their lines, cash, the catalogue and its CSV import |
//! | [`counter`]   | the composition root: `Counter::builder(..).open()` builds the whole counter |
//! | [`cli`]       | headless commands (`bkash-pos report`), no UI               |
//! | [`autostart`] | start on login: the XDG autostart entry                     |
//! | [`instance`]  | the single-instance lock on the data directory              |
//! | [`logging`]   | tracing to a rotating file                                  |
//! | [`shift`]     | a counter's shift and drawer: float, pay in/out, drops, no-sale, X and Z reports |
//! | [`staff`]     | staff accounts, PIN sign-in (Argon2id, sealed, lockout), roles, approvals |
//! | [`settings`]  | the shop's settings, checked field by field                 |
//! | [`store`]     | many counters on one PostgreSQL: outbox sync, shared token, store day |
//! | [`vault`]     | credentials and tokens: OS keyring, or a sealed file        |
//!
//! Layers: `money` ← `journal`, `bkash` ← `payment` ← `reconcile`, `report`,
//! `print`, `till` ← `app`; `report` ← `store` ← `app`. A module never names one above it (`tests/it/layers.rs`).

pub mod autostart;
pub mod bkash;
pub mod cli;
pub mod counter;
pub mod failpoint;
pub mod instance;
pub mod journal;
pub mod logging;
pub mod money;
pub mod payment;
pub mod print;
pub mod qr;
pub mod reconcile;
pub mod report;
pub mod settings;
pub mod shift;
pub mod staff;
pub mod store;
pub mod till;
pub mod vault;

/// The tauri.conf.json `identifier`: the data folder's name and the keyring's service name.
pub const APP_ID: &str = "bd.counterpos.bkash";
