//! The manager PIN: set on first use, hashed, locked after five wrong tries
//! for a growing time that survives a restart, changed only with the PIN.

use std::sync::Arc;

use pos_core::manager_pin::{lockout, ManagerPin, PinError};
use pos_core::money::{Clock, ManualClock};
use pos_core::vault::{FileVault, SecretVault};

fn shop() -> (tempfile::TempDir, Arc<dyn SecretVault>, Arc<ManualClock>) {
    let dir = tempfile::tempdir().unwrap();
    let vault: Arc<dyn SecretVault> = Arc::new(FileVault::open(&dir.path().join("data"), &dir.path().join("config")));
    (dir, vault, Arc::new(ManualClock::default()))
}

#[test]
fn the_pin_is_set_once_then_checked_and_is_kept_only_as_an_argon2id_hash() {
    let (_dir, vault, clock) = shop();
    let pin = ManagerPin::new(vault.clone(), clock);
    assert_eq!(pin.verify("1234"), Err(PinError::NotSet));
    for bad in ["123", "123456789", "12a4", "", "١٢٣٤"] {
        assert_eq!(pin.set_first(bad), Err(PinError::BadFormat), "{bad:?}");
    }
    pin.set_first("4831").unwrap();
    assert_eq!(pin.set_first("0000"), Err(PinError::AlreadySet));
    assert_eq!(pin.verify("4831"), Ok(()));
    assert_eq!(pin.verify("4830"), Err(PinError::Wrong { left: 4 }));
    let stored = vault.get("manager-pin").unwrap().unwrap();
    assert!(stored.expose().contains("$argon2id$") && !stored.expose().contains("4831"), "only the hash is kept");
}

#[test]
fn five_wrong_tries_lock_it_for_a_growing_time_that_a_restart_does_not_reset() {
    let (_dir, vault, clock) = shop();
    let pin = ManagerPin::new(vault.clone(), clock.clone());
    pin.set_first("4831").unwrap();
    for left in (1..=4).rev() {
        assert_eq!(pin.verify("0000"), Err(PinError::Wrong { left }));
    }
    assert!(matches!(pin.verify("0000"), Err(PinError::Locked { .. })));
    // Locked: even the right PIN is refused, and a restart changes nothing.
    let restarted = ManagerPin::new(vault.clone(), clock.clone() as Arc<dyn Clock>);
    assert!(matches!(restarted.verify("4831"), Err(PinError::Locked { .. })));
    clock.advance(chrono::Duration::seconds(31));
    assert_eq!(restarted.verify("0000"), Err(PinError::Wrong { left: 4 }), "unlocked after 30 s, counting afresh");
    for _ in 0..4 {
        let _ = restarted.verify("0000");
    }
    clock.advance(chrono::Duration::seconds(31));
    assert!(matches!(restarted.verify("4831"), Err(PinError::Locked { .. })), "the second lockout lasts longer than the first");
    clock.advance(chrono::Duration::seconds(30));
    assert_eq!(restarted.verify("4831"), Ok(()));
    assert_eq!((lockout(0).num_seconds(), lockout(1).num_seconds(), lockout(10).num_seconds()), (30, 60, 3600));
}

#[test]
fn the_pin_changes_only_with_the_current_one() {
    let (_dir, vault, clock) = shop();
    let pin = ManagerPin::new(vault, clock);
    pin.set_first("4831").unwrap();
    assert_eq!(pin.change("1111", "2468"), Err(PinError::Wrong { left: 4 }));
    assert_eq!(pin.change("4831", "24"), Err(PinError::BadFormat));
    pin.change("4831", "2468").unwrap();
    assert_eq!(pin.verify("4831"), Err(PinError::Wrong { left: 4 }));
    assert_eq!(pin.verify("2468"), Ok(()));
}

#[test]
fn the_manager_screens_open_with_the_pin_and_close_after_ten_idle_minutes_or_on_lock() {
    use pos_core::manager_pin::{ManagerSession, ManagerStatus};
    let (_dir, vault, clock) = shop();
    let session = ManagerSession::new(vault, clock.clone());
    assert_eq!(session.status().unwrap(), ManagerStatus { pin_set: false, unlocked: false });
    assert_eq!(session.require(), Err(PinError::SessionClosed));
    session.set_first("4831").unwrap();
    assert_eq!(session.status().unwrap(), ManagerStatus { pin_set: true, unlocked: true });
    clock.advance(chrono::Duration::minutes(9));
    assert_eq!(session.require(), Ok(()), "each action keeps them open");
    clock.advance(chrono::Duration::minutes(9));
    assert_eq!(session.require(), Ok(()));
    clock.advance(chrono::Duration::minutes(11));
    assert_eq!(session.require(), Err(PinError::SessionClosed));
    session.unlock("4831").unwrap();
    session.lock();
    assert_eq!(session.require(), Err(PinError::SessionClosed));
    assert_eq!(session.unlock("0000"), Err(PinError::Wrong { left: 4 }));
}

#[test]
fn a_pin_typed_in_bengali_digits_is_the_same_pin_and_a_malformed_one_is_no_wrong_try() {
    let (_dir, vault, clock) = shop();
    let pin = ManagerPin::new(vault, clock);
    pin.set_first("২৪৬৮").unwrap();
    assert_eq!(pin.verify("2468"), Ok(()), "set in Bengali digits, opened in Latin ones");
    assert_eq!(pin.verify("২৪৬৮"), Ok(()), "and in Bengali ones");
    assert_eq!(pin.verify(" ২৪৬৮ "), Ok(()));
    for malformed in ["24a8", "২৪", "", "١٢٣٤"] {
        assert_eq!(pin.verify(malformed), Err(PinError::BadFormat), "{malformed:?}");
    }
    assert_eq!(pin.verify("২৪৬৯"), Err(PinError::Wrong { left: 4 }), "the malformed ones were not counted");
    pin.change("২৪৬৮", "১৩৫৭").unwrap();
    assert_eq!(pin.verify("1357"), Ok(()));
}
