//! Paid → the receipt's last byte at the printer: an 80 mm receipt (the ten
//! lines every receipt has) printed on an ESC/POS network printer, a fake one
//! on loopback that answers the paper question and reads the job to its end,
//! timing the moment it has the last byte.
//!
//! - subject: `ReceiptPrinter::print` on a paid payment (read it from the
//!   journal, lay out and shape the text, draw the picture, encode, send,
//!   journal "printed");
//! - baseline, in the same run and alternating with it: sending the same
//!   job's bytes to the same printer (the transport alone).
//!
//! The first print after start loads the system's fonts; the app warms the
//! rasterizer at start-up when a printer is set up, so the figure is the
//! median of warm prints, and the cold first one is printed beside it.
//! Goal: < 500 ms from Paid to the last byte. Exits 1 when it is missed.
//! Run: `cargo bench --bench receipt_print`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use bkash_sim::{SimConfig, SimServer};
use pos_core::bkash::{BkashClient, MemoryTokenStore, TokenPolicy};
use pos_core::journal::Journal;
use pos_core::money::{Clock, PaymentState, SystemClock};
use pos_core::payment::PaymentService;
use pos_core::print::{PaperWidth, PrinterAddress, PrinterSetup, ReceiptLanguage, ReceiptPrinter, Shop};

mod common;
use common::{finish, median, report};

const ROUNDS: usize = 20;

/// A printer on loopback: answers "paper OK", then notes when each job's
/// last byte arrived and how long the job was.
async fn printer() -> (PrinterAddress, Arc<Mutex<Vec<(Instant, usize)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("127.0.0.1:{}", listener.local_addr().unwrap().port()).parse().unwrap();
    let done: Arc<Mutex<Vec<(Instant, usize)>>> = Arc::default();
    let kept = done.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut asked = [0u8; 3];
                socket.read_exact(&mut asked).await.unwrap();
                socket.write_all(&[0x12]).await.unwrap();
                let mut job = Vec::new();
                socket.read_to_end(&mut job).await.unwrap();
                kept.lock().unwrap().push((Instant::now(), job.len()));
            });
        }
    });
    (address, done)
}

async fn last_byte(done: &Arc<Mutex<Vec<(Instant, usize)>>>, n: usize) -> (Instant, usize) {
    loop {
        if let Some(at) = done.lock().unwrap().get(n).copied() {
            return at;
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

#[tokio::main]
async fn main() {
    let sim = SimServer::start(SimConfig { token_budget_per_hour: 50, ..SimConfig::default() }, 0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let client = BkashClient::with_clock(
        pos_core::bkash::training_config(&sim.base_url()),
        Arc::new(MemoryTokenStore::default()),
        clock.clone(),
        TokenPolicy { budget_per_hour: 50, ..Default::default() },
    )
    .unwrap();
    let journal = Arc::new(Mutex::new(Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap()));
    let service = Arc::new(PaymentService::new(journal, Arc::new(client), clock));
    let row = service.start("BENCH-1", 125_050, Some("C1"), None).await.unwrap();
    let created = service.create(row.id).await.unwrap();
    sim.customer_pays(created.row.payment_id.as_deref().unwrap(), "01770618575", "123456", "12121").unwrap();
    assert_eq!(service.execute(row.id).await.unwrap().state, PaymentState::Completed);

    let (address, done) = printer().await;
    let setup = PrinterSetup { address: address.clone(), paper: PaperWidth::Mm80, open_drawer: false };
    let receipts =
        ReceiptPrinter::new(service, Shop { name: "Rahim Store".into(), counter: "C1".into(), not_real: Some("TRAINING".into()) });
    let mut jobs = 0;
    let cold = {
        let paid = Instant::now();
        receipts.print(row.id, &setup, ReceiptLanguage::Bn).await.unwrap();
        jobs += 1;
        last_byte(&done, jobs - 1).await.0 - paid
    };
    let job_bytes = last_byte(&done, 0).await.1;
    let job = vec![0u8; job_bytes];
    let (mut prints, mut sends) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let language = if round % 2 == 0 { ReceiptLanguage::En } else { ReceiptLanguage::Bn };
        let paid = Instant::now();
        receipts.print(row.id, &setup, language).await.unwrap();
        jobs += 1;
        prints.push((last_byte(&done, jobs - 1).await.0 - paid).as_secs_f64() * 1000.0);
        let start = Instant::now();
        address.send(&job).await.unwrap();
        jobs += 1;
        sends.push((last_byte(&done, jobs - 1).await.0 - start).as_secs_f64() * 1000.0);
    }
    let (p, s) = (median(&prints), median(&sends));
    println!("80 mm receipt, {job_bytes} bytes of ESC/POS; {ROUNDS} rounds, English and Bangla alternating");
    println!(
        "  Paid -> last byte at the printer: median {p:.1} ms (all: {prints:.0?}); the first, loading the fonts: {:.0} ms",
        cold.as_secs_f64() * 1000.0
    );
    println!("  baseline, the same bytes sent alone: median {s:.2} ms; ratio {:.1}x", p / s.max(0.001));
    report(
        "Paid -> receipt's last byte (80 mm, ESC/POS)",
        &format!("{p:.0} ms, {:.1}x sending alone", p / s.max(0.001)),
        "< 500 ms",
        p < 500.0,
    );
    finish();
}
