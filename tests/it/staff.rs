//! Staff accounts, PIN sign-in and the roles × actions table: PINs are kept
//! only as sealed Argon2id hashes, five wrong tries lock sign-in for a
//! growing time that survives a restart, every action × role pair is tried
//! and each refusal proven, and an action on another's PIN is journaled with
//! both names.

use std::sync::{Arc, Mutex};

use pos_core::journal::{Journal, JournalRead};
use pos_core::money::{Action, Clock, ManualClock, Role, Secret};
use pos_core::staff::{lockout, AccountChange, ManagerStatus, Staff, StaffError, SESSION_IDLE};
use pos_core::vault::{FileVault, SecretVault};

pub(crate) struct Shop {
    pub dir: tempfile::TempDir,
    pub vault: Arc<dyn SecretVault>,
    pub clock: Arc<ManualClock>,
    pub journal: Arc<Mutex<Journal>>,
}

impl Shop {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let vault: Arc<dyn SecretVault> = Arc::new(FileVault::open(&dir.path().join("data"), &dir.path().join("config")));
        let journal = Arc::new(Mutex::new(Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap()));
        Self { dir, vault, clock: Arc::new(ManualClock::default()), journal }
    }

    /// The counter's staff, as a start of the app builds them.
    pub fn staff(&self) -> Staff {
        Staff::new(self.journal.clone(), self.vault.clone(), self.clock.clone() as Arc<dyn Clock>, 5)
    }
}

fn wrong(left: u32) -> impl Fn(&StaffError) -> bool {
    move |e| matches!(e, StaffError::WrongPin { left: l } if *l == left)
}

#[test]
fn the_first_manager_is_made_once_and_each_pin_is_kept_only_sealed_never_as_text_or_a_bare_hash() {
    let shop = Shop::new();
    let staff = shop.staff();
    assert!(matches!(staff.sign_in("1234"), Err(StaffError::WrongPin { .. })), "no account yet: no PIN signs in");
    for bad in ["123", "123456789", "12a4", "", "١٢٣٤"] {
        assert!(matches!(staff.first_manager("Rahim", bad), Err(StaffError::BadPin)), "{bad:?}");
    }
    let rahim = staff.first_manager("Rahim", "4831").unwrap();
    assert_eq!((rahim.name.as_str(), rahim.role), ("Rahim", Role::Manager));
    assert!(matches!(staff.first_manager("Karim", "0000"), Err(StaffError::AlreadySetUp)));
    staff.add_account("Sumi", Role::Cashier, "২৪৬৮").unwrap();
    assert_eq!(staff.sign_in("2468").unwrap().name, "Sumi", "Bengali digits are the same PIN");
    assert!(wrong(4)(&staff.sign_in("4830").unwrap_err()));
    // Neither the journal file nor the vault holds a PIN or a bare hash anyone could try PINs against.
    drop(shop.journal.lock().unwrap());
    let file = std::fs::read(shop.dir.path().join(Journal::FILE_NAME)).unwrap();
    let text = String::from_utf8_lossy(&file);
    assert!(!text.contains("$argon2id$") && !text.contains("4831"), "the journal holds only sealed hashes");
    for key in ["staff.accounts", "staff.pin-lockout"] {
        let kept = shop.vault.get(key).unwrap().map(|s| s.expose().to_string()).unwrap_or_default();
        assert!(!kept.contains("$argon2id$") && !kept.contains("4831") && !kept.contains("2468"), "{key}: {kept}");
    }
}

#[test]
fn two_accounts_never_share_a_pin_since_the_pin_alone_says_who_signs_in() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    assert!(matches!(staff.add_account("Sumi", Role::Cashier, "4831"), Err(StaffError::PinInUse)));
    let sumi = staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    assert!(matches!(
        staff.change_account(sumi.id, AccountChange { pin: Some("4831".into()), ..Default::default() }),
        Err(StaffError::PinInUse)
    ));
    let same_name = staff.add_account("sumi", Role::Cashier, "1357").unwrap_err();
    assert!(same_name.to_string().contains("already called"), "{same_name}");
}

