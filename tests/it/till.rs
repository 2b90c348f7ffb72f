//! The till without a webview: sales journaled with their lines before any
//! payment, one tender per sale (the schema refuses a second), cash with
//! change, the sale reopened after a restart, the catalogue CSV import, and
//! the day's cash, drawers and items in the reports.

// Amounts are written taka_poisha, as a shopkeeper reads them: 420_00 is ৳420.00.
#![allow(clippy::inconsistent_digit_grouping)]

use pos_core::journal::{CatalogueItem, DrawerCount, Journal, JournalError, JournalRead, JournalReader, NewPayment};
use pos_core::money::{Amount, PayAt, PaymentState, Product, SaleLine, SaleProblem, Tender, TypedAmountProblem};
use pos_core::payment::{Anyway, CheckoutDesk, PaymentError};
use pos_core::report;
use pos_core::till::{parse_catalogue, FileProblem, RowProblem, Till};

use crate::support::Shop;

fn line(code: Option<&str>, name: &str, quantity: u32, unit_poisha: u64) -> SaleLine {
    SaleLine { code: code.map(str::to_string), name: name.into(), quantity, unit_poisha }
}

fn three_lines() -> Vec<SaleLine> {
    vec![
        line(Some("RICE5"), "Miniket rice 5 kg", 2, 420_00),
        line(Some("OIL1"), "Soybean oil 1 L", 1, 189_50),
        line(None, "Carry bag", 3, 5_00),
    ]
}

fn journal_error(e: PaymentError) -> JournalError {
    match e {
        PaymentError::Journal(e) => e,
        other => panic!("expected a journal refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_sale_is_journaled_with_its_lines_before_its_bkash_payment_starts_and_the_payment_charges_their_total() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let desk = shop.counter.desk.clone();
    let sale = till.ring_up("S-1", three_lines(), None).await.unwrap();
    assert_eq!(sale.total_poisha, 2 * 420_00 + 189_50 + 3 * 5_00);
    // Another process reading the file sees the lines before any bKash call.
    let on_disk = shop.reader().sale("S-1").unwrap().unwrap();
    assert_eq!(on_disk.lines, three_lines());
    assert_eq!(shop.sim.stats().calls.values().sum::<u64>(), 0, "nothing was sent to bKash yet");

    let row = desk.begin("S-1", sale.total_poisha).await.unwrap();
    let created = desk.create().await.unwrap().bkash.unwrap();
    shop.sim.customer_pays(&created.payment_id, "01770618575", "123456", "12121").unwrap();
    assert_eq!(desk.execute().await.unwrap().state, PaymentState::Completed);
    let paid = shop.reader().sale("S-1").unwrap().unwrap();
    assert_eq!((paid.tender(), paid.paid_by_payment), (Some(Tender::Bkash), Some(row.id)));
    assert_eq!(shop.sim.ledger()[0].amount, Amount::from_poisha(sale.total_poisha).to_string());
}

#[tokio::test]
async fn a_cash_sale_records_the_cash_and_the_change_and_can_never_be_paid_again_by_cash_or_bkash() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let sale = till.take_cash("S-2", three_lines(), 1_100_00, Anyway::No, None).await.unwrap();
    let cash = sale.cash.unwrap();
    assert_eq!((sale.tender(), cash.tendered_poisha, cash.change_poisha), (Some(Tender::Cash), 1_100_00, 1_100_00 - 1_044_50));

    let again = journal_error(till.take_cash("S-2", three_lines(), 2_000_00, Anyway::No, None).await.unwrap_err());
    assert!(matches!(again, JournalError::SaleAlreadyPaid { .. }), "{again:?}");
    let bkash = journal_error(shop.service.start("S-2", 1_044_50, Some("C1"), None).await.unwrap_err());
    assert!(matches!(bkash, JournalError::SaleAlreadyPaid { .. }), "the schema refuses bKash for a cash sale: {bkash:?}");
    assert_eq!(shop.reader().payments_between(chrono::DateTime::UNIX_EPOCH, chrono::Utc::now()).unwrap().len(), 0);

    // Too little cash is refused with both amounts named, and nothing is recorded.
    let short = journal_error(till.take_cash("S-3", three_lines(), 1_000_00, Anyway::No, None).await.unwrap_err());
    assert!(short.to_string().contains("less than the total"), "{short}");
    assert_eq!(shop.reader().sale("S-3").unwrap().unwrap().cash, None);
}

#[tokio::test]
async fn cash_is_refused_while_the_sales_bkash_payment_may_have_charged_the_customer_and_taken_after_it_failed() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let desk = shop.counter.desk.clone();
    let sale = till.ring_up("S-4", three_lines(), None).await.unwrap();
    let row = desk.begin("S-4", sale.total_poisha).await.unwrap();
    desk.create().await.unwrap();
    shop.service.commit(row.id, PaymentState::Executing, Default::default()).await.unwrap();
    shop.service.commit(row.id, PaymentState::Unknown, Default::default()).await.unwrap();
    let refused = journal_error(till.take_cash("S-4", three_lines(), 1_100_00, Anyway::No, None).await.unwrap_err());
    assert!(matches!(refused, JournalError::SaleBeingPaid { .. }), "still being checked: {refused:?}");
    // Nor can the lines change under a payment that may have gone through.
    let changed = journal_error(till.ring_up("S-4", vec![line(None, "Pen", 1, 10_00)], None).await.unwrap_err());
    assert!(matches!(changed, JournalError::SaleBeingPaid { .. }), "{changed:?}");
    assert_eq!(shop.reader().sale("S-4").unwrap().unwrap().lines, three_lines());

    // bKash (Query) says it was not charged: now the customer may pay in cash, once.
    shop.service.commit(row.id, PaymentState::NotCharged, Default::default()).await.unwrap();
    let paid = till.take_cash("S-4", three_lines(), 1_044_50, Anyway::No, None).await.unwrap();
    assert_eq!((paid.tender(), paid.cash.unwrap().change_poisha), (Some(Tender::Cash), 0));
}

