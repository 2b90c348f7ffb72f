//! How many payments per second the simulator serves over real loopback HTTP:
//! create + customer (control API) + execute, with one token grant up front.
//! The baseline, measured in the same run, is the same number of bare
//! requests to the simulator's health endpoint: the floor of HTTP cost here.
//! The two alternate (ABAB…) over several rounds; medians are compared.
//! Goal: a payment's three requests take at most 2.5x three bare requests
//! (the simulator must never be what a test or Training waits on).
//!
//! Run: `cargo bench --bench sim_throughput`

use std::time::{Duration, Instant};

use bkash_sim::{SimConfig, SimServer};
use pos_core::bkash::BkashConfig;

mod common;
use common::{authorised, finish, grant, median, report};
use serde_json::json;

const PAYMENTS: usize = 2_000;
const ROUNDS: usize = 4;
const GOAL: f64 = 2.5;
const WORKERS: usize = 16;

#[tokio::main]
async fn main() {
    let sim = SimServer::start(SimConfig { duplicate_window_secs: 0, ..SimConfig::default() }, 0).await.unwrap();
    let base = sim.base_url();
    let config = pos_core::bkash::training_config(&base);
    let http = reqwest::Client::new();
    let token = grant(&http, &config).await;

    // Warm up connections and code paths.
    run_payments(&http, &base, &config, &token, 0, 200).await;
    let (mut bare, mut paid) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let first = 200 + round * PAYMENTS;
        if round % 2 == 0 {
            bare.push(run_bare(&http, &base, PAYMENTS * 3).await);
            paid.push(run_payments(&http, &base, &config, &token, first, PAYMENTS).await);
        } else {
            paid.push(run_payments(&http, &base, &config, &token, first, PAYMENTS).await);
            bare.push(run_bare(&http, &base, PAYMENTS * 3).await);
        }
    }
    let (payments, baseline) = (median(&paid), median(&bare));
    let per_sec = PAYMENTS as f64 / payments.as_secs_f64();
    let ratio = payments.as_secs_f64() / baseline.as_secs_f64();
    println!("simulator: {PAYMENTS} payments a round (create + customer + execute), {WORKERS} concurrent clients, median of {ROUNDS} alternating rounds");
    println!("  payments:  {:>8.0} payments/s  ({:.2?} a round)", per_sec, payments);
    println!(
        "  baseline:  {:>8.0} payment-equivalents/s of bare health requests ({:.2?})",
        PAYMENTS as f64 / baseline.as_secs_f64(),
        baseline
    );
    println!("  ratio:     {ratio:.2}x the bare-HTTP floor (goal <= {GOAL}x)");
    let ledger = sim.ledger();
    let completed = ledger.iter().filter(|p| p.trx_id.is_some()).count();
    assert_eq!(completed, ROUNDS * PAYMENTS + 200, "every benchmark payment completed");
    report(
        "simulator throughput",
        &format!("{per_sec:.0} payments/s, {ratio:.2}x bare HTTP"),
        &format!("<= {GOAL}x bare HTTP"),
        ratio <= GOAL,
    );
    finish();
}

async fn run_payments(http: &reqwest::Client, root: &str, config: &BkashConfig, token: &str, first: usize, n: usize) -> Duration {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let (http, root, config, token) = (http.clone(), root.to_string(), config.clone(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let base = &config.base_url;
            for i in (first + w..first + n).step_by(WORKERS) {
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
