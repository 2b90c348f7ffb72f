//! `Staff`: the shop's accounts, who is signed in at this counter, and
//! whether they may do an action ([`Role::may`], the one table).
//!
//! Contract: plain Rust over the journal (accounts, approvals) and the vault
//! (the PIN seal key, the lockout). Blocking (Argon2, the keyring): the app
//! calls it off the async runtime. Sign-in is by PIN alone, so PINs are
//! unique across active accounts. An action beyond the signed-in role takes
//! the PIN of someone whose role allows it, for that one action, and the
//! journal's `approvals` names both. The manager's screens stay open for
//! [`SESSION_IDLE`] after a supervisor's or manager's PIN (an *elevation*):
//! every action taken there by someone else's authority is an approval too.
//!
//! A shop from before accounts had one manager PIN in the vault: [`Staff::upgrade`]
//! makes it the first manager account, so nobody is locked out.
//! Depends on money, journal, vault.

mod pins;

pub use pins::{check_format, lockout, normalise, TRIES_BEFORE_LOCK};

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::journal::{Journal, JournalError, JournalRead, StaffRow};
use crate::money::{Action, Clock, Role, StaffRef};
use crate::vault::{SecretVault, VaultError};
use pins::{Lockout, PinSeal};

/// How long the manager's screens stay open after a PIN, without use.
pub const SESSION_IDLE: Duration = Duration::minutes(10);

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("The PIN must be 4 to 8 digits.")]
    BadPin,
    #[error("Wrong PIN. {left} tries left before it locks.")]
    WrongPin { left: u32 },
    #[error("Too many wrong PINs. Try again after {until} (Bangladesh time).")]
    Locked { until: String },
    #[error("Nobody is signed in at this counter. Sign in with your PIN.")]
    NotSignedIn,
    /// Beyond the signed-in role: a PIN of `least` or above allows it once.
    #[error("This needs a {least}'s PIN: {action}.")]
    NotAllowed { action: Action, least: Role },
    #[error("The shop has no manager account yet.")]
    NoManagerYet,
    #[error("The shop already has a manager account; sign in with its PIN.")]
    AlreadySetUp,
    #[error("Another account already uses this PIN; choose another.")]
    PinInUse,
    #[error("There is no staff account {0}.")]
    NoAccount(i64),
    #[error("Enter a supervisor's or manager's PIN first.")]
    SessionClosed,
    #[error("The counter is stopped; only a manager's PIN opens the settings to repair it.")]
    Stopped,
    #[error("{0}")]
    Damaged(String),
    #[error("The PIN store cannot be used: {0}")]
    Vault(String),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl From<VaultError> for StaffError {
    fn from(e: VaultError) -> Self {
        StaffError::Vault(e.to_string())
    }
}

/// Who did an action, and whose PIN allowed it when theirs did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Signed in at the counter; `None` in a shop that has no accounts yet.
    pub by: Option<StaffRef>,
    pub approved_by: Option<StaffRef>,
}

impl Actor {
    /// The person whose authority the action rests on.
    pub fn authority(&self) -> Option<&StaffRef> {
        self.approved_by.as_ref().or(self.by.as_ref())
    }
}

/// One account, as the manager's staff screen lists it (never its PIN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

impl From<&StaffRow> for Account {
    fn from(r: &StaffRow) -> Self {
        Self { id: r.id, name: r.name.clone(), role: r.role, active: r.active }
    }
}

/// A change to an account; `None` keeps what it is.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub pin: Option<String>,
}

/// Who is at the counter, as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffStatus {
    /// The shop has accounts: the counter needs a sign-in.
    pub has_staff: bool,
    pub signed_in: Option<StaffRef>,
    /// The supervisor or manager whose PIN opened the manager's screens.
    pub elevated: Option<StaffRef>,
    /// What the signed-in person may do without another's PIN.
    pub may: Vec<Action>,
    /// Every role's actions: the table, for the screens to reflect.
    pub table: Vec<(Role, Vec<Action>)>,
    pub lock_after_idle_minutes: u32,
}

