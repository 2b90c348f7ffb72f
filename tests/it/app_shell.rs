use bkash_pos::app::CommandError;
use bkash_pos::bkash::Environment;

#[test]
fn command_errors_reach_the_ui_as_code_and_message_only() {
    let error = CommandError::new("journal_locked", "The payment journal is in use by another program.");
    let json = serde_json::to_value(&error).unwrap();
    assert_eq!(json, serde_json::json!({"code": "journal_locked", "message": "The payment journal is in use by another program."}));
}

#[test]
fn training_is_the_default_environment_and_moves_no_real_money() {
    assert_eq!(Environment::default(), Environment::Training);
    assert!(!Environment::Training.moves_real_money());
    assert!(!Environment::Sandbox.moves_real_money());
    assert!(Environment::Production.moves_real_money());
}