#[test]
fn five_wrong_pins_lock_sign_in_for_a_growing_time_that_a_restart_does_not_reset() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    for left in (1..=4).rev() {
        assert!(wrong(left)(&staff.sign_in("0000").unwrap_err()));
    }
    assert!(matches!(staff.sign_in("0000"), Err(StaffError::Locked { .. })));
    // Locked: even the right PIN is refused, and a restart changes nothing.
    let restarted = shop.staff();
    assert!(matches!(restarted.sign_in("4831"), Err(StaffError::Locked { .. })));
    assert!(matches!(restarted.authorise(Action::Refund, Some("4831"), None), Err(StaffError::Locked { .. })), "nor as an approval");
    shop.clock.advance(chrono::Duration::seconds(31));
    assert!(wrong(4)(&restarted.sign_in("0000").unwrap_err()), "unlocked after 30 s, counting afresh");
    for _ in 0..4 {
        let _ = restarted.sign_in("0000");
    }
    shop.clock.advance(chrono::Duration::seconds(31));
    assert!(matches!(restarted.sign_in("4831"), Err(StaffError::Locked { .. })), "the second lockout lasts longer than the first");
    shop.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(restarted.sign_in("4831").unwrap().name, "Rahim");
    assert_eq!((lockout(0).num_seconds(), lockout(1).num_seconds(), lockout(10).num_seconds()), (30, 60, 3600));
}

#[test]
fn anyone_changes_their_own_pin_only_with_the_current_one() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    assert!(wrong(4)(&staff.change_own_pin("1111", "2468").unwrap_err()));
    assert!(matches!(staff.change_own_pin("4831", "24"), Err(StaffError::BadPin)));
    staff.change_own_pin("4831", "2468").unwrap();
    assert!(matches!(staff.sign_in("4831"), Err(StaffError::WrongPin { .. })));
    assert_eq!(staff.sign_in("2468").unwrap().name, "Rahim");
}

#[test]
fn the_manager_screens_open_with_a_supervisors_pin_and_close_after_ten_idle_minutes_or_on_lock() {
    let shop = Shop::new();
    let staff = shop.staff();
    assert_eq!(staff.manager_status().unwrap(), ManagerStatus { pin_set: false, unlocked: false });
    staff.first_manager("Rahim", "4831").unwrap();
    assert_eq!(staff.manager_status().unwrap(), ManagerStatus { pin_set: true, unlocked: true });
    staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    staff.add_account("Nasrin", Role::Supervisor, "1357").unwrap();
    staff.sign_out();
    assert!(matches!(staff.elevate("2468"), Err(StaffError::NotAllowed { least: Role::Supervisor, .. })), "a cashier's PIN opens nothing");
    assert_eq!(staff.elevate("1357").unwrap(), ManagerStatus { pin_set: true, unlocked: true });
    shop.clock.advance(chrono::Duration::minutes(9));
    staff.authorise(Action::ReadDay, None, None).unwrap();
    shop.clock.advance(chrono::Duration::minutes(9));
    staff.authorise(Action::ReadDay, None, None).unwrap();
    shop.clock.advance(SESSION_IDLE + chrono::Duration::seconds(1));
    assert!(matches!(staff.authorise(Action::ReadDay, None, None), Err(StaffError::NotSignedIn)));
    staff.elevate("1357").unwrap();
    staff.close_elevation();
    assert!(!staff.manager_status().unwrap().unlocked);
}

