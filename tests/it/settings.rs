//! Settings checked field by field, and the `SecretVault` fallback file.

use pos_core::bkash::origins::{checkout_csp, frame_origin_allowed, script_host_allowed};
use pos_core::bkash::{Credentials, Environment};
use pos_core::money::{PayAt, Product, Secret};
use pos_core::print::{PaperWidth, PrinterKind};
use pos_core::settings::{merge_credentials, CredentialsForm, Settings, StoreSettings};
use pos_core::store::TlsMode;
use pos_core::vault::{FileVault, SecretVault};

fn fields(settings: &Settings) -> Vec<&'static str> {
    settings.check().into_iter().map(|p| p.field).collect()
}

#[test]
fn the_defaults_are_valid_and_mean_training() {
    let settings = Settings::default();
    assert!(settings.check().is_empty());
    assert_eq!(settings.environment, Environment::Training);
}

#[test]
fn every_bad_setting_is_named_with_its_field() {
    let bad = Settings {
        shop_name: "  ".into(),
        counter_id: "C-1 <x>".into(),
        timeout_secs: 0,
        connect_timeout_secs: 600,
        base_url: Some("ftp://checkout.pay.bka.sh".into()),
        script_url: Some("https://evil.example/bKash-checkout.js".into()),
        environment: Environment::Production,
        product: Product::Tokenized,
        callback_url: Some("http://shop.example/bkash".into()),
        pay_at: PayAt::Phone,
        phone_timeout_secs: 20,
        customer_display: true,
        training_phone_access: true,
        printer: PrinterKind::Escpos,
        cups_printer: None,
        escpos_address: Some("/etc/passwd".into()),
        paper: PaperWidth::Mm58,
        print_automatically: true,
        open_drawer: true,
        start_on_login: false,
        lock_after_idle_minutes: 0,
        // Plain TCP to a store database on another PC.
        store: Some(StoreSettings {
            host: "192.168.1.20".into(),
            port: 5432,
            database: "shop".into(),
            user: "counter".into(),
            tls: TlsMode::Off,
            ca_file: None,
            store_id: "dhanmondi".into(),
        }),
    };
    assert_eq!(
        fields(&bad),
        [
            "shopName",
            "counterId",
            "timeoutSecs",
            "connectTimeoutSecs",
            "baseUrl",
            "scriptUrl",
            "callbackUrl",
            "phoneTimeoutSecs",
            "lockAfterIdleMinutes",
            "trainingPhoneAccess",
            "storeTls",
            "escposAddress"
        ]
    );
    let cups_without_a_printer = Settings { printer: PrinterKind::Cups, ..Default::default() };
    assert_eq!(fields(&cups_without_a_printer), ["cupsPrinter"]);
    let escpos = Settings { printer: PrinterKind::Escpos, escpos_address: Some("192.168.1.50".into()), ..Default::default() };
    assert!(escpos.check().is_empty());
    assert_eq!(escpos.escpos_setup().unwrap().address.to_string(), "192.168.1.50:9100");
    let phone_with_checkout = Settings { pay_at: PayAt::Phone, product: Product::Checkout, ..Default::default() };
    let problems = phone_with_checkout.check();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "payAt");
    assert!(problems[0].message.contains("Tokenized"), "the shop is told why: {problems:?}");
    assert!(Settings { pay_at: PayAt::Phone, product: Product::Tokenized, ..Default::default() }.check().is_empty());
    let plain_http = Settings {
        base_url: Some("http://checkout.pay.bka.sh/v1.2.0-beta".into()),
        environment: Environment::Production,
        ..Default::default()
    };
    let problems = plain_http.check();
    assert!(problems[0].message.contains("https"), "{problems:?}");
    let loopback_training = Settings { base_url: Some("http://127.0.0.1:9/v1.2.0-beta".into()), ..Default::default() };
    assert!(loopback_training.check().is_empty(), "Training may use a local simulator over http");
}

