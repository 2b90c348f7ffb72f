//! The bKash simulator: a faithful local stand-in for bKash's documented API,
//! its checkout script and its wallet/OTP/PIN frame, with fault injection.
//!
//! Contract: powers Training mode and every test. Listens on loopback only.
//! Knows nothing of the app: its own crate, with no dependency on the client
//! (`pos-core`), so the tests compare two readings of bKash's documentation
//! (`../shared/bkash/API.md`), never one piece of code with itself. Also
//! shipped as the standalone `bkash-sim` binary. Where bKash's behaviour is not documented,
//! the choice made here is written next to the code and in the README.

pub mod answers;
pub mod codes;
mod control;
pub mod engine;
pub mod faults;
mod frame;
mod http;
pub mod model;
mod server;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use tokio::sync::watch;

pub use codes::Code;
pub use engine::{Engine, SimError, Stats};
pub use faults::{FaultKind, FaultRule};
pub use model::{Merchant, Payment, SimConfig, TxStatus};

/// The state every request shares. One lock, held only for in-memory work,
/// never across an await.
pub struct Shared {
    engine: Mutex<Engine>,
    faults: Mutex<faults::Faults>,
    clock_offset: Mutex<Duration>,
    callbacks: Mutex<HashMap<String, [String; 3]>>,
    pub base_url: String,
    /// Where Tokenized's `bkashURL` points when phones may reach the page
    /// (`SimServer::open_to_phones`); the API's own address otherwise.
    phone_page_base: Mutex<Option<String>>,
}

impl Shared {
    /// The simulator's clock: real time plus whatever tests moved it by.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + *lock(&self.clock_offset)
    }

    pub fn engine(&self) -> MutexGuard<'_, Engine> {
        lock(&self.engine)
    }

    fn remember_callbacks(&self, payment_id: &str, success: String, failure: String, cancel: String) {
        lock(&self.callbacks).insert(payment_id.to_string(), [success, failure, cancel]);
    }

    fn callbacks_of(&self, payment_id: &str) -> Option<[String; 3]> {
        lock(&self.callbacks).get(payment_id).cloned()
    }

    /// The base of Tokenized's payment page: phones' address when open to them.
    fn page_base(&self) -> String {
        lock(&self.phone_page_base).clone().unwrap_or_else(|| self.base_url.clone())
    }
}

/// A poisoned lock only means another request panicked mid-update; the
/// simulator's data is still the best truth it has, so keep serving.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running simulator. Dropping it stops the server.
pub struct SimServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
}

impl SimServer {
    /// Starts on 127.0.0.1:`port` (0 picks a free port).
    pub async fn start(config: SimConfig, port: u16) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let max_body = config.max_body_bytes;
        let shared = Arc::new(Shared {
            engine: Mutex::new(Engine::new(config)),
            faults: Mutex::default(),
            clock_offset: Mutex::new(Duration::zero()),
            callbacks: Mutex::default(),
            base_url: format!("http://{addr}"),
            phone_page_base: Mutex::default(),
        });
        let router = Router::new()
            .merge(http::routes())
            .merge(frame::routes())
            .merge(control::routes())
            .fallback(|| async { http::gateway(403, "Missing Authentication Token") })
            .layer(axum::middleware::from_fn_with_state(shared.clone(), gateway_layer))
            .layer(axum::extract::DefaultBodyLimit::max(max_body))
            .with_state(shared.clone());
        let (shutdown, rx) = watch::channel(false);
        tokio::spawn(server::serve(listener, router, rx));
        tracing::info!(%addr, "bKash simulator listening");
        Ok(Self { addr, shared, shutdown })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The Checkout (iFrame) API base, as bKash publishes it: `…/v1.2.0-beta`.
    pub fn checkout_base_url(&self) -> String {
        format!("{}/v1.2.0-beta", self.shared.base_url)
    }

