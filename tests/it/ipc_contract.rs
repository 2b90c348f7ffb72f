//! The contract between the webview and the core: the error shape every
//! command returns, which window may call which command, and the TypeScript
//! mirrors in `ui/src/ipc.ts` matching the Rust types field for field.

use std::collections::{BTreeMap, BTreeSet};

use bkash_pos::app::{AppInfo, CheckoutContext, CheckoutCreated, CommandError, SaveOutcome, SettingsView, COMMANDS};
use bkash_pos::bkash::Amount;
use bkash_pos::journal::PaymentRow;
use bkash_pos::payment::{PaymentState, PaymentView};
use bkash_pos::reconcile::{RecoveryEntry, RecoverySnapshot};
use bkash_pos::settings::{CredentialsForm, CredentialsSummary, FieldError, Settings};
use serde_json::Value;

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn every_command_error_reaches_the_ui_as_exactly_code_and_message() {
    let error = CommandError::new("payments_stopped", "Payments are stopped: the journal is damaged");
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        serde_json::json!({"code": "payments_stopped", "message": "Payments are stopped: the journal is damaged"})
    );
}

fn capability(file: &str) -> (Vec<String>, Vec<String>) {
    let json: Value = serde_json::from_str(&repo_file(&format!("capabilities/{file}"))).unwrap();
    let list = |key: &str| json[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    (list("windows"), list("permissions"))
}

#[test]
fn each_command_is_granted_to_exactly_one_window_and_checkout_steps_only_to_the_checkout_window() {
    let handled = repo_file("src-tauri/app/mod.rs");
    let handler = handled.split("generate_handler![").nth(1).unwrap().split(']').next().unwrap();
    let handled: Vec<&str> = handler.split(',').map(|c| c.trim().trim_start_matches("commands::")).filter(|c| !c.is_empty()).collect();
    assert_eq!(handled, COMMANDS, "the invoke handler serves exactly the commands that have permissions");
    let (main_windows, main) = capability("main.json");
    let (checkout_windows, checkout) = capability("checkout.json");
    assert_eq!((main_windows, checkout_windows), (vec!["main".to_string()], vec![bkash_pos::app::CHECKOUT_LABEL.to_string()]));
    for command in COMMANDS {
        let permission = format!("allow-{}", command.replace('_', "-"));
        let granted_to: Vec<&str> = [("main", &main), ("checkout", &checkout)]
            .into_iter()
            .filter(|(_, permissions)| permissions.contains(&permission))
            .map(|(window, _)| window)
            .collect();
        let expected = if command.starts_with("checkout_") { ["checkout"] } else { ["main"] };
        assert_eq!(granted_to, expected, "{command}");
    }
    assert!(
        checkout.iter().all(|p| p.starts_with("allow-checkout-")),
        "the checkout window gets no core or plugin permission: {checkout:?}"
    );
    let remote: Value = serde_json::from_str(&repo_file("capabilities/checkout.json")).unwrap();
    assert!(remote.get("remote").is_none(), "no remote origin (bKash's frame) gets IPC");
}

/// `interface Name { field: type; … }` blocks of ui/src/ipc.ts, as field sets.
fn typescript_interfaces() -> BTreeMap<String, BTreeSet<String>> {
    let source = repo_file("ui/src/ipc.ts");
    let mut interfaces = BTreeMap::new();
    for block in source.split("export interface ").skip(1) {
        let name = block.split_whitespace().next().unwrap().to_string();
        let body = block.split('{').nth(1).unwrap().split("\n}").next().unwrap();
        let fields = body
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("/**") && !line.starts_with('*') && !line.starts_with("//") && line.contains(':'))
            .map(|line| line.split(':').next().unwrap().trim_end_matches('?').to_string())
            .collect();
        interfaces.insert(name, fields);
    }
    interfaces
}

fn keys(value: impl serde::Serialize) -> BTreeSet<String> {
    serde_json::to_value(value).unwrap().as_object().unwrap().keys().cloned().collect()
}

fn sample_row() -> PaymentRow {
    PaymentRow {
        id: 1,
        order_id: "S-1".into(),
        invoice: "C1-1".into(),
        amount_poisha: 100,
        state: PaymentState::Completed,
        payment_id: Some("TR1".into()),
        trx_id: Some("ABC".into()),
        customer_msisdn: Some("01770618575".into()),
        bkash_code: None,
        bkash_message: None,
        cause: None,
        counter_id: Some("C1".into()),
        cashier: None,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        settled_at: Some(chrono::Utc::now()),
    }
}

