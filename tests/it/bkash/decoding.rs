use bkash_pos::bkash::wire::{decode, parse_time, Amount, CreatedPayment, PaymentResult, RefundResult, SearchResult, TokenResponse};
use bkash_pos::bkash::BkashError;
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
    let ok: PaymentResult = decode(200, body).unwrap();
    assert_eq!(ok.amount.poisha(), 1000);
    let missing = decode::<PaymentResult>(200, br#"{"paymentID":"TR1","transactionStatus":"Completed"}"#).unwrap_err();
    assert!(matches!(&missing, BkashError::OutcomeUnknown { reason } if reason.contains("missing field `amount`")), "{missing:?}");
}

#[test]
fn envelopes_map_to_what_the_caller_may_do() {
    let refused = decode::<PaymentResult>(200, br#"{"errorCode":"2023","errorMessage":"Insufficient Balance"}"#).unwrap_err();
    assert!(matches!(refused, BkashError::Refused { .. }));
    let tokenized = decode::<PaymentResult>(200, br#"{"statusCode":"2117","statusMessage":"x"}"#).unwrap_err();
    assert!(matches!(tokenized, BkashError::AlreadyDone { .. }));
    let transient = decode::<PaymentResult>(200, br#"{"errorCode":"2003","errorMessage":"Process failed"}"#).unwrap_err();
    assert!(transient.outcome_unknown());
    let gateway = decode::<PaymentResult>(401, br#"{"message":"The incoming token has expired"}"#).unwrap_err();
    assert_eq!(gateway, BkashError::Gateway { status: 401, message: "The incoming token has expired".into() });
    assert!(decode::<PaymentResult>(502, b"<html>bad gateway</html>").unwrap_err().outcome_unknown());
    assert!(decode::<PaymentResult>(200, b"{\"paymentID\":").unwrap_err().outcome_unknown());
    let long = format!(r#"{{"errorCode":"2023","errorMessage":"{}"}}"#, "x".repeat(10_000));
    assert!(decode::<PaymentResult>(200, long.as_bytes()).unwrap_err().to_string().len() < 300, "hostile messages are cut");
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
    let _ = decode::<PaymentResult>(status, body);
    let _ = decode::<CreatedPayment>(status, body);
    let _ = decode::<SearchResult>(status, body);
    let _ = decode::<RefundResult>(status, body);
    let _ = decode::<TokenResponse>(status, body);
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
