-- People, shifts and the drawer (#29).
--
-- A staff account has a name, a role and a PIN. The PIN is kept only as an
-- Argon2id hash, and the hash only sealed (ChaCha20-Poly1305 under a key in
-- the vault), so a copy of this file opened with sqlite3 does not let anyone
-- try PINs against it. Accounts are disabled, never deleted: old sales keep
-- naming who rang them up.
CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 40),
    role        TEXT    NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager')),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    pin_sealed  BLOB    NOT NULL,
    pin_nonce   BLOB    NOT NULL CHECK (length(pin_nonce) = 12),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TRIGGER staff_never_deleted BEFORE DELETE ON staff
BEGIN
    SELECT RAISE(ABORT, 'a staff account is disabled, never deleted');
END;

-- Nobody can lock the shop out of its own manager's screens.
CREATE TRIGGER staff_keeps_a_manager BEFORE UPDATE OF role, active ON staff
    WHEN OLD.role = 'manager' AND OLD.active = 1 AND (NEW.role <> 'manager' OR NEW.active = 0)
     AND NOT EXISTS (SELECT 1 FROM staff WHERE role = 'manager' AND active = 1 AND id <> OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'the last manager');
END;

-- A shift: one counter's drawer, from the counted float to the blind count.
-- The close writes the expected cash *as it stood then*, the count and their
-- difference in one update, and the row never changes again: nothing is
-- recomputed later, and what arrives late is a correction on the next report.
CREATE TABLE shifts (
    id                 INTEGER PRIMARY KEY,
    counter_id         TEXT    NOT NULL CHECK (length(counter_id) BETWEEN 1 AND 32),
    opened_by          INTEGER NOT NULL REFERENCES staff (id),
    opened_at          TEXT    NOT NULL,
    float_poisha       INTEGER NOT NULL CHECK (float_poisha >= 0),
    float_notes        TEXT,   -- the count by notes and coins, JSON, if counted so
    closed_at          TEXT,
    closed_by          INTEGER REFERENCES staff (id),
    expected_poisha    INTEGER,
    counted_poisha     INTEGER CHECK (counted_poisha IS NULL OR counted_poisha >= 0),
    counted_notes      TEXT,
    difference_poisha  INTEGER,
    z_number           INTEGER CHECK (z_number IS NULL OR z_number >= 1),
    z_body             TEXT,   -- the Z report as JSON, exactly as printed
    CHECK ((closed_at IS NULL AND closed_by IS NULL AND expected_poisha IS NULL AND counted_poisha IS NULL
            AND difference_poisha IS NULL AND z_number IS NULL AND z_body IS NULL)
        OR (closed_at IS NOT NULL AND closed_by IS NOT NULL AND expected_poisha IS NOT NULL AND counted_poisha IS NOT NULL
            AND difference_poisha = counted_poisha - expected_poisha AND z_number IS NOT NULL AND z_body IS NOT NULL)),
    UNIQUE (counter_id, z_number)
);

-- One shift per counter at a time.
CREATE UNIQUE INDEX shifts_one_open_per_counter ON shifts (counter_id) WHERE closed_at IS NULL;
CREATE INDEX shifts_by_opened_at ON shifts (opened_at);

CREATE TRIGGER shifts_never_deleted BEFORE DELETE ON shifts
BEGIN
    SELECT RAISE(ABORT, 'a shift is never deleted');
END;

CREATE TRIGGER shifts_closed_never_change BEFORE UPDATE ON shifts
    WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed shift never changes');
END;

CREATE TRIGGER shifts_opening_never_changes BEFORE UPDATE ON shifts
    WHEN NEW.counter_id IS NOT OLD.counter_id OR NEW.opened_by IS NOT OLD.opened_by OR NEW.opened_at IS NOT OLD.opened_at
      OR NEW.float_poisha IS NOT OLD.float_poisha OR NEW.float_notes IS NOT OLD.float_notes
BEGIN
    SELECT RAISE(ABORT, 'a shift''s opening never changes');
END;

-- What went in or out of the drawer that was not a sale. A no-sale open moves
-- no money but is journaled with its reason all the same.
CREATE TABLE drawer_movements (
    id             INTEGER PRIMARY KEY,
    shift          INTEGER NOT NULL REFERENCES shifts (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('pay_in', 'pay_out', 'drop', 'no_sale')),
    amount_poisha  INTEGER NOT NULL CHECK ((kind = 'no_sale') = (amount_poisha = 0) AND amount_poisha >= 0),
    reason         TEXT    NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 200),
    by_staff       INTEGER NOT NULL REFERENCES staff (id),
    approved_by    INTEGER REFERENCES staff (id),
    at             TEXT    NOT NULL
);

CREATE INDEX drawer_movements_by_shift ON drawer_movements (shift);

CREATE TRIGGER drawer_movements_into_an_open_shift BEFORE INSERT ON drawer_movements
    WHEN (SELECT closed_at FROM shifts WHERE id = NEW.shift) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the shift is closed');
END;

CREATE TRIGGER drawer_movements_never_change BEFORE UPDATE ON drawer_movements
BEGIN
    SELECT RAISE(ABORT, 'a drawer movement is never changed');
END;

CREATE TRIGGER drawer_movements_never_deleted BEFORE DELETE ON drawer_movements
BEGIN
    SELECT RAISE(ABORT, 'a drawer movement is never removed');
END;

-- Every action one person took on another's authority: who was signed in,
-- whose PIN allowed it, and what it was about.
CREATE TABLE approvals (
    id           INTEGER PRIMARY KEY,
    action       TEXT    NOT NULL,
    by_staff     INTEGER REFERENCES staff (id),
    approved_by  INTEGER NOT NULL REFERENCES staff (id),
    subject      TEXT,
    at           TEXT    NOT NULL
);

CREATE TRIGGER approvals_never_change BEFORE UPDATE ON approvals
BEGIN
    SELECT RAISE(ABORT, 'an approval is never changed');
END;

CREATE TRIGGER approvals_never_deleted BEFORE DELETE ON approvals
BEGIN
    SELECT RAISE(ABORT, 'an approval is never removed');
END;

-- Who and which drawer: a sale names the cashier who rang it up and the shift
-- it was rung up in; cash names the shift whose drawer it went into and who
-- took it. Rows from before shifts have neither.
ALTER TABLE sales ADD COLUMN shift INTEGER REFERENCES shifts (id);
ALTER TABLE sales ADD COLUMN cashier_id INTEGER REFERENCES staff (id);
ALTER TABLE cash_tenders ADD COLUMN shift INTEGER REFERENCES shifts (id);
ALTER TABLE cash_tenders ADD COLUMN cashier TEXT;
CREATE INDEX cash_tenders_by_shift ON cash_tenders (shift);
CREATE INDEX sales_by_shift ON sales (shift);

CREATE TRIGGER cash_tenders_into_an_open_shift BEFORE INSERT ON cash_tenders
    WHEN NEW.shift IS NOT NULL AND (SELECT closed_at FROM shifts WHERE id = NEW.shift) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the shift is closed');
END;
