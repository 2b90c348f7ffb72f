//! The bKash simulator over real HTTP on loopback: every endpoint, every error
//! code it promises, the gateway, faults and the control API.

mod checkout;
mod faults;
mod fidelity;
mod gateway;
mod tokenized;

use bkash_sim::{SimConfig, SimServer};
use serde_json::{json, Value};

/// The first published Checkout sandbox credential set (public test values).
pub const USER: &str = "sandboxTestUser";
pub const PASSWORD: &str = "hWD@8vtzw0";
pub const APP_KEY: &str = "5tunt4masn6pv2hnvte1sb5n3j";
pub const APP_SECRET: &str = "1vggbqd4hqk9g96o9rrrp2jftvek578v7d2bnerim12a87dbrrka";
pub const WALLET: &str = "01770618575";

/// A simulator with a roomy token budget, and a bare HTTP client for it.
pub struct Bench {
    pub sim: SimServer,
    pub http: reqwest::Client,
    pub token: String,
}

impl Bench {
    pub async fn start() -> Self {
        Self::with(|c| c.token_budget_per_hour = 100).await
    }

    pub async fn with(change: impl FnOnce(&mut SimConfig)) -> Self {
        let mut config = SimConfig::default();
        change(&mut config);
        let sim = SimServer::start(config, 0).await.unwrap();
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).default_headers(json_headers()).build().unwrap();
        let mut bench = Self { sim, http, token: String::new() };
        let (status, body) = bench.grant("checkout").await;
        assert_eq!(status, 200, "{body}");
        bench.token = body["id_token"].as_str().unwrap().to_string();
        bench
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.base_url())
    }

    pub async fn grant(&self, family: &str) -> (u16, Value) {
        self.token_call(family, "grant", USER, PASSWORD, json!({"app_key": APP_KEY, "app_secret": APP_SECRET})).await
    }

    pub async fn token_call(&self, family: &str, op: &str, user: &str, password: &str, body: Value) -> (u16, Value) {
        let prefix = if family == "checkout" { "/v1.2.0-beta/checkout" } else { "/v1.2.0-beta/tokenized/checkout" };
        let response = self
            .http
            .post(self.url(&format!("{prefix}/token/{op}")))
            .header("username", user)
            .header("password", password)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// An authorised Checkout call: `GET` when `body` is None.
    pub async fn checkout(&self, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = self.url(&format!("/v1.2.0-beta/checkout/{path}"));
        let request = match body {
            Some(b) => self.http.post(url).json(&b),
            None if path.starts_with("payment/execute") || path.starts_with("payment/capture") || path.starts_with("payment/void") => {
                self.http.post(url)
            }
            None => self.http.get(url),
        };
        read(request.header("authorization", &self.token).header("x-app-key", APP_KEY).send().await.unwrap()).await
    }

    pub async fn tokenized(&self, path: &str, body: Value) -> (u16, Value) {
        let url = self.url(&format!("/v1.2.0-beta/tokenized/checkout/{path}"));
        let request =
            self.http.post(url).json(&body).header("authorization", format!("Bearer {}", self.token)).header("x-app-key", APP_KEY);
        read(request.send().await.unwrap()).await
    }

    pub async fn create(&self, amount: &str) -> String {
        let (_, body) = self
            .checkout(
                "payment/create",
                Some(json!({"amount": amount, "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "INV-1"})),
            )
            .await;
        body["paymentID"].as_str().unwrap_or_else(|| panic!("create failed: {body}")).to_string()
    }

    /// Create, customer pays with `wallet`, execute: the execute answer.
    pub async fn pay(&self, amount: &str, wallet: &str) -> (String, Value) {
        let id = self.create(amount).await;
        self.sim.customer_pays(&id, wallet, "123456", "12121").unwrap();
        let (_, body) = self.checkout(&format!("payment/execute/{id}"), None).await;
        (id, body)
    }

    pub async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, self.url(&format!("/__sim/{path}")));
        if let Some(b) = body {
            request = request.json(&b);
        }
        read(request.send().await.unwrap()).await.1
    }
}

/// The headers bKash's gateway requires on every call (API.md §1A).
pub fn json_headers() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::CONTENT_TYPE, "application/json".parse().unwrap());
    headers.insert(reqwest::header::ACCEPT, "application/json".parse().unwrap());
    headers
}

pub async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// bKash's timestamp shape: `2024-07-25T19:35:17:574 GMT+0600`.
pub fn is_bkash_time(text: &str) -> bool {
    chrono::NaiveDateTime::parse_from_str(text.trim_end_matches(" GMT+0600"), "%Y-%m-%dT%H:%M:%S:%3f").is_ok()
        && text.ends_with(" GMT+0600")
}

#[test]
fn the_standalone_simulator_explains_itself_with_help() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bkash-sim")).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--port N") && text.contains("/__sim/"), "{text}");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_bkash-sim")).args(["--port", "eighty"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--port must be a number"));
}
