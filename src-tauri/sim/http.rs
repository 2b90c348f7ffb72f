//! bKash's two API families over HTTP, with their paths, headers, envelopes and
//! statuses (`../shared/bkash/API.md` §1, §4), plus the gateway in front.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Map, Value};

use super::answers::{
    AgreementExecuted, CheckoutError, CheckoutPayment, Created, GatewayMessage, RefundAnswer, SearchAnswer, TokenizedCreated,
    TokenizedEnvelope, TokenizedExecuted, TokenizedSettled, TokenizedStatus,
};
use super::codes::{self, Code};
use super::engine::{CreateRequest, SimError, SimResult};
use super::model::{bkash_time, Family, Payment};
use super::Shared;

type Sim = State<Arc<Shared>>;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1.2.0-beta/checkout/token/grant", post(checkout_grant))
        .route("/v1.2.0-beta/checkout/token/refresh", post(checkout_refresh))
        .route("/v1.2.0-beta/checkout/payment/create", post(checkout_create))
        .route("/v1.2.0-beta/checkout/payment/execute/{payment_id}", post(checkout_execute))
        .route("/v1.2.0-beta/checkout/payment/query/{payment_id}", get(checkout_query))
        .route("/v1.2.0-beta/checkout/payment/search/{trx_id}", get(checkout_search))
        .route("/v1.2.0-beta/checkout/payment/refund", post(checkout_refund))
        .route("/v1.2.0-beta/checkout/payment/capture/{payment_id}", post(checkout_capture))
        .route("/v1.2.0-beta/checkout/payment/void/{payment_id}", post(checkout_void))
        .route("/v1.2.0-beta/tokenized/checkout/token/grant", post(tokenized_grant))
        .route("/v1.2.0-beta/tokenized/checkout/token/refresh", post(tokenized_refresh))
        .route("/v1.2.0-beta/tokenized/checkout/create", post(tokenized_create))
        .route("/v1.2.0-beta/tokenized/checkout/execute", post(tokenized_execute))
        .route("/v1.2.0-beta/tokenized/checkout/payment/status", post(tokenized_status))
        .route("/v1.2.0-beta/tokenized/checkout/general/searchTransaction", post(tokenized_search))
        .route("/v1.2.0-beta/tokenized/checkout/payment/refund", post(tokenized_refund))
        .route("/v1.2.0-beta/tokenized/checkout/payment/confirm/capture", post(tokenized_capture))
        .route("/v1.2.0-beta/tokenized/checkout/payment/confirm/void", post(tokenized_void))
        .route("/v1.2.0-beta/tokenized/checkout/agreement/status", post(tokenized_agreement_status))
        .route("/v1.2.0-beta/tokenized/checkout/agreement/cancel", post(tokenized_agreement_cancel))
}

// ---- envelopes -----------------------------------------------------------------

/// The API gateway's own answer: `{"message": …}` with a 4xx status.
pub fn gateway(status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(GatewayMessage { message })).into_response()
}

/// Answers a call in the family's envelope. bKash answers business errors
/// with HTTP 200: Checkout as `errorCode`/`errorMessage`, Tokenized as
/// `statusCode`/`statusMessage` (success there is `0000`).
fn reply<T: Serialize>(family: Family, result: SimResult<T>) -> Response {
    match (family, result) {
        (_, Err(SimError::Gateway(status, message))) => gateway(status, message),
        (Family::Checkout, Err(SimError::Code(code))) => Json(CheckoutError::from(code)).into_response(),
        (Family::Tokenized, Err(SimError::Code(code))) => Json(TokenizedEnvelope::<()>::error(code)).into_response(),
        (Family::Checkout, Ok(body)) => Json(body).into_response(),
        (Family::Tokenized, Ok(body)) => Json(TokenizedEnvelope::success(body)).into_response(),
    }
}

// ---- request reading -------------------------------------------------------------

const INVALID_BODY: SimError = SimError::Gateway(400, "Invalid request body");

/// A JSON object body with `Content-Type: application/json`; anything else is
/// refused the way the gateway refuses it.
fn json_body(headers: &HeaderMap, body: &Bytes) -> SimResult<Map<String, Value>> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return Err(INVALID_BODY);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(INVALID_BODY),
    }
}

