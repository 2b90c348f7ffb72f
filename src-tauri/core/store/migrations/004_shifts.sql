-- Version 4: every counter's shifts and drawer movements (#29), copied from
-- its journal like its sales: the store's day lists each counter's shifts,
-- the open ones too, with each closed one's Z figures as it was printed.
-- People are named, never keyed: the store holds no staff account and no PIN.

ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('payment', 'payment_event', 'refund', 'store_refund', 'sale', 'cash_tender', 'drawer_count',
                    'day_report', 'store_action', 'store_action_receipt', 'shift', 'drawer_movement')) NOT VALID;

CREATE TABLE shifts (
    merchant    text        NOT NULL,
    store_id    text        NOT NULL,
    counter_id  text        NOT NULL,
    local_id    bigint      NOT NULL,
    seq         bigint      NOT NULL,
    opened_by   text        NOT NULL,
    opened_at   timestamptz NOT NULL,
    closed_at   timestamptz,
    body        jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, local_id)
);
CREATE INDEX shifts_by_opened_at ON shifts (merchant, store_id, opened_at);
CREATE INDEX shifts_still_open ON shifts (merchant, store_id) WHERE closed_at IS NULL;

CREATE TABLE drawer_movements (
    merchant    text        NOT NULL,
    store_id    text        NOT NULL,
    counter_id  text        NOT NULL,
    local_id    bigint      NOT NULL,
    shift       bigint      NOT NULL,
    body        jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, local_id)
);
CREATE INDEX drawer_movements_by_shift ON drawer_movements (merchant, store_id, counter_id, shift);

-- Each counter writes only its own (version 3's rule).
GRANT INSERT, UPDATE ON shifts TO bkash_counters;
ALTER TABLE shifts ENABLE ROW LEVEL SECURITY;
CREATE POLICY shifts_read ON shifts FOR SELECT USING (true);
CREATE POLICY shifts_add_own ON shifts FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY shifts_change_own ON shifts FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT ON drawer_movements TO bkash_counters;
ALTER TABLE drawer_movements ENABLE ROW LEVEL SECURITY;
CREATE POLICY drawer_movements_read ON drawer_movements FOR SELECT USING (true);
CREATE POLICY drawer_movements_add_own ON drawer_movements FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
