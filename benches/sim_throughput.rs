//! How many payments per second the simulator serves over real loopback HTTP:
//! create + customer (control API) + execute, with one token grant up front.
//! The baseline, measured in the same run, is the same number of bare
//! requests to the simulator's health endpoint: the floor of HTTP cost here.
//!
//! Run: `cargo bench --bench sim_throughput`

use std::time::{Duration, Instant};

use bkash_pos::bkash::BkashConfig;
use bkash_pos::sim::{SimConfig, SimServer};

mod common;
use common::{authorised, grant};
use serde_json::json;

const PAYMENTS: usize = 4_000;
const WORKERS: usize = 16;

#[tokio::main]
async fn main() {
    let sim = SimServer::start(SimConfig { duplicate_window_secs: 0, ..SimConfig::default() }, 0).await.unwrap();
    let base = sim.base_url();
    let config = BkashConfig::training(&base);
    let http = reqwest::Client::new();
    let token = grant(&http, &config).await;

    // Warm up connections and code paths.
    run_payments(&http, &base, &config, &token, 200).await;
    let baseline = run_bare(&http, &base, PAYMENTS * 3).await;
    let payments = run_payments(&http, &base, &config, &token, PAYMENTS).await;

    let per_sec = PAYMENTS as f64 / payments.as_secs_f64();
    let baseline_per_sec = PAYMENTS as f64 / baseline.as_secs_f64();
    println!("simulator: {PAYMENTS} payments (create + customer + execute), {WORKERS} concurrent clients");
    println!("  payments:  {:>8.0} payments/s  ({:.2?} total)", per_sec, payments);
    println!("  baseline:  {:>8.0} payment-equivalents/s of bare health requests ({:.2?})", baseline_per_sec, baseline);
    println!("  ratio:     {:.2}x the bare-HTTP floor", payments.as_secs_f64() / baseline.as_secs_f64());
    let ledger = sim.ledger();
    let completed = ledger.iter().filter(|p| p.trx_id.is_some()).count();
    assert_eq!(completed, PAYMENTS + 200, "every benchmark payment completed");
}

async fn run_payments(http: &reqwest::Client, root: &str, config: &BkashConfig, token: &str, n: usize) -> Duration {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let (http, root, config, token) = (http.clone(), root.to_string(), config.clone(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let base = &config.base_url;
            for i in (w..n).step_by(WORKERS) {
                let body = json!({"amount": format!("{}.00", 100 + i), "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": format!("B{i}")});
                let created = common::json(authorised(http.post(format!("{base}/checkout/payment/create")), &config, &token).json(&body)).await;
                let id = created["paymentID"].as_str().unwrap();
                http.post(format!("{root}/__sim/payments/{id}/customer")).json(&json!({"wallet": "01770618575", "otp": "123456", "pin": "12121"})).send().await.unwrap();
                let executed = common::json(authorised(http.post(format!("{base}/checkout/payment/execute/{id}")), &config, &token)).await;
                assert_eq!(executed["transactionStatus"], "Completed", "{executed}");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    start.elapsed()
}

async fn run_bare(http: &reqwest::Client, base: &str, n: usize) -> Duration {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let (http, base) = (http.clone(), base.to_string());
        tasks.push(tokio::spawn(async move {
            for _ in (w..n).step_by(WORKERS) {
                http.get(format!("{base}/__sim/health")).send().await.unwrap().bytes().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    start.elapsed()
}