/// A string field: missing or null is `None`; any other type is `wrong_type`.
fn field(map: &Map<String, Value>, name: &str, wrong_type: Code) -> SimResult<Option<String>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        // Real integrations send `"amount": 85.5`; bKash takes it like the
        // string "85.5", under the same rules, and echoes it as a string.
        Some(Value::Number(n)) if name == "amount" => Ok(Some(n.to_string())),
        Some(_) => Err(SimError::Code(wrong_type)),
    }
}

fn required(map: &Map<String, Value>, name: &str) -> SimResult<String> {
    field(map, name, Code::InvalidRequestBody)?.ok_or(SimError::Code(Code::MandatoryFieldMissing))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn authorize(shared: &Shared, headers: &HeaderMap) -> SimResult<String> {
    let now = shared.now();
    shared.engine().authorize(header_str(headers, "authorization"), header_str(headers, "x-app-key"), now)
}

// ---- tokens ------------------------------------------------------------------------

fn token_call(shared: &Shared, headers: &HeaderMap, body: &Bytes, refresh: bool) -> SimResult<super::engine::TokenPair> {
    let username = header_str(headers, "username").unwrap_or("");
    let password = header_str(headers, "password").unwrap_or("");
    let map = json_body(headers, body)?;
    let app_key = field(&map, "app_key", Code::InvalidRequestBody)?.unwrap_or_default();
    let app_secret = field(&map, "app_secret", Code::InvalidRequestBody)?.unwrap_or_default();
    let now = shared.now();
    let mut engine = shared.engine();
    let pair = if refresh {
        let refresh_token = required(&map, "refresh_token")?;
        engine.refresh(username, password, &app_key, &app_secret, &refresh_token, now)?
    } else {
        engine.grant(username, password, &app_key, &app_secret, now)?
    };
    Ok(pair)
}

async fn checkout_grant(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Checkout, token_call(&s, &headers, &body, false))
}
async fn checkout_refresh(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Checkout, token_call(&s, &headers, &body, true))
}
async fn tokenized_grant(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, token_call(&s, &headers, &body, false))
}
async fn tokenized_refresh(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, token_call(&s, &headers, &body, true))
}

// ---- Checkout (iFrame) -------------------------------------------------------------

fn checkout_create_call(s: &Shared, headers: &HeaderMap, body: &Bytes) -> SimResult<CheckoutPayment> {
    let merchant = authorize(s, headers)?;
    let map = json_body(headers, body)?;
    let req = CreateRequest {
        mode: codes::mode::PAY_WITHOUT_AGREEMENT.into(),
        amount: field(&map, "amount", Code::InvalidAmount)?,
        currency: field(&map, "currency", Code::InvalidCurrency)?,
        intent: field(&map, "intent", Code::InvalidIntent)?,
        merchant_invoice_number: field(&map, "merchantInvoiceNumber", Code::InvalidInvoiceNumber)?,
        merchant_association_info: field(&map, "merchantAssociationInfo", Code::TlvDataFormatError)?,
        ..Default::default()
    };
    let now = s.now();
    let mut engine = s.engine();
    let p = engine.create(&merchant, Family::Checkout, req, now)?;
    Ok(CheckoutPayment::created(&p, engine.org_name(&merchant), format!("{}/static/org-logo.png", s.base_url)))
}

async fn checkout_create(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Checkout, checkout_create_call(&s, &headers, &body))
}

async fn checkout_execute(State(s): Sim, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let result = authorize(&s, &headers).and_then(|m| {
        let now = s.now();
        s.engine().execute(&m, &id, now)
    });
    reply(Family::Checkout, result.map(|p| CheckoutPayment::executed(&p)))
}

async fn checkout_query(State(s): Sim, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let result = authorize(&s, &headers).and_then(|m| s.engine().query(&m, &id));
    reply(Family::Checkout, result.map(|p| CheckoutPayment::queried(&p)))
}

async fn checkout_search(State(s): Sim, Path(trx): Path<String>, headers: HeaderMap) -> Response {
    let result = authorize(&s, &headers).and_then(|m| s.engine().search(&m, &trx));
    reply(Family::Checkout, result.map(|p| SearchAnswer::of(&p, Family::Checkout)))
}

