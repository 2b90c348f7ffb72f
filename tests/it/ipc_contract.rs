//! The contract between the webview and the core: the error shape every
//! command returns and its texts in both languages, which window may call
//! which command, and the TypeScript types generated from the Rust ones.

use std::collections::BTreeSet;

use bkash_pos::app::{CommandError, ErrorCode, COMMANDS};
use serde_json::Value;

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn every_command_error_reaches_the_ui_as_exactly_code_message_and_details() {
    let error = CommandError::detailed(ErrorCode::PaymentsStopped, "the journal is damaged");
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        serde_json::json!({"code": "payments_stopped", "message": "the journal is damaged", "details": {"detail": "the journal is damaged"}})
    );
}

#[test]
fn a_journal_refusal_reads_once_in_the_catalogs_words() {
    let locked =
        pos_core::journal::JournalError::Locked { path: "/data/journal.sqlite3".into(), holder: Some("sqlite3, process 42".into()) };
    let error = serde_json::to_value(CommandError::from(pos_core::payment::PaymentError::Journal(locked))).unwrap();
    let detail = error["details"]["detail"].as_str().unwrap();
    assert!(detail.contains("in use by another program (sqlite3, process 42)"), "{detail}");
    let shown = catalog("en")["error.journal"].as_str().unwrap().replace("{detail}", detail);
    assert_eq!(shown.matches("The payment journal refused").count(), 1, "{shown}");
}

#[test]
fn a_store_error_reaches_the_manager_with_its_cause_not_as_a_store_that_did_not_answer() {
    use pos_core::store::StoreError;
    let cases = [
        (StoreError::NotFound("payment 9 of counter c1".into()), "store_not_found", "The store does not hold this"),
        (StoreError::LoginRefused { user: "shop_counter_c2".into() }, "store_refused", "The store will not take this counter"),
        (
            StoreError::Unreachable { host: "10.0.0.5".into(), port: 5432, cause: "Connection refused".into() },
            "store_unreachable",
            "The store's database did not answer",
        ),
        (StoreError::Database("deadlock detected".into()), "store_failed", "The store's database could not do it"),
    ];
    for (error, code, words) in cases {
        let cause = error.to_string();
        let shown = serde_json::to_value(CommandError::from(error)).unwrap();
        assert_eq!(shown["code"], code, "{cause}");
        let text =
            catalog("en")[&format!("error.{code}")].as_str().unwrap().replace("{detail}", shown["details"]["detail"].as_str().unwrap());
        assert!(text.starts_with(words) && text.ends_with(&cause), "{text}");
        assert!(catalog("bn")[&format!("error.{code}")].as_str().unwrap().contains("{detail}"));
    }
}

#[test]
fn every_line_of_a_payment_s_history_has_words_in_english_and_bangla_not_the_journal_s_names() {
    use pos_core::money::EventKind;
    let (en, bn) = (catalog("en"), catalog("bn"));
    for kind in EventKind::ALL {
        let key = format!("event.{kind}");
        let wanted: BTreeSet<String> = match kind {
            EventKind::Started => ["amount", "invoice"].map(String::from).into(),
            EventKind::Transition | EventKind::Refund => ["from", "to"].map(String::from).into(),
            _ => BTreeSet::new(),
        };
        for (lang, texts) in [("en", &en), ("bn", &bn)] {
            let text = texts.get(&key).and_then(Value::as_str).unwrap_or_else(|| panic!("{lang}.json has no `{key}`"));
            assert_eq!(placeholders(text), wanted, "{lang}.json `{key}`");
            assert!(!text.contains(kind.as_str()), "{lang}.json `{key}` is worded, not the journal's name: {text}");
        }
    }
    let in_catalog: BTreeSet<String> = en.keys().filter_map(|k| k.strip_prefix("event.")).map(str::to_string).collect();
    assert_eq!(in_catalog, EventKind::ALL.iter().map(|k| k.to_string()).collect(), "no stale history words");
}

#[test]
fn every_reason_the_counter_could_not_open_is_worded_in_english_and_bangla_around_its_cause() {
    for kind in pos_core::counter::StartProblemKind::ALL {
        let key = format!("start.{}", serde_json::to_value(kind).unwrap().as_str().unwrap());
        for lang in ["en", "bn"] {
            let text =
                catalog(lang).get(&key).and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| panic!("{lang}.json has no `{key}`"));
            assert_eq!(placeholders(&text), BTreeSet::from(["detail".to_string()]), "{lang}.json `{key}`");
        }
    }
}

fn catalog(lang: &str) -> serde_json::Map<String, Value> {
    serde_json::from_str(&repo_file(&format!("ui/src/i18n/{lang}.json"))).unwrap()
}

/// `{name}` placeholders of a catalog text.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name.to_string()).collect()
}