#[test]
fn the_typescript_types_in_ipc_ts_mirror_the_rust_types_field_for_field() {
    let ts = typescript_interfaces();
    let entry = RecoveryEntry { id: 1, order_id: "S-1".into(), amount_poisha: 100, state: "completed", trx_id: None };
    let rust: Vec<(&str, BTreeSet<String>)> = vec![
        (
            "AppInfo",
            keys(AppInfo {
                version: "0",
                environment: "training",
                moves_real_money: false,
                shop_name: String::new(),
                counter_id: String::new(),
                log_dir: String::new(),
                payments_stopped: None,
                settings_problem: None,
                secrets_kept_in: String::new(),
            }),
        ),
        ("CommandError", keys(CommandError::new("x", "y"))),
        ("PaymentView", keys(PaymentView::from(&sample_row()))),
        ("RecoveryEntry", keys(&entry)),
        (
            "TokenStatus",
            keys(bkash_pos::bkash::TokenStatus {
                calls_in_last_hour: 1,
                budget_per_hour: 2,
                paused_until: None,
                paused_because: None,
                token_rejected: false,
            }),
        ),
        ("RecoverySnapshot", keys(RecoverySnapshot { checking: vec![entry.clone()], resolved: vec![] })),
        ("Settings", keys(Settings::default())),
        ("CredentialsSummary", keys(CredentialsSummary { stored: false, username: String::new(), app_key: String::new() })),
        (
            "SettingsView",
            keys(SettingsView {
                settings: Settings::default(),
                credentials: CredentialsSummary { stored: false, username: String::new(), app_key: String::new() },
                secrets_kept_in: String::new(),
            }),
        ),
        ("FieldError", keys(FieldError { field: "x", message: String::new() })),
        ("SaveOutcome", keys(SaveOutcome { saved: true, problems: vec![], restart_needed: false })),
        (
            "CheckoutContext",
            keys(CheckoutContext {
                script_url: String::new(),
                amount: Amount::from_poisha(100),
                invoice: String::new(),
                shop_name: String::new(),
                csp: String::new(),
            }),
        ),
        (
            "CheckoutCreated",
            keys(CheckoutCreated {
                payment_id: String::new(),
                create_time: String::new(),
                org_name: None,
                transaction_status: String::new(),
                amount: Amount::from_poisha(100),
                currency: String::new(),
                intent: String::new(),
                merchant_invoice_number: String::new(),
            }),
        ),
    ];
    let summary = bkash_pos::report::DaySummary::default();
    let refund = bkash_pos::report::RefundView {
        id: 1,
        amount_poisha: 1,
        sku: String::new(),
        reason: String::new(),
        state: "completed".into(),
        refund_trx_id: None,
        bkash_code: None,
    };
    let event = bkash_pos::report::EventView {
        at: String::new(),
        kind: String::new(),
        from_state: None,
        to_state: None,
        bkash_code: None,
        bkash_message: None,
        detail: None,
    };
    let report_row = bkash_pos::report::ReportRow::from(&sample_row());
    let group = bkash_pos::report::GroupTotal { name: "C1".into(), completed: summary.completed };
    let eod = bkash_pos::report::EndOfDay {
        number: 1,
        day: String::new(),
        closed_at: String::new(),
        shop_name: String::new(),
        summary: summary.clone(),
        by_counter: vec![group.clone()],
        by_cashier: vec![],
        carried_over: vec![],
        corrections: vec![],
    };
    let mut rust = rust;
    rust.extend([
        ("ManagerStatus", keys(bkash_pos::manager_pin::ManagerStatus { pin_set: true, unlocked: false })),
        ("Tally", keys(summary.completed)),
        ("DaySummary", keys(&summary)),
        (
            "DayPage",
            keys(bkash_pos::report::DayPage {
                summary: summary.clone(),
                rows: vec![],
                total: 0,
                page: 0,
                page_size: 50,
                hourly_poisha: vec![],
            }),
        ),
        ("EventView", keys(&event)),
        ("ReportRow", keys(&report_row)),
        ("GroupTotal", keys(&group)),
        ("Correction", keys(bkash_pos::report::Correction { closed_in: 1, payment: report_row.clone() })),
        ("EndOfDay", keys(&eod)),
        ("EodView", keys(bkash_pos::app::EodView { closed: true, report: eod.clone() })),
        ("ResolveOutcome", keys(bkash_pos::app::ResolveOutcome { verified: true, payment: PaymentView::from(&sample_row()) })),
        ("RefundView", keys(&refund)),
        (
            "History",
            keys(bkash_pos::report::History {
                payment: PaymentView::from(&sample_row()),
                events: vec![event.clone()],
                refunds: vec![refund.clone()],
                refundable_poisha: 0,
            }),
        ),
    ]);
    for (name, fields) in rust {
        assert_eq!(ts.get(name), Some(&fields), "ui/src/ipc.ts `{name}` differs from the Rust type");
    }
    // CredentialsForm only travels to Rust, which refuses unknown fields.
    let form: serde_json::Map<String, Value> = ts["CredentialsForm"].iter().map(|f| (f.clone(), Value::String("x".into()))).collect();
    serde_json::from_value::<CredentialsForm>(Value::Object(form)).expect("every CredentialsForm field is one Rust knows");
    let sample = |fields: &BTreeSet<String>, value: &dyn Fn(&str) -> Value| -> Value {
        Value::Object(fields.iter().map(|f| (f.clone(), value(f))).collect())
    };
    let query = sample(&ts["DayQuery"], &|f| {
        if f == "page" {
            0.into()
        } else if f == "date" {
            "2026-11-25".into()
        } else {
            Value::Null
        }
    });
    serde_json::from_value::<bkash_pos::app::DayQuery>(query).expect("DayQuery's TypeScript fields are Rust's");
    let request = sample(&ts["RefundRequest"], &|f| if f == "id" || f == "amountPoisha" { 1.into() } else { "x".into() });
    serde_json::from_value::<bkash_pos::app::RefundRequest>(request).expect("RefundRequest's TypeScript fields are Rust's");
    let resolve = sample(&ts["ResolveRequest"], &|f| if f == "id" { 1.into() } else { "x".into() });
    serde_json::from_value::<bkash_pos::app::ResolveRequest>(resolve).expect("ResolveRequest's TypeScript fields are Rust's");
}