/// The manager's gate, as the screens have always read it: whether the
/// shop has a manager yet, and whether the manager's screens are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ManagerStatus {
    pub pin_set: bool,
    pub unlocked: bool,
}

#[derive(Debug, Default)]
struct Session {
    signed_in: Option<StaffRef>,
    last_active: Option<DateTime<Utc>>,
    elevated: Option<(StaffRef, DateTime<Utc>)>,
}

/// The name the first manager account is given when it comes from the
/// one manager PIN of earlier versions (the manager may rename it).
pub const FIRST_MANAGER_NAME: &str = "Manager";

/// An account as it travels between this counter and the store: the PIN's
/// hash in the open, held only while `store::staff` seals it again under the
/// store's key (or after it opened the store's seal).
#[derive(Debug, Clone)]
pub struct StoreAccount {
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub phc: crate::money::Secret,
    pub changed_at: DateTime<Utc>,
}

/// Where the accounts are read from: the journal, or (while the counter is
/// stopped because the journal cannot be opened) the managers of the
/// vault's copy, so a manager can still reach the settings to repair it.
/// The copy also brings the accounts to a journal that has none (a new
/// environment's file).
enum Accounts {
    Journal(Arc<Mutex<Journal>>),
    ManagersInVault,
}

/// The vault entry holding a copy of the active accounts, PINs sealed.
const ACCOUNTS_COPY: &str = "staff.accounts";

#[derive(Serialize, Deserialize)]
struct AccountCopy {
    id: i64,
    name: String,
    role: Role,
    sealed: String,
    nonce: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

pub struct Staff {
    accounts: Accounts,
    vault: Arc<dyn SecretVault>,
    clock: Arc<dyn Clock>,
    idle_minutes: u32,
    session: Mutex<Session>,
}

impl Staff {
    pub fn new(journal: Arc<Mutex<Journal>>, vault: Arc<dyn SecretVault>, clock: Arc<dyn Clock>, idle_minutes: u32) -> Self {
        Self { accounts: Accounts::Journal(journal), vault, clock, idle_minutes, session: Mutex::default() }
    }

    /// The accounts of a counter whose journal cannot be opened: only the
    /// managers, from the vault's copy, and only to open the manager's
    /// screens (settings, to repair what stopped it).
    pub fn stopped(vault: Arc<dyn SecretVault>, clock: Arc<dyn Clock>) -> Self {
        Self { accounts: Accounts::ManagersInVault, vault, clock, idle_minutes: 5, session: Mutex::default() }
    }

    fn journal(&self) -> Result<std::sync::MutexGuard<'_, Journal>, StaffError> {
        match &self.accounts {
            Accounts::Journal(journal) => Ok(journal.lock().unwrap_or_else(|p| p.into_inner())),
            Accounts::ManagersInVault => Err(StaffError::Stopped),
        }
    }

    fn rows(&self) -> Result<Vec<StaffRow>, StaffError> {
        match &self.accounts {
            Accounts::Journal(_) => Ok(self.journal()?.staff()?),
            Accounts::ManagersInVault => Ok(self.copied_accounts()?.into_iter().filter(|r| r.role == Role::Manager).collect()),
        }
    }

    fn copied_accounts(&self) -> Result<Vec<StaffRow>, StaffError> {
        let Some(copy) = self.vault.get(ACCOUNTS_COPY)? else { return Ok(Vec::new()) };
        let copy: Vec<AccountCopy> = serde_json::from_str(copy.expose()).unwrap_or_default();
        Ok(copy
            .into_iter()
            .filter_map(|m| {
                Some(StaffRow {
                    id: m.id,
                    name: m.name,
                    role: m.role,
                    active: true,
                    pin_sealed: unhex(&m.sealed)?,
                    pin_nonce: unhex(&m.nonce)?,
                })
            })
            .collect())
    }

