//! Bare reqwest calls shared by the benchmarks (no BkashClient involved),
//! and the process's peak memory.

// Each benchmark uses a part of this module.
#![allow(dead_code)]

use pos_core::bkash::BkashConfig;
use serde_json::{json, Value};

/// Sends and reads the JSON answer; a benchmark stops at the first failure.
pub async fn json(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// One token grant with `config`'s credentials; returns the id_token.
pub async fn grant(http: &reqwest::Client, config: &BkashConfig) -> String {
    let c = &config.credentials;
    let request = http
        .post(match config.product {
            pos_core::money::Product::Checkout => format!("{}/checkout/token/grant", config.base_url),
            pos_core::money::Product::Tokenized => format!("{}/tokenized/checkout/token/grant", config.base_url),
        })
        .header("username", &c.username)
        .header("password", c.password.expose())
        .header("accept", "application/json")
        .json(&json!({"app_key": c.app_key, "app_secret": c.app_secret.expose()}));
    json(request).await["id_token"].as_str().unwrap().to_string()
}

/// The headers every non-token call carries.
pub fn authorised(request: reqwest::RequestBuilder, config: &BkashConfig, token: &str) -> reqwest::RequestBuilder {
    // The headers bKash's gateway requires on every call (API.md §1A), as the client sends them.
    request
        .header("authorization", token)
        .header("x-app-key", &config.credentials.app_key)
        .header("content-type", "application/json")
        .header("accept", "application/json")
}

/// This process's peak resident memory so far (VmHWM), in MiB.
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// Starts a new peak: VmHWM drops to the current RSS (Linux's clear_refs 5),
/// so one process can measure several peaks in turn.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

static MISSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One figure against its goal: printed as `RESULT | name | figure | goal |
/// met` (or `MISSED`), the line `./scripts/bench` gathers into its summary
/// table, and remembered so that [`finish`] fails the benchmark.
pub fn report(name: &str, figure: &str, goal: &str, met: bool) {
    if !met {
        MISSED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    println!("RESULT | {name} | {figure} | {goal} | {}", if met { "met" } else { "MISSED" });
}

/// Ends the benchmark: exit status 1 when any goal was missed.
pub fn finish() {
    let missed = MISSED.load(std::sync::atomic::Ordering::SeqCst);
    if missed > 0 {
        eprintln!("{missed} goal(s) MISSED");
        std::process::exit(1);
    }
}

/// The middle value (the upper middle of an even count).
pub fn median<T: PartialOrd + Copy>(values: &[T]) -> T {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("comparable"));
    sorted[sorted.len() / 2]
}

/// A virtual display this benchmark started; stopped when dropped.
pub struct Xvfb(std::process::Child);
impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Uses `$DISPLAY`, or starts Xvfb on a free display and points `$DISPLAY` at it.
pub fn ensure_display() -> Option<Xvfb> {
    if std::env::var_os("DISPLAY").is_some() {
        return None;
    }
    let display = (140..200).find(|n| !std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists()).unwrap();
    // Its output is not ours: an inherited stdout would keep a pipe reading
    // this benchmark open after it ends.
    let child = std::process::Command::new("Xvfb")
        .args([&format!(":{display}"), "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let socket = format!("/tmp/.X11-unix/X{display}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::path::Path::new(&socket).exists() {
        assert!(std::time::Instant::now() < deadline, "Xvfb did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::env::set_var("DISPLAY", format!(":{display}"));
    Some(Xvfb(child))
}
