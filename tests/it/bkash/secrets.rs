use std::io::Write;
use std::sync::{Arc, Mutex};

use bkash_sim::{FaultKind, FaultRule, Merchant};
use pos_core::bkash::{BkashError, Credentials, TokenStore};
use pos_core::money::Secret;

use super::*;

const PASSWORD: &str = "pw-LEAKCHECK-4471";
const APP_SECRET: &str = "appsecret-LEAKCHECK-9921";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_full_payment_leaves_no_secret_or_token_in_any_log_line_or_error() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt().with_env_filter("debug").with_ansi(false).with_writer(move || writer.clone()).finish();
    // The test runtime is single-threaded, so every task logs to this subscriber.
    let _guard = tracing::subscriber::set_default(subscriber);

    let rig = Rig::start().await;
    rig.sim.configure(|c| {
        c.merchants.push(Merchant {
            username: "leakcheck".into(),
            password: PASSWORD.into(),
            app_key: "leakcheck-key".into(),
            app_secret: APP_SECRET.into(),
            org_name: "Leak Check".into(),
        })
    });
    let mut config = pos_core::bkash::training_config(&rig.sim.base_url());
    config.credentials = Credentials {
        username: "leakcheck".into(),
        password: Secret::new(PASSWORD),
        app_key: "leakcheck-key".into(),
        app_secret: Secret::new(APP_SECRET),
    };
    let client = BkashClient::new(config.clone(), rig.store.clone()).unwrap();

    let mut errors: Vec<BkashError> = Vec::new();
    let created = client.create_payment(&create(12_345)).await.unwrap();
    rig.sim.customer_pays(&created.payment_id, WALLET, "123456", "12121").unwrap();
    let payment = pos_core::bkash::ExpectedPayment::from(&created);
    let executed = client.execute_payment(&payment).await.unwrap();
    client.query_payment(&payment).await.unwrap();
    errors.push(client.execute_payment(&payment).await.unwrap_err());
    rig.sim.add_fault(FaultRule::once("checkout.search", FaultKind::Html500).times(0));
    errors.push(client.search_transaction(executed.trx_id.as_deref().unwrap()).await.unwrap_err());
    let mut wrong = config.clone();
    wrong.credentials.password = Secret::new(format!("{PASSWORD}-wrong"));
    let fresh_store = Arc::new(pos_core::bkash::MemoryTokenStore::default());
    errors.push(BkashClient::new(wrong, fresh_store).unwrap().query_payment(&payment).await.unwrap_err());

    let tokens = rig.store.load().unwrap();
    let id_token = tokens.id_token.clone().unwrap();
    let refresh_token = tokens.refresh_token.clone().unwrap();
    let mut haystack = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    for e in &errors {
        haystack.push_str(&format!("{e}\n{e:?}\n"));
    }
    haystack.push_str(&format!("{config:?}\n{tokens:?}\n"));
    assert!(haystack.contains("payment.execute"), "the log did record the calls:\n{haystack}");
    for secret in [PASSWORD, APP_SECRET, id_token.expose(), refresh_token.expose()] {
        assert!(!haystack.contains(secret), "a secret leaked into logs or errors");
    }
    // Not even a recognisable piece of a token.
    assert!(!haystack.contains(&id_token.expose()[40..80]));
}
