-- Version 5: the store's staff accounts (#29), so a cashier's account works
-- at every counter of the store. One account per name in a store. Each
-- counter keeps its own copy in its journal (offline sign-in) and swaps
-- changes with this table (`store::staff`), the newest change winning.
--
-- The PIN is here only as its Argon2id hash sealed with ChaCha20-Poly1305
-- under a key derived from the merchant's bKash app_secret, which is never
-- in this database: a reader of it cannot try PINs. The seal binds the
-- account's name, role, whether it may sign in and when it changed, so a
-- row edited here (a cashier made manager) opens nothing at any counter.
CREATE TABLE staff_accounts (
    merchant    text        NOT NULL,
    store_id    text        NOT NULL,
    name_key    text        NOT NULL CHECK (name_key = lower(name)),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    role        text        NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager')),
    active      boolean     NOT NULL,
    nonce       bytea       NOT NULL CHECK (length(nonce) = 12),
    sealed      bytea       NOT NULL,
    changed_at  timestamptz NOT NULL,
    changed_by  text        NOT NULL,
    PRIMARY KEY (merchant, store_id, name_key)
);

-- Any counter of the store may add or change an account, in its own name.
GRANT INSERT, UPDATE ON staff_accounts TO bkash_counters;
ALTER TABLE staff_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_accounts_read ON staff_accounts FOR SELECT USING (true);
CREATE POLICY staff_accounts_add ON staff_accounts FOR INSERT
    WITH CHECK ((merchant, store_id, changed_by) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
CREATE POLICY staff_accounts_change ON staff_accounts FOR UPDATE
    USING ((merchant, store_id) IN (SELECT l.merchant, l.store_id FROM counter_logins l WHERE l.login = current_user))
    WITH CHECK ((merchant, store_id, changed_by) IN (SELECT l.merchant, l.store_id, l.counter_id FROM counter_logins l WHERE l.login = current_user));
