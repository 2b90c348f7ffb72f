//! End-to-end tests of the real app binary, driven through WebDriver
//! (tauri-driver + WebKitWebDriver) under Xvfb.
//!
//! Every test here is `#[ignore]`d in the fast tier: it needs a display, a
//! built UI and tauri-driver. `./scripts/test e2e` provides them and runs
//! `cargo test --test it -- --ignored --test-threads=1 e2e::`. Screenshots land
//! in `test-artifacts/screenshots/`.
//!
//! To add a test: `let app = AppSession::launch("name").await;`, drive it
//! through `app.client()`, `app.wait_for(...)`, `app.screenshot(...)`, and end
//! with `app.close().await`.

mod first_run;
mod harness;
mod hostile;
mod manager;
mod payments;
mod phone;
mod printing;
mod security;
mod shell;
mod shifts;
mod single_instance;
mod store;
mod till;
mod tokenized;
mod webdriver;

pub use harness::*;
pub use webdriver::keys;
