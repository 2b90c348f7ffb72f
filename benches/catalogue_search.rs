//! Catalogue search at the counter: one keystroke in the item field → the
//! match list updated, in the real app (its WebKitGTK webview, release
//! build) under Xvfb, driven through WebDriver (tauri-driver).
//!
//! - subject: the app with a catalogue of 20,000 products in its journal;
//! - baseline, in the same run: the same app with the first 100 of them.
//!
//! Each keystroke is played in the page as the field sees one: its text
//! grows by a character and an `input` event is dispatched; the time runs
//! until the list has re-rendered and the page has laid out again (the next
//! task, after Preact's render, with a forced layout). Queries are what a
//! cashier types: names, a Bangla name, a shop code, a barcode prefix.
//! Samples are interleaved across rounds; the figure is the 95th percentile.
//! Goal: < 16 ms at p95 (one frame). Exits 1 when it is missed. Needs
//! tauri-driver (`./scripts/setup` installs it) and a display (uses
//! `$DISPLAY`, or starts Xvfb). Run: `cargo bench --bench catalogue_search`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;
use common::{ensure_display, finish, median, report};

#[path = "../tests/it/e2e/webdriver.rs"]
#[allow(dead_code)]
mod webdriver;
use webdriver::WebDriver;

const ROUNDS: usize = 5;
const BIG: usize = 20_000;
const SMALL: usize = 100;
const QUERIES: [&str; 7] = ["rice", "soybean oil", "biscuit 200", "P01234", "8941100", "চাল", "tea leaves 5"];

/// 20,000 products named as a grocer's shelf: brand, kind, size.
fn catalogue(count: usize) -> Vec<pos_core::journal::CatalogueItem> {
    const BRANDS: [&str; 40] = [
        "Pran",
        "ACI",
        "Teer",
        "Fresh",
        "Radhuni",
        "Ruchi",
        "Olympic",
        "Danish",
        "Bashundhara",
        "Meghna",
        "Square",
        "Keya",
        "Rupchanda",
        "Ispahani",
        "Kazi",
        "Aarong",
        "Igloo",
        "Nestle",
        "Marks",
        "Dano",
        "Arla",
        "Savoy",
        "Lux",
        "Sunsilk",
        "Pepsodent",
        "Closeup",
        "Parachute",
        "Jui",
        "Tibet",
        "Wheel",
        "Surf",
        "Rin",
        "Vim",
        "Harpic",
        "Lifebuoy",
        "Dettol",
        "Fair",
        "Ponds",
        "Vaseline",
        "Nivea",
    ];
    const KINDS: [(&str, &str); 50] = [
        ("Miniket rice", "মিনিকেট চাল"),
        ("Nazirshail rice", "নাজিরশাইল চাল"),
        ("Basmati rice", "বাসমতি চাল"),
        ("Soybean oil", "সয়াবিন তেল"),
        ("Mustard oil", "সরিষার তেল"),
        ("Tea leaves", "চা পাতা"),
        ("Sugar", "চিনি"),
        ("Salt", "লবণ"),
        ("Lentils", "মসুর ডাল"),
        ("Flour", "আটা"),
        ("Semolina", "সুজি"),
        ("Biscuit", "বিস্কুট"),
        ("Noodles", "নুডলস"),
        ("Milk powder", "গুঁড়া দুধ"),
        ("Turmeric", "হলুদ"),
        ("Chili powder", "মরিচ গুঁড়া"),
        ("Cumin", "জিরা"),
        ("Ghee", "ঘি"),
        ("Butter", "মাখন"),
        ("Jam", "জ্যাম"),
        ("Honey", "মধু"),
        ("Chanachur", "চানাচুর"),
        ("Chips", "চিপস"),
        ("Juice", "জুস"),
        ("Soft drink", "কোমল পানীয়"),
        ("Water", "পানি"),
        ("Soap", "সাবান"),
        ("Shampoo", "শ্যাম্পু"),
        ("Toothpaste", "টুথপেস্ট"),
        ("Detergent", "ডিটারজেন্ট"),
        ("Dishwasher", "ডিশওয়াশার"),
        ("Toilet cleaner", "টয়লেট ক্লিনার"),
        ("Hand wash", "হ্যান্ড ওয়াশ"),
        ("Hair oil", "চুলের তেল"),
        ("Lotion", "লোশন"),
        ("Cream", "ক্রিম"),
        ("Egg", "ডিম"),
        ("Onion", "পেঁয়াজ"),
        ("Garlic", "রসুন"),
        ("Ginger", "আদা"),
        ("Potato", "আলু"),
        ("Vermicelli", "সেমাই"),
        ("Puffed rice", "মুড়ি"),
        ("Flattened rice", "চিড়া"),
        ("Coffee", "কফি"),
        ("Ketchup", "কেচাপ"),
        ("Vinegar", "ভিনেগার"),
        ("Baking powder", "বেকিং পাউডার"),
        ("Corn flakes", "কর্ন ফ্লেক্স"),
        ("Oats", "ওটস"),
    ];
    const SIZES: [&str; 10] = ["100 g", "200 g", "250 g", "500 g", "1 kg", "2 kg", "5 kg", "500 ml", "1 L", "2 L"];
    (0..count)
        .map(|i| {
            let (kind, kind_bn) = KINDS[i % 50];
            let brand = BRANDS[(i / 50) % 40];
            let size = SIZES[(i / 2000) % 10];
            pos_core::journal::CatalogueItem {
                code: format!("P{i:05}"),
                barcode: Some(format!("89411{i:08}")),
                name_en: format!("{brand} {kind} {size}"),
                name_bn: Some(format!("{brand} {kind_bn} {size}")),
                price_poisha: 1_000 + (i as u64 * 37) % 200_000,
            }
        })
        .collect()
}

