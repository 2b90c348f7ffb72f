use std::process::{Command, Stdio};
use std::time::Duration;

use super::{eventually, screenshot_display, GroupChild, SessionBus, XdgHome, APP_BIN, WINDOW_TITLE};

/// Mapped top-level windows with the app's title on the Xvfb display.
fn app_windows() -> usize {
    let out = Command::new("xdotool").args(["search", "--onlyvisible", "--name", &format!("^{WINDOW_TITLE}$")]).output().expect("xdotool");
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.trim().is_empty()).count()
}

fn launch(home: &XdgHome, bus_address: &str) -> GroupChild {
    let mut cmd = Command::new(APP_BIN);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", bus_address).stdout(Stdio::null()).stderr(Stdio::piped());
    home.apply(&mut cmd);
    GroupChild::spawn(&mut cmd)
}

#[test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
fn a_second_launch_focuses_the_first_window_instead_of_opening_another() {
    let home = XdgHome::fresh("single_instance_bus");
    let bus = SessionBus::start();
    let mut first = launch(&home, &bus.address);
    eventually(Duration::from_secs(30), "the first app's window", || app_windows() == 1);
    eventually(Duration::from_secs(10), "the first app's start line", || home.log_text().contains("bKash Counter POS started"));

    let mut second = launch(&home, &bus.address);
    let status = second.wait_timeout(Duration::from_secs(20)).expect("the second launch exits by itself");
    assert!(status.success(), "the hand-over to the first instance succeeds: {status}");
    eventually(Duration::from_secs(10), "the first app to be asked to focus", || {
        home.log_text().contains("a second launch was refused; focusing the running window")
    });
    assert_eq!(app_windows(), 1, "still exactly one window");
    assert!(first.0.try_wait().unwrap().is_none(), "the first app keeps running");
    screenshot_display("03-single-instance-one-window");
}

#[test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
fn without_a_session_bus_the_journal_lock_still_refuses_a_second_instance() {
    let home = XdgHome::fresh("single_instance_no_bus");
    let no_bus = "unix:path=/nonexistent/bkash-pos-test-bus";
    let mut first = launch(&home, no_bus);
    eventually(Duration::from_secs(30), "the first app's window", || app_windows() == 1);
    eventually(Duration::from_secs(10), "the first app's start line", || home.log_text().contains("bKash Counter POS started"));

    let mut second = launch(&home, no_bus);
    // The person who double-clicked is told why nothing opened, in a dialog.
    let mut notice = String::new();
    eventually(Duration::from_secs(20), "the 'already running' notice", || {
        let out = Command::new("xdotool").args(["search", "--onlyvisible", "--name", "already running"]).output().expect("xdotool");
        notice = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").trim().to_string();
        !notice.is_empty()
    });
    screenshot_display("04-second-launch-notice");
    // The person reads it and closes it (Esc, with the pointer on it: Xvfb has no window manager).
    let _ = Command::new("xdotool").args(["mousemove", "--window", &notice, "20", "20"]).status();
    let _ = Command::new("xdotool").args(["key", "Escape"]).status();
    let status = second.wait_timeout(Duration::from_secs(20)).expect("the second launch exits once its notice is closed");
    assert_eq!(status.code(), Some(3), "exit code 3 means: refused, another instance holds the data folder");
    let mut stderr = String::new();
    std::io::Read::read_to_string(second.0.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("already running"), "stderr: {stderr}");
    assert_eq!(app_windows(), 1, "still exactly one window");
    assert!(first.0.try_wait().unwrap().is_none(), "the first app keeps running");
}

/// A window manager on the display for one test, stopped when dropped:
/// which window is in front is the window manager's to say.
struct WindowManager(std::process::Child);

impl WindowManager {
    fn start() -> Self {
        let child = Command::new("openbox").arg("--sm-disable").stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("openbox");
        eventually(Duration::from_secs(10), "openbox to manage the display", || {
            let out = Command::new("xprop").args(["-root", "_NET_SUPPORTING_WM_CHECK"]).output().expect("xprop");
            String::from_utf8_lossy(&out.stdout).contains("window id")
        });
        Self(child)
    }
}

impl Drop for WindowManager {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool").args(args).output().expect("xdotool");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
fn a_second_launch_during_a_payment_leaves_the_customers_bkash_window_in_front() {
    let _wm = WindowManager::start();
    let home = XdgHome::fresh("single_instance_checkout");
    // Not a new PC: the counter opens on the cashier screen, not the setup.
    std::fs::create_dir_all(home.app_data()).unwrap();
    std::fs::write(home.app_data().join("settings.json"), r#"{"settings": {}}"#).unwrap();
    let bus = SessionBus::start();
    let mut first = launch(&home, &bus.address);
    eventually(Duration::from_secs(30), "the first app's window", || app_windows() == 1);
    eventually(Duration::from_secs(20), "the cashier screen", || home.log_text().contains("the cashier screen is up"));
    // The cashier rings up a sale and presses F9: the customer's bKash window opens.
    let main = xdotool(&["search", "--onlyvisible", "--name", &format!("^{WINDOW_TITLE}$")]);
    xdotool(&["windowactivate", "--sync", &main]);
    xdotool(&["type", "--delay", "20", "Tea"]);
    xdotool(&["key", "--delay", "50", "Tab", "Tab"]);
    xdotool(&["type", "--delay", "20", "250"]);
    xdotool(&["key", "Return"]);
    eventually(Duration::from_secs(30), "the checkout window", || {
        if !home.log_text().contains("opening the checkout window") {
            xdotool(&["key", "F9"]);
            std::thread::sleep(Duration::from_millis(500));
        }
        !xdotool(&["search", "--onlyvisible", "--name", "^Pay with bKash$"]).is_empty()
    });
    let checkout = xdotool(&["search", "--onlyvisible", "--name", "^Pay with bKash$"]);
    eventually(Duration::from_secs(10), "the checkout window in front", || xdotool(&["getactivewindow"]) == checkout);

    // Someone double-clicks the app's icon again while the customer types.
    let mut second = launch(&home, &bus.address);
    let status = second.wait_timeout(Duration::from_secs(20)).expect("the second launch exits by itself");
    assert!(status.success(), "{status}");
    eventually(Duration::from_secs(10), "the first app to be asked to come forward", || {
        home.log_text().contains("a second launch was refused; focusing the running window")
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(xdotool(&["getactivewindow"]), checkout, "the customer's bKash window has the keyboard");
    let stacking = Command::new("xprop").args(["-root", "_NET_CLIENT_LIST_STACKING"]).output().expect("xprop");
    let stacking = String::from_utf8_lossy(&stacking.stdout).to_string();
    let top = stacking.rsplit([' ', ',']).next().unwrap_or("").trim().to_string();
    let checkout_hex = format!("0x{:x}", checkout.parse::<u64>().unwrap());
    assert_eq!(top, checkout_hex, "the customer's bKash window is on top of the main window: {stacking}");
    screenshot_display("05-second-launch-checkout-in-front");
    assert!(first.0.try_wait().unwrap().is_none(), "the first app keeps running");
}