#[tokio::test]
async fn the_sale_the_counter_was_on_reopens_with_its_lines_and_payment_until_the_cashier_moves_on() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let desk = CheckoutDesk::new(shop.service.clone(), "C1");
    till.ring_up("S-5", three_lines(), None).await.unwrap();
    let row = desk.begin("S-5", 1_044_50).await.unwrap();
    // Another counter's sale is not this counter's to reopen.
    Till::new(shop.service.clone(), "C2").ring_up("S-6", vec![line(None, "Tea", 1, 20_00)], None).await.unwrap();

    let (sale, payment) = till.unfinished().await.unwrap().unwrap();
    assert_eq!((sale.order_id.as_str(), sale.lines.len()), ("S-5", 3));
    assert_eq!(payment.map(|p| (p.id, p.state)), Some((row.id, PaymentState::New)));
    till.finish("S-5").await.unwrap();
    assert!(till.unfinished().await.unwrap().is_none(), "New sale: nothing to reopen");
    let finished = journal_error(till.ring_up("S-5", three_lines(), None).await.unwrap_err());
    assert!(matches!(finished, JournalError::SaleAlreadyPaid { .. } | JournalError::SaleBeingPaid { .. }), "{finished:?}");
}

#[tokio::test]
async fn a_sale_with_bad_lines_is_refused_whole_with_the_line_named() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    for (lines, expected) in [
        (vec![], "The sale has no items."),
        (vec![line(None, "Tea", 0, 20_00)], "Line 1: the quantity must be 1–9999"),
        (vec![line(None, "Tea", 1, 20_00), line(None, "", 1, 20_00)], "Line 2: the item name must be 1–80 characters"),
        (vec![line(None, &"x".repeat(81), 1, 20_00)], "Line 1: the item name must be 1–80 characters"),
        (vec![line(None, "Gold", 2, 600_000_00)], "at most ৳10,00,000.00"),
    ] {
        let e = journal_error(till.ring_up("S-7", lines, None).await.unwrap_err());
        assert!(e.to_string().contains(expected), "{e}");
    }
    assert!(shop.reader().sale("S-7").unwrap().is_none(), "nothing was written");
    assert_eq!(
        pos_core::money::check_lines("S-7", &[line(None, "Tea", 1, 0)]),
        Err(SaleProblem::BadLine { line: 1, problem: pos_core::money::LineProblem::Price })
    );
}

