-- The store's database roles, version 3 (#27). Until now every counter
-- logged in as the schema's owner: any counter could drop a table, delete
-- every counter's events or rewrite another counter's payment. From here:
--
-- * the owner (the role that runs these migrations, `bkash-pos store-migrate`)
--   owns the schema and is the only one that changes it;
-- * each counter logs in as a role of its own, a member of `bkash_counters`,
--   mapped here to its merchant, store and counter id by the owner;
-- * a counter may read the whole store (the manager's views need it) but add
--   or change only its own rows, and delete nothing but a trxID claim it
--   holds: row-level security compares each row's counter with the login's.
--
-- The group role is made by whoever administers the server (README: "The
-- store's database roles"); migrating refuses to go on without it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bkash_counters') THEN
        RAISE EXCEPTION 'the role bkash_counters does not exist: create it first (README: the store''s database roles)';
    END IF;
END $$;

CREATE TABLE counter_logins (
    login       name  PRIMARY KEY,
    merchant    text  NOT NULL,
    store_id    text  NOT NULL,
    counter_id  text  NOT NULL,
    UNIQUE (merchant, store_id, counter_id)
);

GRANT USAGE ON SCHEMA bkash_store TO bkash_counters;
GRANT SELECT ON ALL TABLES IN SCHEMA bkash_store TO bkash_counters;
-- Tables later migrations add are readable too; what they may write is granted there.
ALTER DEFAULT PRIVILEGES IN SCHEMA bkash_store GRANT SELECT ON TABLES TO bkash_counters;

-- What each counter writes: its own rows, found by their counter column.
GRANT INSERT, UPDATE ON counters TO bkash_counters;
ALTER TABLE counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY counters_read ON counters FOR SELECT USING (true);
CREATE POLICY counters_add_own ON counters FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY counters_change_own ON counters FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON events TO bkash_counters;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_read ON events FOR SELECT USING (true);
CREATE POLICY events_add_own ON events FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY events_change_own ON events FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON payments TO bkash_counters;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY payments_read ON payments FOR SELECT USING (true);
CREATE POLICY payments_add_own ON payments FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY payments_change_own ON payments FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON refunds TO bkash_counters;
ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
CREATE POLICY refunds_read ON refunds FOR SELECT USING (true);
CREATE POLICY refunds_add_own ON refunds FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY refunds_change_own ON refunds FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON store_refunds TO bkash_counters;
ALTER TABLE store_refunds ENABLE ROW LEVEL SECURITY;
CREATE POLICY store_refunds_read ON store_refunds FOR SELECT USING (true);
CREATE POLICY store_refunds_add_own ON store_refunds FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY store_refunds_change_own ON store_refunds FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON sales TO bkash_counters;
ALTER TABLE sales ENABLE ROW LEVEL SECURITY;
CREATE POLICY sales_read ON sales FOR SELECT USING (true);
CREATE POLICY sales_add_own ON sales FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY sales_change_own ON sales FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON cash_tenders TO bkash_counters;
ALTER TABLE cash_tenders ENABLE ROW LEVEL SECURITY;
CREATE POLICY cash_tenders_read ON cash_tenders FOR SELECT USING (true);
CREATE POLICY cash_tenders_add_own ON cash_tenders FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY cash_tenders_change_own ON cash_tenders FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON drawer_counts TO bkash_counters;
ALTER TABLE drawer_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY drawer_counts_read ON drawer_counts FOR SELECT USING (true);
CREATE POLICY drawer_counts_add_own ON drawer_counts FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY drawer_counts_change_own ON drawer_counts FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON counter_day_reports TO bkash_counters;
ALTER TABLE counter_day_reports ENABLE ROW LEVEL SECURITY;
CREATE POLICY counter_day_reports_read ON counter_day_reports FOR SELECT USING (true);
CREATE POLICY counter_day_reports_add_own ON counter_day_reports FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY counter_day_reports_change_own ON counter_day_reports FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON store_actions TO bkash_counters;
ALTER TABLE store_actions ENABLE ROW LEVEL SECURITY;
CREATE POLICY store_actions_read ON store_actions FOR SELECT USING (true);
CREATE POLICY store_actions_add_own ON store_actions FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY store_actions_change_own ON store_actions FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON store_action_receipts TO bkash_counters;
ALTER TABLE store_action_receipts ENABLE ROW LEVEL SECURITY;
CREATE POLICY store_action_receipts_read ON store_action_receipts FOR SELECT USING (true);
CREATE POLICY store_action_receipts_add_own ON store_action_receipts FOR INSERT WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY store_action_receipts_change_own ON store_action_receipts FOR UPDATE USING ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, counter_id) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON refund_claims TO bkash_counters;
ALTER TABLE refund_claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY refund_claims_read ON refund_claims FOR SELECT USING (true);
CREATE POLICY refund_claims_add_own ON refund_claims FOR INSERT WITH CHECK ((merchant, store_id, acting_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY refund_claims_change_own ON refund_claims FOR UPDATE USING ((merchant, store_id, acting_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, acting_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

GRANT INSERT, UPDATE ON trx_claims TO bkash_counters;
ALTER TABLE trx_claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY trx_claims_read ON trx_claims FOR SELECT USING (true);
CREATE POLICY trx_claims_add_own ON trx_claims FOR INSERT WITH CHECK ((merchant, store_id, acting_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY trx_claims_change_own ON trx_claims FOR UPDATE USING ((merchant, store_id, acting_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)) WITH CHECK ((merchant, store_id, acting_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

-- A trxID claim is given back by the counter that holds it or by the counter whose payment it was held for.
GRANT DELETE ON trx_claims TO bkash_counters;
CREATE POLICY trx_claims_give_back ON trx_claims FOR DELETE USING (
    (merchant, store_id, acting_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user)
    OR (merchant, store_id, origin_counter) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));

-- The store's own report: any counter of that store closes the store's day, once (its key).
GRANT INSERT ON store_day_reports TO bkash_counters;
ALTER TABLE store_day_reports ENABLE ROW LEVEL SECURITY;
CREATE POLICY store_day_reports_read ON store_day_reports FOR SELECT USING (true);
CREATE POLICY store_day_reports_add ON store_day_reports FOR INSERT
    WITH CHECK ((merchant, store_id) IN (SELECT l.merchant, l.store_id FROM counter_logins l WHERE l.login = current_user));

-- The merchant's one bKash token pair and its token calls: shared by the
-- merchant's counters, each writing in its own name.
GRANT INSERT, UPDATE ON bkash_tokens TO bkash_counters;
ALTER TABLE bkash_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY bkash_tokens_read ON bkash_tokens FOR SELECT USING (true);
CREATE POLICY bkash_tokens_add ON bkash_tokens FOR INSERT
    WITH CHECK ((merchant, updated_by) IN (SELECT l.merchant, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY bkash_tokens_change ON bkash_tokens FOR UPDATE
    USING (merchant IN (SELECT l.merchant FROM counter_logins l WHERE l.login = current_user))
    WITH CHECK ((merchant, updated_by) IN (SELECT l.merchant, l.counter_id FROM counter_logins l WHERE l.login = current_user));
GRANT INSERT ON token_calls TO bkash_counters;
ALTER TABLE token_calls ENABLE ROW LEVEL SECURITY;
CREATE POLICY token_calls_read ON token_calls FOR SELECT USING (true);
CREATE POLICY token_calls_add_own ON token_calls FOR INSERT
    WITH CHECK ((merchant, counter_id) IN (SELECT l.merchant, l.counter_id FROM counter_logins l WHERE l.login = current_user));
