//! `StoreRefundGate`: every refund in a store takes a claim on what is left
//! of its payment, in PostgreSQL, under a per-payment lock, before it is
//! sent to bKash. Two counters refunding the same payment at once are
//! serialised there, so together they never refund more than was paid.
//!
//! What is held on a payment: every claim whose refund has not failed (as
//! the refunding counter's journal reports it), plus the payment's own
//! refunds made without a claim (before the store, or while it was down).
//! Cut off from PostgreSQL, a counter still refunds its own payments on its
//! journal's count (bKash itself refuses a refund beyond the payment); it
//! refuses another counter's.

use std::time::Duration;

use super::pool::PgSlot;
use super::{StoreConfig, StoreError};
use crate::money::Secret;
use crate::payment::{ClaimRefused, RefundClaim, RefundGate};

pub struct StoreRefundGate {
    pg: PgSlot,
}

impl StoreRefundGate {
    pub fn new(config: StoreConfig, password: Secret) -> Self {
        Self { pg: PgSlot::new(config, password, Duration::from_secs(5)) }
    }

    /// Takes the claim, or says how much is left. Ok(Err(left)) = refused.
    fn take(&self, claim: &RefundClaim) -> Result<Result<(), u64>, StoreError> {
        let c = self.pg.config().clone();
        let (origin, payment, paid, kind, refund, amount) = match claim {
            RefundClaim::Own { payment, payment_amount_poisha, refund, amount_poisha } => {
                (c.counter_id.clone(), *payment, *payment_amount_poisha, "own", *refund, *amount_poisha)
            }
            RefundClaim::Elsewhere { of, refund, amount_poisha } => {
                (of.counter.clone(), of.id, of.amount_poisha, "elsewhere", *refund, *amount_poisha)
            }
        };
        let (paid, amount) = (paid as i64, amount as i64);
        self.pg.with(|pg| {
            let mut tx = pg.transaction()?;
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 2))",
                &[&format!("refund {} {} {origin} {payment}", c.merchant, c.store_id)],
            )?;
            let held: i64 = tx
                .query_one(
                    "SELECT (coalesce((SELECT sum(cl.amount_poisha) FROM refund_claims cl
                                      WHERE cl.merchant = $1 AND cl.store_id = $2 AND cl.origin_counter = $3 AND cl.origin_payment = $4
                                        AND NOT EXISTS (SELECT 1 FROM all_refunds r
                                                        WHERE (r.merchant, r.store_id, r.acting_counter, r.kind, r.local_id)
                                                            = (cl.merchant, cl.store_id, cl.acting_counter, cl.kind, cl.refund_local_id)
                                                          AND r.state = 'failed')), 0)
                          + coalesce((SELECT sum(r.amount_poisha) FROM all_refunds r
                                      WHERE r.merchant = $1 AND r.store_id = $2 AND r.origin_counter = $3 AND r.origin_payment = $4
                                        AND r.state <> 'failed'
                                        AND NOT EXISTS (SELECT 1 FROM refund_claims cl
                                                        WHERE (cl.merchant, cl.store_id, cl.acting_counter, cl.kind, cl.refund_local_id)
                                                            = (r.merchant, r.store_id, r.acting_counter, r.kind, r.local_id))), 0))::bigint",
                    &[&c.merchant, &c.store_id, &origin, &payment],
                )?
                .get(0);
            // `held` and `paid` are sums of amounts, never negative.
            let left = crate::money::left_to_refund(paid.max(0) as u64, held.max(0) as u64);
            if amount as u64 > left {
                return Ok(Err(left));
            }
            tx.execute(
                "INSERT INTO refund_claims (merchant, store_id, origin_counter, origin_payment, acting_counter, kind, refund_local_id, amount_poisha)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[&c.merchant, &c.store_id, &origin, &payment, &c.counter_id, &kind, &refund, &amount],
            )?;
            tx.commit()?;
            Ok(Ok(()))
        })
    }
}

impl StoreRefundGate {
    fn recorded(&self, origin: &str, payment: i64) -> Result<Vec<String>, StoreError> {
        let c = self.pg.config().clone();
        self.pg.with(|pg| {
            let rows = pg.query(
                "SELECT body->>'refund_trx_id' FROM all_refunds
                 WHERE merchant = $1 AND store_id = $2 AND origin_counter = $3 AND origin_payment = $4
                   AND body->>'refund_trx_id' IS NOT NULL",
                &[&c.merchant, &c.store_id, &origin, &payment],
            )?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }
}

impl RefundGate for StoreRefundGate {
    fn recorded_refunds(&self, origin: Option<&str>, payment: i64) -> Result<Vec<String>, ClaimRefused> {
        let this = self.pg.config().counter_id.clone();
        self.recorded(origin.unwrap_or(&this), payment).map_err(|e| match e.refuses_this_counter() {
            true => ClaimRefused::StoreRefused(e.to_string()),
            false => ClaimRefused::StoreUnreachable(e.to_string()),
        })
    }

    fn claim(&self, claim: &RefundClaim) -> Result<(), ClaimRefused> {
        match self.take(claim) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(left)) => Err(ClaimRefused::TooLarge { left }),
            Err(e) if e.refuses_this_counter() => Err(ClaimRefused::StoreRefused(e.to_string())),
            Err(e) => match claim {
                RefundClaim::Own { .. } => {
                    tracing::warn!(error = %e, "the store cannot hold this refund's claim; refunding this counter's own payment on its journal's count");
                    Ok(())
                }
                RefundClaim::Elsewhere { .. } => Err(ClaimRefused::StoreUnreachable(e.to_string())),
            },
        }
    }
}