#[test]
fn a_typed_amount_reads_the_same_table_as_the_counters_price_field() {
    let table: serde_json::Value = serde_json::from_str(include_str!("../fixtures/typed-amounts.json")).unwrap();
    let rows = table["rows"].as_array().unwrap();
    assert!(rows.len() > 20);
    for row in rows {
        let text = row[0].as_str().unwrap();
        let read = Amount::parse_typed(text).map(Amount::poisha);
        let expected = match &row[1] {
            serde_json::Value::Number(n) => Ok(n.as_u64().unwrap()),
            problem => Err(serde_json::from_value::<String>(problem.clone()).unwrap()),
        };
        let read = read.map_err(|p| serde_json::to_value(p).unwrap().as_str().unwrap().to_string());
        assert_eq!(read, expected, "{text:?}");
    }
}

#[test]
fn a_typed_amount_takes_bengali_digits_and_correct_grouping_only() {
    let ok = |text: &str| Amount::parse_typed(text).map(Amount::poisha);
    assert_eq!(ok("12.50"), Ok(12_50));
    assert_eq!(ok("১০০"), Ok(100_00), "Bengali digits, as the app shows them");
    assert_eq!(ok("১,২৫,০০০.৫০"), Ok(125_000_50));
    assert_eq!(ok("1,250"), Ok(1_250_00));
    assert_eq!(ok("1,25,000"), Ok(125_000_00), "lakh grouping");
    assert_eq!(ok("125,000.5"), Ok(125_000_50), "thousands grouping");
    assert_eq!(ok("12,50"), Err(TypedAmountProblem::BadGrouping), "a decimal comma is never ৳1,250");
    assert_eq!(ok("1,2,50"), Err(TypedAmountProblem::BadGrouping));
    assert_eq!(ok("1250,00"), Err(TypedAmountProblem::BadGrouping));
    assert_eq!(ok("12.505"), Err(TypedAmountProblem::TooManyDecimals));
    assert_eq!(ok("1e3"), Err(TypedAmountProblem::NotANumber));
    assert_eq!(ok("-5"), Err(TypedAmountProblem::NotANumber));
    assert_eq!(ok(" "), Err(TypedAmountProblem::Empty));
    assert_eq!(ok("9999999999999"), Err(TypedAmountProblem::TooLarge));
}

/// 20,000 products, as a wholesaler's catalogue, with bad rows among them.
fn big_catalogue() -> String {
    let mut csv = String::from("\u{feff}code,barcode,name,name_bn,price\r\n");
    for i in 0..20_000 {
        csv.push_str(&format!("P{i:05},89411{i:08},Product {i} 500 g,পণ্য {i},\"{},{:03}.{:02}\"\r\n", 1 + i % 9, i % 1000, i % 100));
    }
    csv.push_str("P00007,,Duplicate of line 9,,10\r\n"); // line 20,002
    csv.push_str("BAD1,,Rice,,\"12,50\"\r\n"); // line 20,003
    csv.push_str("BAD2,,,,10\r\n"); // line 20,004
    csv.push_str("BAD3,8941100000003,Barcode twice,,10\r\n"); // line 20,005
    csv.push_str("BAD4,,Free,,0\r\n"); // line 20,006
    csv.push_str("BAD5,,Short row\r\n"); // line 20,007
    csv.push_str(&format!("BAD6,,{},,10\r\n", "x".repeat(81))); // line 20,008
    csv.push_str(",,No code,,10\r\n"); // line 20,009
    csv
}