#[test]
fn settings_files_with_unknown_or_mistyped_fields_are_refused_not_guessed() {
    assert!(serde_json::from_str::<Settings>(r#"{"environment":"production","timeoutSecs":"30"}"#).is_err());
    assert!(serde_json::from_str::<Settings>(r#"{"enviroment":"production"}"#).is_err());
    assert!(serde_json::from_str::<Settings>(r#"{"environment":"live"}"#).is_err());
    let partial: Settings = serde_json::from_str(r#"{"shopName":"Rahim Store"}"#).unwrap();
    assert_eq!((partial.shop_name.as_str(), partial.environment), ("Rahim Store", Environment::Training));
}

#[test]
fn sandbox_and_production_need_stored_credentials() {
    let production = Settings { environment: Environment::Production, ..Default::default() };
    let missing = production.bkash_config(None, None).unwrap_err();
    assert_eq!(missing.field, "credentials");
    let credentials = Credentials { username: "u".into(), password: Secret::new("p"), app_key: "k".into(), app_secret: Secret::new("s") };
    let config = production.bkash_config(Some(credentials), None).unwrap();
    assert_eq!(config.base_url, "https://checkout.pay.bka.sh/v1.2.0-beta");
    assert_eq!(config.timeout.as_secs(), 30);
}

#[test]
fn a_credentials_form_keeps_stored_values_for_empty_fields_and_names_missing_ones() {
    let stored = Credentials {
        username: "shop".into(),
        password: Secret::new("old-pass"),
        app_key: "key".into(),
        app_secret: Secret::new("old-secret"),
    };
    let form = CredentialsForm { password: Secret::new("new-pass"), ..Default::default() };
    let merged = merge_credentials(&form, Some(&stored)).unwrap();
    assert_eq!((merged.username.as_str(), merged.password.expose(), merged.app_secret.expose()), ("shop", "new-pass", "old-secret"));
    let missing: Vec<_> = merge_credentials(&CredentialsForm::default(), None).unwrap_err().into_iter().map(|p| p.field).collect();
    assert_eq!(missing, ["username", "password", "appKey", "appSecret"]);
}

#[test]
fn the_checkout_page_may_load_bkash_only_from_the_configured_script_origin() {
    let training = Settings::default().bkash_config(None, Some("http://127.0.0.1:4321")).unwrap();
    assert_eq!(training.script_url, "http://localhost:4321/versions/1.2.0-beta/checkout/bKash-checkout-sandbox.js");
    let csp = checkout_csp(&training);
    assert!(csp.contains("script-src 'self' http://localhost:4321;") && csp.contains("frame-src http://localhost:4321;"), "{csp}");
    assert!(!csp.contains("bka.sh") && !csp.contains("unsafe-eval"), "{csp}");
    assert!(frame_origin_allowed("http://localhost:4321/frame/checkout/TR1", &training));
    assert!(!frame_origin_allowed("http://localhost:9999/frame", &training));
    assert!(!frame_origin_allowed("https://checkout.pay.bka.sh/", &training), "Training never talks to real bKash");

    let sandbox = pos_core::bkash::BkashConfig::sandbox(Credentials {
        username: "u".into(),
        password: Secret::new("p"),
        app_key: "k".into(),
        app_secret: Secret::new("s"),
    });
    assert!(checkout_csp(&sandbox).contains("script-src 'self' https://scripts.sandbox.bka.sh https://*.bka.sh;"));
    assert!(frame_origin_allowed("https://payment.sandbox.bka.sh/x", &sandbox));
    assert!(!frame_origin_allowed("https://bka.sh.evil.example/x", &sandbox));
    assert!(!frame_origin_allowed("http://payment.sandbox.bka.sh/x", &sandbox), "never plain http outside Training");
}

#[test]
fn a_script_url_must_be_one_the_app_wide_csp_admits() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json")).unwrap()).unwrap();
    let script_src = conf["app"]["security"]["csp"]["script-src"].as_str().unwrap();
    for source in ["https://*.bka.sh", "http://127.0.0.1:*", "http://localhost:*"] {
        assert!(script_src.contains(source), "tauri.conf.json script-src lacks {source}");
    }
    assert!(script_host_allowed(pos_core::bkash::SANDBOX_SCRIPT_URL));
    assert!(script_host_allowed(pos_core::bkash::PRODUCTION_SCRIPT_URL));
    assert!(script_host_allowed("http://localhost:5000/x.js"));
    assert!(!script_host_allowed("https://cdn.example/x.js"));
    assert!(!script_host_allowed("http://scripts.pay.bka.sh/x.js"));
}

#[test]
fn the_fallback_vault_seals_secrets_in_an_owner_only_file_and_detects_tampering() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (data, keys) = (dir.path().join("data"), dir.path().join("config"));
    let vault = FileVault::open(&data, &keys);
    assert_eq!(vault.get("x").unwrap(), None, "an absent vault is empty");
    vault.set("bkash-credentials.production", &Secret::new("app-secret-value-123")).unwrap();
    vault.set("other", &Secret::new("two")).unwrap();
    assert_eq!(vault.get("bkash-credentials.production").unwrap().unwrap().expose(), "app-secret-value-123");

    let sealed = std::fs::read(vault.path()).unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("app-secret-value-123"), "never plaintext on disk");
    assert_eq!(std::fs::metadata(vault.path()).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(keys.join(FileVault::KEY_FILE_NAME)).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777, 0o700);

    // Reopened (a restart) it reads the same; deleted keys are gone.
    let again = FileVault::open(&data, &keys);
    again.delete("other").unwrap();
    assert_eq!(again.get("other").unwrap(), None);
    assert_eq!(again.get("bkash-credentials.production").unwrap().unwrap().expose(), "app-secret-value-123");

    // One flipped byte: refused with the file named, never half-read.
    let mut tampered = std::fs::read(vault.path()).unwrap();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    std::fs::write(vault.path(), &tampered).unwrap();
    let error = again.get("bkash-credentials.production").unwrap_err().to_string();
    assert!(error.contains("secrets.vault") && error.contains("changed"), "{error}");
    assert!(!error.contains("app-secret"), "{error}");
}

/// A private D-Bus session bus with GNOME Keyring's Secret Service on it,
/// unlocked with a test password: the OS keyring the app uses on a desktop.
struct DesktopKeyring {
    dbus: std::process::Child,
    address: String,
    home: tempfile::TempDir,
}

impl DesktopKeyring {
    fn start() -> Self {
        use std::io::{BufRead, BufReader, Write};
        use std::process::{Command, Stdio};
        let home = tempfile::tempdir().unwrap();
        let runtime = home.path().join("runtime");
        std::fs::create_dir_all(&runtime).unwrap();
        std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        let mut dbus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian package `dbus`)");
        let mut address = String::new();
        BufReader::new(dbus.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_string();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--daemonize"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (Debian package `gnome-keyring`)");
        keyring.stdin.take().unwrap().write_all(b"test-login-password").unwrap();
        assert!(keyring.wait().unwrap().success(), "gnome-keyring-daemon did not start");
        Self { dbus, address, home }
    }
}

impl Drop for DesktopKeyring {
    fn drop(&mut self) {
        // The keyring daemon exits with its bus.
        let _ = self.dbus.kill();
        let _ = self.dbus.wait();
    }
}

#[test]
fn with_a_desktop_keyring_running_secrets_go_to_the_keyring_and_nothing_to_disk() {
    let keyring = DesktopKeyring::start();
    // The vault reads the session bus from the environment, which a test must
    // not change for its siblings: the check runs in a child process.
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["settings::keyring_child_process_entry_point", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("DBUS_SESSION_BUS_ADDRESS", &keyring.address)
        .env("KEYRING_TEST_DIR", keyring.home.path())
        .env_remove("BKASH_POS_VAULT")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("KEYRING-OK"), "child: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
#[ignore = "a child process of with_a_desktop_keyring_running_secrets_go_to_the_keyring_and_nothing_to_disk"]
fn keyring_child_process_entry_point() {
    let Ok(dir) = std::env::var("KEYRING_TEST_DIR") else { return };
    let dir = std::path::PathBuf::from(dir);
    let (data, keys) = (dir.join("app-data"), dir.join("app-config"));
    let vault = pos_core::vault::open_vault("bd.counterpos.bkash.test", &data, &keys);
    assert!(vault.describe().contains("OS keyring"), "{}", vault.describe());
    vault.set("bkash-credentials.sandbox", &Secret::new("keyring-secret-42")).unwrap();
    assert_eq!(vault.get("bkash-credentials.sandbox").unwrap().unwrap().expose(), "keyring-secret-42");
    // A second handle (a restart) finds it too.
    let again = pos_core::vault::open_vault("bd.counterpos.bkash.test", &data, &keys);
    assert_eq!(again.get("bkash-credentials.sandbox").unwrap().unwrap().expose(), "keyring-secret-42");
    again.delete("bkash-credentials.sandbox").unwrap();
    assert_eq!(again.get("bkash-credentials.sandbox").unwrap(), None);
    assert!(!data.join(FileVault::FILE_NAME).exists() && !keys.exists(), "nothing was written to disk by the app");
    println!("KEYRING-OK");
}

#[test]
fn each_product_has_its_own_credentials_host_and_rules() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("data"), &dir.path().join("config"));
    let checkout =
        Credentials { username: "shop".into(), password: Secret::new("p1"), app_key: "k1".into(), app_secret: Secret::new("s1") };
    pos_core::settings::store_credentials(&vault, Environment::Sandbox, Product::Checkout, &checkout).unwrap();
    let tokenized_settings = Settings {
        environment: Environment::Sandbox,
        product: Product::Tokenized,
        callback_url: Some("https://shop.example/bkash/callback".into()),
        ..Default::default()
    };
    let stored = pos_core::settings::load_credentials(&vault, Environment::Sandbox, Product::Tokenized).unwrap();
    assert_eq!(stored, None, "Checkout's credentials are not Tokenized's");
    let missing = tokenized_settings.bkash_config(stored, None).unwrap_err();
    assert_eq!(missing.field, "credentials");
    assert!(missing.message.contains("tokenized"), "{}", missing.message);

    let tokenized = Credentials { username: "shop-t".into(), ..checkout.clone() };
    pos_core::settings::store_credentials(&vault, Environment::Sandbox, Product::Tokenized, &tokenized).unwrap();
    let stored = pos_core::settings::load_credentials(&vault, Environment::Sandbox, Product::Tokenized).unwrap();
    let config = tokenized_settings.bkash_config(stored, None).unwrap();
    assert_eq!((config.product, config.base_url.as_str()), (Product::Tokenized, "https://tokenized.sandbox.bka.sh/v1.2.0-beta"));
    assert_eq!(config.credentials.username, "shop-t");
    assert_eq!(pos_core::settings::load_credentials(&vault, Environment::Sandbox, Product::Checkout).unwrap(), Some(checkout));

    let no_callback = Settings { callback_url: None, ..tokenized_settings.clone() };
    let creds = pos_core::settings::load_credentials(&vault, Environment::Sandbox, Product::Tokenized).unwrap();
    assert_eq!(no_callback.bkash_config(creds, None).unwrap_err().field, "callbackUrl", "bKash needs somewhere to return the customer");
    let training = Settings { product: Product::Tokenized, ..Default::default() };
    let config = training.bkash_config(None, Some("http://127.0.0.1:9")).unwrap();
    assert_eq!(config.callback_url, pos_core::bkash::TRAINING_CALLBACK_URL, "Training can practise Tokenized out of the box");
}

#[test]
fn start_on_login_writes_an_xdg_autostart_entry_that_starts_this_binary_and_removes_it_when_turned_off() {
    let config = tempfile::tempdir().unwrap();
    let exec = std::path::Path::new("/opt/bKash POS/bin/bkash-pos");
    pos_core::autostart::set(config.path(), true, exec).unwrap();
    let entry = std::fs::read_to_string(config.path().join("autostart/bd.counterpos.bkash.desktop")).unwrap();
    assert!(entry.starts_with("[Desktop Entry]\nType=Application\n"), "{entry}");
    assert!(entry.contains("Exec=\"/opt/bKash POS/bin/bkash-pos\"\n"), "a path with spaces still starts the app: {entry}");
    pos_core::autostart::set(config.path(), true, exec).unwrap();
    pos_core::autostart::set(config.path(), false, exec).unwrap();
    assert!(!pos_core::autostart::path(config.path()).exists(), "turned off: no entry");
    pos_core::autostart::set(config.path(), false, exec).unwrap();
    assert!(!Settings::default().start_on_login, "off unless the shop turns it on");
}

#[test]
fn the_first_run_setup_is_offered_only_to_a_pc_with_no_settings_and_no_journal() {
    use pos_core::settings::first_start;
    let dir = tempfile::tempdir().unwrap();
    assert!(first_start(dir.path()), "a new PC");
    std::fs::write(dir.path().join("training-journal.sqlite3"), b"").unwrap();
    assert!(!first_start(dir.path()), "a shop's journal from before settings existed is never asked to set up again");
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join(pos_core::settings::SETTINGS_FILE), br#"{"settings":{}}"#).unwrap();
    assert!(!first_start(other.path()), "set up, or skipped (the defaults were saved)");
}