    /// The checkout script, at the same path as bKash's sandbox script, on
    /// `localhost`: WebKit loads frames from `http://localhost` into the
    /// app's secure `tauri://` page, but not from `http://127.0.0.1`.
    pub fn script_url(&self) -> String {
        format!("{}{}", loopback_by_name(&self.shared.base_url), frame::SANDBOX_SCRIPT_PATH)
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Serves Tokenized's payment page (and only it: no API, no control
    /// routes) on `ip`, a free port, under a random path token, so phones on
    /// the shop's Wi-Fi can practise paying. From then on Create's `bkashURL`
    /// points there. Returns the page base, `http://IP:PORT/p/TOKEN`. A
    /// request without the token gets 404, so a neighbour who finds the port
    /// cannot reach a payment page by guessing paymentIDs.
    pub async fn open_to_phones(&self, ip: std::net::IpAddr) -> std::io::Result<String> {
        let listener = tokio::net::TcpListener::bind((ip, 0)).await?;
        let addr = listener.local_addr()?;
        let token: String = (0..24).map(|_| rand::Rng::sample(&mut rand::rng(), rand::distr::Alphanumeric) as char).collect();
        let base = format!("http://{addr}/p/{token}");
        let router = Router::new()
            .nest(&format!("/p/{token}"), frame::phone_routes())
            .fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "not found") })
            .with_state(self.shared.clone());
        tokio::spawn(server::serve(listener, router, self.shutdown.subscribe()));
        *lock(&self.shared.phone_page_base) = Some(base.clone());
        tracing::info!(%addr, "the simulator's payment page is open to phones on this network");
        Ok(base)
    }

    pub fn ledger(&self) -> Vec<Payment> {
        self.shared.engine().ledger()
    }

    pub fn stats(&self) -> Stats {
        self.shared.engine().stats.clone()
    }

    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).add(rule);
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    pub fn advance_clock(&self, by: Duration) {
        *lock(&self.shared.clock_offset) += by;
    }

    /// The customer enters wallet, OTP and PIN, through the frame's checks.
    pub fn customer_pays(&self, payment_id: &str, wallet: &str, otp: &str, pin: &str) -> Result<(), SimError> {
        let now = self.shared.now();
        self.shared.engine().customer_pays(payment_id, wallet, otp, pin, now).map(|_| ())
    }

    pub fn configure(&self, change: impl FnOnce(&mut SimConfig)) {
        change(&mut self.shared.engine().config);
    }

    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// In front of every bKash endpoint: refuse oversized bodies in the gateway's
/// words, count the call, and apply any fault due for it.
async fn gateway_layer(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let endpoint = faults::endpoint_of(request.method().as_str(), request.uri().path());
    let too_big = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|len| len > shared.engine().config.max_body_bytes);
    if too_big {
        return http::gateway(413, "Request Too Long");
    }
    let Some(endpoint) = endpoint else {
        return next.run(request).await;
    };
    *shared.engine().stats.calls.entry(endpoint.to_string()).or_default() += 1;
    if let Some(refusal) = missing_headers(request.headers()) {
        return refusal;
    }
    let fault = lock(&shared.faults).on_call(endpoint);
    let kill = request.extensions().get::<server::ConnKill>().cloned();
    let Some(rule) = fault else {
        return next.run(request).await;
    };
    let kind = rule.kind;
    tracing::info!(endpoint, ?kind, "simulator fault injected");
    if !kind.processes_request() {
        return match kind {
            FaultKind::Maintenance => {
                (axum::http::StatusCode::SERVICE_UNAVAILABLE, axum::Json(answers::CheckoutError::MAINTENANCE)).into_response()
            }
            FaultKind::Html500 => (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                [(axum::http::header::CONTENT_TYPE, "text/html")],
                "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>",
            )
                .into_response(),
            FaultKind::Refuse => hostile_answer(&rule, Vec::new()),
            _ => {
                if let Some(kill) = kill {
                    kill.reset();
                }
                std::future::pending().await
            }
        };
    }
    let response = next.run(request).await;
    match kind {
        FaultKind::Delay => {
            tokio::time::sleep(std::time::Duration::from_millis(rule.delay_ms)).await;
            response
        }
        FaultKind::MalformedJson => {
            let (parts, bytes) = into_bytes(response).await;
            let cut = bytes.slice(..bytes.len() / 2);
            let mut response = Response::from_parts(parts, axum::body::Body::from(cut));
            response.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
            response
        }
        FaultKind::Answer => hostile_answer(&rule, into_bytes(response).await.1.to_vec()),
        FaultKind::Oversized => {
            // `{"paymentID":"AAAA…` for `bytes` bytes, made chunk by chunk.
            let chunk = bytes::Bytes::from(vec![b'A'; 64 * 1024]);
            let head = bytes::Bytes::from_static(br#"{"paymentID":""#);
            let chunks = (rule.bytes.saturating_sub(head.len() as u64)).div_ceil(chunk.len() as u64);
            let stream = futures_util::stream::iter(
                std::iter::once(head).chain(std::iter::repeat_n(chunk, chunks as usize)).map(Ok::<_, std::convert::Infallible>),
            );
            (axum::http::StatusCode::OK, [(axum::http::header::CONTENT_TYPE, "application/json")], axum::body::Body::from_stream(stream))
                .into_response()
        }
        FaultKind::Drip => {
            let (parts, bytes) = into_bytes(response).await;
            let pause = std::time::Duration::from_millis(rule.delay_ms.max(1));
            let stream = futures_util::stream::unfold(0usize, move |at| {
                let bytes = bytes.clone();
                async move {
                    if at >= bytes.len() {
                        return None;
                    }
                    tokio::time::sleep(pause).await;
                    Some((Ok::<_, std::convert::Infallible>(bytes.slice(at..at + 1)), at + 1))
                }
            });
            let mut response = Response::from_parts(parts, axum::body::Body::from_stream(stream));
            response.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
            response
        }
        FaultKind::Stall => {
            let (parts, bytes) = into_bytes(response).await;
            let length = bytes.len();
            let stream = futures_util::stream::pending::<Result<bytes::Bytes, std::convert::Infallible>>();
            let mut response = Response::from_parts(parts, axum::body::Body::from_stream(stream));
            response.headers_mut().insert(axum::http::header::CONTENT_LENGTH, length.into());
            response
        }
        _ => {
            // DropResponse: bKash did the work; the answer never arrives.
            if let Some(kill) = kill {
                kill.close();
            }
            std::future::pending().await
        }
    }
}

