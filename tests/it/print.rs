//! Receipts on an ESC/POS thermal printer, against a fake network printer
//! started here: a TCP listener on loopback that answers the paper question
//! as a real printer does, keeps every byte, and can play a printer that
//! never answers, hangs up, or is out of paper. The bytes are decoded back
//! into the picture the print head would burn; it is saved as a screenshot.

// Amounts are written taka_poisha, as a shopkeeper reads them: 420_00 is ৳420.00.
#![allow(clippy::inconsistent_digit_grouping)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use pos_core::journal::JournalRead;
use pos_core::money::PaymentState;
use pos_core::print::{
    Bitmap, Finish, PaperWidth, PrintError, PrintJobError, PrinterAddress, PrinterSetup, Rasterizer, ReceiptLanguage, ReceiptPrinter, Shop,
    CUT, DRAWER_KICK, STATUS_PAPER,
};

use crate::support::Shop as TestShop;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Behaviour {
    Healthy,
    OutOfPaper,
    NeverAnswers,
    HangsUp,
}

/// A network receipt printer on 127.0.0.1: every job it received, whole.
pub struct FakePrinter {
    pub address: PrinterAddress,
    pub jobs: Arc<Mutex<Vec<Vec<u8>>>>,
    behaviour: Arc<Mutex<Behaviour>>,
}

impl FakePrinter {
    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let jobs: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let kept = jobs.clone();
        let behaviour = Arc::new(Mutex::new(behaviour));
        let now = behaviour.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let kept = kept.clone();
                let behaviour = *now.lock().unwrap();
                tokio::spawn(async move {
                    match behaviour {
                        Behaviour::HangsUp => return,
                        Behaviour::NeverAnswers => {
                            tokio::time::sleep(Duration::from_secs(60)).await;
                            return;
                        }
                        _ => {}
                    }
                    let mut asked = [0u8; 3];
                    if socket.read_exact(&mut asked).await.is_err() || asked != STATUS_PAPER {
                        return;
                    }
                    // Bits 1 and 4 are always set; 5 and 6 say "paper end".
                    let status = if behaviour == Behaviour::OutOfPaper { 0x72 } else { 0x12 };
                    socket.write_all(&[status]).await.unwrap();
                    let mut job = Vec::new();
                    socket.read_to_end(&mut job).await.unwrap();
                    // A client told "out of paper" hangs up without a job.
                    if !job.is_empty() {
                        kept.lock().unwrap().push(job);
                    }
                });
            }
        });
        Self { address: format!("127.0.0.1:{port}").parse().unwrap(), jobs, behaviour }
    }

    /// The shopkeeper fixed the printer (or it broke): from the next job on.
    pub fn now_behaves(&self, behaviour: Behaviour) {
        *self.behaviour.lock().unwrap() = behaviour;
    }

    /// Job `n` (from 1), once the printer has read all of it.
    pub async fn job(&self, n: usize) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            if let Some(job) = self.jobs.lock().unwrap().get(n - 1) {
                return job.clone();
            }
            assert!(Instant::now() < deadline, "the printer never received job {n}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// What the print head would do with a job: the picture, then cut and drawer.
#[derive(Debug)]
pub struct Printed {
    pub picture: Bitmap,
    pub cut: bool,
    pub drawer: bool,
}

/// Reads a job as an ESC/POS printer does; anything unexpected fails the test.
pub fn decode(job: &[u8]) -> Printed {
    assert_eq!(&job[..2], [0x1B, 0x40], "the job starts with ESC @");
    let mut at = 2;
    let mut picture: Option<Bitmap> = None;
    while job[at..].starts_with(&[0x1D, 0x76, 0x30]) {
        assert_eq!(job[at + 3], 0, "normal-size raster");
        let x = u16::from_le_bytes([job[at + 4], job[at + 5]]) as u32;
        let y = u16::from_le_bytes([job[at + 6], job[at + 7]]) as u32;
        assert!(y <= 255, "a band fits a printer's buffer: {y} rows");
        let data = &job[at + 8..at + 8 + (x * y) as usize];
        let all = picture.get_or_insert_with(|| Bitmap { width: x * 8, height: 0, rows: Vec::new() });
        assert_eq!(all.width, x * 8, "every band is as wide as the first");
        all.rows.extend_from_slice(data);
        all.height += y;
        at += 8 + (x * y) as usize;
    }
    assert_eq!(&job[at..at + 3], [0x1B, 0x64, 0x04], "feed past the cutter");
    at += 3;
    let cut = job[at..].starts_with(&CUT);
    if cut {
        at += CUT.len();
    }
    let drawer = job[at..].starts_with(&DRAWER_KICK);
    if drawer {
        at += DRAWER_KICK.len();
    }
    assert_eq!(at, job.len(), "nothing after the cut and the drawer kick");
    Printed { picture: picture.expect("a raster picture"), cut, drawer }
}

/// Saves the picture as a PNG in test-artifacts/screenshots, as paper looks.
pub fn save_picture(name: &str, picture: &Bitmap) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    let mut encoder = png::Encoder::new(std::fs::File::create(&path).unwrap(), picture.width, picture.height);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..picture.height)
        .flat_map(|y| (0..picture.width).map(move |x| (x, y)))
        .map(|(x, y)| if picture.is_black(x, y) { 0 } else { 255 })
        .collect();
    writer.write_image_data(&pixels).unwrap();
    path
}

