-- A manager's check and resolution of another counter's payment (#17).
--
-- The counter where the manager acts journals the action here, before it
-- asks bKash (Query Payment for a check, Search Transaction for a
-- resolution), and keeps bKash's answer on it. The action travels to the
-- store through the outbox; the counter that took the payment finds it there
-- and asks bKash itself, so only its own journal, settled by bKash's own
-- answer to it, ever changes the payment (`store_action_receipts`).
CREATE TABLE store_actions (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('check', 'resolve')),
    origin_counter  TEXT    NOT NULL CHECK (length(origin_counter) BETWEEN 1 AND 32),
    origin_payment  INTEGER NOT NULL,
    payment_id      TEXT    NOT NULL,
    invoice         TEXT    NOT NULL,
    product         TEXT    NOT NULL CHECK (product IN ('checkout', 'tokenized')),
    amount_poisha   INTEGER NOT NULL CHECK (amount_poisha > 0),
    -- A resolution's evidence: the customer's trxID and the manager's words.
    claimed_trx_id  TEXT    CHECK (claimed_trx_id IS NULL OR length(claimed_trx_id) BETWEEN 1 AND 20),
    reason          TEXT    CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 200),
    outcome         TEXT    NOT NULL CHECK (outcome IN ('asking', 'completed', 'not_charged', 'no_verdict', 'refused')),
    trx_id          TEXT,
    bkash_code      TEXT,
    bkash_message   TEXT,
    detail          TEXT,
    by_whom         TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK ((kind = 'resolve') = (claimed_trx_id IS NOT NULL AND reason IS NOT NULL))
);

CREATE TRIGGER store_actions_never_deleted BEFORE DELETE ON store_actions
BEGIN
    SELECT RAISE(ABORT, 'a manager''s action is never deleted');
END;

-- Actions of other counters on this counter's payments that this counter
-- has carried out (asked bKash itself), so each is carried out once.
CREATE TABLE store_action_receipts (
    acting_counter  TEXT    NOT NULL,
    action_id       INTEGER NOT NULL,
    payment         INTEGER NOT NULL REFERENCES payments (id),
    -- The payment's state once this counter had asked bKash.
    state_after     TEXT    NOT NULL,
    applied_at      TEXT    NOT NULL,
    PRIMARY KEY (acting_counter, action_id)
);

CREATE VIEW outbox_store_action AS
    SELECT id, json_object(
        'id', id, 'kind', kind, 'origin_counter', origin_counter, 'origin_payment', origin_payment,
        'payment_id', payment_id, 'invoice', invoice, 'product', product, 'amount_poisha', amount_poisha,
        'claimed_trx_id', claimed_trx_id, 'reason', reason, 'outcome', outcome, 'trx_id', trx_id,
        'bkash_code', bkash_code, 'bkash_message', bkash_message, 'detail', detail, 'by_whom', by_whom,
        'created_at', created_at, 'updated_at', updated_at) AS body
    FROM store_actions;

CREATE VIEW outbox_store_action_receipt AS
    SELECT acting_counter, action_id, json_object(
        'acting_counter', acting_counter, 'action_id', action_id, 'payment', payment, 'state_after', state_after,
        'applied_at', applied_at) AS body
    FROM store_action_receipts;

-- The outbox learns the two new kinds. SQLite cannot change a CHECK, so the
-- table is rebuilt; its triggers on the journal's tables are dropped first
-- and created again when the journal is next opened (`open_writable`, for a
-- journal that belongs to a store). The AUTOINCREMENT counter is carried
-- over: a seq must never be handed out twice, even after pruning emptied
-- the table, or the store would take a new change for a resend.
DROP TRIGGER IF EXISTS outbox_payment_inserted;
DROP TRIGGER IF EXISTS outbox_payment_updated;
DROP TRIGGER IF EXISTS outbox_payment_event_inserted;
DROP TRIGGER IF EXISTS outbox_refund_inserted;
DROP TRIGGER IF EXISTS outbox_refund_updated;
DROP TRIGGER IF EXISTS outbox_store_refund_inserted;
DROP TRIGGER IF EXISTS outbox_store_refund_updated;
DROP TRIGGER IF EXISTS outbox_sale_inserted;
DROP TRIGGER IF EXISTS outbox_sale_updated;
DROP TRIGGER IF EXISTS outbox_sale_line_inserted;
DROP TRIGGER IF EXISTS outbox_sale_line_deleted;
DROP TRIGGER IF EXISTS outbox_cash_tender_inserted;
DROP TRIGGER IF EXISTS outbox_drawer_count_inserted;
DROP TRIGGER IF EXISTS outbox_drawer_count_updated;
DROP TRIGGER IF EXISTS outbox_day_report_inserted;

CREATE TABLE outbox_008 (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT    NOT NULL CHECK (kind IN ('payment', 'payment_event', 'refund', 'store_refund', 'sale', 'cash_tender',
                                           'drawer_count', 'day_report', 'store_action', 'store_action_receipt')),
    body  TEXT    NOT NULL CHECK (json_valid(body)),
    at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO outbox_008 (seq, kind, body, at) SELECT seq, kind, body, at FROM outbox ORDER BY seq;
CREATE TEMP TABLE outbox_008_next AS
    SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),
               (SELECT through_seq FROM outbox_sent WHERE id = 1),
               coalesce((SELECT max(seq) FROM outbox), 0)) AS seq;
DROP TABLE outbox;
ALTER TABLE outbox_008 RENAME TO outbox;
DELETE FROM sqlite_sequence WHERE name = 'outbox';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', seq FROM temp.outbox_008_next;
DROP TABLE temp.outbox_008_next;

CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'an outbox entry is never changed');
END;
