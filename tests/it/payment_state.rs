use bkash_pos::money::PaymentState::{self, *};

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
fn a_payment_that_may_have_moved_money_can_never_become_not_charged_without_query() {
    // Executing may have charged: nobody may call it cancelled; only bKash's
    // answer (Completed, a refusal, or Query's "Initiated") settles it.
    assert!(!Executing.can_become(Cancelled));
    assert!(!Unknown.can_become(Failed), "a query that cannot see the payment proves nothing about a refusal");
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
fn states_round_trip_through_their_stored_names() {
    for state in PaymentState::ALL {
        assert_eq!(state.as_str().parse::<PaymentState>().unwrap(), state);
    }
    assert!("charged".parse::<PaymentState>().is_err());
}
