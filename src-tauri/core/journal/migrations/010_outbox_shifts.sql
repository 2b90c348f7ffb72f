-- Shifts and drawer movements go to the store like every other row (#29), so
-- the store's manager sees every counter's shifts, the open ones too. A
-- shift's snapshot names people by name (the store has no staff ids) and
-- carries its Z report as it was printed; a PIN never travels.
CREATE VIEW outbox_shift AS
    SELECT s.id, json_object(
        'id', s.id, 'counter_id', s.counter_id, 'opened_by', o.name, 'opened_at', s.opened_at,
        'float_poisha', s.float_poisha, 'closed_at', s.closed_at, 'closed_by', c.name,
        'expected_poisha', s.expected_poisha, 'counted_poisha', s.counted_poisha,
        'difference_poisha', s.difference_poisha, 'z_number', s.z_number, 'z_body', json(s.z_body)) AS body
    FROM shifts s JOIN staff o ON o.id = s.opened_by LEFT JOIN staff c ON c.id = s.closed_by;

CREATE VIEW outbox_drawer_movement AS
    SELECT m.id, json_object(
        'id', m.id, 'shift', m.shift, 'kind', m.kind, 'amount_poisha', m.amount_poisha, 'reason', m.reason,
        'by', b.name, 'approved_by', a.name, 'at', m.at) AS body
    FROM drawer_movements m JOIN staff b ON b.id = m.by_staff LEFT JOIN staff a ON a.id = m.approved_by;

-- The outbox learns the two kinds: rebuilt as in migration 008 (its
-- triggers come back when the journal is next opened), its AUTOINCREMENT
-- counter carried over so no seq is ever handed out twice.
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
DROP TRIGGER IF EXISTS outbox_store_action_inserted;
DROP TRIGGER IF EXISTS outbox_store_action_updated;
DROP TRIGGER IF EXISTS outbox_store_action_receipt_inserted;

CREATE TABLE outbox_010 (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT    NOT NULL CHECK (kind IN ('payment', 'payment_event', 'refund', 'store_refund', 'sale', 'cash_tender',
                                           'drawer_count', 'day_report', 'store_action', 'store_action_receipt',
                                           'shift', 'drawer_movement')),
    body  TEXT    NOT NULL CHECK (json_valid(body)),
    at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO outbox_010 (seq, kind, body, at) SELECT seq, kind, body, at FROM outbox ORDER BY seq;
CREATE TEMP TABLE outbox_010_next AS
    SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),
               (SELECT through_seq FROM outbox_sent WHERE id = 1),
               coalesce((SELECT max(seq) FROM outbox), 0)) AS seq;
DROP TABLE outbox;
ALTER TABLE outbox_010 RENAME TO outbox;
DELETE FROM sqlite_sequence WHERE name = 'outbox';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', seq FROM temp.outbox_010_next;
DROP TABLE temp.outbox_010_next;

CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'an outbox entry is never changed');
END;

-- A journal already in a store sends the shifts it holds, before anything
-- newer (its triggers exist from the next open on).
INSERT INTO outbox (kind, body) SELECT 'shift', body FROM outbox_shift
    WHERE (SELECT enabled FROM outbox_sent WHERE id = 1) = 1 ORDER BY id;
INSERT INTO outbox (kind, body) SELECT 'drawer_movement', body FROM outbox_drawer_movement
    WHERE (SELECT enabled FROM outbox_sent WHERE id = 1) = 1 ORDER BY id;
