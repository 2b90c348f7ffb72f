//! The E2E harness: a private session bus, a fresh XDG home, tauri-driver on
//! free ports, and a WebDriver session on the app binary that cargo built.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::webdriver::{Element, WebDriver};

/// The binary under test: the same one `cargo build` produces.
pub const APP_BIN: &str = env!("CARGO_BIN_EXE_bkash-pos");
/// tauri.conf.json `identifier`: the app's data folder name under XDG_DATA_HOME.
pub const APP_ID: &str = "bd.counterpos.bkash";
pub const WINDOW_TITLE: &str = "bKash Counter POS";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn artifacts_dir() -> PathBuf {
    repo_root().join("test-artifacts")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn display() -> String {
    std::env::var("DISPLAY").expect("DISPLAY is not set: run the E2E tier through `./scripts/test e2e`, which starts Xvfb")
}

/// A fresh, empty home for one app run: data, cache and config folders.
pub struct XdgHome {
    pub root: PathBuf,
}

impl XdgHome {
    /// The home a test used before, with everything the app left in it.
    pub fn existing(test_name: &str) -> Self {
        Self { root: artifacts_dir().join("e2e").join(test_name) }
    }

    pub fn fresh(test_name: &str) -> Self {
        let root = artifacts_dir().join("e2e").join(test_name);
        let _ = std::fs::remove_dir_all(&root);
        for sub in ["data", "cache", "config", "runtime"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root.join("runtime"), std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        Self { root }
    }

    /// The app's own data folder (journal, logs, instance lock).
    pub fn app_data(&self) -> PathBuf {
        self.root.join("data").join(APP_ID)
    }

    pub fn apply(&self, cmd: &mut Command) {
        cmd.env("XDG_DATA_HOME", self.root.join("data"))
            .env("XDG_CACHE_HOME", self.root.join("cache"))
            .env("XDG_CONFIG_HOME", self.root.join("config"))
            .env("XDG_RUNTIME_DIR", self.root.join("runtime"))
            .env("DISPLAY", display())
            // Measured ~70 MB less memory under Xvfb, with no visual change.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            // GTK's accessibility bridge starts its own bus per session bus and
            // made WebDriver sessions hang under Xvfb; the app does not need it here.
            .env("NO_AT_BRIDGE", "1");
    }

    /// Everything the app has logged so far (all rotated files, in order).
    pub fn log_text(&self) -> String {
        let dir = self.app_data().join("logs");
        let mut files: Vec<_> = std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        files.sort();
        files.iter().map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect()
    }
}

/// A private D-Bus session bus, so the desktop single-instance hand-over is
/// exercised for real and tests never see each other's apps.
pub struct SessionBus {
    child: Child,
    pub address: String,
}

impl SessionBus {
    pub fn start() -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (Debian package `dbus`) is needed by the E2E tier");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        Self { child, address: line.trim().to_string() }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A process started in its own process group, killed with the whole group on
/// drop, so a failing test never leaves an app or a WebKit process behind.
pub struct GroupChild(pub Child);

impl GroupChild {
    pub fn spawn(cmd: &mut Command) -> Self {
        Self(cmd.process_group(0).spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}")))
    }

    pub fn wait_timeout(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.0.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for GroupChild {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.id())]).stderr(Stdio::null()).status();
        let _ = self.0.wait();
    }
}

pub async fn wait_for_port(port: u16, limit: Duration) {
    let deadline = Instant::now() + limit;
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "nothing listened on port {port} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn tauri_driver() -> PathBuf {
    std::env::var_os("TAURI_DRIVER").map(PathBuf::from).unwrap_or_else(|| repo_root().join(".tools/bin/tauri-driver"))
}

/// The real app, launched by WebKitWebDriver through tauri-driver.
pub struct AppSession {
    client: WebDriver,
    pub home: XdgHome,
    name: String,
    _driver: GroupChild,
    _bus: SessionBus,
}

impl AppSession {
    /// Launches the app on a fresh home and waits until the UI says it is ready.
    pub async fn launch(test_name: &str) -> Self {
        Self::launch_with(test_name, |_| {}).await
    }

    /// Like `launch`, after `prepare` has put files into the fresh home.
    pub async fn launch_with(test_name: &str, prepare: impl FnOnce(&XdgHome)) -> Self {
        let home = XdgHome::fresh(test_name);
        prepare(&home);
        Self::launch_in(test_name, home, &[]).await
    }

    /// Launches the app on `home` as it is (a restart keeps its files), with
    /// extra environment variables for the app process. A first start (no
    /// settings, no journal) shows the setup; this skips it, as a shop that
    /// only wants to practise would, so the test starts at the counter.
    pub async fn launch_in(test_name: &str, home: XdgHome, env: &[(&str, &str)]) -> Self {
        let session = Self::launch_showing_setup(test_name, home, env).await;
        if !session.client.find_all("[data-testid=first-run]").await.unwrap().is_empty() {
            let skip = session.wait_for("[data-testid=first-run-skip]").await;
            session.client.click(&skip).await.unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            while !session.client.find_all("[data-testid=first-run]").await.unwrap().is_empty() {
                assert!(Instant::now() < deadline, "[{test_name}] the setup did not go away after Skip");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        session
    }

    /// Launches the app and leaves a first start's setup on the screen.
    pub async fn launch_showing_setup(test_name: &str, home: XdgHome, env: &[(&str, &str)]) -> Self {
        let bus = SessionBus::start();
        let (port, native_port) = (free_port(), free_port());
        let log = std::fs::File::create(home.root.join("tauri-driver.log")).unwrap();
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        home.apply(&mut cmd);
        cmd.envs(env.iter().copied());
        let driver = GroupChild::spawn(&mut cmd);
        // tauri-driver forwards to WebKitWebDriver, which listens a moment
        // later; a session asked for before that is refused.
        wait_for_port(port, Duration::from_secs(30)).await;
        wait_for_port(native_port, Duration::from_secs(30)).await;

        let caps = serde_json::json!({"browserName": "wry", "tauri:options": { "application": APP_BIN }});
        let client = WebDriver::new_session(&format!("http://127.0.0.1:{port}"), caps).await.expect("WebDriver session on the app");

        let session = Self { client, home, name: test_name.to_string(), _driver: driver, _bus: bus };
        session.wait_for("[data-testid=app-ready]").await;
        session
    }

    pub fn client(&self) -> &WebDriver {
        &self.client
    }

    /// Waits up to 20 s for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self.client.find_all(css).await.unwrap_or_else(|e| panic!("[{}] find `{css}`: {e}", self.name));
            if let Some(element) = found.into_iter().next() {
                return element;
            }
            assert!(Instant::now() < deadline, "[{}] no element `{css}` within 20 s", self.name);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The rendered text of the first element matching `css`, once it exists.
    pub async fn text_of(&self, css: &str) -> String {
        self.wait_for(css).await;
        let value = self
            .client
            .execute("return document.querySelector(arguments[0]).innerText.trim();", vec![css.into()])
            .await
            .unwrap_or_else(|e| panic!("[{}] text of `{css}`: {e}", self.name));
        value.as_str().unwrap_or_default().to_string()
    }

    /// Polls the text of `css` every 100 ms for up to 10 s until `expected`
    /// holds; fails with `what` otherwise. Returns the text.
    pub async fn wait_for_text(&self, css: &str, what: &str, expected: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text_of(css).await;
            if expected(&text) {
                return text;
            }
            assert!(Instant::now() < deadline, "[{}] {what} (`{css}` reads: {text})", self.name);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the window to `test-artifacts/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // WebKit may still show the previous frame right after an action.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        save_screenshot(name, &png)
    }

    pub async fn close(self) {
        self.client.close().await;
    }
}

pub fn save_screenshot(name: &str, png: &[u8]) -> PathBuf {
    assert!(png.starts_with(b"\x89PNG"), "screenshot `{name}` is not a PNG");
    let dir = artifacts_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    path
}

/// Polls `check` every 100 ms until it is true or `limit` passes.
pub fn eventually(limit: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(Instant::now() < deadline, "timed out after {limit:?} waiting for: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The whole Xvfb display, every window on it, as the cashier would see it.
/// (WebDriver's own screenshot hangs on a second window of the app.)
pub fn screenshot_display(name: &str) -> PathBuf {
    std::thread::sleep(Duration::from_millis(500));
    let out = Command::new("import").args(["-window", "root", "png:-"]).output().expect("imagemagick import");
    save_screenshot(name, &out.stdout)
}
