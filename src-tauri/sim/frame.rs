//! bKash's front end, simulated: the checkout script merchants load, the
//! wallet/OTP/PIN frame it opens, the tokenized `bkashURL` page, and the small
//! API those pages call. A merchant page written for bKash works unchanged.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::control::step_error;
use super::engine::SimResult;
use super::model::{format_amount, CustomerStep, SUCCESS_WALLETS};
use super::Shared;

type Sim = State<Arc<Shared>>;

pub const SANDBOX_SCRIPT_PATH: &str = "/versions/1.2.0-beta/checkout/bKash-checkout-sandbox.js";
const PRODUCTION_SCRIPT_PATH: &str = "/versions/1.2.0-beta/checkout/bKash-checkout.js";

const CHECKOUT_JS: &str = include_str!("assets/checkout.js");
const FRAME_HTML: &str = include_str!("assets/frame.html");
const ORG_LOGO: &[u8] = include_bytes!("../../icons/128x128.png");

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(SANDBOX_SCRIPT_PATH, get(script))
        .route(PRODUCTION_SCRIPT_PATH, get(script))
        .route("/frame/checkout/{payment_id}", get(frame_page))
        .route("/tokenized/pay/{payment_id}", get(frame_page))
        .route("/static/org-logo.png", get(|| async { ([(header::CONTENT_TYPE, "image/png")], ORG_LOGO) }))
        .route("/frame-api/{payment_id}", get(frame_view))
        .route("/frame-api/{payment_id}/{step}", post(frame_step))
}

/// What phones on the shop's Wi-Fi may reach (`SimServer::open_to_phones`):
/// Tokenized's payment page and the steps it posts, nothing else.
pub fn phone_routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/tokenized/pay/{payment_id}", get(frame_page))
        .route("/static/org-logo.png", get(|| async { ([(header::CONTENT_TYPE, "image/png")], ORG_LOGO) }))
        .route("/frame-api/{payment_id}", get(frame_view))
        .route("/frame-api/{payment_id}/{step}", post(frame_step))
}

/// The script names the origin it was loaded from, as bKash's names its own:
/// `http://localhost:PORT` or `http://127.0.0.1:PORT`, whichever the page
/// used. Any other Host header gets the listening address, so a hostile Host
/// value never reaches the JavaScript.
async fn script(State(s): Sim, headers: axum::http::HeaderMap) -> Response {
    let port = s.base_url.rsplit(':').next().unwrap_or_default();
    let origin = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if host == format!("localhost:{port}") || host == format!("127.0.0.1:{port}") => format!("http://{host}"),
        _ => s.base_url.clone(),
    };
    let body = CHECKOUT_JS.replace("__SIM_ORIGIN__", &origin);
    ([(header::CONTENT_TYPE, "application/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

async fn frame_page() -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(FRAME_HTML)).into_response()
}

/// What the frame shows: merchant, invoice, amount, step, and (this is a
/// training system) the sandbox test wallets as a hint.
async fn frame_view(State(s): Sim, Path(id): Path<String>) -> Response {
    let result = s.engine().frame_view(&id);
    match result {
        Ok((p, org_name)) => {
            let callbacks = s.callbacks_of(&id);
            Json(json!({
                "ok": true,
                "paymentID": p.payment_id,
                "orgName": org_name,
                "merchantInvoiceNumber": p.merchant_invoice_number,
                "amount": format_amount(p.amount_poisha),
                "step": if p.executed { CustomerStep::Ended } else { p.customer_step },
                "mode": p.mode,
                "testWallets": SUCCESS_WALLETS,
                "testOtp": super::model::SANDBOX_OTP,
                "testPin": super::model::SANDBOX_PIN,
                "callbacks": callbacks.map(|[success, failure, cancel]| json!({"success": success, "failure": failure, "cancel": cancel})),
            }))
            .into_response()
        }
        Err(e) => Json(step_error(e)).into_response(),
    }
}

#[derive(Deserialize, Default)]
struct StepInput {
    #[serde(default)]
    wallet: String,
    #[serde(default)]
    otp: String,
    #[serde(default)]
    pin: String,
}

async fn frame_step(State(s): Sim, Path((id, step)): Path<(String, String)>, body: axum::body::Bytes) -> Response {
    let input: StepInput = serde_json::from_slice(&body).unwrap_or_default();
    let now = s.now();
    let mut engine = s.engine();
    let result: SimResult<_> = match step.as_str() {
        "wallet" => engine.customer_wallet(&id, input.wallet.trim(), now),
        "otp" => engine.customer_otp(&id, input.otp.trim(), now),
        "resend" => engine.customer_resend_otp(&id, now),
        "pin" => engine.customer_pin(&id, input.pin.trim(), now),
        "cancel" => engine.customer_cancel(&id, now),
        _ => return (axum::http::StatusCode::NOT_FOUND, "no such step").into_response(),
    };
    let step_now = engine.frame_view(&id).map(|(p, _)| p.customer_step).ok();
    drop(engine);
    let body: Value = match result {
        Ok(outcome) => json!({"ok": true, "step": outcome.step}),
        Err(e) => {
            let mut v = step_error(e);
            v["step"] = json!(step_now);
            v
        }
    };
    Json(body).into_response()
}
