//! The client's own cost, for each bKash product: a full payment (create +
//! execute + query) through `BkashClient` against the local simulator, and
//! the same three requests sent with bare reqwest in the same run. The ratio is the client's overhead
//! (token handling, validation, decoding, answer checks, and tracing through
//! the app's own subscriber writing its log file). The two sides alternate
//! (ABAB…) over several rounds; medians are compared. Goal: at most 1.10x.
//!
//! Run: `cargo bench --bench client_overhead`

use std::sync::Arc;
use std::time::{Duration, Instant};

use bkash_sim::{SimConfig, SimServer};
use pos_core::bkash::{BkashClient, BkashConfig, CreatePayment, ExpectedPayment, MemoryTokenStore};
use pos_core::money::{Amount, Product};
use serde_json::json;

mod common;
use common::{authorised, finish, grant, median, report};

const PAYMENTS: u64 = 2_000;
const ROUNDS: usize = 10;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let logs = tempfile::tempdir().unwrap();
    let _log = pos_core::logging::init(logs.path()).unwrap();
    for product in [Product::Checkout, Product::Tokenized] {
        let ratio = measure(product, logs.path()).await;
        report(
            &format!("client overhead, {product} (create+execute+query)"),
            &format!("{ratio:.3}x bare reqwest"),
            "<= 1.10x",
            ratio <= 1.10,
        );
    }
    finish();
}

/// One product's rounds: the client and bare reqwest, alternating.
async fn measure(product: Product, logs: &std::path::Path) -> f64 {
    let sim =
        SimServer::start(SimConfig { duplicate_window_secs: 0, token_budget_per_hour: 100, ..SimConfig::default() }, 0).await.unwrap();
    let config = pos_core::bkash::training_config(&sim.base_url()).with_product(product);
    let client = BkashClient::new(config.clone(), Arc::new(MemoryTokenStore::default())).unwrap();
    // Same timeouts as the client: bKash requires them, so they are not overhead.
    let http = reqwest::Client::builder().timeout(config.timeout).connect_timeout(config.connect_timeout).build().unwrap();
    let token = grant(&http, &config).await;

    let mut client_times = Vec::new();
    let mut bare_times = Vec::new();
    for round in 0..ROUNDS {
        // Alternate the order so neither side always runs on a warmer machine.
        let offset = round as u64 * PAYMENTS * 2;
        if round % 2 == 0 {
            client_times.push(with_client(&client, &sim, offset).await);
            bare_times.push(with_bare(&http, &sim, &config, &token, offset + PAYMENTS).await);
        } else {
            bare_times.push(with_bare(&http, &sim, &config, &token, offset).await);
            client_times.push(with_client(&client, &sim, offset + PAYMENTS).await);
        }
    }
    let (c, b) = (median(&client_times), median(&bare_times));
    let ratio = c.as_secs_f64() / b.as_secs_f64();
    let logged = std::fs::read_dir(logs).unwrap().flatten().map(|f| f.metadata().unwrap().len()).sum::<u64>();
    println!("{product}: full payment (create + execute + query), {PAYMENTS} payments a round, median of {ROUNDS} alternating rounds");
    println!("  BkashClient: {:>8.1} µs per payment (logging to a file: {} KiB written so far)", per_payment(c), logged / 1024);
    println!("  bare reqwest:{:>8.1} µs per payment", per_payment(b));
    println!("  ratio:       {ratio:.3}x (goal <= 1.10x)");
    ratio
}

fn per_payment(d: Duration) -> f64 {
    d.as_micros() as f64 / PAYMENTS as f64
}

async fn with_client(client: &BkashClient, sim: &SimServer, offset: u64) -> Duration {
    let start = Instant::now();
    for i in 0..PAYMENTS {
        let request =
            CreatePayment { amount: Amount::from_poisha(10_000 + offset + i), merchant_invoice_number: format!("C{}", offset + i) };
        let created = client.create_payment(&request).await.unwrap();
        sim.customer_pays(&created.payment_id, "01770618575", "123456", "12121").unwrap();
        let payment = ExpectedPayment::from(&created);
        client.execute_payment(&payment).await.unwrap();
        client.query_payment(&payment).await.unwrap();
    }
    start.elapsed()
}

async fn with_bare(http: &reqwest::Client, sim: &SimServer, config: &BkashConfig, token: &str, offset: u64) -> Duration {
    let base = &config.base_url;
    let tokenized = config.product == Product::Tokenized;
    let start = Instant::now();
    for i in 0..PAYMENTS {
        let amount = format!("{}.00", 100 + (offset + i) / 100);
        let mut body = json!({"amount": amount, "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": format!("B{}", offset + i)});
        let create = if tokenized {
            body["mode"] = json!("0011");
            body["payerReference"] = json!(" ");
            body["callbackURL"] = json!(config.callback_url);
            format!("{base}/tokenized/checkout/create")
        } else {
            format!("{base}/checkout/payment/create")
        };
        let created = common::json(authorised(http.post(create), config, token).json(&body)).await;
        let id = created["paymentID"].as_str().unwrap().to_string();
        sim.customer_pays(&id, "01770618575", "123456", "12121").unwrap();
        for call in ["execute", "query"] {
            let request = match (tokenized, call) {
                (true, "execute") => http.post(format!("{base}/tokenized/checkout/execute")).json(&json!({"paymentID": id})),
                (true, _) => http.post(format!("{base}/tokenized/checkout/payment/status")).json(&json!({"paymentID": id})),
                (false, "execute") => http.post(format!("{base}/checkout/payment/execute/{id}")),
                (false, _) => http.get(format!("{base}/checkout/payment/query/{id}")),
            };
            let answer = common::json(authorised(request, config, token)).await;
            assert!(answer.get("errorCode").is_none() && answer.get("statusCode").is_none_or(|c| c == "0000"), "{answer}");
        }
    }
    start.elapsed()
}
