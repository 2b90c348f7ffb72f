//! The outbox's snapshots are written by SQL triggers and read by one Rust
//! codec (`store::snapshot`). Here the codec reads what the triggers really
//! wrote, and must give back exactly the journal's own rows: a column the
//! triggers drop, rename or spell differently fails this test.

use std::collections::BTreeMap;

use pos_core::journal::{Journal, JournalRead, Outbox};
use pos_core::store::snapshot::{event_row, payment_row, refund_row};

use super::runtime;
use super::sync::a_morning;
use crate::support::Shop;

#[test]
fn the_store_reads_back_from_each_snapshot_exactly_the_row_the_journal_holds() {
    let rt = runtime();
    let shop = rt.block_on(Shop::open());
    let path = shop.dir.path().join(Journal::FILE_NAME);
    Outbox::open(&path).unwrap().enable().unwrap();
    rt.block_on(a_morning(&shop));
    let entries = Outbox::open(&path).unwrap().pending(10_000).unwrap();
    // The last snapshot of each row is the row as it stands.
    let mut last: BTreeMap<(String, i64), serde_json::Value> = BTreeMap::new();
    for entry in &entries {
        let body: serde_json::Value = serde_json::from_str(&entry.body).unwrap();
        if let Some(id) = body["id"].as_i64() {
            last.insert((entry.kind.clone(), id), body);
        }
    }
    let journal = shop.journal.lock().unwrap();
    let (mut payments, mut events, mut refunds) = (0, 0, 0);
    for ((kind, id), body) in &last {
        match kind.as_str() {
            "payment" => {
                assert_eq!(payment_row(body).unwrap(), journal.get(*id).unwrap(), "payment {id}");
                payments += 1;
            }
            "payment_event" => {
                let decoded = event_row(body).unwrap();
                let held = journal.events(decoded.payment).unwrap().into_iter().find(|e| e.id == *id).unwrap();
                assert_eq!(decoded, held, "event {id}");
                events += 1;
            }
            "refund" => {
                let decoded = refund_row(body).unwrap();
                let held = journal.refunds_of(decoded.payment).unwrap().into_iter().find(|r| r.id == *id).unwrap();
                assert_eq!(decoded, held, "refund {id}");
                refunds += 1;
            }
            _ => {}
        }
    }
    assert!(payments >= 2 && refunds >= 1 && events >= 8, "the morning was read: {payments} payments, {events} events, {refunds} refunds");
}