#[tokio::test]
async fn a_catalogue_of_20000_products_imports_with_each_bad_row_rejected_by_line_and_reason() {
    let parsed = parse_catalogue(big_catalogue().as_bytes()).unwrap();
    assert_eq!(parsed.items.len(), 20_000);
    let by_line: Vec<(u64, RowProblem)> = parsed.rejected.iter().map(|r| (r.line, r.problem.clone())).collect();
    assert_eq!(
        by_line,
        vec![
            (20_002, RowProblem::DuplicateCode { code: "P00007".into(), first_line: 9 }),
            (20_003, RowProblem::BadPrice { problem: TypedAmountProblem::BadGrouping, text: "12,50".into() }),
            (20_004, RowProblem::MissingName),
            (20_005, RowProblem::DuplicateBarcode { barcode: "8941100000003".into(), first_line: 5 }),
            (20_006, RowProblem::PriceOutOfRange),
            (20_007, RowProblem::WrongColumns { found: 3, expected: 5 }),
            (20_008, RowProblem::NameTooLong),
            (20_009, RowProblem::MissingCode),
        ]
    );
    assert!(parsed.rejected[1].reason.contains("comma that is not digit grouping"), "{}", parsed.rejected[1].reason);
    let p7 = parsed.items.iter().find(|i| i.code == "P00007").unwrap();
    assert_eq!((p7.price_poisha, p7.name_bn.as_deref()), (8_007_07, Some("পণ্য 7")), "\"8,007.07\" is grouping; the first row wins");

    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let started = std::time::Instant::now();
    let imported = till.import(parsed).await.unwrap();
    eprintln!("20,000 products saved in {:?}", started.elapsed());
    assert_eq!((imported.saved, imported.rejected.len()), (20_000, 8));
    assert_eq!(shop.reader().catalogue().unwrap().len(), 20_000);
    let scanned = till.lookup("8941100012345").await.unwrap().unwrap();
    assert_eq!((scanned.code.as_str(), scanned.price_poisha), ("P12345", 7_345_45));

    // Importing again updates; a barcode may move to another product.
    let update = "code,barcode,name,price\nP00001,8941100000002,Moved barcode,5\n";
    till.import(parse_catalogue(update.as_bytes()).unwrap()).await.unwrap();
    assert_eq!(till.lookup("8941100000002").await.unwrap().unwrap().code, "P00001");
    assert_eq!(till.lookup("P00002").await.unwrap().unwrap().barcode, None);
}