#[test]
fn every_error_code_the_core_can_return_has_an_english_and_a_bangla_text_with_its_details() {
    let (en, bn) = (catalog("en"), catalog("bn"));
    let mut named = BTreeSet::new();
    for code in ErrorCode::ALL {
        let key = format!("error.{code}");
        let details: BTreeSet<String> = code.details().iter().map(|d| d.to_string()).collect();
        for (lang, texts) in [("en", &en), ("bn", &bn)] {
            let text = texts.get(&key).and_then(Value::as_str).unwrap_or_else(|| panic!("{lang}.json has no `{key}`"));
            assert_eq!(placeholders(text), details, "{lang}.json `{key}` must use exactly the details the core sends");
        }
        assert_ne!(en[&key], bn[&key], "`{key}` is translated, not copied");
        named.insert(code.to_string());
    }
    // Every code serde can produce is listed in ALL (the TypeScript union is generated from the same enum).
    let union = bkash_pos::app::typescript::typescript();
    let line = union.lines().find(|l| l.starts_with("export type ErrorCode")).unwrap();
    let in_union: BTreeSet<String> = line.split('"').skip(1).step_by(2).map(str::to_string).collect();
    assert_eq!(in_union, named, "ErrorCode::ALL lists every variant");
    // No stale catalog entries for codes that no longer exist.
    let in_catalog: BTreeSet<String> = en.keys().filter_map(|k| k.strip_prefix("error.")).map(str::to_string).collect();
    assert_eq!(in_catalog, named, "en.json's error texts are exactly the core's codes");
}

#[test]
fn the_generated_typescript_types_are_those_of_the_rust_types() {
    let generated = bkash_pos::app::typescript::typescript();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(bkash_pos::app::typescript::GENERATED_FILE);
    if std::env::var_os("UPDATE_TS_TYPES").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale: run `UPDATE_TS_TYPES=1 cargo test --test it generated` and commit it",
        bkash_pos::app::typescript::GENERATED_FILE
    );
    for state in ["\"awaiting_customer\"", "\"not_charged\"", "\"requested\"", "\"answer_mismatch\""] {
        assert!(generated.contains(state), "the state unions are generated: {state}");
    }
}

fn capability(file: &str) -> (Vec<String>, Vec<String>) {
    let json: Value = serde_json::from_str(&repo_file(&format!("capabilities/{file}"))).unwrap();
    let list = |key: &str| json[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    (list("windows"), list("permissions"))
}

#[test]
fn each_command_is_granted_to_exactly_one_window_and_checkout_steps_only_to_the_checkout_window_and_the_customer_display_only_reads() {
    let handled = repo_file("src-tauri/app/mod.rs");
    let handler = handled.split("generate_handler![").nth(1).unwrap().split(']').next().unwrap();
    let handled: Vec<&str> = handler.split(',').map(|c| c.trim().rsplit("::").next().unwrap()).filter(|c| !c.is_empty()).collect();
    assert_eq!(handled, COMMANDS, "the invoke handler serves exactly the commands that have permissions");
    let (main_windows, main) = capability("main.json");
    let (checkout_windows, checkout) = capability("checkout.json");
    let (display_windows, display) = capability("customer-display.json");
    assert_eq!(
        (main_windows, checkout_windows, display_windows),
        (vec!["main".to_string()], vec![bkash_pos::app::CHECKOUT_LABEL.to_string()], vec!["customer-display".to_string()])
    );
    for command in COMMANDS {
        let permission = format!("allow-{}", command.replace('_', "-"));
        let granted_to: Vec<&str> = [("main", &main), ("checkout", &checkout), ("display", &display)]
            .into_iter()
            .filter(|(_, permissions)| permissions.contains(&permission))
            .map(|(window, _)| window)
            .collect();
        let expected = match *command {
            c if c.starts_with("checkout_") => ["checkout"],
            "customer_display" => ["display"],
            _ => ["main"],
        };
        assert_eq!(granted_to, expected, "{command}");
    }
    assert_eq!(
        display,
        ["core:event:allow-listen", "core:event:allow-unlisten", "allow-customer-display"],
        "the customer display reads its screen and listens for the next; nothing else"
    );
    assert!(
        checkout.iter().all(|p| p.starts_with("allow-checkout-")),
        "the checkout window gets no core or plugin permission: {checkout:?}"
    );
    let remote: Value = serde_json::from_str(&repo_file("capabilities/checkout.json")).unwrap();
    assert!(remote.get("remote").is_none(), "no remote origin (bKash's frame) gets IPC");
}

#[test]
fn every_command_is_traced_with_its_error_and_none_of_its_arguments() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/app/commands");
    let mut found = BTreeSet::new();
    for file in std::fs::read_dir(&dir).unwrap() {
        let source = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for after in source.split("#[tauri::command]").skip(1) {
            let (attributes, rest) = after.split_once("pub ").unwrap();
            let name = rest.split("fn ").nth(1).unwrap().split(['<', '(']).next().unwrap();
            assert!(
                attributes.contains("#[tracing::instrument(skip_all, err"),
                "`{name}` must be #[tracing::instrument(skip_all, err…)]: its error logged, its arguments (a PIN, a credential) never"
            );
            found.insert(name.to_string());
        }
    }
    assert_eq!(found, COMMANDS.iter().map(|c| c.to_string()).collect(), "every command lives in app/commands/");
}