    /// Keeps the vault's copy of the active accounts in step with the journal.
    fn copy_accounts(&self) -> Result<(), StaffError> {
        let accounts: Vec<AccountCopy> = self
            .rows()?
            .into_iter()
            .filter(|r| r.active)
            .map(|r| AccountCopy { id: r.id, name: r.name, role: r.role, sealed: hex(&r.pin_sealed), nonce: hex(&r.pin_nonce) })
            .collect();
        Ok(self.vault.set(ACCOUNTS_COPY, &crate::money::Secret::new(serde_json::to_string(&accounts).expect("serialises")))?)
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn seal(&self) -> Result<PinSeal, StaffError> {
        PinSeal::from_vault(self.vault.as_ref())
    }

    /// The one manager PIN of an earlier version becomes the first manager
    /// account, with the same PIN. Idempotent: the account is written
    /// before the old entry goes, and the entry is used only while the shop
    /// has no account, so a crash between the two repeats nothing.
    pub fn upgrade(&self) -> Result<Option<StaffRef>, StaffError> {
        // A journal with no accounts (a new PC's, or another environment's:
        // each has its own file) takes the shop's accounts from the vault's copy.
        let copied = self.copied_accounts()?;
        if !copied.is_empty() && self.journal()?.staff()?.is_empty() {
            self.journal()?.import_staff(&copied, self.clock.now())?;
            tracing::info!(accounts = copied.len(), "staff accounts taken from the vault's copy");
        }
        let Some(legacy) = self.vault.get(pins::LEGACY_MANAGER_PIN)? else { return Ok(None) };
        // A stopped counter leaves the old PIN where it is, for the next start.
        drop(self.journal()?);
        if !self.rows()?.is_empty() {
            self.vault.delete(pins::LEGACY_MANAGER_PIN)?;
            return Ok(None);
        }
        let legacy: pins::LegacyManagerPin = serde_json::from_str(legacy.expose())
            .map_err(|e| StaffError::Damaged(format!("the manager PIN of the earlier version cannot be read ({e})")))?;
        let seal = self.seal()?;
        let now = self.clock.now();
        let row = self.journal()?.add_staff(FIRST_MANAGER_NAME, Role::Manager, |id| seal.seal(id, Role::Manager, &legacy.hash), now)?;
        self.copy_accounts()?;
        self.vault.delete(pins::LEGACY_MANAGER_PIN)?;
        tracing::info!(account = row.id, "the manager PIN became the first manager account");
        Ok(Some(row.as_ref()))
    }

    pub fn has_staff(&self) -> Result<bool, StaffError> {
        Ok(self.rows()?.iter().any(|s| s.active))
    }

    /// Signs out whoever has been idle past the shop's lock time, and closes
    /// manager screens idle past [`SESSION_IDLE`].
    fn expire(&self, session: &mut Session, now: DateTime<Utc>) {
        let idle = Duration::minutes(i64::from(self.idle_minutes));
        if session.last_active.is_some_and(|at| at + idle <= now) {
            session.signed_in = None;
            session.last_active = None;
        }
        if session.elevated.as_ref().is_some_and(|(_, until)| *until <= now) {
            session.elevated = None;
        }
    }

    pub fn status(&self) -> Result<StaffStatus, StaffError> {
        let has_staff = self.has_staff()?;
        let now = self.clock.now();
        let mut session = self.session();
        self.expire(&mut session, now);
        Ok(StaffStatus {
            has_staff,
            may: session.signed_in.as_ref().map(|s| s.role.actions()).unwrap_or_default(),
            signed_in: session.signed_in.clone(),
            elevated: session.elevated.as_ref().map(|(s, _)| s.clone()),
            table: Role::ALL.into_iter().map(|r| (r, r.actions())).collect(),
            lock_after_idle_minutes: self.idle_minutes,
        })
    }

    pub fn manager_status(&self) -> Result<ManagerStatus, StaffError> {
        let pin_set = self.has_staff()?;
        let now = self.clock.now();
        let mut session = self.session();
        self.expire(&mut session, now);
        Ok(ManagerStatus { pin_set, unlocked: session.elevated.is_some() })
    }

    /// The active account whose PIN this is. Every wrong PIN counts toward
    /// the counter's lockout; a malformed one is refused before any try.
    fn find(&self, pin: &str) -> Result<StaffRow, StaffError> {
        let vault = self.vault.as_ref();
        let now = self.clock.now();
        let lockout = Lockout::load(vault)?;
        lockout.check(now)?;
        let pin = normalise(pin)?;
        let seal = self.seal()?;
        let accounts = self.rows()?;
        for account in accounts.into_iter().filter(|a| a.active) {
            // A seal that does not open (edited, moved) never signs anyone in.
            let Some(phc) = seal.open(account.id, account.role, &account.pin_sealed, &account.pin_nonce) else {
                tracing::warn!(account = account.id, "a staff account's PIN seal does not open; it cannot sign in");
                continue;
            };
            if pins::matches(&pin, &phc)? {
                lockout.cleared(vault)?;
                return Ok(account);
            }
        }
        Err(lockout.failed(vault, now))
    }

    /// Refuses a PIN another active account (not `except`) already has.
    fn refuse_taken(&self, pin: &str, except: Option<i64>) -> Result<(), StaffError> {
        let seal = self.seal()?;
        for account in self.rows()?.into_iter().filter(|a| a.active && Some(a.id) != except) {
            if let Some(phc) = seal.open(account.id, account.role, &account.pin_sealed, &account.pin_nonce) {
                if pins::matches(pin, &phc)? {
                    return Err(StaffError::PinInUse);
                }
            }
        }
        Ok(())
    }

    /// The first account of a new shop: a manager, signed in, with the
    /// manager's screens open. Refused once the shop has an account.
    pub fn first_manager(&self, name: &str, pin: &str) -> Result<StaffRef, StaffError> {
        let pin = normalise(pin)?;
        if !self.rows()?.is_empty() {
            return Err(StaffError::AlreadySetUp);
        }
        let seal = self.seal()?;
        let phc = pins::hash(&pin);
        let row = self.journal()?.add_staff(name, Role::Manager, |id| seal.seal(id, Role::Manager, &phc), self.clock.now())?;
        self.copy_accounts()?;
        let manager = row.as_ref();
        self.signed_in(manager.clone());
        self.elevate_as(manager.clone());
        Ok(manager)
    }

    fn signed_in(&self, who: StaffRef) {
        let mut session = self.session();
        session.signed_in = Some(who);
        session.last_active = Some(self.clock.now());
    }

    fn elevate_as(&self, who: StaffRef) {
        self.session().elevated = Some((who, self.clock.now() + SESSION_IDLE));
    }

    /// Signs in the person whose PIN this is; whoever was signed in is
    /// signed out (switching cashier is one PIN).
    pub fn sign_in(&self, pin: &str) -> Result<StaffRef, StaffError> {
        let who = self.find(pin)?.as_ref();
        tracing::info!(staff = who.id, "signed in");
        self.signed_in(who.clone());
        Ok(who)
    }

    /// The counter locks: nobody is signed in until the next PIN. The
    /// manager's screens close too.
    pub fn sign_out(&self) {
        let mut session = self.session();
        *session = Session::default();
    }

    /// The signed-in person is still at the counter (a key, a click).
    pub fn touch(&self) {
        let now = self.clock.now();
        let mut session = self.session();
        self.expire(&mut session, now);
        if session.signed_in.is_some() {
            session.last_active = Some(now);
        }
    }

    /// Opens the manager's screens with a supervisor's or manager's PIN.
    pub fn elevate(&self, pin: &str) -> Result<ManagerStatus, StaffError> {
        if !self.has_staff()? {
            return Err(StaffError::NoManagerYet);
        }
        let who = self.find(pin)?.as_ref();
        if !who.role.may(Action::ReadDay) {
            return Err(StaffError::NotAllowed { action: Action::ReadDay, least: Action::ReadDay.least_role() });
        }
        self.elevate_as(who);
        self.manager_status()
    }

    /// Closes the manager's screens (their Lock button).
    pub fn close_elevation(&self) {
        self.session().elevated = None;
    }

    /// Whether the person at the counter may do `action` now, and on whose
    /// authority. In order: the signed-in person's own role; the open
    /// manager's screens; a PIN given for this one action. Each use of
    /// another's authority is journaled with both names and `subject`.
    pub fn authorise(&self, action: Action, approval_pin: Option<&str>, subject: Option<&str>) -> Result<Actor, StaffError> {
        let now = self.clock.now();
        let has_staff = self.has_staff()?;
        let (by, elevated) = {
            let mut session = self.session();
            self.expire(&mut session, now);
            if session.signed_in.is_some() {
                session.last_active = Some(now);
            }
            if let Some((_, until)) = session.elevated.as_mut() {
                *until = now + SESSION_IDLE;
            }
            (session.signed_in.clone(), session.elevated.as_ref().map(|(s, _)| s.clone()))
        };
        if !has_staff {
            // A shop with no accounts yet sells as it always did; everything
            // else waits for the first manager.
            return match action {
                Action::Sell | Action::TakeCash | Action::Reprint => Ok(Actor { by: None, approved_by: None }),
                _ => Err(StaffError::NoManagerYet),
            };
        }
        if let Some(who) = by.as_ref().filter(|w| w.role.may(action)) {
            return Ok(Actor { by: Some(who.clone()), approved_by: None });
        }
        let approver = match (elevated.filter(|e| e.role.may(action)), approval_pin) {
            (Some(elevated), None) => elevated,
            (_, Some(pin)) => {
                let approver = self.find(pin)?.as_ref();
                if !approver.role.may(action) {
                    return Err(StaffError::NotAllowed { action, least: action.least_role() });
                }
                approver
            }
            (None, None) if by.is_none() => return Err(StaffError::NotSignedIn),
            (None, None) => return Err(StaffError::NotAllowed { action, least: action.least_role() }),
        };
        // Nobody else is signed in: the one whose PIN it is acts in person.
        if by.as_ref().is_none_or(|b| b.id == approver.id) {
            return Ok(Actor { by: Some(approver), approved_by: None });
        }
        self.journal()?.record_approval(action, by.as_ref().map(|b| b.id), approver.id, subject, now)?;
        tracing::info!(%action, approver = approver.id, by = ?by.as_ref().map(|b| b.id), "an action on another's authority");
        Ok(Actor { by, approved_by: Some(approver) })
    }

    /// Anyone changes their own PIN, given the current one (which counts as a try).
    pub fn change_own_pin(&self, current: &str, new: &str) -> Result<Account, StaffError> {
        normalise(new)?;
        let who = self.find(current)?;
        self.change_account(who.id, AccountChange { pin: Some(new.to_string()), ..Default::default() })
    }

    /// A PIN given back from outside the counter (`bkash-pos staff reset-pin`,
    /// run by whoever administers the PC): for a manager who forgot theirs.
    /// Nothing at the counter reaches it.
    pub fn reset_pin(&self, name: &str, pin: &str) -> Result<Account, StaffError> {
        let account = self
            .rows()?
            .into_iter()
            .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| StaffError::Damaged(format!("there is no account called {}", name.trim())))?;
        self.change_account(account.id, AccountChange { pin: Some(pin.to_string()), active: Some(true), ..Default::default() })
    }

