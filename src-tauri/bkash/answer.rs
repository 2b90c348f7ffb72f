//! What counts as bKash's answer: the one place that decides whether an HTTP
//! exchange told us something definitive, and what.
//!
//! Once a request that may move money (create, execute, refund, capture,
//! void) has left, only a **definitive** answer may say "no money moved".
//! Everything else is `OutcomeUnknown`, and Query decides later.
//!
//! | what came back                                                     | meaning                                |
//! |--------------------------------------------------------------------|----------------------------------------|
//! | 200, a documented code that refuses (`errorCode`/`statusCode`)     | `Refused`: definitive, nothing moved    |
//! | 200, a documented "already done" code (2062, 2068, 2116, 2117, 2119) | `AlreadyDone`: only Query tells       |
//! | 200, a transient or undocumented code                              | `OutcomeUnknown`                       |
//! | 200, a well-formed answer of the expected shape                    | the answer (then checked against the payment by the client) |
//! | 200, anything else (`{}`, wrong types, HTML, cut off)              | `OutcomeUnknown`                       |
//! | 400 `Invalid request body`; 401 `Unauthorized` / `The incoming token has expired`; 403 `Forbidden` / `Missing Authentication Token`; 429 `Too Many Requests` (the API gateway's documented `{"message":…}` bodies) | `Gateway`: refused before payment logic, definitive |
//! | any 3xx (never followed)                                           | `OutcomeUnknown`, naming the target host |
//! | any other 4xx (404, 405, 413 …), or a documented status with another body | `OutcomeUnknown`                |
//! | 5xx, or any other status                                           | `OutcomeUnknown`                       |
//! | a body over [`MAX_ANSWER_BYTES`], a timeout, a reset, a drip-fed body | `OutcomeUnknown` (read in `client::send`) |
//!
//! Business errors count only with HTTP 200, the status bKash sends them
//! with; the same body behind a 404 is some other server talking.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::codes::{self, Finality};
use super::BkashError;

/// bKash's answers are a few hundred bytes; anything near this is not bKash.
/// Reading stops here, so a hostile answer cannot fill the counter's memory.
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// How long a message from bKash may be before we cut it: a hostile or
/// broken answer must not fill the journal or the screen.
const MAX_MESSAGE: usize = 200;

/// The API gateway's refusals as documented (`../shared/bkash/API.md` §2, §4):
/// the status and the exact `message` it sends with it.
pub const GATEWAY_REFUSALS: &[(u16, &str)] = &[
    (400, "Invalid request body"),
    (401, "Unauthorized"),
    (401, "The incoming token has expired"),
    (403, "Forbidden"),
    (403, "Missing Authentication Token"),
    (429, "Too Many Requests"),
];

/// Text from the other side, made safe to log and show: cut short, with
/// control characters (newlines in a forged log line) replaced.
pub(crate) fn short(text: &str) -> String {
    text.chars().take(MAX_MESSAGE).map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn code_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(short(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn bkash_error(code: String, message: Option<&Value>) -> BkashError {
    let message = message.and_then(Value::as_str).map(short).or_else(|| codes::message(&code).map(str::to_string)).unwrap_or_default();
    match codes::finality(&code) {
        Finality::Refused => BkashError::Refused { code, message },
        Finality::AlreadyDone => BkashError::AlreadyDone { code, message },
        Finality::Transient => BkashError::unknown(format!("bKash reported a fault: {message} ({code})")),
    }
}

/// The host a redirect points at, for the log and the journal; never the
/// whole URL, which might carry anything.
pub fn redirect_host(location: Option<&str>) -> String {
    location
        .and_then(|l| reqwest::Url::parse(l).ok())
        .and_then(|u| u.host_str().map(|h| short(h).chars().take(64).collect()))
        .unwrap_or_else(|| "an unnamed place".into())
}

/// Whether the body may carry an error code: it names `errorCode` or
/// `statusCode` (both end in `Code"`) other than Tokenized's one plain
/// success, `"statusCode":"0000"` written exactly once. One scan with a
/// searcher built once; anything else (a second code, spaces, another
/// value) takes the full path.
fn names_a_code(body: &[u8]) -> bool {
    static CODE: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"Code\""));
    const SUCCESS: &[u8] = b"\"statusCode\":\"0000\"";
    let mut found = CODE.find_iter(body);
    match (found.next(), found.next()) {
        (None, _) => false,
        (Some(at), None) => !(at >= 7 && body[at - 7..].starts_with(SUCCESS)),
        (Some(_), Some(_)) => true,
    }
}

/// Turns one HTTP answer into `T` or the error that says what may have
/// happened, by the table at the top of this file.
pub fn decode<T: DeserializeOwned>(status: u16, location: Option<&str>, body: &[u8]) -> Result<T, BkashError> {
    if (300..400).contains(&status) {
        return Err(BkashError::unknown(format!("answered HTTP {status}, a redirect to {}; not followed", redirect_host(location))));
    }
    // The common case, a plain success, is read in one pass; anything that
    // names an error code, or does not read as `T`, takes the full path.
    if status == 200 && !names_a_code(body) {
        if let Ok(answer) = serde_json::from_slice::<T>(body) {
            return Ok(answer);
        }
    }
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if status != 200 {
        let message = json.as_ref().and_then(|v| v.get("message")).and_then(Value::as_str);
        let documented = message.is_some_and(|m| GATEWAY_REFUSALS.contains(&(status, m)));
        return match message {
            Some(m) if documented => Err(BkashError::Gateway { status, message: m.to_string() }),
            _ if status >= 500 => Err(BkashError::unknown(format!("HTTP {status} from bKash"))),
            _ => Err(BkashError::unknown(format!("HTTP {status}, which is not one of bKash's documented answers"))),
        };
    }
    let Some(value) = json else {
        return Err(BkashError::unknown("an answer that is not JSON"));
    };
    if let Some(code) = value.get("errorCode").and_then(code_text) {
        return Err(bkash_error(code, value.get("errorMessage")));
    }
    if let Some(code) = value.get("statusCode").and_then(code_text).filter(|c| c != "0000") {
        return Err(bkash_error(code, value.get("statusMessage")));
    }
    serde_json::from_value(value).map_err(|e| BkashError::unknown(format!("bKash's answer could not be read: {}", short(&e.to_string()))))
}
