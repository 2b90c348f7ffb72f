use pos_core::bkash::answer::decode;
use pos_core::bkash::wire::{parse_time, CreatedPayment, PaymentResult, RefundResult, SearchResult, TokenResponse};
use pos_core::bkash::BkashError;
use pos_core::money::Amount;
use proptest::prelude::*;

#[test]
fn amounts_read_and_write_bkash_strings_exactly() {
    for (text, poisha) in [("85", 8500), ("85.5", 8550), ("85.50", 8550), ("0.01", 1), ("1000000", 100_000_000)] {
        assert_eq!(Amount::parse(text).unwrap().poisha(), poisha, "{text}");
    }
    assert_eq!(Amount::from_poisha(8550).to_string(), "85.50");
    assert_eq!(Amount::from_poisha(1).to_string(), "0.01");
    for bad in ["", "-1", "1.234", "1e5", "abc", "1.", ".5", "１２", "9999999999999"] {
        assert!(Amount::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn bkash_timestamps_keep_their_offset() {
    let t = parse_time("2024-07-25T19:35:17:574 GMT+0600").unwrap();
    assert_eq!(t.to_rfc3339(), "2024-07-25T19:35:17.574+06:00");
    assert_eq!(parse_time("2024-06-13T16:27:24:000 GMT+0000").unwrap().offset().local_minus_utc(), 0);
    assert!(parse_time("2024-07-25T19:35:17.574Z").is_err());
}

#[test]
fn unknown_fields_are_tolerated_and_a_missing_field_is_named() {
    let body = br#"{"paymentID":"TR1","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10","extra":{"x":1}}"#;
    let ok: PaymentResult = decode(200, None, body).unwrap();
    assert_eq!(ok.amount.poisha(), 1000);
    let missing = decode::<PaymentResult>(200, None, br#"{"paymentID":"TR1","transactionStatus":"Completed"}"#).unwrap_err();
    assert!(matches!(&missing, BkashError::OutcomeUnknown { reason } if reason.contains("missing field `amount`")), "{missing:?}");
}

#[test]
fn envelopes_map_to_what_the_caller_may_do() {
    let refused = decode::<PaymentResult>(200, None, br#"{"errorCode":"2023","errorMessage":"Insufficient Balance"}"#).unwrap_err();
    assert!(matches!(refused, BkashError::Refused { .. }));
    let tokenized = decode::<PaymentResult>(200, None, br#"{"statusCode":"2117","statusMessage":"x"}"#).unwrap_err();
    assert!(matches!(tokenized, BkashError::AlreadyDone { .. }));
    let transient = decode::<PaymentResult>(200, None, br#"{"errorCode":"2003","errorMessage":"Process failed"}"#).unwrap_err();
    assert!(transient.outcome_unknown());
    let gateway = decode::<PaymentResult>(401, None, br#"{"message":"The incoming token has expired"}"#).unwrap_err();
    assert_eq!(gateway, BkashError::Gateway { status: 401, message: "The incoming token has expired".into() });
    assert!(decode::<PaymentResult>(502, None, b"<html>bad gateway</html>").unwrap_err().outcome_unknown());
    assert!(decode::<PaymentResult>(200, None, b"{\"paymentID\":").unwrap_err().outcome_unknown());
    let long = format!(r#"{{"errorCode":"2023","errorMessage":"{}"}}"#, "x".repeat(10_000));
    assert!(decode::<PaymentResult>(200, None, long.as_bytes()).unwrap_err().to_string().len() < 300, "hostile messages are cut");
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(serde_json::Value::Number).unwrap_or_default()),
        ".{0,20}".prop_map(serde_json::Value::from),
        prop_oneof![Just("Completed"), Just("2023"), Just("0000"), Just("85.50"), Just("2024-07-25T19:35:17:574 GMT+0600")]
            .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 32, 8, |inner| {
        let keys = prop_oneof![
            Just("paymentID".to_string()),
            Just("trxID".to_string()),
            Just("amount".to_string()),
            Just("transactionStatus".to_string()),
            Just("errorCode".to_string()),
            Just("statusCode".to_string()),
            Just("message".to_string()),
            Just("createTime".to_string()),
            Just("id_token".to_string()),
            Just("expires_in".to_string()),
            "[a-zA-Z]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys, inner, 0..8).prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn decode_all(status: u16, body: &[u8]) {
    let _ = decode::<PaymentResult>(status, None, body);
    let _ = decode::<CreatedPayment>(status, None, body);
    let _ = decode::<SearchResult>(status, None, body);
    let _ = decode::<RefundResult>(status, None, body);
    let _ = decode::<TokenResponse>(status, None, body);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_a_decoder(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_all(status, &body);
    }

    #[test]
    fn hostile_json_never_panics_a_decoder(status in prop_oneof![Just(200u16), Just(401), Just(500), 100u16..600], value in json_value()) {
        decode_all(status, value.to_string().as_bytes());
    }
}

/// The rule of `bkash::answer` as a table: what came back, and whether it
/// may say "no money moved" (definitive) or goes to Query (unknown).
#[test]
fn only_documented_answers_are_definitive_and_everything_else_goes_to_query() {
    #[derive(Debug, PartialEq)]
    enum Verdict {
        Answer,
        Refused,
        Gateway,
        Unknown,
    }
    use Verdict::*;
    let completed = r#"{"paymentID":"TR1","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10"}"#;
    let table: &[(u16, &str, Verdict)] = &[
        (200, completed, Answer),
        (200, r#"{"errorCode":"2023","errorMessage":"Insufficient Balance"}"#, Refused),
        (200, r#"{"statusCode":"2023","statusMessage":"Insufficient Balance"}"#, Refused),
        (200, r#"{"errorCode":"2117","errorMessage":"again"}"#, Unknown), // already done: only Query tells
        (200, r#"{"errorCode":"9999","errorMessage":"Internal server error"}"#, Unknown),
        (200, r#"{"errorCode":"7777","errorMessage":"undocumented"}"#, Unknown),
        (200, "{}", Unknown),
        (200, r#"{"paymentID":5,"amount":[1]}"#, Unknown),
        (200, "<html>ok</html>", Unknown),
        (200, "", Unknown),
        (200, r#"{"message":"Unauthorized"}"#, Unknown),
        // Answers that contradict themselves say nothing: a code beside a success, in either envelope.
        (
            200,
            r#"{"paymentID":"TR1","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10","errorCode":"2023","errorMessage":"Insufficient Balance"}"#,
            Unknown,
        ),
        (
            200,
            r#"{"paymentID":"TR1","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10","statusCode":"2023","statusMessage":"Insufficient Balance"}"#,
            Unknown,
        ),
        (200, r#"{"errorCode":"2023","errorMessage":"Insufficient Balance","transactionStatus":"Completed"}"#, Unknown),
        (200, r#"{"statusCode":"2023","statusMessage":"Insufficient Balance","trxID":"ABCDEFGHIJ"}"#, Unknown),
        (200, r#"{"errorCode":"2023","errorMessage":"Insufficient Balance","transactionStatus":"Authorized"}"#, Unknown),
        (200, r#"{"errorCode":"2072","refundTrxID":"RFABCDEFGH","originalTrxID":"ABCDEFGHIJ"}"#, Unknown),
        (200, r#"{"errorCode":"2023","errorMessage":"Insufficient Balance","statusCode":"0000","statusMessage":"Successful"}"#, Unknown),
        (200, r#"{"errorCode":"2023","statusCode":"2029"}"#, Unknown),
        // The same code in both envelopes, beside nothing that says success, is still a refusal.
        (200, r#"{"errorCode":"2023","statusCode":"2023","transactionStatus":"Initiated"}"#, Refused),
        // A key written twice, in either order, at the top or deeper.
        (
            200,
            r#"{"paymentID":"TR1","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10","transactionStatus":"Initiated"}"#,
            Unknown,
        ),
        (
            200,
            r#"{"paymentID":"TR1","transactionStatus":"Initiated","trxID":"ABCDEFGHIJ","amount":"10","transactionStatus":"Completed"}"#,
            Unknown,
        ),
        (200, r#"{"errorCode":"2023","errorMessage":"Insufficient Balance","errorCode":"2023"}"#, Unknown),
        (200, r#"{"paymentID":"TR1","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10","x":{"a":1,"a":2}}"#, Unknown),
        (200, r#"{"paymentID":"TR1","paymentID":"TR1","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10"}"#, Unknown),
        // A grant bKash refused by name (a real sandbox answer): the credentials, not a fault.
        (200, r#"{"statusCode":"9999","statusMessage":"Username does not exist"}"#, Refused),
        (400, r#"{"message":"Invalid request body"}"#, Gateway),
        (400, r#"{"message":"Missing required request parameters: [Content-Type]"}"#, Gateway),
        (400, r#"{"message":"Missing required request parameters: [Content-Type, Accept]"}"#, Gateway),
        (400, r#"{"message":"Missing required request parameters: [X-Other]"}"#, Unknown),
        (401, r#"{"message":"Missing required request parameters: [Content-Type]"}"#, Unknown),
        (401, r#"{"message":"Unauthorized"}"#, Gateway),
        (401, r#"{"message":"The incoming token has expired"}"#, Gateway),
        (403, r#"{"message":"Forbidden"}"#, Gateway),
        (403, r#"{"message":"Missing Authentication Token"}"#, Gateway),
        (429, r#"{"message":"Too Many Requests"}"#, Gateway),
        (401, r#"{"message":"something else"}"#, Unknown),
        (401, "<html>401</html>", Unknown),
        (429, r#"{"message":"Unauthorized"}"#, Unknown),
        (404, r#"{"message":"Not Found"}"#, Unknown),
        (404, r#"{"errorCode":"2023","errorMessage":"Insufficient Balance"}"#, Unknown),
        (405, "", Unknown),
        (413, r#"{"message":"Request Too Long"}"#, Unknown),
        (301, "", Unknown),
        (302, "", Unknown),
        (307, completed, Unknown),
        (308, "", Unknown),
        (201, completed, Unknown),
        (204, "", Unknown),
        (500, r#"{"errorCode":"2023","errorMessage":"Insufficient Balance"}"#, Unknown),
        (502, "<html>bad gateway</html>", Unknown),
        (503, r#"{"errorCode":"503","errorMessage":"System is undergoing maintenance. Please try again later"}"#, Unknown),
    ];
    for (status, body, expected) in table {
        let verdict = match decode::<PaymentResult>(*status, Some("https://elsewhere.example/x"), body.as_bytes()) {
            Ok(_) => Answer,
            Err(BkashError::Refused { .. }) => Refused,
            Err(BkashError::Gateway { .. }) => Gateway,
            Err(e) => {
                assert!(e.outcome_unknown(), "{status} {body}: {e:?} must send the payment to Query");
                Unknown
            }
        };
        assert_eq!(&verdict, expected, "HTTP {status} {body}");
    }
    let redirect = decode::<PaymentResult>(302, Some("https://elsewhere.example/steal?x=1"), b"").unwrap_err();
    assert!(redirect.to_string().contains("redirect to elsewhere.example; not followed"), "{redirect}");
}

#[test]
fn tokenizeds_plain_success_reads_in_one_pass_and_a_code_beside_it_is_no_verdict() {
    let ok = br#"{"paymentID":"TR0011A","trxID":"ABCDEFGHIJ","transactionStatus":"Completed","amount":"10","statusCode":"0000","statusMessage":"Successful"}"#;
    let read: PaymentResult = pos_core::bkash::answer::decode(200, None, ok).unwrap();
    assert_eq!(read.trx_id.as_deref(), Some("ABCDEFGHIJ"));
    let refused =
        pos_core::bkash::answer::decode::<PaymentResult>(200, None, br#"{"statusCode":"2023","statusMessage":"Insufficient Balance"}"#);
    assert_eq!(refused.unwrap_err().code(), Some("2023"));
    for body in [
        // Two codes, or the same key twice: neither half is believed, so Query decides.
        r#"{"statusCode":"0000","errorCode":"2023","paymentID":"TR0011A","transactionStatus":"Completed","amount":"10"}"#,
        r#"{"statusCode":"0000","paymentID":"TR0011A","transactionStatus":"Completed","amount":"10","statusCode":"2023"}"#,
        r#"{"statusCode": "2062", "paymentID":"TR0011A","transactionStatus":"Completed","amount":"10"}"#,
    ] {
        let error = pos_core::bkash::answer::decode::<PaymentResult>(200, None, body.as_bytes()).unwrap_err();
        assert!(error.outcome_unknown(), "{body}: {error:?}");
        assert!(error.to_string().contains("contradicts itself"), "the journal says why: {error}");
    }
}
