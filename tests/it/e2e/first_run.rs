//! The first start on a new PC, in the real app: the setup from the
//! keyboard (shop, counter, language, manager PIN, Training), the restart
//! into the set-up counter, and a Training payment there.

use super::payments::{Counter, SUCCESS_WALLET};
use super::{keys, screenshot_display, AppSession, XdgHome};

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn first_run_a_new_pc_is_set_up_from_the_keyboard_and_then_takes_a_training_payment() {
    let name = "first_run_setup";
    let home = XdgHome::fresh(name);
    let app = AppSession::launch_showing_setup(name, home, &[]).await;
    app.wait_for("[data-testid=first-run]").await;
    assert!(app.client().find_all("[data-testid=tab-counter]").await.unwrap().iter().len() <= 1);
    let client = app.client();
    let shop = app.wait_for("[data-testid=setup-shopName]").await;
    client.clear(&shop).await.unwrap();
    client.send_keys(&shop, &format!("Rahim Store{}", keys::TAB)).await.unwrap();
    let counter_field = client.active_element().await.unwrap();
    client.clear(&counter_field).await.unwrap();
    client.send_keys(&counter_field, "C3").await.unwrap();
    let pin = app.wait_for("[data-testid=setup-pin]").await;
    client.send_keys(&pin, &format!("4831{}4831", keys::TAB)).await.unwrap();
    screenshot_display("90-first-run-setup");
    let focused = client.active_element().await.unwrap();
    client.send_keys(&focused, &keys::ENTER.to_string()).await.unwrap();
    // Saved, then the app restarts itself into the set-up counter (WebDriver's
    // session ends with the old process).
    let settings = app.home.app_data().join(pos_core::settings::SETTINGS_FILE);
    super::eventually(std::time::Duration::from_secs(15), "the setup to save the settings", || settings.exists());
    let saved = std::fs::read_to_string(&settings).unwrap();
    let file: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(
        (file["settings"]["shopName"].as_str(), file["settings"]["counterId"].as_str()),
        (Some("Rahim Store"), Some("C3")),
        "{saved}"
    );
    assert!(!saved.contains("4831"), "the PIN is never in the settings file");
    drop(app);
    super::payments::kill_leftover_apps();
    let sim = bkash_sim::SimServer::start(bkash_sim::SimConfig::default(), 0).await.unwrap();
    let counter = Counter::reattach(name, sim).await;
    assert!(counter.app.client().find_all("[data-testid=first-run]").await.unwrap().is_empty(), "set up once, never again");
    assert_eq!(counter.app.text_of(".shop-name").await, "Rahim Store · counter C3");
    // The setup's PIN is the first manager's account: the counter waits for it.
    counter.app.wait_for("[data-testid=counter-locked]").await;
    screenshot_display("90-counter-locked-after-setup");
    counter.type_into("[data-testid=sign-in-pin]", &format!("4831{}", keys::ENTER)).await;
    counter.app.wait_for("[data-testid=signed-in]").await;
    assert_eq!(counter.app.text_of("[data-testid=signed-in-name]").await, "Manager (manager)");
    counter.ring_up_and_pay("120").await;
    counter.customer_pays(SUCCESS_WALLET).await;
    counter.wait_for_panel("paid").await;
    assert_eq!(counter.only_payment().counter_id.as_deref(), Some("C3"));
    screenshot_display("91-after-setup-training-payment");
    // The PIN chosen in the setup opens the manager's screens.
    counter.click("[data-testid=tab-manager]").await;
    counter.type_into("[data-testid=pin-input]", &format!("4831{}", keys::ENTER)).await;
    counter.app.wait_for("[data-testid=manager-day]").await;
    counter.app.close().await;
}
