//! Memory with a hostile answer: a server where bKash's API should be sends
//! 1 GiB on Execute. The client must stop reading at its 1 MiB cap, so the
//! process's peak memory stays where ordinary payments left it.
//!
//! Baseline: the peak RSS while the client receives an Execute answer just
//! under its 1 MiB cap (what the cap allows). Subject: the peak while it
//! receives a 1 GiB answer. Same client, simulator and process; the two
//! alternate over several rounds, each peak measured from a reset (Linux
//! `clear_refs`), and the medians are compared. Goal: subject / baseline
//! <= 1.10. Exits 1 when the goal is missed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bkash_sim::{FaultKind, FaultRule, SimConfig, SimServer};
use pos_core::bkash::answer::MAX_ANSWER_BYTES;
use pos_core::bkash::{BkashClient, BkashError, CreatePayment, ExpectedPayment, MemoryTokenStore};
use pos_core::money::Amount;

mod common;
use common::{finish, median, peak_rss_mib, report, reset_peak_rss};

const ANSWER_BYTES: u64 = 1 << 30;
const GOAL: f64 = 1.10;
const ROUNDS: u64 = 5;

async fn payment(client: &BkashClient, sim: &SimServer, n: u64) -> ExpectedPayment {
    let request = CreatePayment { amount: Amount::from_poisha(10_000 + n), merchant_invoice_number: format!("H{n}") };
    let created = client.create_payment(&request).await.unwrap();
    sim.customer_pays(&created.payment_id, "01770618575", "123456", "12121").unwrap();
    ExpectedPayment::from(&created)
}

#[tokio::main]
async fn main() {
    let sim = SimServer::start(SimConfig { token_budget_per_hour: 100, ..SimConfig::default() }, 0).await.unwrap();
    let mut config = pos_core::bkash::training_config(&sim.base_url());
    config.timeout = Duration::from_secs(30);
    let client = BkashClient::new(config, Arc::new(MemoryTokenStore::default())).unwrap();

    for n in 0..200 {
        let paid = payment(&client, &sim, n).await;
        client.execute_payment(&paid).await.unwrap();
        client.query_payment(&paid).await.unwrap();
    }
    let mut baselines = Vec::new();
    let mut subjects = Vec::new();
    let mut refused = None;
    for round in 0..ROUNDS {
        for (bytes, peaks) in [(MAX_ANSWER_BYTES as u64 - 1, &mut baselines), (ANSWER_BYTES, &mut subjects)] {
            let paid = payment(&client, &sim, 1_000 + round * 2 + u64::from(bytes == ANSWER_BYTES)).await;
            sim.add_fault(FaultRule::once("checkout.execute", FaultKind::Oversized).bytes(bytes));
            reset_peak_rss();
            let start = Instant::now();
            let error = client.execute_payment(&paid).await.unwrap_err();
            peaks.push(peak_rss_mib());
            assert!(matches!(error, BkashError::OutcomeUnknown { .. }), "{error:?}");
            if bytes == ANSWER_BYTES {
                refused = Some((start.elapsed(), error));
            }
        }
    }
    let (baseline, subject) = (median(&baselines), median(&subjects));
    let (took, error) = refused.expect("at least one round");
    let ratio = subject / baseline;
    println!("peak RSS with a {} MiB answer on Execute (the client reads at most 1 MiB)", ANSWER_BYTES >> 20);
    println!("  baseline, peak while reading a 1 MiB answer: {baseline:>7.1} MiB (median of {ROUNDS}, alternating)");
    println!("  peak while a 1 GiB answer arrives:           {subject:>7.1} MiB (refused in {took:.1?}: {error})");
    report(
        "peak RSS with a 1 GiB answer on Execute",
        &format!("{subject:.1} MiB, {ratio:.3}x an answer at the 1 MiB cap"),
        &format!("<= {GOAL:.2}x"),
        ratio <= GOAL,
    );
    finish();
}
