//! Where each call goes: the two products' URL tables (`../shared/bkash/
//! API.md` §1A, §1B), and how an ID travels in each.

use serde_json::json;

use super::config::BkashConfig;
use super::transport::{token_url, Endpoint, JsonRequests};
use crate::money::Product;

/// Where `endpoint` goes for this product, and how `id` (a paymentID or
/// a trxID) travels: in the path for Checkout (iFrame), in a JSON body for
/// Tokenized, whose every call is a POST. Create and refund add their
/// own bodies.
pub(super) fn route(config: &BkashConfig, http: &reqwest::Client, endpoint: Endpoint, id: &str) -> reqwest::RequestBuilder {
    let base = &config.base_url;
    let http = &JsonRequests(http);
    match config.product {
        Product::Checkout => match endpoint {
            Endpoint::Grant | Endpoint::Refresh => http.post(token_url(config, endpoint)),
            Endpoint::Create => http.post(format!("{base}/checkout/payment/create")),
            Endpoint::Execute => http.post(format!("{base}/checkout/payment/execute/{id}")),
            Endpoint::Query => http.get(format!("{base}/checkout/payment/query/{id}")),
            Endpoint::Search => http.get(format!("{base}/checkout/payment/search/{id}")),
            Endpoint::Refund | Endpoint::RefundStatus => http.post(format!("{base}/checkout/payment/refund")),
            Endpoint::Capture => http.post(format!("{base}/checkout/payment/capture/{id}")),
            Endpoint::Void => http.post(format!("{base}/checkout/payment/void/{id}")),
        },
        Product::Tokenized => match endpoint {
            Endpoint::Grant | Endpoint::Refresh => http.post(token_url(config, endpoint)),
            Endpoint::Create => http.post(format!("{base}/tokenized/checkout/create")),
            Endpoint::Execute => http.post(format!("{base}/tokenized/checkout/execute")).json(&json!({"paymentID": id})),
            Endpoint::Query => http.post(format!("{base}/tokenized/checkout/payment/status")).json(&json!({"paymentID": id})),
            Endpoint::Search => http.post(format!("{base}/tokenized/checkout/general/searchTransaction")).json(&json!({"trxID": id})),
            Endpoint::Refund | Endpoint::RefundStatus => http.post(format!("{base}/tokenized/checkout/payment/refund")),
            Endpoint::Capture => http.post(format!("{base}/tokenized/checkout/payment/confirm/capture")).json(&json!({"paymentID": id})),
            Endpoint::Void => http.post(format!("{base}/tokenized/checkout/payment/confirm/void")).json(&json!({"paymentID": id})),
        },
    }
}
