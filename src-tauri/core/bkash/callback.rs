//! bKash's return from its own page (Tokenized Checkout): it sends the
//! customer's browser to `callbackURL?paymentID=…&status=success|failure|cancel`
//! (newer answers add `signature` and `apiVersion`, which have no published
//! check). The callback is only a hint: Execute's answer settles a payment,
//! and Query settles an unanswered one.

/// What bKash's page said about the customer's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackStatus {
    /// The customer verified wallet, OTP and PIN: Execute may be sent.
    Success,
    /// bKash's page gave up (wrong PIN, OTP, time-out …).
    Failure,
    /// The customer cancelled on bKash's page.
    Cancel,
}

impl CallbackStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackStatus::Success => "success",
            CallbackStatus::Failure => "failure",
            CallbackStatus::Cancel => "cancel",
        }
    }
}

/// A navigation to the callback URL, as bKash's page sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub payment_id: String,
    pub status: CallbackStatus,
}

/// Why a navigation to the callback URL cannot be read as bKash's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bKash's return to the shop could not be read: {0}")]
pub struct CallbackError(pub String);

/// Whether `url` is a navigation to the configured callback: same scheme,
/// host, port and path, whatever query bKash appended.
pub fn is_callback(url: &reqwest::Url, callback_url: &str) -> bool {
    let Ok(callback) = reqwest::Url::parse(callback_url) else { return false };
    url.scheme() == callback.scheme()
        && url.host_str() == callback.host_str()
        && url.port_or_known_default() == callback.port_or_known_default()
        && url.path() == callback.path()
}

/// Reads bKash's parameters from a callback navigation. Anything else than
/// exactly one paymentID of bKash's shape and one known status is refused.
pub fn parse_callback(url: &reqwest::Url) -> Result<Callback, CallbackError> {
    let values = |name: &str| url.query_pairs().filter(|(k, _)| k == name).map(|(_, v)| v.into_owned()).collect::<Vec<_>>();
    let (ids, statuses) = (values("paymentID"), values("status"));
    let [payment_id] = ids.as_slice() else { return Err(CallbackError("it does not carry exactly one paymentID".into())) };
    if payment_id.is_empty() || payment_id.len() > 64 || !payment_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CallbackError("its paymentID is not one of bKash's".into()));
    }
    let status = match statuses.as_slice() {
        [s] if s == "success" => CallbackStatus::Success,
        [s] if s == "failure" => CallbackStatus::Failure,
        [s] if s == "cancel" => CallbackStatus::Cancel,
        _ => return Err(CallbackError("its status is not success, failure or cancel".into())),
    };
    Ok(Callback { payment_id: payment_id.clone(), status })
}
