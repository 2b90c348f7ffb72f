//! Bare reqwest calls shared by the benchmarks: no BkashClient involved.

use bkash_pos::bkash::BkashConfig;
use serde_json::{json, Value};

/// Sends and reads the JSON answer; a benchmark stops at the first failure.
pub async fn json(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// One token grant with `config`'s credentials; returns the id_token.
pub async fn grant(http: &reqwest::Client, config: &BkashConfig) -> String {
    let c = &config.credentials;
    let request = http
        .post(format!("{}/checkout/token/grant", config.base_url))
        .header("username", &c.username)
        .header("password", c.password.expose())
        .json(&json!({"app_key": c.app_key, "app_secret": c.app_secret.expose()}));
    json(request).await["id_token"].as_str().unwrap().to_string()
}

/// The two headers every non-token call carries.
pub fn authorised(request: reqwest::RequestBuilder, config: &BkashConfig, token: &str) -> reqwest::RequestBuilder {
    request.header("authorization", token).header("x-app-key", &config.credentials.app_key)
}
