//! The till: a sale with its lines, paid by bKash or cash, and the shop's
//! catalogue.
//!
//! Contract: plain Rust over the journal. A sale is written with its lines
//! *before* any payment of it starts (`ring_up`); its bKash payment is the
//! payment journal's, unchanged, tied to it by the order id. Cash is one
//! tender, refused while a bKash payment of the sale is under way or being
//! checked (the schema refuses it too). Depends on money, journal, payment
//! (and `failpoint`, for the crash matrix).

mod catalogue;

pub use catalogue::{check_product, parse_catalogue, FileProblem, ParsedCatalogue, Rejected, RowProblem, MAX_FILE_BYTES};

use std::sync::Arc;

use crate::journal::{CatalogueItem, DrawerCount, JournalRead, PaymentRow, SaleRow};
use crate::money::{SaleLine, StaffRef};
use crate::payment::{Anyway, PaymentError, PaymentService};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub saved: usize,
    pub rejected: Vec<Rejected>,
}

pub struct Till {
    service: Arc<PaymentService>,
    counter_id: String,
}

impl Till {
    pub fn new(service: Arc<PaymentService>, counter_id: &str) -> Self {
        Self { service, counter_id: counter_id.into() }
    }

    /// Journals sale `order_id` with its lines: the step before Pay. The
    /// lines may be changed again only while nothing can have paid the sale.
    /// `cashier` is who is signed in (none in a shop without accounts).
    pub async fn ring_up(&self, order_id: &str, lines: Vec<SaleLine>, cashier: Option<&StaffRef>) -> Result<SaleRow, PaymentError> {
        let (order, counter, cashier) = (order_id.to_string(), self.counter_id.clone(), cashier.cloned());
        let sale = self.service.journal(move |j, now| j.record_sale(&order, Some(&counter), cashier.as_ref(), &lines, now)).await?;
        crate::failpoint::hit("sale_journaled");
        Ok(sale)
    }

    /// The customer paid sale `order_id` in cash: its lines are journaled
    /// (as rung up now) and the cash with them; the change is the rest.
    /// Like Pay with bKash, refused while a bKash payment of the same total
    /// at this counter is still being checked, until the cashier confirms.
    pub async fn take_cash(
        &self,
        order_id: &str,
        lines: Vec<SaleLine>,
        tendered_poisha: u64,
        anyway: Anyway,
        cashier: Option<&StaffRef>,
    ) -> Result<SaleRow, PaymentError> {
        let total = lines.iter().map(SaleLine::total_poisha).sum();
        self.service.refuse_if_same_amount_checking(&self.counter_id, total, Some(order_id), anyway).await?;
        let (order, counter, cashier) = (order_id.to_string(), self.counter_id.clone(), cashier.cloned());
        self.service
            .journal(move |j, now| {
                let sale = j.sale(&order)?;
                // A sale paid by bKash meanwhile keeps its lines; cash is then refused below.
                if sale.as_ref().is_none_or(|s| s.tender().is_none()) {
                    j.record_sale(&order, Some(&counter), cashier.as_ref(), &lines, now)?;
                }
                j.take_cash(&order, tendered_poisha, cashier.as_ref(), now)
            })
            .await
    }

    /// The cashier moved on from sale `order_id`.
    pub async fn finish(&self, order_id: &str) -> Result<(), PaymentError> {
        let order = order_id.to_string();
        self.service.journal(move |j, now| j.finish_sale(&order, now)).await
    }

    pub async fn sale(&self, order_id: &str) -> Result<Option<SaleRow>, PaymentError> {
        let order = order_id.to_string();
        self.service.journal(move |j, _| j.sale(&order)).await
    }

    /// The sale this counter was on when the app stopped, if any, with its
    /// newest bKash payment (whose outcome recovery may have settled).
    pub async fn unfinished(&self) -> Result<Option<(SaleRow, Option<PaymentRow>)>, PaymentError> {
        let counter = self.counter_id.clone();
        self.service
            .journal(move |j, _| {
                let Some(sale) = j.unfinished_sale(&counter)? else { return Ok(None) };
                let payment = j.latest_payment_of(&sale.order_id)?;
                Ok(Some((sale, payment)))
            })
            .await
    }

    pub async fn catalogue(&self) -> Result<Vec<CatalogueItem>, PaymentError> {
        self.service.journal(|j, _| j.catalogue()).await
    }

    /// The product a scanner read (barcode) or the cashier typed (code).
    pub async fn lookup(&self, code: &str) -> Result<Option<CatalogueItem>, PaymentError> {
        let code = code.trim().to_string();
        self.service.journal(move |j, _| j.catalogue_item(&code)).await
    }

    /// Imports a catalogue file: the good rows are saved in one
    /// transaction, the bad ones reported by line.
    pub async fn import(&self, parsed: ParsedCatalogue) -> Result<Imported, PaymentError> {
        let ParsedCatalogue { items, rejected } = parsed;
        let saved = self.service.journal(move |j, now| j.save_catalogue(&items, now)).await?;
        Ok(Imported { saved, rejected })
    }

    /// Adds or changes one product (the manager's form), checked as a
    /// file's row is (`check_product`); `Ok(Err(..))` names what is wrong.
    pub async fn save_item(&self, item: CatalogueItem) -> Result<Result<(), RowProblem>, PaymentError> {
        let item = match check_product(item) {
            Ok(item) => item,
            Err(problem) => return Ok(Err(problem)),
        };
        self.service.journal(move |j, now| j.save_catalogue(std::slice::from_ref(&item), now)).await.map(|_| Ok(()))
    }

    pub async fn count_drawer(&self, count: DrawerCount) -> Result<(), PaymentError> {
        self.service.journal(move |j, now| j.count_drawer(&count, now)).await
    }
}
