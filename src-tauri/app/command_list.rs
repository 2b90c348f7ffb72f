// The app's commands, shared by build.rs (each becomes an `allow-<name>`
// permission for capabilities/) and by `app` (the invoke handler's list is
// checked against it by tests/it/ipc_contract.rs). Included, not imported:
// build.rs cannot depend on the crate it builds.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "pay",
    "cancel_payment",
    "payment",
    "recovery_status",
    "bkash_status",
    "get_settings",
    "save_settings",
    "restart_app",
    "manager_status",
    "manager_set_pin",
    "manager_unlock",
    "manager_lock",
    "manager_change_pin",
    "day_view",
    "payment_history",
    "refund_payment",
    "check_payment",
    "check_refund",
    "resolve_payment",
    "end_of_day",
    "close_day",
    "export_day",
    "checkout_context",
    "checkout_create",
    "checkout_execute",
    "checkout_cancel",
];
