use pos_core::bkash::Environment;

#[test]
fn training_is_the_default_environment_and_moves_no_real_money() {
    assert_eq!(Environment::default(), Environment::Training);
    assert!(!Environment::Training.moves_real_money());
    assert!(!Environment::Sandbox.moves_real_money());
    assert!(Environment::Production.moves_real_money());
}
