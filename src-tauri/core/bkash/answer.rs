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
//! | 200, an answer that contradicts itself: a key written twice (at any depth), a code beside a success (`trxID`, `refundTrxID`, `transactionStatus` Completed or Authorized, `statusCode` `0000`), two different codes | `OutcomeUnknown`: it says two things, so it says nothing |
//! | 200, a well-formed answer of the expected shape                    | the answer (then checked against the payment or refund by the client: a success without a trxID, or about another paymentID, trxID, amount, currency, intent or invoice, is `OutcomeUnknown` there) |
//! | 200, anything else (`{}`, wrong types, HTML, cut off)              | `OutcomeUnknown`                       |
//! | 400 `Invalid request body` / `Missing required request parameters: [Content-Type]` (and the other required headers); 401 `Unauthorized` / `The incoming token has expired`; 403 `Forbidden` / `Missing Authentication Token`; 429 `Too Many Requests` (the API gateway's documented `{"message":…}` bodies) | `Gateway`: refused before payment logic, definitive |
//! | any 3xx (never followed)                                           | `OutcomeUnknown`, naming the target host |
//! | any other 4xx (404, 405, 413 …), or a documented status with another body | `OutcomeUnknown`                |
//! | 5xx, or any other status                                           | `OutcomeUnknown`                       |
//! | a body over [`MAX_ANSWER_BYTES`], a timeout, a reset, a drip-fed body | `OutcomeUnknown` (read in `client::send`) |
//!
//! Business errors count only with HTTP 200, the status bKash sends them
//! with; the same body behind a 404 is some other server talking.
//!
//! A contradictory answer is never read by guessing which half is true:
//! reading a code first turned a charged payment with `"errorCode":"2023"`
//! beside `Completed` into `failed`, and reading the last of two
//! `transactionStatus` keys turned `Completed, Initiated` into "not charged".

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

/// The gateway's refusal of a request that lacks a header it requires
/// (API.md §1A: production bKash answered a Query without `Content-Type`
/// this way). `[…]` lists the missing headers.
pub const MISSING_HEADERS: &str = "Missing required request parameters: [";

/// The headers the gateway requires on every call of both products.
pub const REQUIRED_HEADERS: [&str; 2] = ["Content-Type", "Accept"];

/// Whether `(status, message)` is one of the gateway's documented refusals.
pub fn is_gateway_refusal(status: u16, message: &str) -> bool {
    if GATEWAY_REFUSALS.contains(&(status, message)) {
        return true;
    }
    let listed = message.strip_prefix(MISSING_HEADERS).and_then(|rest| rest.strip_suffix(']'));
    status == 400 && listed.is_some_and(|names| names.split(", ").all(|n| REQUIRED_HEADERS.contains(&n)))
}

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
    match codes::finality_of(&code, &message) {
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
            // `T` ignores fields it does not name; a repeat of one of those
            // is still an answer that says two things.
            if serde_json::from_slice::<Unique>(body).is_ok() {
                return Ok(answer);
            }
        }
    }
    if let Err(e) = serde_json::from_slice::<Unique>(body) {
        // Our own error: a key written twice (a syntax error is not JSON, below).
        if status == 200 && e.classify() == serde_json::error::Category::Data {
            return Err(contradiction(short(&e.to_string())));
        }
    }
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if status != 200 {
        let message = json.as_ref().and_then(|v| v.get("message")).and_then(Value::as_str);
        let documented = message.is_some_and(|m| is_gateway_refusal(status, m));
        return match message {
            Some(m) if documented => Err(BkashError::Gateway { status, message: m.to_string() }),
            _ if status >= 500 => Err(BkashError::unknown(format!("HTTP {status} from bKash"))),
            _ => Err(BkashError::unknown(format!("HTTP {status}, which is not one of bKash's documented answers"))),
        };
    }
    let Some(value) = json else {
        return Err(BkashError::unknown("an answer that is not JSON"));
    };
    let error_code = value.get("errorCode").and_then(code_text);
    let status_code = value.get("statusCode").and_then(code_text);
    let refusal = match (error_code, status_code) {
        (Some(e), Some(s)) if e != s => return Err(contradiction(format!("it carries errorCode {e} and statusCode {s}"))),
        (Some(code), _) => Some((code, value.get("errorMessage"))),
        (None, Some(code)) if code != "0000" => Some((code, value.get("statusMessage"))),
        _ => None,
    };
    if let Some((code, message)) = refusal {
        if let Some(success) = success_sign(&value) {
            return Err(contradiction(format!("code {code} beside {success}")));
        }
        return Err(bkash_error(code, message));
    }
    serde_json::from_value(value).map_err(|e| BkashError::unknown(format!("bKash's answer could not be read: {}", short(&e.to_string()))))
}

fn contradiction(what: String) -> BkashError {
    BkashError::unknown(format!("bKash's answer contradicts itself: {what}"))
}

/// What in an answer says the call succeeded, if anything does.
fn success_sign(value: &Value) -> Option<&'static str> {
    let present = |key: &str| value.get(key).is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
    if present("trxID") {
        return Some("a trxID");
    }
    if present("refundTrxID") {
        return Some("a refundTrxID");
    }
    match value.get("transactionStatus").and_then(Value::as_str) {
        Some("Completed") => Some("transactionStatus Completed"),
        Some("Authorized") => Some("transactionStatus Authorized"),
        _ => None,
    }
}

/// Any JSON text whose objects, at any depth, name each key once: serde_json
/// keeps the last of two equal keys, and an answer that names a field twice
/// has said two things, neither of which may be believed. Reads without
/// building a value, so the plain-success path pays only a scan.
struct Unique;

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        // bKash's answers have a dozen keys: a list beats a hash set here,
        // and the keys are borrowed from the body (no escapes in them).
        let mut keys: Vec<Key<'de>> = Vec::with_capacity(16);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if keys.contains(&key) {
                return Err(serde::de::Error::custom(format_args!("`{}` appears twice", short(&key.0))));
            }
            keys.push(key);
            map.next_value::<Unique>()?;
        }
        Ok(Unique)
    }
}

/// An object's key, borrowed from the answer's bytes when it can be.
#[derive(PartialEq)]
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}
