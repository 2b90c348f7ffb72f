-- The store's outbox (#17). Once a counter belongs to a store, every change
-- to a journal row that the store shares also writes a snapshot of that row
-- here, in the same SQLite transaction, by its triggers: no code path
-- can change the journal without its outbox entry, and nothing reaches the
-- outbox that was rolled back. The sync pushes rows in `seq` order to
-- PostgreSQL, keyed by store, counter and seq, so a resend changes nothing.
-- A counter without a store has no such triggers and writes nothing here.
-- Joining a store (`Outbox::enable`) creates them and, in the same
-- transaction, writes a snapshot of every row the journal already holds, so
-- everything ever journaled goes up first.
--
-- AUTOINCREMENT: a seq is never reused, even after rows are pruned.
CREATE TABLE outbox (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT    NOT NULL CHECK (kind IN ('payment', 'payment_event', 'refund', 'store_refund', 'sale', 'cash_tender',
                                           'drawer_count', 'day_report')),
    body  TEXT    NOT NULL CHECK (json_valid(body)),
    at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'an outbox entry is never changed');
END;

-- How far PostgreSQL has acknowledged (one row). Advanced only after the
-- store's transaction committed; a push cut short is simply sent again.
CREATE TABLE outbox_sent (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    through_seq  INTEGER NOT NULL CHECK (through_seq >= 0),
    at           TEXT,
    -- 1 once this journal belongs to a store: the triggers write only then.
    enabled      INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1))
);
INSERT INTO outbox_sent (id, through_seq, at, enabled) VALUES (1, 0, NULL, 0);

-- Refunds this counter made of another counter's payment (a store's
-- manager may refund any payment of the store from any counter). Journaled
-- here, before the call to bKash, like `refunds`; the store's PostgreSQL
-- holds the claim that keeps the store's refunds within what was paid.
CREATE TABLE store_refunds (
    id              INTEGER PRIMARY KEY,
    origin_counter  TEXT    NOT NULL CHECK (length(origin_counter) BETWEEN 1 AND 32),
    origin_payment  INTEGER NOT NULL,
    payment_id      TEXT    NOT NULL,
    trx_id          TEXT    NOT NULL,
    product         TEXT    NOT NULL CHECK (product IN ('checkout', 'tokenized')),
    amount_poisha   INTEGER NOT NULL CHECK (amount_poisha > 0),
    sku             TEXT    NOT NULL CHECK (length(sku) BETWEEN 1 AND 255),
    reason          TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 255),
    state           TEXT    NOT NULL CHECK (state IN ('requested', 'completed', 'failed', 'unknown')),
    refund_trx_id   TEXT    UNIQUE,
    bkash_code      TEXT,
    bkash_message   TEXT,
    detail          TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TRIGGER store_refunds_never_deleted BEFORE DELETE ON store_refunds
BEGIN
    SELECT RAISE(ABORT, 'refunds are never deleted');
END;

-- Who this journal is, for the store: a counter id is claimed by one
-- journal, so a second PC set to the same counter id is refused, while this
-- PC can restart, upgrade or be reconfigured and keep its id.
CREATE TABLE journal_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    install_id  TEXT    NOT NULL CHECK (length(install_id) = 32)
);
INSERT INTO journal_identity (id, install_id) VALUES (1, lower(hex(randomblob(16))));

-- One snapshot shape per kind, shared by the triggers and the backfill.
CREATE VIEW outbox_payment AS
    SELECT id, json_object(
        'id', id, 'order_id', order_id, 'invoice', invoice, 'amount_poisha', amount_poisha, 'state', state,
        'payment_id', payment_id, 'trx_id', trx_id, 'customer_msisdn', customer_msisdn,
        'bkash_code', bkash_code, 'bkash_message', bkash_message, 'counter_id', counter_id, 'cashier', cashier,
        'created_at', created_at, 'updated_at', updated_at, 'settled_at', settled_at, 'cause', cause,
        'product', product, 'pay_at', pay_at, 'status_polls', status_polls) AS body
    FROM payments;

CREATE VIEW outbox_payment_event AS
    SELECT id, json_object(
        'id', id, 'payment', payment, 'at', at, 'kind', kind, 'from_state', from_state, 'to_state', to_state,
        'bkash_code', bkash_code, 'bkash_message', bkash_message, 'detail', detail, 'cause', cause) AS body
    FROM payment_events;

CREATE VIEW outbox_refund AS
    SELECT id, json_object(
        'id', id, 'payment', payment, 'amount_poisha', amount_poisha, 'sku', sku, 'reason', reason,
        'state', state, 'refund_trx_id', refund_trx_id, 'bkash_code', bkash_code, 'bkash_message', bkash_message,
        'created_at', created_at, 'updated_at', updated_at) AS body
    FROM refunds;

-- A sale travels with all its lines, so the store never holds half a sale.
CREATE VIEW outbox_store_refund AS
    SELECT id, json_object(
        'id', id, 'origin_counter', origin_counter, 'origin_payment', origin_payment, 'payment_id', payment_id,
        'trx_id', trx_id, 'product', product, 'amount_poisha', amount_poisha, 'sku', sku, 'reason', reason,
        'state', state, 'refund_trx_id', refund_trx_id, 'bkash_code', bkash_code, 'bkash_message', bkash_message,
        'detail', detail, 'created_at', created_at, 'updated_at', updated_at) AS body
    FROM store_refunds;

CREATE VIEW outbox_sale AS
    SELECT s.id, json_object(
        'id', s.id, 'order_id', s.order_id, 'counter_id', s.counter_id, 'cashier', s.cashier,
        'total_poisha', s.total_poisha, 'opened_at', s.opened_at, 'finished_at', s.finished_at,
        'lines', (SELECT json_group_array(json_object(
                      'position', l.position, 'product_code', l.product_code, 'name', l.name,
                      'quantity', l.quantity, 'unit_poisha', l.unit_poisha, 'line_poisha', l.line_poisha))
                  FROM (SELECT * FROM sale_lines WHERE sale = s.id ORDER BY position) l)) AS body
    FROM sales s;

CREATE VIEW outbox_cash_tender AS
    SELECT sale, json_object(
        'sale', sale, 'amount_poisha', amount_poisha, 'tendered_poisha', tendered_poisha,
        'change_poisha', change_poisha, 'at', at) AS body
    FROM cash_tenders;

CREATE VIEW outbox_drawer_count AS
    SELECT day, counter_id, json_object(
        'day', day, 'counter_id', counter_id, 'opening_float_poisha', opening_float_poisha,
        'counted_poisha', counted_poisha, 'note', note, 'updated_at', updated_at) AS body
    FROM drawer_counts;

CREATE VIEW outbox_day_report AS
    SELECT number, json_object('number', number, 'day', day, 'closed_at', closed_at, 'body', json(body)) AS body
    FROM day_reports;

-- The triggers that fill the outbox are created by `Outbox::enable`
-- (`journal/outbox_triggers.sql`) when the journal joins a store, so a
-- counter without a store pays nothing for them on any write.