#[test]
fn every_action_is_allowed_to_exactly_the_roles_the_table_gives_it_and_each_refusal_names_the_role_that_may() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    staff.add_account("Nasrin", Role::Supervisor, "1357").unwrap();
    staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    staff.close_elevation();
    let pins = [(Role::Cashier, "2468"), (Role::Supervisor, "1357"), (Role::Manager, "4831")];
    let mut tried = 0;
    for (role, pin) in pins {
        staff.sign_in(pin).unwrap();
        for action in Action::ALL {
            let answer = staff.authorise(action, None, None);
            match (role.may(action), answer) {
                (true, Ok(actor)) => assert_eq!((actor.by.unwrap().role, actor.approved_by), (role, None)),
                (false, Err(StaffError::NotAllowed { action: refused, least })) => {
                    assert_eq!(refused, action);
                    assert!(least > role && least.may(action), "{action}: {least} may, {role} may not");
                }
                (may, other) => panic!("{role} {action}: the table says {may}, the staff said {other:?}"),
            }
            tried += 1;
        }
    }
    assert_eq!(tried, 3 * Action::ALL.len());
    // The table itself: a cashier sells, takes cash and counts; a refund or a
    // pay-out takes a supervisor; the day, settings and staff a manager.
    let cashier = Role::Cashier.actions();
    assert!(cashier.contains(&Action::Sell) && cashier.contains(&Action::CloseShift) && !cashier.contains(&Action::Refund));
    assert!(!cashier.contains(&Action::ReadShift), "the X report would unblind the count at the close");
    assert!(Role::Supervisor.may(Action::Refund) && !Role::Supervisor.may(Action::CloseDay));
    assert!(Action::ALL.iter().all(|a| Role::Manager.may(*a)));
}