    /// Every account, for the manager's staff screen.
    pub fn accounts(&self) -> Result<Vec<Account>, StaffError> {
        Ok(self.rows()?.iter().map(Account::from).collect())
    }

    /// A new account (the caller has authorised [`Action::ManageStaff`]).
    pub fn add_account(&self, name: &str, role: Role, pin: &str) -> Result<Account, StaffError> {
        let pin = normalise(pin)?;
        self.refuse_taken(&pin, None)?;
        let seal = self.seal()?;
        let phc = pins::hash(&pin);
        let row = self.journal()?.add_staff(name, role, |id| seal.seal(id, role, &phc), self.clock.now())?;
        self.copy_accounts()?;
        tracing::info!(account = row.id, %role, "staff account added");
        Ok(Account::from(&row))
    }

    /// Changes an account's name, role, PIN or whether it may sign in (the
    /// caller has authorised [`Action::ManageStaff`]). The PIN's seal binds
    /// the role, so a new role seals the same hash again.
    pub fn change_account(&self, id: i64, change: AccountChange) -> Result<Account, StaffError> {
        let mut row = self.journal()?.staff_member(id)?.ok_or(StaffError::NoAccount(id))?;
        let seal = self.seal()?;
        let phc = match &change.pin {
            Some(pin) => {
                let pin = normalise(pin)?;
                self.refuse_taken(&pin, Some(id))?;
                pins::hash(&pin)
            }
            None => seal
                .open(row.id, row.role, &row.pin_sealed, &row.pin_nonce)
                .ok_or_else(|| StaffError::Damaged(format!("the PIN of {} cannot be opened; give the account a new PIN", row.name)))?,
        };
        if let Some(name) = change.name {
            row.name = name;
        }
        if let Some(role) = change.role {
            row.role = role;
        }
        if let Some(active) = change.active {
            row.active = active;
        }
        (row.pin_sealed, row.pin_nonce) = seal.seal(row.id, row.role, &phc);
        let row = self.journal()?.update_staff(&row, self.clock.now())?;
        self.copy_accounts()?;
        self.follow(&row);
        tracing::info!(account = id, "staff account changed");
        Ok(Account::from(&row))
    }

