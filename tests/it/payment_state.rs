use pos_core::bkash::{BkashError, PaymentResult, TransactionStatus};
use pos_core::money::PaymentState::{self, *};
use pos_core::money::{Amount, RefundState};
use pos_core::reconcile::{decide, Decision, Evidence};

use crate::support::row_in;

/// The table, written out once more by hand: a change to the rules must
/// change both places.
const ALLOWED: &[(PaymentState, PaymentState)] = &[
    (New, Creating),
    (New, Cancelled),
    (Creating, AwaitingCustomer),
    (Creating, Failed),
    (Creating, NotCharged),
    (AwaitingCustomer, Executing),
    (AwaitingCustomer, Cancelled),
    (AwaitingCustomer, NotCharged),
    (Executing, Completed),
    (Executing, Failed),
    (Executing, Unknown),
    (Executing, NotCharged),
    (Unknown, Completed),
    (Unknown, NotCharged),
];

#[test]
fn every_transition_not_in_the_table_is_refused() {
    for from in PaymentState::ALL {
        for to in PaymentState::ALL {
            assert_eq!(from.can_become(to), ALLOWED.contains(&(from, to)), "{from} -> {to}");
        }
    }
}

#[test]
fn a_payment_that_may_have_moved_money_can_never_be_called_cancelled_or_refused_after_the_fact() {
    // Executing may have charged: nobody may call it cancelled; only bKash's
    // answer (Completed, a refusal, or Query's "Initiated") settles it.
    assert!(!Executing.can_become(Cancelled));
    assert!(!Unknown.can_become(Cancelled));
    assert!(!Unknown.can_become(Failed), "a query that cannot see the payment proves nothing about a refusal");
}

fn query_says(status: TransactionStatus, payment_id: &str) -> Evidence {
    Evidence::Query(Ok(PaymentResult {
        verification_status: None,
        payment_id: payment_id.into(),
        trx_id: (status == TransactionStatus::Completed).then(|| "TRX1".into()),
        transaction_status: status,
        amount: Amount::from_poisha(10_000),
        currency: Some("BDT".into()),
        merchant_invoice_number: Some("C1-1".into()),
        create_time: None,
        update_time: None,
        customer_msisdn: None,
    }))
}

#[test]
fn a_payment_that_may_have_moved_money_becomes_not_charged_only_when_query_says_initiated() {
    let no_answers = [
        Evidence::Journal,
        Evidence::Query(Err(BkashError::OutcomeUnknown { reason: "timed out".into() })),
        Evidence::Query(Err(BkashError::NotSent { reason: "refused".into() })),
        Evidence::Query(Err(BkashError::Refused { code: "2056".into(), message: "Invalid Payment State".into() })),
        Evidence::Query(Err(BkashError::Gateway { status: 403, message: "Forbidden".into() })),
        query_says(TransactionStatus::Initiated, "TR0011OTHER"),
        query_says(TransactionStatus::Cancelled, "TR0011ABC"),
        query_says(TransactionStatus::Other("Expired".into()), "TR0011ABC"),
    ];
    for state in [Executing, Unknown] {
        for evidence in &no_answers {
            let decision = decide(&row_in(state), evidence);
            assert!(matches!(decision, Decision::Leave { .. }), "{state} with {evidence:?} must keep checking, decided {decision:?}");
        }
        let settled = decide(&row_in(state), &query_says(TransactionStatus::Initiated, "TR0011ABC"));
        assert!(matches!(settled, Decision::Settle { to: NotCharged, .. }), "{state}: Query's own Initiated proves it: {settled:?}");
    }
}

#[test]
fn settled_states_are_final_and_only_uncharged_ones_free_the_order() {
    for state in [Completed, Failed, Cancelled, NotCharged] {
        assert!(state.is_final(), "{state}");
    }
    for state in [New, Creating, AwaitingCustomer, Executing, Unknown] {
        assert!(!state.is_final(), "{state}");
    }
    let freeing: Vec<_> = PaymentState::ALL.into_iter().filter(|s| s.frees_the_order()).collect();
    assert_eq!(freeing, [Failed, Cancelled, NotCharged]);
}

#[test]
fn states_round_trip_through_sqlite_and_json_by_their_one_name() {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    for state in PaymentState::ALL {
        let stored: PaymentState = db.query_row("SELECT ?1", [state], |r| r.get(0)).unwrap();
        let text: String = db.query_row("SELECT ?1", [state], |r| r.get(0)).unwrap();
        assert_eq!((stored, text.as_str()), (state, state.as_str()));
        assert_eq!(serde_json::to_value(state).unwrap(), serde_json::json!(state.as_str()));
        assert_eq!(serde_json::from_value::<PaymentState>(serde_json::json!(state.as_str())).unwrap(), state);
        assert_eq!(state.as_str().parse::<PaymentState>().unwrap(), state);
    }
    for state in RefundState::ALL {
        let stored: RefundState = db.query_row("SELECT ?1", [state], |r| r.get(0)).unwrap();
        assert_eq!(stored, state);
        assert_eq!(serde_json::to_value(state).unwrap(), serde_json::json!(state.as_str()));
    }
    let unknown = db.query_row("SELECT 'charged'", [], |r| r.get::<_, PaymentState>(0)).unwrap_err();
    assert!(unknown.to_string().contains("unknown payment state `charged`"), "a name this version does not know stops the read: {unknown}");
    assert!(
        serde_json::from_value::<PaymentState>(serde_json::json!("charged")).is_err(),
        "the UI cannot send a state that does not exist"
    );
    assert!("charged".parse::<PaymentState>().is_err());
}

#[test]
fn a_refund_is_settled_once_by_bkash_and_an_unanswered_one_only_by_refund_status() {
    use RefundState::{Completed as Done, Failed as Refused, Requested, Unknown as NoAnswer};
    let allowed = [(Requested, Done), (Requested, Refused), (Requested, NoAnswer), (NoAnswer, Done), (NoAnswer, Refused)];
    for from in RefundState::ALL {
        for to in RefundState::ALL {
            assert_eq!(from.can_become(to), allowed.contains(&(from, to)), "{from} -> {to}");
        }
    }
    let holding: Vec<_> = RefundState::ALL.into_iter().filter(|s| s.holds_money()).collect();
    assert_eq!(holding, [Requested, Done, NoAnswer], "only a refused refund gives its amount back to refund again");
}
