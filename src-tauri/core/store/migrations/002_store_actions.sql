-- Version 2: a manager's check or resolution of another counter's payment.
-- Each is a row of the acting counter's journal (`store_actions`), copied
-- here like its refunds; the counter that took the payment reads the ones
-- about its payments, asks bKash itself, and sends back a receipt.

-- Old rows all pass the wider check, so it is not re-validated (NOT VALID):
-- no scan of a store's whole history while every counter waits.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('payment', 'payment_event', 'refund', 'store_refund', 'sale', 'cash_tender', 'drawer_count',
                    'day_report', 'store_action', 'store_action_receipt')) NOT VALID;

CREATE TABLE store_actions (
    merchant        text        NOT NULL,
    store_id        text        NOT NULL,
    counter_id      text        NOT NULL,  -- the counter where the manager acted
    local_id        bigint      NOT NULL,
    seq             bigint      NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('check', 'resolve')),
    origin_counter  text        NOT NULL,
    origin_payment  bigint      NOT NULL,
    outcome         text        NOT NULL,
    updated_at      timestamptz NOT NULL,
    body            jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, local_id)
);
CREATE INDEX store_actions_by_payment ON store_actions (merchant, store_id, origin_counter, origin_payment);
-- What each counter's sync looks for after every push: the recent actions on its payments.
CREATE INDEX store_actions_by_origin ON store_actions (merchant, store_id, origin_counter, updated_at);

-- Actions the counter that took the payment has carried out.
CREATE TABLE store_action_receipts (
    merchant        text        NOT NULL,
    store_id        text        NOT NULL,
    counter_id      text        NOT NULL,  -- the counter that took the payment
    acting_counter  text        NOT NULL,
    action_id       bigint      NOT NULL,
    body            jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, acting_counter, action_id)
);

-- A trxID given to settle a payment by hand, held for that one payment: one
-- customer's bKash payment settles at most one payment of the store, even
-- when two managers at two counters give the same trxID at once (the key
-- serialises them).
CREATE TABLE trx_claims (
    merchant        text        NOT NULL,
    store_id        text        NOT NULL,
    trx_id          text        NOT NULL,
    origin_counter  text        NOT NULL,
    origin_payment  bigint      NOT NULL,
    acting_counter  text        NOT NULL,
    claimed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant, store_id, trx_id)
);