/// The gateway's check of the headers bKash documents on every call of
/// both products (API.md §1A): production answered a Checkout Query without
/// `Content-Type` with HTTP 400 and this body. Only presence is checked, as
/// a gateway's required-parameter check does; a wrong `Content-Type` on a
/// body is the handler's `Invalid request body`.
fn missing_headers(headers: &axum::http::HeaderMap) -> Option<Response> {
    const REQUIRED: [(axum::http::HeaderName, &str); 2] =
        [(axum::http::header::CONTENT_TYPE, "Content-Type"), (axum::http::header::ACCEPT, "Accept")];
    let missing: Vec<&str> = REQUIRED.iter().filter(|(h, _)| !headers.contains_key(h)).map(|(_, name)| *name).collect();
    if missing.is_empty() {
        return None;
    }
    let message = format!("Missing required request parameters: [{}]", missing.join(", "));
    Some((axum::http::StatusCode::BAD_REQUEST, axum::Json(answers::GatewayMessage { message: &message })).into_response())
}

async fn into_bytes(response: Response) -> (axum::http::response::Parts, bytes::Bytes) {
    let (parts, body) = response.into_parts();
    (parts, axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default())
}

/// The answer of an `Answer` or `Refuse` fault: its status, `Location` and
/// body, or bKash's own answer (`real`) with `patch` written over it.
fn hostile_answer(rule: &FaultRule, real: Vec<u8>) -> Response {
    let status = axum::http::StatusCode::from_u16(rule.status.unwrap_or(200)).unwrap_or(axum::http::StatusCode::OK);
    let body = match (&rule.body, &rule.patch) {
        (Some(body), _) => body.clone().into_bytes(),
        (None, Some(serde_json::Value::Object(patch))) => {
            let mut value: serde_json::Value = serde_json::from_slice(&real).unwrap_or_default();
            if let serde_json::Value::Object(map) = &mut value {
                map.extend(patch.clone());
            }
            serde_json::to_vec(&value).unwrap_or_default()
        }
        _ => real,
    };
    let body = with_members(body, rule.prepend.as_deref(), rule.append.as_deref());
    let content_type = if serde_json::from_slice::<serde_json::Value>(&body).is_ok() { "application/json" } else { "text/html" };
    let mut response = (status, body).into_response();
    response.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static(content_type));
    if let Some(location) = rule.location.as_deref().and_then(|l| axum::http::HeaderValue::from_str(l).ok()) {
        response.headers_mut().insert(axum::http::header::LOCATION, location);
    }
    response
}

/// An object's text with raw members written in after its `{` and before
/// its `}`; anything that is not an object is left as it is.
fn with_members(body: Vec<u8>, prepend: Option<&str>, append: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&body);
    let trimmed = text.trim();
    let Some(inner) = trimmed.strip_prefix('{').and_then(|t| t.strip_suffix('}')) else { return body };
    if prepend.is_none() && append.is_none() {
        return body;
    }
    let mut members: Vec<&str> = Vec::new();
    members.extend(prepend);
    if !inner.trim().is_empty() {
        members.push(inner);
    }
    members.extend(append);
    format!("{{{}}}", members.join(",")).into_bytes()
}

/// This PC's address on its network (the shop's Wi-Fi), as the route to the
/// outside world would use it. A UDP `connect` only picks the route; nothing
/// is sent. Fails on a PC with no network.
pub fn lan_address() -> std::io::Result<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind(("0.0.0.0", 0))?;
    socket.connect(("192.0.2.1", 9))?;
    let ip = socket.local_addr()?.ip();
    if ip.is_unspecified() || ip.is_loopback() {
        return Err(std::io::Error::new(std::io::ErrorKind::AddrNotAvailable, "this PC has no network address"));
    }
    Ok(ip)
}

/// `http://127.0.0.1:PORT` → `http://localhost:PORT`, for URLs a webview loads.
pub fn loopback_by_name(url: &str) -> String {
    url.replacen("://127.0.0.1:", "://localhost:", 1)
}
