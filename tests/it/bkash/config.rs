use pos_core::bkash::{BkashConfig, Credentials};
use pos_core::money::Secret;

fn creds() -> Credentials {
    Credentials { username: "shop".into(), password: Secret::new("pw-9f3k"), app_key: "key".into(), app_secret: Secret::new("secret-77x") }
}

#[test]
fn presets_point_at_bkash_and_pass_validation() {
    let sandbox = BkashConfig::sandbox(creds());
    assert_eq!(sandbox.base_url, "https://checkout.sandbox.bka.sh/v1.2.0-beta");
    assert!(sandbox.script_url.ends_with("/checkout/bKash-checkout-sandbox.js"));
    sandbox.validate().unwrap();
    let production = BkashConfig::production(creds());
    assert_eq!(production.base_url, "https://checkout.pay.bka.sh/v1.2.0-beta");
    production.validate().unwrap();
    pos_core::bkash::training_config("http://127.0.0.1:4000").validate().unwrap();
    assert_eq!(production.timeout, std::time::Duration::from_secs(30));
}

#[test]
fn bad_settings_are_refused_with_the_setting_named() {
    type Change = Box<dyn Fn(&mut BkashConfig)>;
    let cases: Vec<(Change, &str, &str)> = vec![
        (Box::new(|c| c.base_url = "not a url".into()), "base_url", "is not a URL"),
        (Box::new(|c| c.base_url = "http://checkout.pay.bka.sh/v1.2.0-beta".into()), "base_url", "must use https"),
        (Box::new(|c| c.script_url = "ftp://x/y.js".into()), "script_url", "https URL"),
        (Box::new(|c| c.base_url = "https://u:p@x.example/v1".into()), "base_url", "user name"),
        (Box::new(|c| c.credentials.username = " ".into()), "username", "must not be empty"),
        (Box::new(|c| c.credentials.password = Secret::new("")), "password", "must not be empty"),
        (Box::new(|c| c.credentials.app_key = String::new()), "app_key", "must not be empty"),
        (Box::new(|c| c.credentials.app_secret = Secret::new("")), "app_secret", "must not be empty"),
        (Box::new(|c| c.timeout = std::time::Duration::ZERO), "timeout", "between"),
    ];
    for (change, setting, text) in cases {
        let mut config = BkashConfig::production(creds());
        change(&mut config);
        let error = config.validate().unwrap_err();
        assert_eq!(error.setting, setting, "{error}");
        assert!(error.to_string().contains(text), "{error}");
    }
}

#[test]
fn debug_output_never_shows_a_password_or_secret() {
    let text = format!("{:?}", BkashConfig::production(creds()));
    assert!(!text.contains("pw-9f3k") && !text.contains("secret-77x"), "{text}");
    assert!(text.contains("<redacted>"));
}