#[test]
fn a_catalogue_file_that_cannot_be_a_catalogue_is_refused_whole_with_the_reason() {
    assert_eq!(parse_catalogue(b""), Err(FileProblem::Empty));
    assert_eq!(parse_catalogue(b"code,name,price\n\xff\xfe,1,2\n"), Err(FileProblem::NotUtf8));
    assert!(matches!(parse_catalogue(b"sku;title;cost\n1;2;3\n"), Err(FileProblem::BadHeader(_))));
    assert_eq!(parse_catalogue(&vec![b'a'; pos_core::till::MAX_FILE_BYTES + 1]), Err(FileProblem::TooLarge));
    // Column names in any order and case, `price_bdt` and `sku` as spreadsheets name them.
    let parsed = parse_catalogue("Name,SKU,Price_BDT\nTea,T1,১০\n".as_bytes()).unwrap();
    assert_eq!(
        parsed.items,
        vec![CatalogueItem { code: "T1".into(), barcode: None, name_en: "Tea".into(), name_bn: None, price_poisha: 10_00 }]
    );
    // Line numbers are the file's, as a text editor shows them (the header is line 1).
    let lf = parse_catalogue(
        "code,name,price
A,Tea,10
B,,10
"
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(lf.rejected[0].line, 3);
    let crlf = parse_catalogue(
        "code,name,price
A,Tea,10

B,,10
"
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(crlf.rejected[0].line, 4, "a blank line still counts");
}

#[tokio::test]
async fn the_day_splits_bkash_and_cash_counts_each_drawer_and_lists_the_items_sold() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let desk = shop.counter.desk.clone();
    // bKash: 3 lines, ৳1,044.50.
    let sale = till.ring_up("S-10", three_lines(), None).await.unwrap();
    desk.begin("S-10", sale.total_poisha).await.unwrap();
    let created = desk.create().await.unwrap().bkash.unwrap();
    shop.sim.customer_pays(&created.payment_id, "01770618575", "123456", "12121").unwrap();
    desk.execute().await.unwrap();
    // Cash: ৳840 + ৳189.50 = ৳1,029.50.
    till.take_cash(
        "S-11",
        vec![line(Some("RICE5"), "Miniket rice 5 kg", 2, 420_00), line(Some("OIL1"), "Soybean oil 1 L", 1, 189_50)],
        1_100_00,
        Anyway::No,
        None,
    )
    .await
    .unwrap();
    // Rung up, never paid: not sold.
    till.ring_up("S-12", vec![line(Some("SALT"), "Salt", 9, 40_00)], None).await.unwrap();
    let today = report::bangladesh_today();
    till.count_drawer(DrawerCount {
        day: today,
        counter_id: "C1".into(),
        opening_float_poisha: 500_00,
        counted_poisha: Some(1_509_50),
        note: Some("৳20 short: change given twice".into()),
    })
    .await
    .unwrap();

    let reader = shop.reader();
    let day = report::day_report(&reader, today).unwrap();
    assert_eq!((day.summary.completed.amount_poisha, day.summary.cash.amount_poisha), (1_044_50, 1_029_50));
    assert_eq!(day.summary.net_poisha, 1_044_50 + 1_029_50);
    let eod = report::end_of_day(&reader, today, "Rahim Store", chrono::Utc::now()).unwrap();
    let till_day = eod.till.unwrap();
    let drawer = &till_day.drawers[0];
    assert_eq!(
        (drawer.counter.as_str(), drawer.expected_poisha, drawer.counted_poisha, drawer.difference_poisha),
        ("C1", 500_00 + 1_029_50, Some(1_509_50), Some(-20_00))
    );
    let top: Vec<(Option<&str>, u64, u64)> = till_day.top_items.iter().map(|i| (i.code.as_deref(), i.quantity, i.amount_poisha)).collect();
    assert_eq!(top, vec![(Some("RICE5"), 4, 1_680_00), (None, 3, 15_00), (Some("OIL1"), 2, 379_00)]);

    // The lines export: one row per line, the tender named, free text with no code.
    let mut csv = Vec::new();
    report::write_lines_csv(&day.sales, &mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows[0], report::LINES_CSV_HEADERS.join(","));
    assert_eq!(rows.len(), 1 + 3 + 2 + 1);
    assert!(rows.iter().any(|r| r.contains(",S-10,bkash,3,,Carry bag,3,5.00,15.00,1044.50,C1,")), "{text}");
    assert!(rows.iter().any(|r| r.contains(",S-11,cash,1,RICE5,Miniket rice 5 kg,2,420.00,840.00,1029.50,C1,")), "{text}");
    assert!(rows.iter().any(|r| r.contains(",S-12,,1,SALT,Salt,9,40.00,360.00,360.00,C1,")), "an unpaid sale has no tender: {text}");
}

#[test]
fn the_schema_itself_refuses_a_second_tender_even_from_another_program() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Journal::FILE_NAME);
    let mut journal = Journal::open(&path).unwrap();
    let now = chrono::Utc::now();
    journal.record_sale("S-20", Some("C1"), None, &three_lines(), now).unwrap();
    journal
        .start_payment(
            &NewPayment {
                product: Product::Checkout,
                pay_at: PayAt::Counter,
                order_id: "S-20".into(),
                invoice: "C1-S-20-1".into(),
                amount_poisha: 1_044_50,
                counter_id: Some("C1".into()),
                cashier: None,
            },
            now,
        )
        .unwrap();
    let conn = journal.connection();
    let sale: i64 = conn.query_row("SELECT id FROM sales WHERE order_id = 'S-20'", [], |r| r.get(0)).unwrap();
    let raw = conn.execute(
        "INSERT INTO cash_tenders (sale, amount_poisha, tendered_poisha, change_poisha, at) VALUES (?1, 104450, 104450, 0, 'x')",
        [sale],
    );
    assert!(raw.unwrap_err().to_string().contains("sale has a live bKash payment"));
    let lines = conn.execute("DELETE FROM sale_lines WHERE sale = ?1", [sale]);
    assert!(lines.unwrap_err().to_string().contains("sale is being paid"));
    assert!(conn.execute("DELETE FROM sales", []).unwrap_err().to_string().contains("never deleted"));
    drop(journal);
    assert_eq!(JournalReader::open(&path).unwrap().sale("S-20").unwrap().unwrap().lines.len(), 3);
}

#[test]
fn a_sale_finds_its_payments_by_index_so_a_year_of_payments_does_not_slow_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join(Journal::FILE_NAME)).unwrap();
    let plan = |sql: &str| -> String {
        let mut stmt = journal.connection().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect::<Vec<_>>().join("; ")
    };
    for sql in [
        "SELECT (SELECT p.id FROM payments p WHERE p.order_id = s.order_id AND p.state = 'completed') FROM sales s WHERE s.order_id = 'S-1'",
        "SELECT id FROM payments WHERE order_id = 'S-1' ORDER BY id DESC LIMIT 1",
        "SELECT EXISTS (SELECT 1 FROM sales_being_paid WHERE sale = 1)",
    ] {
        let plan = plan(sql);
        assert!(!plan.contains("SCAN p") && !plan.contains("SCAN payments"), "{sql}\n reads every payment: {plan}");
    }
}

