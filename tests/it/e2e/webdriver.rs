//! A small W3C WebDriver client over reqwest: only the commands the E2E tests
//! use, so the tier needs no extra WebDriver crate. Every request has a
//! timeout, so a stuck driver fails a test instead of hanging the tier.

use std::time::Duration;

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// W3C key codes for `send_keys`.
pub mod keys {
    pub const ENTER: char = '\u{E007}';
    pub const TAB: char = '\u{E004}';
    pub const F8: char = '\u{E038}';
    pub const F9: char = '\u{E039}';
    pub const ESCAPE: char = '\u{E00C}';
    pub const F10: char = '\u{E03A}';
}

pub struct WebDriver {
    http: reqwest::Client,
    session: String,
    base: String,
}

#[derive(Clone, Debug)]
pub struct Element(pub String);

impl WebDriver {
    pub async fn new_session(base: &str, capabilities: Value) -> Result<Self, String> {
        let http =
            reqwest::Client::builder().pool_max_idle_per_host(0).timeout(Duration::from_secs(60)).build().map_err(|e| e.to_string())?;
        let answer = send(http.post(format!("{base}/session")).json(&json!({"capabilities": {"alwaysMatch": capabilities}}))).await?;
        let session = answer["sessionId"].as_str().ok_or_else(|| format!("no sessionId in {answer}"))?.to_string();
        Ok(Self { http, session, base: base.to_string() })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.session, path)
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        send(self.http.get(self.url(path))).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        send(self.http.post(self.url(path)).json(&body)).await
    }

    pub async fn title(&self) -> Result<String, String> {
        Ok(self.get("/title").await?.as_str().unwrap_or_default().to_string())
    }

    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>, String> {
        let found = self.post("/elements", json!({"using": "css selector", "value": css})).await?;
        Ok(found.as_array().into_iter().flatten().filter_map(|e| e[ELEMENT_KEY].as_str().map(|id| Element(id.to_string()))).collect())
    }

    pub async fn active_element(&self) -> Result<Element, String> {
        let value = self.get("/element/active").await?;
        value[ELEMENT_KEY].as_str().map(|id| Element(id.to_string())).ok_or_else(|| format!("no active element: {value}"))
    }

    pub async fn attribute(&self, element: &Element, name: &str) -> Result<Option<String>, String> {
        Ok(self.get(&format!("/element/{}/attribute/{name}", element.0)).await?.as_str().map(str::to_string))
    }

    pub async fn send_keys(&self, element: &Element, text: &str) -> Result<(), String> {
        self.post(&format!("/element/{}/value", element.0), json!({"text": text})).await.map(drop)
    }

    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.post("/execute/sync", json!({"script": script, "args": args})).await
    }

    /// Runs `script` until it calls its last argument (the W3C async script).
    #[allow(dead_code)] // benches/catalogue_search.rs
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.post("/execute/async", json!({"script": script, "args": args})).await
    }

    pub async fn window_handles(&self) -> Result<Vec<String>, String> {
        let handles = self.get("/window/handles").await?;
        Ok(handles.as_array().into_iter().flatten().filter_map(|h| h.as_str().map(str::to_string)).collect())
    }

    pub async fn window_handle(&self) -> Result<String, String> {
        Ok(self.get("/window").await?.as_str().unwrap_or_default().to_string())
    }

    pub async fn switch_to_window(&self, handle: &str) -> Result<(), String> {
        self.post("/window", json!({"handle": handle})).await.map(drop)
    }

    /// Into an iframe of the current browsing context.
    pub async fn switch_to_frame(&self, element: &Element) -> Result<(), String> {
        self.post("/frame", json!({"id": {ELEMENT_KEY: element.0}})).await.map(drop)
    }

    /// Empties an input, as a person selecting all and deleting would.
    pub async fn clear(&self, element: &Element) -> Result<(), String> {
        self.post(&format!("/element/{}/clear", element.0), json!({})).await.map(drop)
    }

    pub async fn click(&self, element: &Element) -> Result<(), String> {
        self.post(&format!("/element/{}/click", element.0), json!({})).await.map(drop)
    }

    /// The window as PNG bytes.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        use base64::Engine as _;
        let data = self.get("/screenshot").await?;
        base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap_or_default()).map_err(|e| e.to_string())
    }

    pub async fn close(self) {
        let _ = self.http.delete(self.url("")).send().await;
    }
}

async fn send(request: reqwest::RequestBuilder) -> Result<Value, String> {
    let response = request.send().await.map_err(|e| format!("WebDriver request failed: {e}"))?;
    let status = response.status();
    let body: Value = response.json().await.map_err(|e| format!("WebDriver answer unreadable: {e}"))?;
    if !status.is_success() {
        return Err(format!("WebDriver {status}: {}", body["value"]));
    }
    Ok(body["value"].clone())
}
