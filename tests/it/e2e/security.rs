//! What the windows may ask of the core, and where secrets may not appear,
//! checked on the real app after a full payment.

use pos_core::vault::{FileVault, SecretVault};

use super::payments::Counter;

/// Runs `invoke(command, args)` in the current browsing context and says
/// whether the core allowed it.
async fn try_invoke(counter: &Counter, command: &str, args: serde_json::Value) -> String {
    let script = "const [cmd, args] = arguments; \
        if (!window.__TAURI_INTERNALS__) return 'no ipc'; \
        return window.__TAURI_INTERNALS__.invoke(cmd, args).then(r => 'allowed ' + JSON.stringify(r), e => 'refused ' + JSON.stringify(e));";
    let answer = counter.app.client().execute(script, vec![command.into(), args]).await.unwrap();
    answer.as_str().unwrap_or_default().to_string()
}

async fn ipc_json(counter: &Counter, command: &str, args: serde_json::Value) -> String {
    let answer = try_invoke(counter, command, args).await;
    assert!(answer.starts_with("allowed"), "{command}: {answer}");
    answer
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn the_checkout_window_may_only_run_its_payment_steps_and_bkash_frame_gets_no_ipc() {
    let counter = Counter::open("security_capabilities").await;
    // The main window cannot drive a checkout itself.
    for command in ["checkout_create", "checkout_execute", "checkout_context"] {
        let answer = try_invoke(&counter, command, serde_json::json!({})).await;
        assert!(answer.starts_with("refused") && answer.contains("not allowed"), "main window {command}: {answer}");
    }
    counter.ring_up_and_pay("75").await;
    counter.to_checkout_window().await;
    counter.app.wait_for("#bKashFrame[src*='/frame/checkout/']").await;
    // The checkout window: none of the main window's commands.
    for (command, args) in [
        ("app_info", serde_json::json!({})),
        ("get_settings", serde_json::json!({})),
        ("pay", serde_json::json!({"orderId": "X-1", "amountPoisha": 100})),
        ("recovery_status", serde_json::json!({})),
        ("restart_app", serde_json::json!({})),
    ] {
        let answer = try_invoke(&counter, command, args).await;
        assert!(answer.starts_with("refused") && answer.contains("not allowed"), "checkout window {command}: {answer}");
    }
    // It may read its own payment's context, and only that.
    let context = try_invoke(&counter, "checkout_context", serde_json::json!({})).await;
    assert!(context.starts_with("allowed") && context.contains("\"amount\":\"75.00\""), "{context}");
    // bKash's frame is a remote origin: no IPC reaches the core from it.
    counter.enter_bkash_frame().await;
    let from_frame = try_invoke(&counter, "checkout_execute", serde_json::json!({})).await;
    assert!(from_frame == "no ipc" || from_frame.starts_with("refused"), "bKash's frame: {from_frame}");
    counter.to_main().await;
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn after_a_full_payment_no_secret_is_in_the_log_journal_store_file_or_any_ipc_answer() {
    let counter = Counter::open("security_secrets").await;
    counter.ring_up_and_pay("310").await;
    counter.customer_pays("01770618575").await;
    counter.wait_for_panel("paid").await;
    let row = counter.only_payment();

    // The secrets of this run: the credentials, and the token pair bKash issued.
    let data = counter.app.home.app_data();
    let config_dir = counter.app.home.root.join("config").join(super::APP_ID);
    let vault = FileVault::open(&data, &config_dir);
    let tokens = vault.get("bkash-tokens.training").unwrap().expect("the token pair was kept in the vault");
    let tokens: serde_json::Value = serde_json::from_str(tokens.expose()).unwrap();
    let mut secrets = vec!["hWD@8vtzw0".to_string(), "1vggbqd4hqk9g96o9rrrp2jftvek578v7d2bnerim12a87dbrrka".to_string()];
    for key in ["id_token", "refresh_token"] {
        secrets.push(tokens[key].as_str().expect("a token").to_string());
    }

    let mut places: Vec<(String, Vec<u8>)> = vec![("log".into(), counter.app.home.log_text().into_bytes())];
    for file in ["training-journal.sqlite3", "training-journal.sqlite3-wal", "settings.json", FileVault::FILE_NAME] {
        if let Ok(bytes) = std::fs::read(data.join(file)) {
            places.push((file.into(), bytes));
        }
    }
    // Settings are behind the manager PIN: open the session first.
    ipc_json(&counter, "manager_set_pin", serde_json::json!({"pin": "4831"})).await;
    let payment_args = serde_json::json!({"id": row.id});
    for (command, args) in [
        ("app_info", serde_json::json!({})),
        ("get_settings", serde_json::json!({})),
        ("payment", payment_args),
        ("recovery_status", serde_json::json!({})),
        ("bkash_status", serde_json::json!({})),
    ] {
        places.push((format!("IPC {command}"), ipc_json(&counter, command, args).await.into_bytes()));
    }
    assert!(places.iter().any(|(name, _)| name == FileVault::FILE_NAME), "the sealed vault exists");
    for (place, bytes) in &places {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret ({}…) appears in {place}", &secret[..4]);
        }
    }
    // The vault and its key are readable by the owner only.
    use std::os::unix::fs::PermissionsExt;
    for file in [data.join(FileVault::FILE_NAME), config_dir.join(FileVault::KEY_FILE_NAME)] {
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600, "{}", file.display());
    }
    counter.app.close().await;
}
