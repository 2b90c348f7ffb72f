//! The real app against hostile answers where bKash's API should be (the
//! simulator's faults stand in for the misbehaving server): what the
//! cashier sees, and that the journal still ends at the ledger's truth.

use bkash_sim::{FaultKind, FaultRule};
use pos_core::money::PaymentState;

use super::payments::{Counter, SUCCESS_WALLET};
use crate::hostile::OtherHost;

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_redirected_execute_bkash_charged_shows_checking_then_paid_and_nothing_reaches_the_other_host() {
    let other = OtherHost::start();
    let counter = Counter::open("hostile_redirect").await;
    let redirect = FaultRule::once("checkout.execute", FaultKind::Answer).status(302).location(&other.url).body("");
    counter.sim.add_fault(redirect);
    counter.ring_up_and_pay("419.96").await;
    counter.customer_pays(SUCCESS_WALLET).await;

    counter.wait_for_panel("checking").await;
    assert_eq!(counter.app.text_of("[data-testid=payment-status-title]").await, "Checking with bKash");
    assert!(counter.app.client().find_all("[data-testid=pay-bkash]").await.unwrap().is_empty(), "no Try again: bKash may have charged");
    super::screenshot_display("17-redirected-execute-checking");

    // Query finds bKash's truth without anyone clicking.
    counter.wait_for_panel("paid").await;
    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Completed);
    assert_eq!(counter.ledger_entry(&row).trx_id, row.trx_id);
    assert!(!other.heard_anything(), "the redirect was followed");
    counter.app.close().await;
}

#[tokio::test]
#[ignore = "E2E: run with `./scripts/test e2e`"]
async fn a_gateway_answering_401_to_everything_says_the_sign_in_was_refused_and_spends_no_token_call() {
    let counter = Counter::open("hostile_401_loop").await;
    let unauthorized = FaultRule::once("checkout.execute", FaultKind::Refuse).status(401).body(r#"{"message":"Unauthorized"}"#).times(0);
    counter.sim.add_fault(unauthorized);
    counter.ring_up_and_pay("250").await;
    counter.customer_pays(SUCCESS_WALLET).await;

    counter.wait_for_panel("failed").await;
    let reason = counter.app.text_of("[data-testid=payment-reason]").await;
    assert!(reason.contains("refused the app's sign-in") && reason.contains("credentials"), "{reason}");
    assert!(!reason.contains("bKash refused the payment"), "{reason}");
    counter.app.wait_for("[data-testid=bkash-token-rejected]").await;
    super::screenshot_display("18-token-refused");

    let row = counter.only_payment();
    assert_eq!(row.state, PaymentState::Failed);
    assert_eq!(counter.ledger_entry(&row).trx_id, None, "nothing ran at bKash");
    let stats = counter.sim.stats();
    assert_eq!(stats.token_grants + stats.token_refreshes, 1, "the 401s spent no token call beyond the first grant");
    counter.app.close().await;
}