/// A fresh home whose Training journal holds `count` products.
fn home_with(count: usize, root: &Path) -> PathBuf {
    let home = root.join(format!("home-{count}"));
    let data = home.join("data/bd.counterpos.bkash");
    std::fs::create_dir_all(&data).unwrap();
    for sub in ["cache", "config", "runtime"] {
        std::fs::create_dir_all(home.join(sub)).unwrap();
    }
    let journal = data.join(pos_core::settings::journal_file(pos_core::bkash::Environment::Training));
    let mut journal = pos_core::journal::Journal::open(&journal).unwrap();
    journal.save_catalogue(&catalogue(count), chrono::Utc::now()).unwrap();
    home
}

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The release app on `home`, through tauri-driver, its catalogue loaded.
async fn open(home: &Path) -> (Driver, WebDriver) {
    let tauri_driver = std::env::var_os("TAURI_DRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin/tauri-driver"));
    let (port, native) = (free_port(), free_port());
    let child = Command::new(&tauri_driver)
        .args(["--port", &port.to_string(), "--native-port", &native.to_string(), "--native-driver", "/usr/bin/WebKitWebDriver"])
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_RUNTIME_DIR", home.join("runtime"))
        .env("NO_AT_BRIDGE", "1")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{} ({e}): run ./scripts/setup", tauri_driver.display()));
    let driver = Driver(child);
    wait_for_port(port).await;
    wait_for_port(native).await;
    let caps = json!({"browserName": "wry", "tauri:options": {"application": env!("CARGO_BIN_EXE_bkash-pos")}});
    let client = WebDriver::new_session(&format!("http://127.0.0.1:{port}"), caps).await.unwrap();
    // Ready once the counter has read the catalogue (its field says so).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let placeholder = client
            .execute("const f = document.querySelector('[data-testid=item-name]'); return f ? f.placeholder : '';", vec![])
            .await
            .unwrap();
        if placeholder.as_str().is_some_and(|p| p.contains("barcode")) {
            break;
        }
        assert!(Instant::now() < deadline, "the counter never loaded its catalogue");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (driver, client)
}

/// Types `query` one character at a time into the item field, in the page,
/// and returns each keystroke's time to the updated, laid-out list (ms).
const TYPE_AND_TIME: &str = r#"
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const field = document.querySelector('[data-testid=item-name]');
const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
const nextTask = () => new Promise((resolve) => { const c = new MessageChannel(); c.port1.onmessage = resolve; c.port2.postMessage(0); });
(async () => {
  field.focus();
  setValue.call(field, '');
  field.dispatchEvent(new Event('input', { bubbles: true }));
  await nextTask();
  const times = [];
  let shown = 0;
  for (const ch of Array.from(query)) {
    const start = performance.now();
    setValue.call(field, field.value + ch);
    field.dispatchEvent(new Event('input', { bubbles: true }));
    await nextTask();
    document.body.offsetHeight;
    times.push(performance.now() - start);
    shown = document.querySelectorAll('[data-testid=item-match]').length;
  }
  done({ times, shown });
})();
"#;

async fn type_query(client: &WebDriver, query: &str) -> (Vec<f64>, u64) {
    let answer: Value = client.execute_async(TYPE_AND_TIME, vec![query.into()]).await.unwrap();
    let times = answer["times"].as_array().unwrap().iter().map(|t| t.as_f64().unwrap()).collect();
    (times, answer["shown"].as_u64().unwrap_or(0))
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let xvfb = ensure_display();
    let root = tempfile::tempdir().unwrap();
    let homes = [home_with(BIG, root.path()), home_with(SMALL, root.path())];
    let mut apps = Vec::new();
    for home in &homes {
        apps.push(open(home).await);
    }
    let mut samples: [Vec<f64>; 2] = Default::default();
    for round in 0..ROUNDS {
        for query in QUERIES {
            // Alternate which side goes first.
            for turn in 0..2 {
                let side = (round + turn) % 2;
                let (times, shown) = type_query(&apps[side].1, query).await;
                if side == 0 {
                    assert!(shown > 0, "`{query}` matches something among {BIG} products");
                }
                samples[side].extend(times);
            }
        }
    }
    for (_, client) in apps {
        client.close().await;
    }
    let (big, small) = (&samples[0], &samples[1]);
    let (p95, base95) = (percentile(big, 0.95), percentile(small, 0.95));
    println!(
        "keystroke → list updated, {} keystrokes each: {BIG} products median {:.2} ms, p95 {p95:.2} ms, max {:.2} ms; {SMALL} products median {:.2} ms, p95 {base95:.2} ms",
        big.len(),
        median(big),
        percentile(big, 1.0),
        median(small),
    );
    report(
        "catalogue search: keystroke → list updated (20,000 products, WebKitGTK), p95",
        &format!("{p95:.1} ms ({:.2}x the 100-product catalogue's {base95:.1} ms)", p95 / base95.max(0.001)),
        "< 16 ms",
        p95 < 16.0,
    );
    drop(xvfb);
    finish();
}