fn shop_for(test: &TestShop) -> ReceiptPrinter {
    ReceiptPrinter::new(test.service.clone(), Shop { name: "Rahim Store".into(), counter: "C1".into(), not_real: Some("TRAINING".into()) })
}

/// A sale paid with bKash through the simulator.
async fn paid(shop: &TestShop, order: &str, poisha: u64) -> i64 {
    let row = shop.service.start(order, poisha, Some("C1"), None).await.unwrap();
    let created = shop.service.create(row.id).await.unwrap();
    shop.sim.customer_pays(created.row.payment_id.as_deref().unwrap(), "01770618575", "123456", "12121").unwrap();
    assert_eq!(shop.service.execute(row.id).await.unwrap().state, PaymentState::Completed);
    row.id
}

fn history(shop: &TestShop, id: i64) -> Vec<String> {
    shop.journal.lock().unwrap().events(id).unwrap().into_iter().map(|e| format!("{} {}", e.kind, e.detail.unwrap_or_default())).collect()
}

/// Rows of the picture with any black dot: a receipt is lines of text.
fn inked_rows(picture: &Bitmap) -> u32 {
    (0..picture.height).filter(|y| (0..picture.width).any(|x| picture.is_black(x, *y))).count() as u32
}

#[tokio::test]
async fn a_paid_receipt_reaches_the_network_printer_as_a_picture_of_the_papers_width_then_a_cut() {
    let shop = TestShop::open().await;
    let id = paid(&shop, "R-1", 125_050).await;
    let printer = FakePrinter::start(Behaviour::Healthy).await;
    let receipts = shop_for(&shop);
    let mut jobs = 0;
    for (paper, dots) in [(PaperWidth::Mm58, 384), (PaperWidth::Mm80, 576)] {
        for language in [ReceiptLanguage::En, ReceiptLanguage::Bn] {
            let setup = PrinterSetup { address: printer.address.clone(), paper, open_drawer: true };
            receipts.print(id, &setup, language).await.unwrap();
            jobs += 1;
            let printed = decode(&printer.job(jobs).await);
            assert_eq!(printed.picture.width, dots, "{paper:?}: the print head's full width");
            assert!(printed.cut, "the paper is cut");
            assert!(!printed.drawer, "a bKash sale does not open the cash drawer");
            assert!(inked_rows(&printed.picture) > 150, "ten lines of text are on the paper");
            let name = format!("thermal-{}-{}", paper.dots(), if language == ReceiptLanguage::En { "en" } else { "bn" });
            save_picture(&name, &printed.picture);
        }
    }
    let said = history(&shop, id);
    assert_eq!(said.iter().filter(|e| e.starts_with("receipt_printed receipt printed on 127.0.0.1:")).count(), 4, "{said:?}");
    assert!(said.iter().any(|e| e.ends_with("(58 mm)")) && said.iter().any(|e| e.ends_with("(80 mm)")));
    assert!(said.iter().all(|e| !e.contains("01770618575")), "no full wallet number in the history: {said:?}");
}

