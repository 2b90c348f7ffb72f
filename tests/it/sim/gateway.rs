use chrono::Duration;
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_grant_with_published_sandbox_credentials_returns_a_one_hour_bearer_token() {
    let bench = Bench::start().await;
    let (status, body) = bench.grant("checkout").await;
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["id_token"].as_str().unwrap().starts_with("eyJ"));
    assert!(body["refresh_token"].as_str().unwrap().len() > 100);
}

#[tokio::test]
async fn wrong_credentials_get_bkash_errors_that_say_which_part_is_wrong() {
    let bench = Bench::start().await;
    let (status, body) = bench.token_call("checkout", "grant", USER, "wrong", json!({"app_key": APP_KEY, "app_secret": APP_SECRET})).await;
    assert_eq!((status, body), (401, json!({"message": "Unauthorized"})));
    let (status, body) = bench.token_call("checkout", "grant", USER, PASSWORD, json!({"app_key": "nope", "app_secret": APP_SECRET})).await;
    assert_eq!((status, body["errorCode"].as_str()), (200, Some("2001")));
    let (_, body) = bench.token_call("checkout", "grant", USER, PASSWORD, json!({"app_key": APP_KEY, "app_secret": "nope"})).await;
    assert_eq!(body["errorCode"], "2043");
    let (_, body) = bench.token_call("tokenized", "grant", USER, PASSWORD, json!({"app_key": "nope", "app_secret": APP_SECRET})).await;
    assert_eq!((body["statusCode"].as_str(), body["statusMessage"].as_str()), (Some("2001"), Some("Invalid App Key")));
}

#[tokio::test]
async fn the_token_budget_refuses_a_third_call_in_an_hour_and_recovers_after_it() {
    let bench = Bench::with(|c| c.token_budget_per_hour = 2).await; // one grant spent by start()
    assert_eq!(bench.grant("checkout").await.0, 200);
    let (status, body) = bench.grant("checkout").await;
    assert_eq!((status, body), (429, json!({"message": "Too Many Requests"})));
    bench.sim.advance_clock(Duration::minutes(61));
    assert_eq!(bench.grant("checkout").await.0, 200);
    assert_eq!(bench.sim.stats().token_grants, 3, "refused calls are not grants");
}

#[tokio::test]
async fn a_refresh_gives_a_new_pair_and_counts_against_the_token_budget() {
    let bench = Bench::start().await;
    let (_, pair) = bench.grant("checkout").await;
    let body = json!({"app_key": APP_KEY, "app_secret": APP_SECRET, "refresh_token": pair["refresh_token"]});
    let (status, fresh) = bench.token_call("checkout", "refresh", USER, PASSWORD, body.clone()).await;
    assert_eq!(status, 200, "{fresh}");
    assert_ne!(fresh["id_token"], pair["id_token"]);
    assert_ne!(fresh["refresh_token"], pair["refresh_token"]);
    let other = json!({"app_key": APP_KEY, "app_secret": APP_SECRET, "refresh_token": "not-one-of-ours"});
    assert_eq!(bench.token_call("checkout", "refresh", USER, PASSWORD, other).await.0, 401, "an unknown refresh token");
    assert_eq!(bench.sim.stats().token_refreshes, 1);
}

#[tokio::test]
async fn the_gateway_refuses_missing_and_expired_tokens_before_any_payment_logic() {
    let bench = Bench::start().await;
    let url = bench.url("/v1.2.0-beta/checkout/payment/query/TR0011x");
    let (status, body) = read(bench.http.get(&url).header("x-app-key", APP_KEY).send().await.unwrap()).await;
    assert_eq!((status, body), (401, json!({"message": "Unauthorized"})));
    let (status, _) =
        read(bench.http.get(&url).header("authorization", "made-up").header("x-app-key", APP_KEY).send().await.unwrap()).await;
    assert_eq!(status, 401);
    let (_, body) =
        read(bench.http.get(&url).header("authorization", &bench.token).header("x-app-key", "other").send().await.unwrap()).await;
    assert_eq!(body["errorCode"], "2001");

    bench.sim.advance_clock(Duration::seconds(3600));
    let (status, body) = bench.checkout("payment/query/TR0011x", None).await;
    assert_eq!((status, body), (401, json!({"message": "The incoming token has expired"})));
    assert!(bench.sim.ledger().is_empty());
}