    /// Someone disabled or demoted is signed out at once, and their manager's
    /// screens close.
    fn follow(&self, row: &StaffRow) {
        let mut session = self.session();
        if session.signed_in.as_ref().is_some_and(|s| s.id == row.id) {
            session.signed_in = row.active.then(|| row.as_ref());
        }
        if session.elevated.as_ref().is_some_and(|(s, _)| s.id == row.id) && !(row.active && row.role.may(Action::ReadDay)) {
            session.elevated = None;
        }
    }

    /// Every account this counter holds, with its hash and when it last
    /// changed, for the store. One whose seal does not open is left out.
    pub fn store_copies(&self) -> Result<Vec<StoreAccount>, StaffError> {
        let seal = self.seal()?;
        let rows = self.journal()?.staff_with_changes()?;
        Ok(rows
            .into_iter()
            .filter_map(|(row, changed_at)| {
                let phc = seal.open(row.id, row.role, &row.pin_sealed, &row.pin_nonce)?;
                Some(StoreAccount { name: row.name, role: row.role, active: row.active, phc: crate::money::Secret::new(phc), changed_at })
            })
            .collect())
    }

    /// An account as another counter changed it, from the store: kept here,
    /// sealed under this counter's key, for sign-in with no store at all.
    /// Someone disabled or demoted there is signed out here at once.
    pub fn take_from_store(&self, account: &StoreAccount) -> Result<(), StaffError> {
        let seal = self.seal()?;
        let row = self.journal()?.take_staff_from_store(
            &account.name,
            account.role,
            account.active,
            |id| seal.seal(id, account.role, account.phc.expose()),
            account.changed_at,
        )?;
        self.copy_accounts()?;
        self.follow(&row);
        tracing::info!(account = row.id, "staff account taken from the store");
        Ok(())
    }
}