#[test]
fn the_readme_lists_the_same_table_of_actions_and_roles_as_the_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for action in Action::ALL {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{action}` ")))
            .unwrap_or_else(|| panic!("README's roles table has no row for `{action}`"));
        let cells: Vec<&str> = row.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
        let marks: Vec<bool> = cells[cells.len() - 3..].iter().map(|c| *c == "yes").collect();
        let table: Vec<bool> = Role::ALL.iter().map(|r| r.may(action)).collect();
        assert_eq!(marks, table, "README row for `{action}`: {row}");
    }
}

#[test]
fn an_action_beyond_the_cashier_takes_a_supervisors_pin_for_that_one_action_and_the_journal_names_both() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    staff.add_account("Nasrin", Role::Supervisor, "1357").unwrap();
    staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    staff.close_elevation();
    staff.sign_in("2468").unwrap();
    assert!(
        matches!(staff.authorise(Action::Refund, Some("2468"), None), Err(StaffError::NotAllowed { .. })),
        "her own PIN is no approval"
    );
    assert!(matches!(staff.authorise(Action::CloseDay, Some("1357"), None), Err(StaffError::NotAllowed { least: Role::Manager, .. })));
    let actor = staff.authorise(Action::Refund, Some("1357"), Some("payment 7")).unwrap();
    assert_eq!((actor.by.unwrap().name.as_str(), actor.approved_by.unwrap().name.as_str()), ("Sumi", "Nasrin"));
    // For that one action: the next refund asks again.
    assert!(matches!(staff.authorise(Action::Refund, None, None), Err(StaffError::NotAllowed { .. })));
    assert_eq!(staff.status().unwrap().signed_in.unwrap().name, "Sumi", "the cashier is still the one signed in");
    let approvals = shop.journal.lock().unwrap().approvals().unwrap();
    assert_eq!(approvals.len(), 1);
    let a = &approvals[0];
    assert_eq!(
        (a.action, a.by.as_deref(), a.approved_by.as_str(), a.subject.as_deref()),
        (Action::Refund, Some("Sumi"), "Nasrin", Some("payment 7"))
    );
}

#[test]
fn the_counter_locks_after_the_idle_time_and_the_next_pin_signs_in_whoever_it_belongs_to() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    staff.add_account("Babul", Role::Cashier, "1470").unwrap();
    staff.close_elevation();
    staff.sign_in("2468").unwrap();
    shop.clock.advance(chrono::Duration::minutes(4));
    staff.touch();
    shop.clock.advance(chrono::Duration::minutes(4));
    assert!(staff.authorise(Action::Sell, None, None).is_ok(), "a key within the idle time keeps her signed in");
    shop.clock.advance(chrono::Duration::minutes(5));
    assert!(matches!(staff.authorise(Action::Sell, None, None), Err(StaffError::NotSignedIn)), "five idle minutes lock the counter");
    assert_eq!(staff.sign_in("1470").unwrap().name, "Babul");
    assert_eq!(staff.authorise(Action::Sell, None, None).unwrap().by.unwrap().name, "Babul");
}

#[test]
fn a_sealed_pin_moved_to_another_account_or_a_role_raised_with_sqlite3_signs_nobody_in() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    let sumi = staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    // Someone with the file makes the cashier a manager.
    let raw = rusqlite::Connection::open(shop.dir.path().join(Journal::FILE_NAME)).unwrap();
    raw.execute("UPDATE staff SET role = 'manager' WHERE id = ?1", [sumi.id]).unwrap();
    assert!(matches!(staff.sign_in("2468"), Err(StaffError::WrongPin { .. })), "the seal binds the role");
    // ...or copies the cashier's sealed PIN onto the manager's account.
    raw.execute("UPDATE staff SET role = 'cashier' WHERE id = ?1", [sumi.id]).unwrap();
    raw.execute(
        "UPDATE staff SET pin_sealed = (SELECT pin_sealed FROM staff WHERE id = ?1), pin_nonce = (SELECT pin_nonce FROM staff WHERE id = ?1) WHERE id = 1",
        [sumi.id],
    )
    .unwrap();
    let signed = staff.sign_in("2468").unwrap();
    assert_eq!((signed.name.as_str(), signed.role), ("Sumi", Role::Cashier), "her PIN still signs in only her");
}

#[test]
fn the_last_active_manager_cannot_be_disabled_or_demoted_and_a_disabled_account_cannot_sign_in() {
    let shop = Shop::new();
    let staff = shop.staff();
    let rahim = staff.first_manager("Rahim", "4831").unwrap();
    let refused = staff.change_account(rahim.id, AccountChange { role: Some(Role::Cashier), ..Default::default() }).unwrap_err();
    assert!(refused.to_string().contains("at least one active manager"), "{refused}");
    assert!(staff.change_account(rahim.id, AccountChange { active: Some(false), ..Default::default() }).is_err());
    let sumi = staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    staff.sign_in("2468").unwrap();
    staff.change_account(sumi.id, AccountChange { active: Some(false), ..Default::default() }).unwrap();
    assert!(staff.status().unwrap().signed_in.is_none(), "a disabled account is signed out at once");
    assert!(matches!(staff.sign_in("2468"), Err(StaffError::WrongPin { .. })));
    // A role change seals the same PIN again.
    staff.change_account(sumi.id, AccountChange { active: Some(true), role: Some(Role::Supervisor), ..Default::default() }).unwrap();
    assert_eq!(staff.sign_in("2468").unwrap().role, Role::Supervisor);
}

#[test]
fn the_manager_pin_of_an_earlier_version_becomes_the_first_manager_account_once() {
    let shop = Shop::new();
    // What the earlier `ManagerPin` kept in the vault: an Argon2id PHC string and its lockout.
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let phc = argon2::Argon2::default().hash_password(b"4831", &SaltString::generate(&mut OsRng)).unwrap().to_string();
    shop.vault.set("manager-pin", &Secret::new(serde_json::json!({"hash": phc, "failures": 2, "lockouts": 0}).to_string())).unwrap();
    let staff = shop.staff();
    let first = staff.upgrade().unwrap().expect("an account was made");
    assert_eq!((first.name.as_str(), first.role), ("Manager", Role::Manager));
    assert!(shop.vault.get("manager-pin").unwrap().is_none(), "the old entry is gone once the account holds the PIN");
    assert_eq!(staff.sign_in("4831").unwrap().id, first.id, "the same PIN signs in");
    assert!(shop.staff().upgrade().unwrap().is_none(), "a second start makes no second account");
    assert_eq!(shop.journal.lock().unwrap().staff().unwrap().len(), 1);
}

#[test]
fn a_journal_with_no_accounts_takes_the_shops_accounts_from_the_vault_and_a_stopped_counter_still_opens_settings_for_a_manager() {
    let shop = Shop::new();
    let staff = shop.staff();
    staff.first_manager("Rahim", "4831").unwrap();
    staff.add_account("Sumi", Role::Cashier, "2468").unwrap();
    // Another environment's journal (its own file) starts with no accounts.
    let other = Arc::new(Mutex::new(Journal::open(&shop.dir.path().join("production.sqlite3")).unwrap()));
    let there = Staff::new(other.clone(), shop.vault.clone(), shop.clock.clone() as Arc<dyn Clock>, 5);
    there.upgrade().unwrap();
    assert_eq!(there.sign_in("2468").unwrap().name, "Sumi");
    assert_eq!(other.lock().unwrap().staff().unwrap().len(), 2);
    // A journal that cannot be opened: only a manager's PIN opens the manager's screens.
    let stopped = Staff::stopped(shop.vault.clone(), shop.clock.clone() as Arc<dyn Clock>);
    assert!(matches!(stopped.elevate("2468"), Err(StaffError::WrongPin { .. })), "a cashier is not in the stopped counter's list");
    assert!(stopped.elevate("4831").unwrap().unlocked);
    assert!(stopped.authorise(Action::ChangeSettings, None, None).is_ok());
    assert!(matches!(stopped.add_account("Babul", Role::Cashier, "1470"), Err(StaffError::Stopped)));
}

#[test]
fn a_manager_who_forgot_their_pin_gets_a_new_one_from_the_pcs_shell_with_the_app_closed_never_from_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    std::fs::create_dir_all(&data).unwrap();
    {
        let journal = Journal::open(&data.join(pos_core::settings::journal_file(pos_core::bkash::Environment::Training))).unwrap();
        let vault: Arc<dyn SecretVault> = Arc::new(FileVault::open(&data, &config));
        let staff = Staff::new(Arc::new(Mutex::new(journal)), vault, Arc::new(pos_core::money::SystemClock), 5);
        staff.first_manager("Rahim", "4831").unwrap();
    }
    let reset = |name: &str, pin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bkash-pos"))
            .args(["staff", "reset-pin", "--name", name, "--data-dir"])
            .arg(&data)
            .arg("--config-dir")
            .arg(&config)
            .env("BKASH_POS_VAULT", "file")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{pin}").unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
    };
    let (code, said) = reset("Karim", "1357");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("no account called Karim"), "{said}");
    let (code, said) = reset("rahim", "1357");
    assert_eq!(code, Some(0), "{said}");
    assert!(!said.contains("1357"), "the PIN is never echoed: {said}");
    let journal = Journal::open(&data.join(pos_core::settings::journal_file(pos_core::bkash::Environment::Training))).unwrap();
    let vault: Arc<dyn SecretVault> = Arc::new(FileVault::open(&data, &config));
    let staff = Staff::new(Arc::new(Mutex::new(journal)), vault, Arc::new(pos_core::money::SystemClock), 5);
    assert!(matches!(staff.sign_in("4831"), Err(StaffError::WrongPin { .. })));
    assert_eq!(staff.sign_in("1357").unwrap().name, "Rahim");
    // With the app running (its instance lock held), nothing is changed.
    let _running = pos_core::instance::InstanceLock::acquire(&data).unwrap();
    let (code, said) = reset("Rahim", "2468");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("close the app first"), "{said}");
}

/// What each command of the app is guarded by: the action it names to
/// `authorise` (the test above proves the table refuses each role that may
/// not), or nothing, for a command every person at the counter may use.
const COMMAND_ACTIONS: &[(&str, &[&str])] = &[
    ("pay", &["Sell"]),
    ("pay_on_phone", &["Sell"]),
    ("find_paid_payment", &["Sell"]),
    ("pay_cash", &["TakeCash"]),
    ("day_view", &["ReadDay"]),
    ("payment_history", &["ReadDay"]),
    ("end_of_day", &["ReadDay"]),
    ("export_day", &["ReadDay"]),
    ("store_day", &["ReadDay"]),
    ("store_payment_history", &["ReadDay"]),
    ("refund_payment", &["Refund"]),
    ("store_refund", &["Refund"]),
    ("check_refund", &["CheckPayment"]),
    ("check_payment", &["CheckPayment"]),
    ("store_check_payment", &["CheckPayment"]),
    ("resolve_payment", &["ResolveByHand"]),
    ("store_resolve_payment", &["ResolveByHand"]),
    ("close_day", &["CloseDay"]),
    ("close_store_day", &["CloseDay"]),
    ("count_drawer", &["CloseDay"]),
    ("get_settings", &["ChangeSettings"]),
    ("save_settings", &["ChangeSettings"]),
    ("staff_accounts", &["ManageStaff"]),
    ("add_staff_account", &["ManageStaff"]),
    ("change_staff_account", &["ManageStaff"]),
    ("open_shift", &["OpenShift"]),
    ("x_report", &["ReadShift"]),
    ("close_shift", &["CloseShift"]),
    ("print_shift_report", &["Reprint"]),
    ("import_catalogue", &["EditCatalogue"]),
    ("save_product", &["EditCatalogue"]),
    // Pay in/out, drop and no-sale: the movement's own action (`MovementKind::action`).
    ("move_cash", &["<movement>"]),
];

/// Commands that name no action: reading the counter's own state, the
/// checkout window's steps of a payment already authorised by `pay`, the
/// sign-in itself, and the first-run setup (refused once set up).
const NO_ROLE: &[&str] = &[
    "checkout_context",
    "checkout_create",
    "checkout_execute",
    "checkout_cancel",
    "app_info",
    "journal_damage",
    "journal_locked",
    "cashier_ready",
    "phone_qr_shown",
    "customer_display",
    "cancel_payment",
    "payment",
    "recovery_status",
    "bkash_status",
    "store_sync_status",
    "restart_app",
    "manager_status",
    "manager_set_pin",
    "manager_unlock",
    "manager_lock",
    "manager_change_pin",
    "print_receipt",
    "cups_printers",
    "first_run_setup",
    "skip_first_run",
    "test_connection",
    "staff_status",
    "sign_in",
    "sign_out",
    "staff_touch",
    "current_shift",
    "counter_day",
    "finish_sale",
    "unfinished_sale",
    "sale_of",
    "catalogue",
];

#[test]
fn every_command_names_the_action_the_roles_table_guards_it_by_and_the_rest_are_listed_as_needing_no_role() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/app/commands");
    let mut found: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for command in text.split("#[tauri::command]").skip(1) {
            let name = command.split("pub async fn ").nth(1).or_else(|| command.split("pub fn ").nth(1)).unwrap();
            let name = name.split(['<', '(']).next().unwrap().to_string();
            let mut actions: Vec<String> = command
                .split("Action::")
                .skip(1)
                .map(|rest| rest.split(|c: char| !c.is_alphanumeric()).next().unwrap().to_string())
                .collect();
            if command.contains("movement.kind.action()") {
                actions.push("<movement>".into());
            }
            actions.sort();
            actions.dedup();
            found.insert(name, actions);
        }
    }
    let expected: std::collections::BTreeMap<String, Vec<String>> = COMMAND_ACTIONS
        .iter()
        .map(|(c, a)| (c.to_string(), a.iter().map(|s| s.to_string()).collect()))
        .chain(NO_ROLE.iter().map(|c| (c.to_string(), Vec::new())))
        .collect();
    assert_eq!(found, expected, "a command's guard changed: update the table here and in the README");
    // Every action a command names is one of the table's, and the movements' are too.
    for (_, actions) in COMMAND_ACTIONS {
        for action in actions.iter().filter(|a| **a != "<movement>") {
            assert!(Action::ALL.iter().any(|a| format!("{a:?}") == *action), "{action} is not in the roles table");
        }
    }
    use pos_core::money::MovementKind;
    let moved: Vec<Action> =
        [MovementKind::PayIn, MovementKind::PayOut, MovementKind::Drop, MovementKind::NoSale].map(|k| k.action()).to_vec();
    assert_eq!(moved, [Action::PayInOut, Action::PayInOut, Action::CashDrop, Action::NoSaleOpen]);
}
