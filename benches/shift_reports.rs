//! The X/Z report over a busy shift and the manager's day made of shifts,
//! on a real journal file (WAL, synchronous=FULL), read as the screens read.
//!
//! - Z/X report: a shift of 2,000 cash sales, against a baseline shift of 20
//!   in the same journal (the figures are grouped queries over the indexed
//!   `shift` columns, so the busy shift should cost little more).
//! - The manager's day: a day of 20 closed shifts (100 sales each), against
//!   a baseline day of one shift.
//!
//! 200 samples each, interleaved with their baseline; the figure is the 95th
//! percentile. Goals: each < 50 ms at p95. Exits 1 when one is missed.
//! Run: `cargo bench --bench shift_reports`.

// Amounts are written taka_poisha: 1_000_00 is ৳1,000.00.
#![allow(clippy::inconsistent_digit_grouping)]

use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use pos_core::journal::{BlindCount, Journal, JournalRead};
use pos_core::money::{Role, SaleLine};
use pos_core::report::{bangladesh_day, till_day};
use pos_core::shift::ShiftReport;

mod common;
use common::{finish, report};

const SAMPLES: usize = 200;

fn p95(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    ms[(ms.len() * 95 / 100).min(ms.len() - 1)]
}

/// A shift at `counter` opened at `at` with `sales` cash sales; closed when `close`.
fn shift(journal: &mut Journal, counter: &str, at: DateTime<Utc>, sales: usize, close: bool) -> i64 {
    let id = journal.open_shift(counter, 1, 1_000_00, None, at).unwrap().id;
    for n in 0..sales {
        let order = format!("{counter}-{id}-{n}");
        let line =
            [SaleLine { code: Some(format!("P{:04}", n % 500)), name: "Rice 5 kg".into(), quantity: 1, unit_poisha: 100_00 + n as u64 }];
        let now = at + Duration::seconds(n as i64);
        journal.record_sale(&order, Some(counter), None, &line, now).unwrap();
        journal.take_cash(&order, 1_000_00, None, now).unwrap();
    }
    if close {
        journal
            .close_shift(id, 1, &BlindCount { counted_poisha: 1_000_00, notes: None }, at + Duration::hours(8), |_, _| "{}".into())
            .unwrap();
    }
    id
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap();
    journal.add_staff("Sumi", Role::Cashier, |_| (vec![0; 16], vec![0; 12]), Utc::now()).unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let morning = |d: u32| bangladesh_day(day(d)).0 + Duration::hours(3);
    eprintln!("writing the journal: 2,020 sales in two shifts, then 21 shifts over two days...");
    let quiet = shift(&mut journal, "C1", morning(1), 20, true);
    let busy = shift(&mut journal, "C2", morning(1), 2_000, false);
    for counter in 0..20 {
        shift(&mut journal, &format!("D{counter}"), morning(2) + Duration::minutes(counter), 100, true);
    }
    shift(&mut journal, "E1", morning(3), 100, true);
    let x = |id: i64| {
        let row = journal.shift(id).unwrap().unwrap();
        let figures = journal.shift_figures(&row).unwrap();
        ShiftReport::of("Rahim Store", &row, &figures, Utc::now())
    };
    assert_eq!(x(busy).cash.count, 2_000);
    let (mut busy_ms, mut quiet_ms, mut day_ms, mut one_ms) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..SAMPLES {
        let t = Instant::now();
        std::hint::black_box(x(busy));
        busy_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        std::hint::black_box(x(quiet));
        quiet_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let shifts = till_day(&journal, day(2)).unwrap().unwrap().shifts;
        day_ms.push(t.elapsed().as_secs_f64() * 1e3);
        // The day's 20, and the busy shift still open from the day before.
        assert_eq!(shifts.len(), 21);
        let t = Instant::now();
        std::hint::black_box(till_day(&journal, day(3)).unwrap());
        one_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let (busy, quiet, day20, day1) = (p95(busy_ms), p95(quiet_ms), p95(day_ms), p95(one_ms));
    println!("X/Z report, 2,000-sale shift: p95 {busy:.2} ms; 20-sale shift {quiet:.2} ms; ratio {:.2}x", busy / quiet);
    println!("manager's day, 20 shifts: p95 {day20:.2} ms; one shift {day1:.2} ms; ratio {:.2}x", day20 / day1);
    report("Z report, 2,000 sales (p95)", &format!("{busy:.2} ms ({:.2}x a 20-sale shift)", busy / quiet), "< 50 ms", busy < 50.0);
    report("manager's day, 20 shifts (p95)", &format!("{day20:.2} ms ({:.2}x a one-shift day)", day20 / day1), "< 50 ms", day20 < 50.0);
    finish();
}