#[tokio::test]
async fn malformed_requests_get_gateway_shaped_errors_never_a_crash() {
    let bench = Bench::start().await;
    let url = bench.url("/v1.2.0-beta/checkout/payment/create");
    let send = |body: Vec<u8>, content_type: &'static str| {
        bench
            .http
            .post(&url)
            .header("authorization", &bench.token)
            .header("x-app-key", APP_KEY)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let (status, body) = read(send(b"{not json".to_vec(), "application/json").await.unwrap()).await;
    assert_eq!((status, body), (400, json!({"message": "Invalid request body"})));
    let (status, _) = read(send(br#"{"amount":"10"}"#.to_vec(), "text/plain").await.unwrap()).await;
    assert_eq!(status, 400);
    let (status, _) = read(send(b"[1,2]".to_vec(), "application/json").await.unwrap()).await;
    assert_eq!(status, 400);
    let (status, body) = read(send(vec![b' '; 200_000], "application/json").await.unwrap()).await;
    assert_eq!((status, body), (413, json!({"message": "Request Too Long"})));
    let (_, body) = read(send(br#"{"currency":"BDT"}"#.to_vec(), "application/json").await.unwrap()).await;
    assert_eq!(body["errorCode"], "2065");
    let (status, body) = read(bench.http.get(bench.url("/v1.2.0-beta/nowhere")).send().await.unwrap()).await;
    assert_eq!((status, body), (403, json!({"message": "Missing Authentication Token"})));
    // Still serving after all that.
    assert_eq!(bench.control(reqwest::Method::GET, "health", None).await, json!({"ok": true}));
}

/// Every bKash endpoint of both products, as a client calls it: method,
/// path and body (`None`: a GET, or a POST without a body).
fn every_endpoint() -> Vec<(reqwest::Method, &'static str, Option<serde_json::Value>)> {
    use reqwest::Method;
    let token_body = json!({"app_key": APP_KEY, "app_secret": APP_SECRET});
    let paid = json!({"paymentID": "TR0011x", "trxID": "AAAAAAAAAA"});
    let sale = json!({"amount": "10", "currency": "BDT", "intent": "sale", "merchantInvoiceNumber": "INV-H"});
    let mut tokenized_sale = sale.clone();
    tokenized_sale["mode"] = json!("0011");
    tokenized_sale["payerReference"] = json!(" ");
    tokenized_sale["callbackURL"] = json!("https://shop.example/cb");
    vec![
        (Method::POST, "/v1.2.0-beta/checkout/token/grant", Some(token_body.clone())),
        (Method::POST, "/v1.2.0-beta/checkout/token/refresh", Some(token_body.clone())),
        (Method::POST, "/v1.2.0-beta/checkout/payment/create", Some(sale)),
        (Method::POST, "/v1.2.0-beta/checkout/payment/execute/TR0011x", None),
        (Method::GET, "/v1.2.0-beta/checkout/payment/query/TR0011x", None),
        (Method::GET, "/v1.2.0-beta/checkout/payment/search/AAAAAAAAAA", None),
        (Method::POST, "/v1.2.0-beta/checkout/payment/refund", Some(paid.clone())),
        (Method::POST, "/v1.2.0-beta/checkout/payment/capture/TR0011x", None),
        (Method::POST, "/v1.2.0-beta/checkout/payment/void/TR0011x", None),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/token/grant", Some(token_body.clone())),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/token/refresh", Some(token_body)),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/create", Some(tokenized_sale)),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/execute", Some(json!({"paymentID": "TR0011x"}))),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/payment/status", Some(json!({"paymentID": "TR0011x"}))),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/general/searchTransaction", Some(json!({"trxID": "AAAAAAAAAA"}))),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/payment/refund", Some(paid)),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/payment/confirm/capture", Some(json!({"paymentID": "TR0011x"}))),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/payment/confirm/void", Some(json!({"paymentID": "TR0011x"}))),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/agreement/status", Some(json!({"agreementID": "AG1"}))),
        (Method::POST, "/v1.2.0-beta/tokenized/checkout/agreement/cancel", Some(json!({"agreementID": "AG1"}))),
    ]
}

/// One HTTP/1.1 request written by hand, so it carries exactly the headers
/// given (reqwest adds `Accept: */*` by itself). Returns the status and body.
async fn raw_request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer);
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::String(body.to_string())))
}

#[tokio::test]
async fn every_endpoint_refuses_a_call_without_content_type_or_accept_as_bkashs_gateway_does() {
    let bench = Bench::start().await;
    let endpoints = every_endpoint();
    assert_eq!(endpoints.len(), 20, "both products' endpoints, token calls included");
    for (method, path, body) in endpoints {
        for (content_type, accept, missing) in
            [(false, true, "[Content-Type]"), (true, false, "[Accept]"), (false, false, "[Content-Type, Accept]")]
        {
            let mut headers =
                vec![("authorization", bench.token.as_str()), ("x-app-key", APP_KEY), ("username", USER), ("password", PASSWORD)];
            if content_type {
                headers.push(("content-type", "application/json"));
            }
            if accept {
                headers.push(("accept", "application/json"));
            }
            let body = body.as_ref().map(|b| b.to_string()).unwrap_or_default();
            let (status, answer) = raw_request(bench.sim.addr, method.as_str(), path, &headers, &body).await;
            let expected = json!({"message": format!("Missing required request parameters: {missing}")});
            assert_eq!((status, answer), (400, expected), "{method} {path} without {missing}");
        }
    }
    assert!(bench.sim.ledger().is_empty(), "nothing refused at the gateway reached payment logic");
    assert_eq!(bench.sim.stats().token_grants, 1, "only the bench's own grant");
    // With both headers, the same Query reaches bKash's logic (an unknown paymentID).
    let (status, answer) = bench.checkout("payment/query/TR0011x", None).await;
    assert_eq!((status, answer["errorCode"].as_str()), (200, Some("2002")), "{answer}");
}