#[tokio::test]
async fn the_managers_product_form_is_checked_as_a_files_row_is_and_saved_trimmed() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let product = |code: &str, name: &str, price_poisha: u64| CatalogueItem {
        code: code.into(),
        barcode: Some(" 8941100500029 ".into()),
        name_en: name.into(),
        name_bn: Some("  ".into()),
        price_poisha,
    };
    assert_eq!(till.save_item(product("OIL 1", "Soybean oil 1 L", 189_50)).await.unwrap(), Err(RowProblem::BadCode));
    assert_eq!(till.save_item(product("OIL1", " ", 189_50)).await.unwrap(), Err(RowProblem::MissingName));
    assert_eq!(till.save_item(product("OIL1", "Soybean oil 1 L", 0)).await.unwrap(), Err(RowProblem::PriceOutOfRange));
    assert!(shop.reader().catalogue().unwrap().is_empty(), "nothing refused was saved");
    till.save_item(product(" OIL1 ", " Soybean oil 1 L ", 189_50)).await.unwrap().unwrap();
    let saved = till.lookup("8941100500029").await.unwrap().unwrap();
    assert_eq!(
        saved,
        CatalogueItem {
            code: "OIL1".into(),
            barcode: Some("8941100500029".into()),
            name_en: "Soybean oil 1 L".into(),
            name_bn: None,
            price_poisha: 189_50
        }
    );
}

#[tokio::test]
async fn cash_for_the_amount_of_a_payment_still_being_checked_needs_the_same_confirmation_as_bkash() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    let desk = shop.counter.desk.clone();
    // A ৳1,029.50 sale whose bKash answer was lost: being checked.
    let lines = || vec![line(Some("RICE5"), "Miniket rice 5 kg", 2, 420_00), line(Some("OIL1"), "Soybean oil 1 L", 1, 189_50)];
    let sale = till.ring_up("S-40", lines(), None).await.unwrap();
    shop.sim.add_fault(bkash_sim::FaultRule::once("checkout.execute", bkash_sim::FaultKind::DropResponse));
    let first = desk.begin("S-40", sale.total_poisha).await.unwrap();
    let created = desk.create().await.unwrap().bkash.unwrap();
    shop.sim.customer_pays(&created.payment_id, "01770618575", "123456", "12121").unwrap();
    assert_eq!(desk.execute().await.unwrap().state, PaymentState::Unknown);
    desk.release(first.id);

    // New sale, the same amount, and the customer offers cash: refused until confirmed.
    let refused = till.take_cash("S-41", lines(), 1_100_00, Anyway::No, None).await.unwrap_err();
    match &refused {
        PaymentError::SameAmountBeingChecked(pending) => assert_eq!(pending.id, first.id, "the payment being checked is named"),
        other => panic!("cash was taken with a payment of the same amount still being checked: {other}"),
    }
    assert!(refused.to_string().contains(&first.invoice), "{refused}");
    assert!(shop.reader().sale("S-41").unwrap().is_none(), "nothing was journaled");
    // Another amount is not held up; and once the cashier confirms, cash is taken.
    till.take_cash("S-42", vec![line(None, "Tea", 1, 10_00)], 10_00, Anyway::No, None).await.unwrap();
    let paid = till.take_cash("S-41", lines(), 1_100_00, Anyway::Yes, None).await.unwrap();
    assert_eq!(paid.cash.unwrap().change_poisha, 70_50);
}

#[tokio::test]
async fn a_sale_paid_in_cash_does_not_reopen_after_a_restart() {
    let shop = Shop::open().await;
    let till = shop.counter.till.clone();
    till.ring_up("S-50", three_lines(), None).await.unwrap();
    assert!(till.unfinished().await.unwrap().is_some(), "a sale rung up and not paid reopens");
    till.take_cash("S-50", three_lines(), 1_100_00, Anyway::No, None).await.unwrap();
    // The app stops before the cashier presses New sale.
    let restarted = Till::new(shop.service.clone(), "C1");
    assert!(restarted.unfinished().await.unwrap().is_none(), "a finished cash sale is not 'the sale this counter was on'");
}
