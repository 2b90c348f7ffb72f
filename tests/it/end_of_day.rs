//! Closing the day: a numbered report per counter and cashier, payments
//! still being checked carried over, the report never changed afterwards,
//! and a later change to a closed day listed on the next report.

use bkash_sim::{FaultKind, FaultRule};
use chrono::Utc;
use pos_core::journal::JournalError;
use pos_core::journal::JournalRead;
use pos_core::money::PaymentState;
use pos_core::report::close_day;

use crate::support::Shop;

async fn sale(shop: &Shop, order: &str, poisha: u64, counter: &str, cashier: &str, wallet: &str, lose_answer: bool) -> i64 {
    let row = shop.service.start(order, poisha, Some(counter), Some(cashier)).await.unwrap();
    let payment_id = shop.service.create(row.id).await.unwrap().bkash.unwrap().payment_id;
    shop.sim.customer_pays(&payment_id, wallet, "123456", "12121").unwrap();
    if lose_answer {
        shop.sim.add_fault(FaultRule::once("checkout.execute", FaultKind::DropResponse));
    }
    shop.service.execute(row.id).await.unwrap();
    row.id
}

#[tokio::test]
async fn a_closed_day_has_a_numbered_report_that_never_changes_and_corrections_go_on_the_next() {
    // The sales are yesterday's: a day is closed once it is over.
    let clock = std::sync::Arc::new(pos_core::money::ManualClock::default());
    clock.advance(-chrono::Duration::days(1));
    let shop = Shop::open_with_clock(clock.clone()).await;
    sale(&shop, "S-1", 10_000, "C1", "rina", "01770618575", false).await;
    sale(&shop, "S-2", 25_050, "C2", "করিম", "01770618575", false).await;
    sale(&shop, "S-3", 5_000, "C1", "rina", "01823074817", false).await;
    let lost = sale(&shop, "S-4", 7_300, "C2", "করিম", "01770618575", true).await;
    assert_eq!(shop.row(lost).state, PaymentState::Unknown);

    let today = pos_core::money::time::bangladesh_date(pos_core::money::Clock::now(clock.as_ref()));
    let reader = shop.reader();
    let (first, stored) = close_day(&mut shop.journal.lock().unwrap(), today, "Rahim Store", Utc::now()).unwrap();
    assert_eq!((first.number, stored.number), (1, 1));
    assert_eq!((first.summary.completed.count, first.summary.completed.amount_poisha), (2, 35_050));
    assert_eq!(first.summary.failed.count, 1);
    let by_counter: Vec<_> = first.by_counter.iter().map(|g| (g.name.as_str(), g.completed.amount_poisha)).collect();
    assert_eq!(by_counter, [("C1", 10_000), ("C2", 25_050)]);
    let by_cashier: Vec<_> = first.by_cashier.iter().map(|g| (g.name.as_str(), g.completed.count)).collect();
    assert_eq!(by_cashier, [("rina", 1), ("করিম", 1)]);
    assert_eq!(first.carried_over.len(), 1, "the payment still being checked is carried over");
    assert_eq!(first.carried_over[0].order_id, "S-4");
    assert!(first.corrections.is_empty());
    // Stored exactly as built, and never changed.
    assert_eq!(serde_json::from_str::<pos_core::report::EndOfDay>(&stored.body).unwrap(), first);
    let again = close_day(&mut shop.journal.lock().unwrap(), today, "Rahim Store", Utc::now()).unwrap_err();
    assert!(matches!(again, JournalError::DayClosed { number: 1, .. }), "{again:?}");
    let tamper = shop.journal.lock().unwrap().connection().execute("UPDATE day_reports SET body = '{}' WHERE number = 1", []);
    assert!(tamper.unwrap_err().to_string().contains("cannot be changed"));

    // bKash answers later: the closed day's payment settles...
    clock.advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
    pos_core::reconcile::Reconciler::new(shop.service.clone(), 1).recheck().await.unwrap();
    assert_eq!(shop.row(lost).state, PaymentState::Completed);
    // ...and the next report lists it as a correction to report #1.
    let tomorrow = today.succ_opt().unwrap();
    let after_tomorrow = Utc::now() + chrono::Duration::days(1) + chrono::Duration::minutes(2);
    let (second, _) = close_day(&mut shop.journal.lock().unwrap(), tomorrow, "Rahim Store", after_tomorrow).unwrap();
    assert_eq!(second.number, 2);
    assert_eq!(second.corrections.len(), 1);
    assert_eq!((second.corrections[0].closed_in, second.corrections[0].payment.state.as_str()), (1, "completed"));
    assert!(second.carried_over.is_empty());
    assert_eq!(second.summary.completed.count, 0, "tomorrow's own totals are its own");
    // The headless report carries the closed day's report as printed.
    let headless = pos_core::report::day_report(&reader, today).unwrap();
    assert_eq!(headless.end_of_day.as_ref(), Some(&first));
    let first_again = reader.day_report_of(today).unwrap().unwrap();
    assert_eq!(first_again.body, stored.body, "report #1 still reads as it was printed");
}