#[test]
fn bangla_is_shaped_so_conjuncts_print_as_one_letter_and_not_as_their_parts() {
    let mut rasterizer = Rasterizer::new();
    // ক্ষ (kṣa) is one conjunct glyph; unshaped it would be ক, a visible hasanta and ষ side by side.
    let conjunct = rasterizer.text_width("ক্ষ");
    let parts = rasterizer.text_width("ক") + rasterizer.text_width("্") + rasterizer.text_width("ষ");
    assert!(conjunct > 0.0, "a Bengali font is installed (fonts-noto-core)");
    assert!(conjunct < parts * 0.8, "shaped: {conjunct} dots against {parts} for the letters apart");
    // The vowel sign ি is written before its consonant but typed after it: still one cluster.
    assert!(rasterizer.text_width("কি") < rasterizer.text_width("ক") + rasterizer.text_width("ি") + 1.0);
}

#[tokio::test]
async fn the_test_print_cuts_and_kicks_the_cash_drawer_when_the_shop_has_one() {
    let shop = TestShop::open().await;
    let printer = FakePrinter::start(Behaviour::Healthy).await;
    let receipts = shop_for(&shop);
    for (n, open_drawer) in [true, false].into_iter().enumerate() {
        let setup = PrinterSetup { address: printer.address.clone(), paper: PaperWidth::Mm80, open_drawer };
        receipts.test_print(&setup, ReceiptLanguage::En).await.unwrap();
        let printed = decode(&printer.job(n + 1).await);
        assert_eq!((printed.cut, printed.drawer), (true, open_drawer));
    }
}

#[tokio::test]
async fn a_printer_that_never_answers_hangs_up_is_out_of_paper_or_is_off_fails_in_seconds_with_the_sale_unchanged() {
    let shop = TestShop::open().await;
    let id = paid(&shop, "R-2", 9_900).await;
    let receipts = shop_for(&shop);
    let off = {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        format!("127.0.0.1:{port}").parse::<PrinterAddress>().unwrap()
    };
    for (behaviour, says) in [
        (Some(Behaviour::NeverAnswers), "did not answer within"),
        (Some(Behaviour::HangsUp), "closed the connection"),
        (Some(Behaviour::OutOfPaper), "out of paper"),
        (None, "cannot be reached"),
    ] {
        let address = match behaviour {
            Some(b) => FakePrinter::start(b).await.address,
            None => off.clone(),
        };
        let setup = PrinterSetup { address, paper: PaperWidth::Mm80, open_drawer: false };
        let started = Instant::now();
        let failed = receipts.print(id, &setup, ReceiptLanguage::En).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "{behaviour:?}: bounded, took {:?}", started.elapsed());
        assert!(matches!(failed, PrintJobError::Print(_)), "{failed}");
        assert!(failed.to_string().contains(says), "{behaviour:?}: {failed}");
        let row = shop.row(id);
        assert_eq!((row.state, row.trx_id.is_some()), (PaymentState::Completed, true), "the sale is untouched");
        assert!(history(&shop, id).iter().any(|e| e.starts_with("receipt_not_printed") && e.contains(says)), "{behaviour:?}");
    }
}

#[tokio::test]
async fn only_a_paid_sale_has_a_receipt() {
    let shop = TestShop::open().await;
    let row = shop.service.start("R-3", 500, None, None).await.unwrap();
    let printer = FakePrinter::start(Behaviour::Healthy).await;
    let setup = PrinterSetup { address: printer.address.clone(), paper: PaperWidth::Mm58, open_drawer: false };
    assert!(matches!(shop_for(&shop).print(row.id, &setup, ReceiptLanguage::En).await, Err(PrintJobError::NotPaid(_, PaymentState::New))));
    assert!(printer.jobs.lock().unwrap().is_empty());
}

#[tokio::test]
async fn printer_addresses_are_a_network_host_and_port_or_a_usb_printer_device_and_nothing_else() {
    for good in ["192.168.1.50:9100", "printer.local", "10.0.0.7:9101", "/dev/usb/lp0", "/dev/usb/lp12"] {
        assert!(good.parse::<PrinterAddress>().is_ok(), "{good}");
    }
    assert_eq!("192.168.1.50".parse::<PrinterAddress>().unwrap().to_string(), "192.168.1.50:9100", "the raw port by default");
    for bad in [
        "",
        "/etc/passwd",
        "/dev/usb/lp",
        "/dev/sda",
        "printer:0",
        "printer:99999",
        "http://printer:9100",
        "a b:9100",
        "/dev/usb/lp0/../sda",
    ] {
        let refused = bad.parse::<PrinterAddress>().unwrap_err();
        assert!(matches!(refused, PrintError::BadAddress(_)), "{bad}: {refused}");
        assert!(refused.to_string().contains("host:port"), "the message says what to type: {refused}");
    }
    let missing = "/dev/usb/lp97".parse::<PrinterAddress>().unwrap();
    let failed = missing.send(&pos_core::print::encode(&Bitmap::blank(384, 8), Finish::default())).await.unwrap_err();
    assert_eq!(failed, PrintError::NoDevice("/dev/usb/lp97".into()), "{failed}");
}