/// Refund and Refund Status share one URL: without `amount` it is a status call.
fn refund_call(s: &Shared, headers: &HeaderMap, body: &Bytes) -> SimResult<RefundAnswer> {
    let merchant = authorize(s, headers)?;
    let map = json_body(headers, body)?;
    let payment_id = required(&map, "paymentID")?;
    let trx_id = required(&map, "trxID")?;
    let amount = field(&map, "amount", Code::InvalidAmount)?;
    let now = s.now();
    let mut engine = s.engine();
    let (p, r) = match amount {
        None => engine.refund_status(&merchant, &payment_id, &trx_id)?,
        Some(amount) => {
            let sku = field(&map, "sku", Code::InvalidSku)?;
            let reason = field(&map, "reason", Code::InvalidReason)?;
            engine.refund(&merchant, &payment_id, &trx_id, Some(&amount), sku.as_deref(), reason.as_deref(), now)?
        }
    };
    Ok(RefundAnswer::of(&p, &r))
}

async fn checkout_refund(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Checkout, refund_call(&s, &headers, &body))
}

fn capture_or_void(s: &Shared, headers: &HeaderMap, id: &str, capture: bool) -> SimResult<Payment> {
    let merchant = authorize(s, headers)?;
    let now = s.now();
    s.engine().settle_authorization(&merchant, id, capture, now)
}

async fn checkout_capture(State(s): Sim, Path(id): Path<String>, headers: HeaderMap) -> Response {
    reply(Family::Checkout, capture_or_void(&s, &headers, &id, true).map(|p| CheckoutPayment::of(&p)))
}

async fn checkout_void(State(s): Sim, Path(id): Path<String>, headers: HeaderMap) -> Response {
    reply(Family::Checkout, capture_or_void(&s, &headers, &id, false).map(|p| CheckoutPayment::of(&p)))
}

// ---- Tokenized -----------------------------------------------------------------------

fn callback_urls(callback: &str, payment_id: &str) -> [(String, String); 3] {
    let sep = if callback.contains('?') { '&' } else { '?' };
    ["success", "failure", "cancel"].map(|status| {
        let signature = super::model::new_trx_id();
        (status.to_string(), format!("{callback}{sep}paymentID={payment_id}&status={status}&signature={signature}&apiVersion=1.2.0-beta"))
    })
}

fn tokenized_create_call(s: &Shared, headers: &HeaderMap, body: &Bytes) -> SimResult<TokenizedCreated> {
    let merchant = authorize(s, headers)?;
    let map = json_body(headers, body)?;
    let mode = required(&map, "mode")?;
    let payer_reference = field(&map, "payerReference", Code::InvalidPayerReference)?;
    let callback_url = field(&map, "callbackURL", Code::InvalidCallbackUrl)?;
    let now = s.now();
    let mut engine = s.engine();
    let payment = if mode == codes::mode::CREATE_AGREEMENT {
        engine.create_agreement(&merchant, payer_reference, callback_url, now)?
    } else {
        let req = CreateRequest {
            mode,
            amount: field(&map, "amount", Code::InvalidAmount)?,
            currency: field(&map, "currency", Code::InvalidCurrency)?,
            intent: field(&map, "intent", Code::InvalidIntent)?,
            merchant_invoice_number: field(&map, "merchantInvoiceNumber", Code::InvalidInvoiceNumber)?,
            merchant_association_info: field(&map, "merchantAssociationInfo", Code::TlvDataFormatError)?,
            payer_reference,
            callback_url,
            agreement_id: field(&map, "agreementID", Code::InvalidAgreementId)?,
        };
        engine.create(&merchant, Family::Tokenized, req, now)?
    };
    let callback = payment.callback_url.clone().unwrap_or_default();
    let [(_, success), (_, failure), (_, cancel)] = callback_urls(&callback, &payment.payment_id);
    let created = TokenizedCreated {
        payment_id: payment.payment_id.clone(),
        bkash_url: format!(
            "{}/tokenized/pay/{}?paymentId={}&mode={}&apiVersion=v1.2.0-beta/",
            s.page_base(),
            payment.payment_id,
            payment.payment_id,
            payment.mode
        ),
        callback_url: callback,
        success_callback_url: success.clone(),
        failure_callback_url: failure.clone(),
        cancelled_callback_url: cancel.clone(),
        payer_reference: payment.payer_reference.clone(),
        what: Created::of(&payment),
    };
    s.remember_callbacks(&payment.payment_id, success, failure, cancel);
    Ok(created)
}

