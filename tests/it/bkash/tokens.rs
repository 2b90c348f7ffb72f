use std::sync::Arc;

use bkash_sim::{FaultKind, FaultRule};
use chrono::Duration;
use pos_core::bkash::{BkashError, TokenPolicy, TokenStore};

use super::*;

#[tokio::test]
async fn a_thousand_concurrent_calls_on_a_cold_cache_make_exactly_one_grant() {
    let rig = Arc::new(Rig::start().await);
    let mut calls = Vec::new();
    for _ in 0..1000 {
        let rig = rig.clone();
        calls.push(tokio::spawn(async move { rig.client.search_transaction("AAAAAAAAAA").await }));
    }
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap_err().code(), Some("2033"));
    }
    let stats = rig.sim.stats();
    assert_eq!((stats.token_grants, stats.token_refreshes), (1, 0));
    assert_eq!(stats.calls["checkout.search"], 1000);
}

#[tokio::test]
async fn a_token_is_refreshed_at_minute_fifty_not_granted_again() {
    let rig = Rig::start().await;
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    rig.advance(Duration::minutes(49));
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    assert_eq!((rig.sim.stats().token_grants, rig.sim.stats().token_refreshes), (1, 0), "still fresh at minute 49");
    rig.advance(Duration::minutes(2));
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    assert_eq!((rig.sim.stats().token_grants, rig.sim.stats().token_refreshes), (1, 1));
    rig.advance(Duration::minutes(70));
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    assert_eq!(rig.sim.stats().token_refreshes, 2, "an expired token is refreshed, mid-session");
}

