use chrono::{NaiveDate, TimeZone, Utc};
use pos_core::journal::JournalRead;
use pos_core::journal::{Journal, NewPayment, TransitionFacts};
use pos_core::money::PaymentState;
use pos_core::report::{bangladesh_day, day_summary, Tally};

#[test]
fn a_bangladesh_day_runs_from_18_00_utc_to_18_00_utc() {
    let (start, end) = bangladesh_day(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    assert_eq!(start.to_rfc3339(), "2026-11-24T18:00:00+00:00");
    assert_eq!(end.to_rfc3339(), "2026-11-25T18:00:00+00:00");
}

#[test]
fn the_day_summary_counts_each_payment_once_by_what_happened_to_the_money() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap();
    let at = |h: u32, m: u32, s: u32| Utc.with_ymd_and_hms(2026, 11, 24, h, m, s).unwrap();
    let steps = |to: PaymentState| -> Vec<PaymentState> {
        use PaymentState::*;
        match to {
            Completed => vec![Creating, AwaitingCustomer, Executing, Completed],
            Failed => vec![Creating, AwaitingCustomer, Executing, Failed],
            Unknown => vec![Creating, AwaitingCustomer, Executing, Unknown],
            Cancelled => vec![Cancelled],
            NotCharged => vec![Creating, NotCharged],
            AwaitingCustomer => vec![Creating, AwaitingCustomer],
            other => panic!("{other}"),
        }
    };
    // (UTC time on the 24th, amount, final state). 18:00 UTC is midnight in Dhaka.
    let payments = [
        (at(17, 59, 59), 99_999, PaymentState::Completed), // 23:59:59 on the 24th in Dhaka: not this day
        (at(18, 0, 0), 10_000, PaymentState::Completed),
        (at(20, 0, 0), 25_050, PaymentState::Completed),
        (at(21, 0, 0), 5_000, PaymentState::Failed),
        (at(22, 0, 0), 7_000, PaymentState::Cancelled),
        (at(22, 30, 0), 8_000, PaymentState::NotCharged),
        (at(23, 0, 0), 9_000, PaymentState::Unknown),
        (at(23, 30, 0), 1_000, PaymentState::AwaitingCustomer),
    ];
    for (i, (when, poisha, state)) in payments.into_iter().enumerate() {
        let new = NewPayment {
            product: pos_core::money::Product::Checkout,
            pay_at: pos_core::money::PayAt::Counter,
            order_id: format!("O{i}"),
            invoice: format!("I{i}"),
            amount_poisha: poisha,
            counter_id: None,
            cashier: None,
        };
        let row = journal.start_payment(&new, when).unwrap();
        for step in steps(state) {
            journal.transition(row.id, step, &TransitionFacts::default(), when).unwrap();
        }
    }
    let summary = day_summary(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), |from, to| journal.totals_between(from, to)).unwrap();
    assert_eq!(summary.completed, Tally { count: 2, amount_poisha: 35_050 });
    assert_eq!(summary.failed, Tally { count: 1, amount_poisha: 5_000 });
    assert_eq!(summary.cancelled, Tally { count: 2, amount_poisha: 15_000 });
    assert_eq!(summary.checking, Tally { count: 1, amount_poisha: 9_000 });
    assert_eq!(summary.in_progress, Tally { count: 1, amount_poisha: 1_000 });
    let before = day_summary(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(), |from, to| journal.totals_between(from, to)).unwrap();
    assert_eq!(before.completed, Tally { count: 1, amount_poisha: 99_999 });
}
