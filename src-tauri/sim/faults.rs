//! Fault injection: per endpoint, on the N-th call from now, for a number of
//! calls. Faults are what make the "outcome unknown" paths testable.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Process the request, then hold the answer for `delayMs`.
    Delay,
    /// Process the request, then close the connection without answering.
    DropResponse,
    /// Do not process; answer 503 with bKash's maintenance body.
    Maintenance,
    /// Do not process; answer 500 with an HTML error page.
    Html500,
    /// Process the request, then answer 200 with a truncated JSON body.
    MalformedJson,
    /// Do not process; reset the TCP connection (RST).
    Reset,
    /// Hostile or broken servers in front of bKash. Process the request,
    /// then answer with `status` (200 unless set), a `Location` header when
    /// `location` is set, and `body` in place of bKash's answer, or bKash's
    /// answer with the fields of `patch` written over it.
    Answer,
    /// Do not process; answer as `Answer` does (a 401 loop, a redirect that
    /// never reached bKash).
    Refuse,
    /// Process, then answer 200 with a body of `bytes` bytes, made as it is
    /// sent (the simulator never holds it).
    Oversized,
    /// Process, then send bKash's answer one byte every `delayMs`.
    Drip,
    /// Process, then send the headers of bKash's answer and never its body.
    Stall,
}

impl FaultKind {
    /// Whether bKash's state changes before the fault hits the answer.
    pub fn processes_request(self) -> bool {
        !matches!(self, FaultKind::Maintenance | FaultKind::Html500 | FaultKind::Reset | FaultKind::Refuse)
    }
}

/// One rule, as posted to `POST /__sim/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// An endpoint name such as `checkout.execute` (see [`endpoint_of`]), or `*`.
    pub endpoint: String,
    pub kind: FaultKind,
    #[serde(default)]
    pub delay_ms: u64,
    /// The first matching call it hits, counting from 1 when the rule is added.
    #[serde(default = "one")]
    pub nth: u32,
    /// How many calls it hits from then on; 0 means every call until cleared.
    #[serde(default = "one")]
    pub times: u32,
    /// For `Answer`/`Refuse`: the HTTP status (default 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// For `Answer`/`Refuse`: a `Location` header.
    #[serde(default)]
    pub location: Option<String>,
    /// For `Answer`/`Refuse`: the whole body.
    #[serde(default)]
    pub body: Option<String>,
    /// For `Answer`: fields written over bKash's own JSON answer.
    #[serde(default)]
    pub patch: Option<serde_json::Value>,
    /// For `Answer`: raw JSON members (`"key":value,…`) written into
    /// bKash's answer before its own, so a key can appear twice with the
    /// copy first (`{"transactionStatus":"Initiated", …, "transactionStatus":"Completed"}`).
    #[serde(default)]
    pub prepend: Option<String>,
    /// For `Answer`: raw JSON members written after bKash's own.
    #[serde(default)]
    pub append: Option<String>,
    /// For `Oversized`: how many bytes the body has.
    #[serde(default)]
    pub bytes: u64,
    #[serde(default)]
    pub seen: u32,
    #[serde(default)]
    pub fired: u32,
}

fn one() -> u32 {
    1
}

impl FaultRule {
    /// `kind` on the next call to `endpoint`, once.
    pub fn once(endpoint: &str, kind: FaultKind) -> Self {
        Self {
            endpoint: endpoint.into(),
            kind,
            delay_ms: 0,
            nth: 1,
            times: 1,
            status: None,
            location: None,
            body: None,
            patch: None,
            prepend: None,
            append: None,
            bytes: 0,
            seen: 0,
            fired: 0,
        }
    }

    /// For `Answer`/`Refuse`: this HTTP status.
    pub fn status(self, status: u16) -> Self {
        Self { status: Some(status), ..self }
    }

    /// For `Answer`/`Refuse`: a redirect's target.
    pub fn location(self, url: &str) -> Self {
        Self { location: Some(url.into()), ..self }
    }