#[tokio::test]
async fn a_401_from_the_gateway_refreshes_once_and_retries_the_same_call() {
    let rig = Rig::start().await;
    let id = rig.verified_payment(7_000, WALLET).await;
    // bKash's clock runs ahead of ours: the token we think is fresh has expired there.
    rig.sim.advance_clock(Duration::minutes(61));
    let executed = rig.client.execute_payment(&id).await.unwrap();
    assert!(executed.trx_id.is_some());
    let stats = rig.sim.stats();
    assert_eq!((stats.token_grants, stats.token_refreshes), (1, 1));
    assert_eq!(stats.calls["checkout.execute"], 2, "one refused at the gateway, one that ran");
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_a_grant_at_once() {
    let rig = Rig::start().await;
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    rig.advance(Duration::minutes(65));
    let refused = FaultRule::once("checkout.token.refresh", FaultKind::Refuse).status(401).body(r#"{"message":"Unauthorized"}"#);
    rig.sim.add_fault(refused);
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    let stats = rig.sim.stats();
    assert_eq!((stats.token_grants, stats.token_refreshes), (2, 0));
    assert_eq!(stats.calls["checkout.token.refresh"], 1);
}

#[tokio::test]
async fn an_unanswered_refresh_waits_out_the_cool_down_before_the_next_token_call() {
    let rig = Rig::start().await;
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    rig.advance(Duration::minutes(65));
    rig.sim.add_fault(FaultRule::once("checkout.token.refresh", FaultKind::Html500));
    // A broken gateway would swallow a grant too: no token call before the cool-down.
    for _ in 0..2 {
        let error = rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
        assert!(matches!(error, BkashError::TokenCoolingDown { .. }), "{error:?}");
    }
    assert_eq!((rig.sim.stats().token_grants, rig.sim.stats().calls["checkout.token.refresh"]), (1, 1));
    rig.advance(Duration::minutes(5));
    assert_eq!(rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err().code(), Some("2033"), "bKash answers again");
    let stats = rig.sim.stats();
    assert_eq!(
        (stats.token_grants, stats.token_refreshes, stats.calls["checkout.token.refresh"]),
        (1, 1, 2),
        "the refresh token still served"
    );
}

#[tokio::test]
async fn the_budget_refuses_a_token_call_with_a_clear_error_for_the_manager() {
    let rig = Rig::with(TokenPolicy { budget_per_hour: 2, ..TokenPolicy::default() }, |_| {}).await;
    let id = rig.verified_payment(7_100, WALLET).await; // grant: 1 of 2
    rig.sim.advance_clock(Duration::minutes(61));
    rig.client.query_payment(&id).await.unwrap(); // 401, refresh: 2 of 2
    rig.sim.advance_clock(Duration::minutes(61));
    let error = rig.client.query_payment(&id).await.unwrap_err();
    assert!(matches!(error, BkashError::TokenBudgetSpent { budget: 2, .. }), "{error:?}");
    assert!(error.to_string().contains("token budget (2 per hour) is spent"), "{error}");
    assert_eq!(rig.sim.stats().token_grants + rig.sim.stats().token_refreshes, 2, "the refusal cost bKash nothing");
    rig.clock.advance(Duration::minutes(61));
    rig.client.query_payment(&id).await.unwrap();
}

#[tokio::test]
async fn a_restart_reuses_the_saved_token_and_remembers_the_budget() {
    let rig = Rig::start().await;
    rig.client.search_transaction("AAAAAAAAAA").await.unwrap_err();
    let saved = rig.store.load().unwrap();
    assert_eq!(saved.token_calls.len(), 1);
    let config = rig.client.config().clone();
    let restarted =
        BkashClient::with_clock(config, rig.store.clone(), rig.clock.clone() as Arc<dyn Clock>, TokenPolicy::default()).unwrap();
    restarted.search_transaction("AAAAAAAAAA").await.unwrap_err();
    assert_eq!(rig.sim.stats().token_grants, 1, "the restart spent no grant");
}

#[tokio::test]
async fn a_grant_refused_as_username_does_not_exist_is_a_refused_sign_in_that_spends_no_more_token_calls() {
    let rig = Rig::start().await;
    // A real sandbox answer to a grant with a username bKash does not know.
    let refused = r#"{"statusCode":"9999","statusMessage":"Username does not exist"}"#;
    rig.sim.add_fault(FaultRule::once("checkout.token.grant", FaultKind::Refuse).body(refused).times(0));
    let error = rig.client.create_payment(&create(5_100)).await.unwrap_err();
    assert!(matches!(error, BkashError::TokenRejected { .. }), "not 'no answer', which would cool down: {error:?}");
    assert!(error.to_string().contains("Username does not exist") && error.to_string().contains("credentials"), "{error}");
    let status = rig.client.tokens().status().await;
    assert!(status.token_rejected, "the manager is told the sign-in was refused");
    assert_eq!((status.paused_until, status.paused_because), (None, None), "no cool-down: it is not a fault");

    // The next sales spend nothing: the same credentials would be refused again.
    for n in 0..3 {
        let again = rig.client.create_payment(&create(5_200 + n)).await.unwrap_err();
        assert!(matches!(again, BkashError::TokenRejected { .. }), "{again:?}");
    }
    assert_eq!(rig.sim.stats().calls["checkout.token.grant"], 1, "one token call, then none");

    // A restart with the same credentials remembers the refusal.
    rig.sim.clear_faults();
    let config = rig.client.config().clone();
    let same = BkashClient::with_clock(config, rig.store.clone(), rig.clock.clone() as Arc<dyn Clock>, TokenPolicy::default()).unwrap();
    assert!(matches!(same.create_payment(&create(5_300)).await, Err(BkashError::TokenRejected { .. })), "the same credentials, refused");
    assert_eq!(rig.sim.stats().calls["checkout.token.grant"], 1);
    // An hour later one more try is allowed, in case bKash has set the account up since.
    rig.clock.advance(Duration::minutes(61));
    same.create_payment(&create(5_400)).await.unwrap();
    assert_eq!(rig.sim.stats().calls["checkout.token.grant"], 2);
    assert!(!same.tokens().status().await.token_rejected);
}

#[tokio::test]
async fn changed_credentials_are_tried_at_once_after_a_refused_sign_in() {
    let rig = Rig::start().await;
    let mut wrong = rig.client.config().clone();
    wrong.credentials.password = pos_core::money::Secret::new("not-the-password");
    let client = BkashClient::with_clock(wrong, rig.store.clone(), rig.clock.clone() as Arc<dyn Clock>, TokenPolicy::default()).unwrap();
    let error = client.create_payment(&create(6_100)).await.unwrap_err();
    assert!(matches!(error, BkashError::TokenRejected { .. }), "the gateway's 401 on the password: {error:?}");
    assert!(matches!(client.create_payment(&create(6_200)).await, Err(BkashError::TokenRejected { .. })));
    assert_eq!(rig.sim.stats().calls["checkout.token.grant"], 1, "the wrong password was sent once");
    // The same token store, the right credentials: a grant at once.
    rig.client.create_payment(&create(6_300)).await.unwrap();
    assert_eq!(rig.sim.stats().calls["checkout.token.grant"], 2);
}
