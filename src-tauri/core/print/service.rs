//! `ReceiptPrinter`: prints a paid sale's receipt on the shop's ESC/POS
//! printer and writes what happened into the payment's history.

use std::sync::{Arc, Mutex};

use chrono::Utc;

use super::{
    encode, receipt_lines, Finish, Line, PaidWith, PaperWidth, PrintError, PrinterAddress, Rasterizer, ReceiptFacts, ReceiptLanguage,
};
use crate::journal::{JournalRead, PaymentRow, SaleRow, TransitionFacts};
use crate::money::{Amount, PaymentState};
use crate::payment::{mask_wallet, PaymentError, PaymentService};

/// The shop's printer, as Settings describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterSetup {
    pub address: PrinterAddress,
    pub paper: PaperWidth,
    /// Kick the cash drawer (cash sales, and the test print).
    pub open_drawer: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PrintJobError {
    #[error(transparent)]
    Print(#[from] PrintError),
    #[error("payment {0} is {1}, not paid, so it has no receipt")]
    NotPaid(i64, PaymentState),
    #[error("sale {0} is not paid in cash, so it has no cash receipt")]
    NotPaidInCash(String),
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

/// What the receipts of this counter carry besides the payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shop {
    pub name: String,
    pub counter: String,
    /// "TRAINING" or "SANDBOX"; `None` in Production.
    pub not_real: Option<String>,
}

pub struct ReceiptPrinter {
    service: Arc<PaymentService>,
    shop: Shop,
    /// Loaded on the first print (the system's fonts take a moment).
    rasterizer: Arc<Mutex<Option<Rasterizer>>>,
}

impl ReceiptPrinter {
    pub fn new(service: Arc<PaymentService>, shop: Shop) -> Self {
        Self { service, shop, rasterizer: Arc::default() }
    }

    /// Loads the system's fonts now, on a thread of its own, so the first
    /// paid sale's receipt does not wait for them (the app calls this at
    /// start-up when receipts go to a thermal printer).
    pub fn warm_up(&self) {
        let rasterizer = self.rasterizer.clone();
        std::thread::spawn(move || {
            rasterizer.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(Rasterizer::new);
        });
    }

    /// A bKash payment's receipt, with its sale's lines when the till kept them.
    fn facts(&self, row: &PaymentRow, sale: Option<SaleRow>) -> ReceiptFacts {
        ReceiptFacts {
            shop_name: self.shop.name.clone(),
            not_real: self.shop.not_real.clone(),
            items: sale.map(|s| s.lines).unwrap_or_default(),
            amount: Amount::from_poisha(row.amount_poisha),
            paid_with: PaidWith::Bkash { trx_id: row.trx_id.clone(), masked_wallet: row.customer_msisdn.as_deref().map(mask_wallet) },
            paid_at: row.settled_at.unwrap_or(row.updated_at),
            invoice: row.invoice.clone(),
            counter: row.counter_id.clone().unwrap_or_else(|| self.shop.counter.clone()),
        }
    }

    /// Draws and encodes on a blocking thread: shaping and rasterising a
    /// receipt is CPU work the runtime's threads must not wait for.
    async fn job(&self, facts: ReceiptFacts, language: ReceiptLanguage, paper: PaperWidth, finish: Finish) -> Vec<u8> {
        self.job_of(receipt_lines(&facts, language), paper, finish).await
    }

    async fn job_of(&self, lines: Vec<Line>, paper: PaperWidth, finish: Finish) -> Vec<u8> {
        let rasterizer = self.rasterizer.clone();
        tokio::task::spawn_blocking(move || {
            let mut slot = rasterizer.lock().unwrap_or_else(|p| p.into_inner());
            let bitmap = slot.get_or_insert_with(Rasterizer::new).render(&lines, paper);
            encode(&bitmap, finish)
        })
        .await
        .expect("drawing a receipt does not panic")
    }

    /// Prints a report that is not a sale's (a shift's X or Z) on the
    /// receipt printer, cut, and with the drawer opened when `kick` (a
    /// no-sale open) and the shop has one.
    pub async fn print_lines(&self, lines: Vec<Line>, setup: &PrinterSetup, kick: bool) -> Result<(), PrintError> {
        let job = self.job_of(lines, setup.paper, Finish { cut: true, open_drawer: kick && setup.open_drawer }).await;
        setup.address.send(&job).await
    }

    /// Prints the receipt of paid payment `id` and journals the outcome
    /// (printed where, or why not). The sale is never touched.
    pub async fn print(&self, id: i64, setup: &PrinterSetup, language: ReceiptLanguage) -> Result<(), PrintJobError> {
        let (row, sale) = self
            .service
            .journal(move |j, _| {
                let row = j.get(id)?;
                let sale = j.sale(&row.order_id)?;
                Ok((row, sale))
            })
            .await?;
        if row.state != PaymentState::Completed {
            return Err(PrintJobError::NotPaid(id, row.state));
        }
        let job = self.job(self.facts(&row, sale), language, setup.paper, Finish { cut: true, open_drawer: false }).await;
        let sent = setup.address.send(&job).await;
        let place = format!("{} ({})", setup.address, setup.paper.as_str());
        self.record(id, &place, sent.as_ref().map_err(|e| e.to_string())).await?;
        Ok(sent?)
    }

    /// Prints the receipt of sale `order_id`, paid in cash, and opens the
    /// drawer when the shop has one on the printer (`kick`: the first print
    /// of a cash sale; a reprint leaves the drawer shut).
    pub async fn print_cash(
        &self,
        order_id: &str,
        setup: &PrinterSetup,
        language: ReceiptLanguage,
        kick: bool,
    ) -> Result<(), PrintJobError> {
        let order = order_id.to_string();
        let sale = self.service.journal(move |j, _| j.sale(&order)).await?;
        let Some((sale, cash)) = sale.and_then(|s| s.cash.map(|c| (s, c))) else {
            return Err(PrintJobError::NotPaidInCash(order_id.into()));
        };
        let facts = ReceiptFacts {
            shop_name: self.shop.name.clone(),
            not_real: self.shop.not_real.clone(),
            amount: Amount::from_poisha(sale.total_poisha),
            paid_with: PaidWith::Cash {
                tendered: Amount::from_poisha(cash.tendered_poisha),
                change: Amount::from_poisha(cash.change_poisha),
            },
            items: sale.lines,
            paid_at: cash.at,
            invoice: sale.order_id.clone(),
            counter: sale.counter_id.unwrap_or_else(|| self.shop.counter.clone()),
        };
        let job = self.job(facts, language, setup.paper, Finish { cut: true, open_drawer: kick && setup.open_drawer }).await;
        let sent = setup.address.send(&job).await;
        match &sent {
            Ok(()) => tracing::info!(sale = %order_id, printer = %setup.address, "cash receipt printed"),
            Err(e) => tracing::warn!(sale = %order_id, printer = %setup.address, error = %e, "cash receipt not printed"),
        }
        Ok(sent?)
    }

    /// Writes into the payment's history where its receipt printed, or why
    /// it did not (any printer: ESC/POS here, CUPS from the app).
    pub async fn record(&self, id: i64, place: &str, outcome: Result<&(), String>) -> Result<(), PaymentError> {
        let (kind, detail) = match outcome {
            Ok(_) => (crate::money::EventKind::ReceiptPrinted, format!("receipt printed on {place}")),
            Err(why) => (crate::money::EventKind::ReceiptNotPrinted, format!("receipt not printed on {place}: {why}")),
        };
        self.service.note(id, kind, TransitionFacts { detail: Some(detail), ..Default::default() }).await
    }

    /// A sample receipt, to check the printer, the paper width and the drawer.
    pub async fn test_print(&self, setup: &PrinterSetup, language: ReceiptLanguage) -> Result<(), PrintError> {
        let facts = ReceiptFacts {
            shop_name: self.shop.name.clone(),
            not_real: Some("TEST".into()),
            items: Vec::new(),
            amount: Amount::from_poisha(0),
            paid_with: PaidWith::Bkash { trx_id: None, masked_wallet: None },
            paid_at: Utc::now(),
            invoice: "—".into(),
            counter: self.shop.counter.clone(),
        };
        let job = self.job(facts, language, setup.paper, Finish { cut: true, open_drawer: setup.open_drawer }).await;
        setup.address.send(&job).await
    }
}