async fn tokenized_create(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, tokenized_create_call(&s, &headers, &body))
}

fn tokenized_payment_id(s: &Shared, headers: &HeaderMap, body: &Bytes) -> SimResult<(String, String)> {
    let merchant = authorize(s, headers)?;
    let map = json_body(headers, body)?;
    Ok((merchant, required(&map, "paymentID")?))
}

/// Execute answers an agreement's Create with the agreement, and a
/// payment's with the payment.
#[derive(Serialize)]
#[serde(untagged)]
enum Executed {
    Agreement(AgreementExecuted),
    Payment(TokenizedExecuted),
}

fn tokenized_execute_call(s: &Shared, headers: &HeaderMap, body: &Bytes) -> SimResult<Executed> {
    let (merchant, payment_id) = tokenized_payment_id(s, headers, body)?;
    let now = s.now();
    let mut engine = s.engine();
    if engine.is_agreement_payment(&payment_id) {
        return Ok(Executed::Agreement(AgreementExecuted::of(&engine.execute_agreement(&merchant, &payment_id, now)?)));
    }
    Ok(Executed::Payment(TokenizedExecuted::of(&engine.execute(&merchant, &payment_id, now)?)))
}

async fn tokenized_execute(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, tokenized_execute_call(&s, &headers, &body))
}

fn tokenized_status_call(s: &Shared, headers: &HeaderMap, body: &Bytes) -> SimResult<TokenizedStatus> {
    let (merchant, payment_id) = tokenized_payment_id(s, headers, body)?;
    Ok(TokenizedStatus::of(&s.engine().query(&merchant, &payment_id)?))
}

async fn tokenized_status(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, tokenized_status_call(&s, &headers, &body))
}

fn tokenized_search_call(s: &Shared, headers: &HeaderMap, body: &Bytes) -> SimResult<SearchAnswer> {
    let merchant = authorize(s, headers)?;
    let map = json_body(headers, body)?;
    let trx = required(&map, "trxID")?;
    let p = s.engine().search(&merchant, &trx)?;
    Ok(SearchAnswer::of(&p, Family::Tokenized))
}

async fn tokenized_search(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, tokenized_search_call(&s, &headers, &body))
}

async fn tokenized_refund(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, refund_call(&s, &headers, &body))
}

fn tokenized_settle(s: &Shared, headers: &HeaderMap, body: &Bytes, capture: bool) -> SimResult<TokenizedSettled> {
    let (merchant, payment_id) = tokenized_payment_id(s, headers, body)?;
    let now = s.now();
    let p = s.engine().settle_authorization(&merchant, &payment_id, capture, now)?;
    Ok(TokenizedSettled::of(&p, bkash_time(now)))
}

async fn tokenized_capture(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, tokenized_settle(&s, &headers, &body, true))
}

async fn tokenized_void(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, tokenized_settle(&s, &headers, &body, false))
}

fn agreement_call(s: &Shared, headers: &HeaderMap, body: &Bytes, cancel: bool) -> SimResult<super::model::Agreement> {
    let merchant = authorize(s, headers)?;
    let map = json_body(headers, body)?;
    let agreement_id = required(&map, "agreementID")?;
    let now = s.now();
    let mut engine = s.engine();
    if cancel {
        engine.cancel_agreement(&merchant, &agreement_id, now)
    } else {
        engine.agreement_status(&merchant, &agreement_id)
    }
}

async fn tokenized_agreement_status(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, agreement_call(&s, &headers, &body, false))
}

async fn tokenized_agreement_cancel(State(s): Sim, headers: HeaderMap, body: Bytes) -> Response {
    reply(Family::Tokenized, agreement_call(&s, &headers, &body, true))
}
