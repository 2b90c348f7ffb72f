//! Bangladesh time: the one home of the shop's clock and calendar. Every
//! stored timestamp is UTC; a day, a receipt's time and a financial year are
//! Bangladesh-local (UTC+06:00, no daylight saving).

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

/// Bangladesh Standard Time: UTC+06:00, no daylight saving.
pub fn bangladesh() -> FixedOffset {
    FixedOffset::east_opt(6 * 3600).expect("+06:00 is a valid offset")
}

/// The UTC instants that bound a Bangladesh-local calendar day: `[start, end)`.
pub fn bangladesh_day(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = bangladesh()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc);
    (start, start + Duration::days(1))
}

/// Today's date in Bangladesh.
pub fn bangladesh_today() -> NaiveDate {
    bangladesh_date(Utc::now())
}

/// The date in Bangladesh at `at`.
pub fn bangladesh_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&bangladesh()).date_naive()
}

/// `at` in Bangladesh time, as reports and messages write it: `2026-11-25 13:10:38`.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&bangladesh()).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `at` in Bangladesh time, as the receipt writes it: `30 Nov 2026, 13:10:38`.
pub fn receipt_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&bangladesh()).format("%d %b %Y, %H:%M:%S").to_string()
}

/// Bangladesh's financial year (1 July to 30 June) that `day` falls in,
/// named by the year it starts: 2026-07-01 and 2027-06-30 are both in 2026
/// ("2026-27"), the year VAT returns and Mushak registers are kept by.
pub fn financial_year(day: NaiveDate) -> i32 {
    if day.month() >= 7 {
        day.year()
    } else {
        day.year() - 1
    }
}
