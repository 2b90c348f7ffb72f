-- The till: a sale with its lines, journaled before any payment of it starts.
-- A sale is paid by one tender: its bKash payment (payments.order_id =
-- sales.order_id, state completed) or cash (cash_tenders). The payments
-- table and its rules are unchanged; a payment belongs to a sale through its
-- order id. Payments from before the till have no sale and stay amount-only.
CREATE TABLE sales (
    id            INTEGER PRIMARY KEY,
    order_id      TEXT    NOT NULL UNIQUE CHECK (length(order_id) BETWEEN 1 AND 64),
    counter_id    TEXT,
    cashier       TEXT,
    total_poisha  INTEGER NOT NULL CHECK (total_poisha > 0),
    opened_at     TEXT    NOT NULL, -- RFC 3339, UTC
    -- The cashier moved on (New sale). A finished sale with no tender was
    -- abandoned; its bKash payment, if bKash later says it completed, still
    -- pays it.
    finished_at   TEXT
);

CREATE INDEX sales_by_opened_at ON sales (opened_at);
-- A sale finds its payments by order id (its tender, its receipt, the
-- triggers below); without this each lookup would read every payment.
CREATE INDEX payments_by_order ON payments (order_id, state);
CREATE INDEX sales_unfinished ON sales (counter_id) WHERE finished_at IS NULL;

CREATE TABLE sale_lines (
    sale          INTEGER NOT NULL REFERENCES sales (id),
    position      INTEGER NOT NULL CHECK (position >= 1),
    product_code  TEXT,     -- the catalogue's code; NULL for a free-text line
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    quantity      INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    unit_poisha   INTEGER NOT NULL CHECK (unit_poisha > 0),
    line_poisha   INTEGER NOT NULL CHECK (line_poisha = quantity * unit_poisha),
    PRIMARY KEY (sale, position)
);

-- Cash: at most one per sale, never changed or removed.
CREATE TABLE cash_tenders (
    sale             INTEGER PRIMARY KEY REFERENCES sales (id),
    amount_poisha    INTEGER NOT NULL CHECK (amount_poisha > 0),
    tendered_poisha  INTEGER NOT NULL CHECK (tendered_poisha >= amount_poisha),
    change_poisha    INTEGER NOT NULL CHECK (change_poisha = tendered_poisha - amount_poisha),
    at               TEXT    NOT NULL
);

CREATE TRIGGER cash_tenders_no_update BEFORE UPDATE ON cash_tenders
BEGIN
    SELECT RAISE(ABORT, 'a cash tender is never changed');
END;

CREATE TRIGGER cash_tenders_no_delete BEFORE DELETE ON cash_tenders
BEGIN
    SELECT RAISE(ABORT, 'a cash tender is never removed');
END;

-- The sales something may have paid: cash taken, or a bKash payment that is
-- under way, being checked or completed (only failed, cancelled and
-- not_charged prove no money moved).
CREATE VIEW sales_being_paid AS
    SELECT s.id AS sale FROM sales s
    WHERE EXISTS (SELECT 1 FROM cash_tenders c WHERE c.sale = s.id)
       OR EXISTS (SELECT 1 FROM payments p WHERE p.order_id = s.order_id
                  AND p.state NOT IN ('failed', 'cancelled', 'not_charged'));

-- A sale is paid once: cash is refused while a bKash payment of the sale may
-- have charged the customer (and a second cash tender by the primary key)...
CREATE TRIGGER cash_only_without_live_bkash BEFORE INSERT ON cash_tenders
    WHEN EXISTS (SELECT 1 FROM sales_being_paid WHERE sale = NEW.sale)
BEGIN
    SELECT RAISE(ABORT, 'sale has a live bKash payment');
END;

-- ...and bKash is refused for a sale paid in cash.
CREATE TRIGGER bkash_only_without_cash BEFORE INSERT ON payments
    WHEN EXISTS (SELECT 1 FROM cash_tenders c JOIN sales s ON s.id = c.sale WHERE s.order_id = NEW.order_id)
BEGIN
    SELECT RAISE(ABORT, 'sale already paid in cash');
END;

-- A sale's lines change only while nothing can have paid it.
CREATE TRIGGER sale_lines_frozen_once_paying BEFORE INSERT ON sale_lines
    WHEN EXISTS (SELECT 1 FROM sales_being_paid WHERE sale = NEW.sale)
BEGIN
    SELECT RAISE(ABORT, 'sale is being paid');
END;

CREATE TRIGGER sale_lines_kept_once_paying BEFORE DELETE ON sale_lines
    WHEN EXISTS (SELECT 1 FROM sales_being_paid WHERE sale = OLD.sale)
BEGIN
    SELECT RAISE(ABORT, 'sale is being paid');
END;

CREATE TRIGGER sales_never_deleted BEFORE DELETE ON sales
BEGIN
    SELECT RAISE(ABORT, 'sales are never deleted');
END;

-- The shop's catalogue: prices in poisha. Codes are what the cashier types
-- or the scanner reads (a barcode may differ from the shop's own code).
CREATE TABLE catalogue (
    code          TEXT    PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32),
    barcode       TEXT    UNIQUE CHECK (barcode IS NULL OR length(barcode) BETWEEN 1 AND 32),
    name_en       TEXT    NOT NULL CHECK (length(name_en) BETWEEN 1 AND 80),
    name_bn       TEXT    CHECK (name_bn IS NULL OR length(name_bn) BETWEEN 1 AND 80),
    price_poisha  INTEGER NOT NULL CHECK (price_poisha > 0),
    updated_at    TEXT    NOT NULL
);

-- The cash drawer, counted per counter and day (Bangladesh-local date).
CREATE TABLE drawer_counts (
    day                   TEXT    NOT NULL CHECK (length(day) = 10),
    counter_id            TEXT    NOT NULL CHECK (length(counter_id) BETWEEN 1 AND 32),
    opening_float_poisha  INTEGER NOT NULL CHECK (opening_float_poisha >= 0),
    counted_poisha        INTEGER CHECK (counted_poisha IS NULL OR counted_poisha >= 0),
    note                  TEXT    CHECK (note IS NULL OR length(note) <= 200),
    updated_at            TEXT    NOT NULL,
    PRIMARY KEY (day, counter_id)
);
