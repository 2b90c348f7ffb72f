-- Payments: one row per attempt to take money for an order.
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    order_id        TEXT    NOT NULL CHECK (length(order_id) BETWEEN 1 AND 64),
    invoice         TEXT    NOT NULL UNIQUE
                            CHECK (length(invoice) BETWEEN 1 AND 255 AND invoice NOT GLOB '*[<>&]*'),
    amount_poisha   INTEGER NOT NULL CHECK (amount_poisha > 0),
    state           TEXT    NOT NULL CHECK (state IN ('new', 'creating', 'awaiting_customer', 'executing',
                                                      'completed', 'failed', 'unknown', 'cancelled', 'not_charged')),
    payment_id      TEXT    UNIQUE,
    trx_id          TEXT    UNIQUE,
    customer_msisdn TEXT,
    bkash_code      TEXT,
    bkash_message   TEXT,
    counter_id      TEXT,
    cashier         TEXT,
    created_at      TEXT    NOT NULL, -- RFC 3339, UTC
    updated_at      TEXT    NOT NULL,
    settled_at      TEXT
);

-- One live payment per order: a second one is possible only once every
-- earlier one is settled as not charged.
CREATE UNIQUE INDEX payments_one_live_per_order ON payments (order_id)
    WHERE state NOT IN ('failed', 'cancelled', 'not_charged');

-- Startup recovery and the "still checking" banner read only these.
CREATE INDEX payments_in_flight ON payments (state)
    WHERE state IN ('new', 'creating', 'awaiting_customer', 'executing', 'unknown');

CREATE INDEX payments_by_created_at ON payments (created_at);

-- bKash's IDs, once known, are facts: never overwritten.
CREATE TRIGGER payments_payment_id_write_once BEFORE UPDATE OF payment_id ON payments
    WHEN OLD.payment_id IS NOT NULL AND NEW.payment_id IS NOT OLD.payment_id
BEGIN
    SELECT RAISE(ABORT, 'payment_id is write-once');
END;

CREATE TRIGGER payments_trx_id_write_once BEFORE UPDATE OF trx_id ON payments
    WHEN OLD.trx_id IS NOT NULL AND NEW.trx_id IS NOT OLD.trx_id
BEGIN
    SELECT RAISE(ABORT, 'trx_id is write-once');
END;

CREATE TRIGGER payments_never_deleted BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are never deleted');
END;

-- The append-only event log: every transition and every bKash answer.
CREATE TABLE payment_events (
    id            INTEGER PRIMARY KEY,
    payment       INTEGER NOT NULL REFERENCES payments (id),
    at            TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    from_state    TEXT,
    to_state      TEXT,
    bkash_code    TEXT,
    bkash_message TEXT,
    detail        TEXT
);

CREATE INDEX payment_events_by_payment ON payment_events (payment, id);

CREATE TRIGGER payment_events_no_update BEFORE UPDATE ON payment_events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TRIGGER payment_events_no_delete BEFORE DELETE ON payment_events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

-- Refunds: journaled before the call, like payments.
CREATE TABLE refunds (
    id             INTEGER PRIMARY KEY,
    payment        INTEGER NOT NULL REFERENCES payments (id),
    amount_poisha  INTEGER NOT NULL CHECK (amount_poisha > 0),
    sku            TEXT    NOT NULL CHECK (length(sku) BETWEEN 1 AND 255),
    reason         TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 255),
    state          TEXT    NOT NULL CHECK (state IN ('requested', 'completed', 'failed', 'unknown')),
    refund_trx_id  TEXT    UNIQUE,
    bkash_code     TEXT,
    bkash_message  TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE INDEX refunds_by_payment ON refunds (payment);
