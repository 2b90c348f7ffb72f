//! `Product`: which bKash payment product a merchant was given. bKash decides
//! it at onboarding, with its own credentials and host; a payment is always
//! carried to its end (execute, query, refund, search) by the product that
//! created it.

use serde::{Deserialize, Serialize};

use super::sql::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    /// Checkout (iFrame): bKash's checkout.js opens its frame in our window
    /// (`…/v1.2.0-beta/checkout/…`).
    #[default]
    Checkout,
    /// Tokenized Checkout (URL): the customer pays on bKash's own `bkashURL`
    /// page, which returns to the merchant's callback URL
    /// (`…/v1.2.0-beta/tokenized/checkout/…`, mode `0011`).
    Tokenized,
}

impl Product {
    pub const ALL: [Product; 2] = [Product::Checkout, Product::Tokenized];

    pub fn as_str(self) -> &'static str {
        match self {
            Product::Checkout => "checkout",
            Product::Tokenized => "tokenized",
        }
    }
}

stored_as_text!(Product, "bKash product");
