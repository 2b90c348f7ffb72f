//! The control API for tests and trainers, under `/__sim/`. It is not part of
//! bKash; it exists so a test can act as the customer, inject faults, read
//! the ledger (the truth a journal is compared with) and move the clock.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Duration;
use serde::Deserialize;
use serde_json::{json, Value};

use super::engine::SimError;
use super::faults::FaultRule;
use super::model::{Merchant, SimConfig};
use super::{lock, Shared};

type Sim = State<Arc<Shared>>;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__sim/health", get(|| async { Json(json!({"ok": true})) }))
        .route("/__sim/reset", post(reset))
        .route("/__sim/ledger", get(ledger))
        .route("/__sim/ledger/{payment_id}", get(ledger_entry))
        .route("/__sim/stats", get(stats))
        .route("/__sim/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/__sim/clock", get(clock))
        .route("/__sim/clock/advance", post(advance_clock))
        .route("/__sim/config", get(get_config).put(put_config))
        .route("/__sim/merchants", post(add_merchant))
        .route("/__sim/payments/{payment_id}/customer", post(customer))
}

/// The answer for a step the simulated bKash refused, in Checkout's words.
pub fn step_error(error: SimError) -> Value {
    match error {
        SimError::Code(code) => json!({
            "ok": false,
            "errorCode": code.as_str(),
            "errorMessage": code.message(),
        }),
        SimError::Gateway(_, message) => json!({"ok": false, "errorCode": "gateway", "errorMessage": message}),
    }
}

fn bad_request(message: String) -> Response {
    (axum::http::StatusCode::BAD_REQUEST, Json(json!({"ok": false, "errorMessage": message}))).into_response()
}

async fn reset(State(s): Sim) -> Json<Value> {
    s.engine().reset();
    lock(&s.faults).clear();
    *lock(&s.clock_offset) = Duration::zero();
    lock(&s.callbacks).clear();
    Json(json!({"ok": true}))
}

async fn ledger(State(s): Sim) -> Json<Value> {
    let engine = s.engine();
    Json(json!({ "payments": engine.ledger(), "agreements": engine.agreements() }))
}

async fn ledger_entry(State(s): Sim, Path(id): Path<String>) -> Response {
    match s.engine().ledger_entry(&id) {
        Some(p) => Json(p).into_response(),
        None => (axum::http::StatusCode::NOT_FOUND, Json(json!({"ok": false, "errorMessage": "no such paymentID"}))).into_response(),
    }
}

async fn stats(State(s): Sim) -> Json<Value> {
    Json(serde_json::to_value(&s.engine().stats).expect("stats serialise"))
}

async fn list_faults(State(s): Sim) -> Json<Value> {
    Json(json!({ "faults": lock(&s.faults).list() }))
}

async fn add_fault(State(s): Sim, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            lock(&s.faults).add(rule);
            Json(json!({"ok": true})).into_response()
        }
        Err(e) => bad_request(format!("bad fault rule: {e}")),
    }
}

async fn clear_faults(State(s): Sim) -> Json<Value> {
    lock(&s.faults).clear();
    Json(json!({"ok": true}))
}

async fn clock(State(s): Sim) -> Json<Value> {
    let now = s.now();
    Json(json!({ "now": now.to_rfc3339(), "bkashTime": super::model::bkash_time(now) }))
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance_clock(State(s): Sim, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Advance>(&body) {
        Ok(Advance { seconds }) if seconds >= 0 => {
            *lock(&s.clock_offset) += Duration::seconds(seconds);
            clock(State(s)).await.into_response()
        }
        Ok(_) => bad_request("the clock only moves forward".into()),
        Err(e) => bad_request(format!("expected {{\"seconds\": N}}: {e}")),
    }
}

async fn get_config(State(s): Sim) -> Json<Value> {
    let mut config = serde_json::to_value(&s.engine().config).expect("config serialises");
    // The control API reports which merchants exist, not their secrets.
    if let Some(merchants) = config.get_mut("merchants") {
        *merchants = s.engine().config.merchants.iter().map(|m| json!({"username": m.username, "appKey": m.app_key})).collect();
    }
    Json(config)
}

/// Changes any subset of the settings; merchants are added with POST /__sim/merchants.
async fn put_config(State(s): Sim, body: axum::body::Bytes) -> Response {
    let patch: Value = match serde_json::from_slice(&body) {
        Ok(Value::Object(map)) => Value::Object(map),
        _ => return bad_request("expected a JSON object of settings".into()),
    };
    let mut engine = s.engine();
    let mut current = serde_json::to_value(&engine.config).expect("config serialises");
    if let (Value::Object(cur), Value::Object(patch)) = (&mut current, patch) {
        for (k, v) in patch {
            if k != "merchants" {
                cur.insert(k, v);
            }
        }
    }
    match serde_json::from_value::<SimConfig>(current) {
        Ok(config) => {
            engine.config = config;
            Json(json!({"ok": true})).into_response()
        }
        Err(e) => bad_request(format!("bad setting: {e}")),
    }
}

async fn add_merchant(State(s): Sim, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Merchant>(&body) {
        Ok(m) if !m.username.is_empty() && !m.app_key.is_empty() => {
            let mut engine = s.engine();
            engine.config.merchants.retain(|old| old.username != m.username);
            engine.config.merchants.push(m);
            Json(json!({"ok": true})).into_response()
        }
        Ok(_) => bad_request("username and appKey must not be empty".into()),
        Err(e) => bad_request(format!("expected {{username, password, appKey, appSecret}}: {e}")),
    }
}

#[derive(Deserialize)]
struct Customer {
    wallet: String,
    otp: String,
    pin: String,
}

/// Acts as the customer without a browser: the same checks as the frame.
async fn customer(State(s): Sim, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    let Ok(c) = serde_json::from_slice::<Customer>(&body) else {
        return bad_request("expected {\"wallet\", \"otp\", \"pin\"}".into());
    };
    let now = s.now();
    let result = s.engine().customer_pays(&id, &c.wallet, &c.otp, &c.pin, now);
    match result {
        Ok(outcome) => Json(json!({"ok": true, "step": outcome.step, "verificationStatus": "Complete"})).into_response(),
        Err(e) => Json(step_error(e)).into_response(),
    }
}
