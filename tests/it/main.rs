//! The one integration-test binary (each extra one would re-link Tauri).
//!
//! Fast tiers run with `cargo test`. The `e2e` module drives the real app
//! binary through WebDriver under Xvfb; its tests are `#[ignore]`d in the fast
//! tier and run by `./scripts/test e2e` (`cargo test --test it -- --ignored e2e::`).

mod app_shell;
mod bkash;
mod contradictions;
mod counter;
mod crash;
mod day_report;
mod e2e;
mod end_of_day;
mod hostile;
mod instance;
mod ipc_contract;
mod journal;
mod layers;
mod logging;
mod money_properties;
mod payment_service;
mod payment_state;
mod pg;
mod phone;
mod print;
mod reconcile;
mod refunds;
mod report;
mod resolve;
mod settings;
mod shifts;
mod sim;
mod staff;
mod store;
mod support;
mod till;
mod tokenized;
mod upgrade;
