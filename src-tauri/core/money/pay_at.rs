//! `PayAt`: where the customer enters their wallet, OTP and PIN.

use serde::{Deserialize, Serialize};

use super::sql::stored_as_text;
use super::Product;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PayAt {
    /// In a window on the shop's PC: bKash's frame (Checkout) or bKash's page
    /// (Tokenized) in the checkout window.
    #[default]
    Counter,
    /// On the customer's own phone: the counter shows Tokenized's `bkashURL`
    /// as a QR code and asks bKash's payment status until the customer has
    /// verified, then executes. No PIN is typed on the shop's keyboard.
    Phone,
}

impl PayAt {
    pub const ALL: [PayAt; 2] = [PayAt::Counter, PayAt::Phone];

    pub fn as_str(self) -> &'static str {
        match self {
            PayAt::Counter => "counter",
            PayAt::Phone => "phone",
        }
    }

    /// Only Tokenized's Create gives a page that opens on any phone;
    /// Checkout's frame lives in bKash's script inside our window.
    pub fn offered_by(self, product: Product) -> bool {
        self == PayAt::Counter || product == Product::Tokenized
    }
}

stored_as_text!(PayAt, "place to pay");