    /// For `Answer`/`Refuse`: this body instead of bKash's.
    pub fn body(self, body: &str) -> Self {
        Self { body: Some(body.into()), ..self }
    }

    /// For `Answer`: bKash's answer with these fields changed.
    pub fn patch(self, patch: serde_json::Value) -> Self {
        Self { patch: Some(patch), ..self }
    }

    /// For `Answer`: these raw members before bKash's own (a key twice, the copy first).
    pub fn prepend(self, members: &str) -> Self {
        Self { prepend: Some(members.into()), ..self }
    }

    /// For `Answer`: these raw members after bKash's own (a key twice, the copy last).
    pub fn append(self, members: &str) -> Self {
        Self { append: Some(members.into()), ..self }
    }

    /// For `Oversized`: the body's size.
    pub fn bytes(self, bytes: u64) -> Self {
        Self { bytes, ..self }
    }

    /// Hit `times` calls in a row (0: every call until cleared).
    pub fn times(self, times: u32) -> Self {
        Self { times, ..self }
    }

    /// For `Delay`: how long the answer is held.
    pub fn delay_ms(self, delay_ms: u64) -> Self {
        Self { delay_ms, ..self }
    }
}

#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    pub fn add(&mut self, mut rule: FaultRule) {
        rule.seen = 0;
        rule.fired = 0;
        rule.nth = rule.nth.max(1);
        self.rules.push(rule);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.rules.clone()
    }

    /// Counts this call against every matching rule and returns the first
    /// fault that fires.
    pub fn on_call(&mut self, endpoint: &str) -> Option<FaultRule> {
        let mut hit = None;
        for rule in self.rules.iter_mut().filter(|r| r.endpoint == endpoint || r.endpoint == "*") {
            rule.seen += 1;
            let due = rule.seen >= rule.nth && (rule.times == 0 || rule.fired < rule.times);
            if due && hit.is_none() {
                rule.fired += 1;
                hit = Some(rule.clone());
            }
        }
        hit
    }
}

/// The stable name of a bKash API endpoint, for stats and faults. `None` for
/// the simulator's own pages and control API.
pub fn endpoint_of(method: &str, path: &str) -> Option<&'static str> {
    let checkout = path.strip_prefix("/v1.2.0-beta/checkout/");
    let tokenized = path.strip_prefix("/v1.2.0-beta/tokenized/checkout/");
    Some(match (method, checkout, tokenized) {
        ("POST", Some("token/grant"), _) => "checkout.token.grant",
        ("POST", Some("token/refresh"), _) => "checkout.token.refresh",
        ("POST", Some("payment/create"), _) => "checkout.create",
        ("POST", Some(p), _) if p.starts_with("payment/execute/") => "checkout.execute",
        ("GET", Some(p), _) if p.starts_with("payment/query/") => "checkout.query",
        ("GET", Some(p), _) if p.starts_with("payment/search/") => "checkout.search",
        ("POST", Some("payment/refund"), _) => "checkout.refund",
        ("POST", Some(p), _) if p.starts_with("payment/capture/") => "checkout.capture",
        ("POST", Some(p), _) if p.starts_with("payment/void/") => "checkout.void",
        ("POST", _, Some("token/grant")) => "tokenized.token.grant",
        ("POST", _, Some("token/refresh")) => "tokenized.token.refresh",
        ("POST", _, Some("create")) => "tokenized.create",
        ("POST", _, Some("execute")) => "tokenized.execute",
        ("POST", _, Some("payment/status")) => "tokenized.status",
        ("POST", _, Some("general/searchTransaction")) => "tokenized.search",
        ("POST", _, Some("payment/refund")) => "tokenized.refund",
        ("POST", _, Some("payment/confirm/capture")) => "tokenized.capture",
        ("POST", _, Some("payment/confirm/void")) => "tokenized.void",
        ("POST", _, Some("agreement/status")) => "tokenized.agreement.status",
        ("POST", _, Some("agreement/cancel")) => "tokenized.agreement.cancel",
        _ => return None,
    })
}