#[test]
fn a_receipt_lists_the_items_then_the_total_then_how_it_was_paid() {
    use pos_core::money::{Amount, SaleLine};
    use pos_core::print::{receipt_lines, Line, PaidWith, ReceiptFacts};
    let items = vec![
        SaleLine { code: Some("RICE5".into()), name: "Miniket rice 5 kg".into(), quantity: 2, unit_poisha: 420_00 },
        SaleLine { code: None, name: "Carry bag".into(), quantity: 1, unit_poisha: 5_00 },
    ];
    let facts = |paid_with| ReceiptFacts {
        shop_name: "Rahim Store".into(),
        not_real: None,
        items: items.clone(),
        amount: Amount::from_poisha(845_00),
        paid_with,
        paid_at: chrono::Utc::now(),
        invoice: "S-1".into(),
        counter: "C1".into(),
    };
    let pairs = |lines: Vec<Line>| -> Vec<(String, String)> {
        lines.into_iter().filter_map(|l| if let Line::Pair { label, value } = l { Some((label, value)) } else { None }).collect()
    };
    let cash = pairs(receipt_lines(
        &facts(PaidWith::Cash { tendered: Amount::from_poisha(1_000_00), change: Amount::from_poisha(155_00) }),
        ReceiptLanguage::En,
    ));
    let pair = |l: &str, v: &str| (l.to_string(), v.to_string());
    assert_eq!(
        cash[..5],
        [
            pair("2 × Miniket rice 5 kg", "৳840.00"),
            pair("Carry bag", "৳5.00"),
            pair("Amount", "৳845.00"),
            pair("Cash received", "৳1,000.00"),
            pair("Change", "৳155.00")
        ]
    );
    let bangla = pairs(receipt_lines(
        &facts(PaidWith::Bkash { trx_id: Some("BK1".into()), masked_wallet: Some("017XXXXX575".into()) }),
        ReceiptLanguage::Bn,
    ));
    assert_eq!(bangla[0], pair("2 × Miniket rice 5 kg", "৳840.00"), "the item as rung up");
    assert_eq!(bangla[2..4], [pair("পরিমাণ", "৳845.00"), pair("বিকাশ ট্রানজেকশন আইডি", "BK1")], "in Bangla, bKash's tender");
}

#[tokio::test]
async fn a_cash_sales_receipt_prints_its_items_and_opens_the_drawer_on_the_first_print_only() {
    use pos_core::money::SaleLine;
    let shop = TestShop::open().await;
    let till = pos_core::till::Till::new(shop.service.clone(), "C1");
    let lines = vec![SaleLine {
        code: Some("OIL1".into()), name: "সয়াবিন তেল ১ লিটার".into(), quantity: 3, unit_poisha: 189_50
    }];
    till.take_cash("S-CASH", lines, 600_00, pos_core::payment::Anyway::No, None).await.unwrap();
    let printer = FakePrinter::start(Behaviour::Healthy).await;
    let receipts = shop_for(&shop);
    let setup = PrinterSetup { address: printer.address.clone(), paper: PaperWidth::Mm80, open_drawer: true };
    receipts.print_cash("S-CASH", &setup, ReceiptLanguage::Bn, true).await.unwrap();
    let first = decode(&printer.job(1).await);
    assert_eq!((first.cut, first.drawer), (true, true), "the drawer opens for the cash");
    save_picture("thermal-576-bn-cash", &first.picture);
    receipts.print_cash("S-CASH", &setup, ReceiptLanguage::En, false).await.unwrap();
    assert!(!decode(&printer.job(2).await).drawer, "a reprint leaves the drawer shut");
    let unpaid = receipts.print_cash("S-NONE", &setup, ReceiptLanguage::En, true).await.unwrap_err();
    assert!(matches!(unpaid, PrintJobError::NotPaidInCash(_)), "{unpaid:?}");
}
