-- The store's shared database, version 1. Every row is keyed by merchant,
-- store and counter, so several stores (a chain) can share one database.
-- Rows that copy a counter's journal carry the outbox `seq` of the snapshot
-- they hold: a snapshot is applied only over an older one, so a resend or a
-- late batch never rolls a row back.

-- Each counter id is held by one journal (its install id).
CREATE TABLE counters (
    merchant       text        NOT NULL,
    store_id       text        NOT NULL,
    counter_id     text        NOT NULL,
    install_id     text        NOT NULL,
    claimed_at     timestamptz NOT NULL DEFAULT now(),
    -- What the counter said at its last push: how far it got and what it
    -- still holds, so the manager sees every counter's sync state.
    pushed_seq     bigint      NOT NULL DEFAULT 0,
    journal_seq    bigint      NOT NULL DEFAULT 0,
    last_push_at   timestamptz,
    PRIMARY KEY (merchant, store_id, counter_id)
);

-- Every outbox entry of every counter, exactly once.
CREATE TABLE events (
    merchant     text        NOT NULL,
    store_id     text        NOT NULL,
    counter_id   text        NOT NULL,
    seq          bigint      NOT NULL CHECK (seq > 0),
    kind         text        NOT NULL CHECK (kind IN ('payment', 'payment_event', 'refund', 'store_refund', 'sale',
                                                      'cash_tender', 'drawer_count', 'day_report')),
    body         jsonb       NOT NULL,
    at           timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant, store_id, counter_id, seq)
);

CREATE TABLE payments (
    merchant       text        NOT NULL,
    store_id       text        NOT NULL,
    counter_id     text        NOT NULL,
    local_id       bigint      NOT NULL,
    seq            bigint      NOT NULL,
    order_id       text        NOT NULL,
    invoice        text        NOT NULL,
    amount_poisha  bigint      NOT NULL CHECK (amount_poisha > 0),
    state          text        NOT NULL,
    trx_id         text,
    cashier        text,
    product        text        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    -- When this copy last changed here: a payment of a closed day that
    -- arrives or changes later is a correction on the next store report.
    synced_at      timestamptz NOT NULL DEFAULT now(),
    body           jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, local_id)
);
CREATE INDEX payments_by_synced_at ON payments (merchant, store_id, synced_at);
-- The manager's day list: newest first, one store.
CREATE INDEX payments_by_time ON payments (merchant, store_id, created_at DESC, counter_id, local_id);
CREATE INDEX payments_by_trx ON payments (trx_id) WHERE trx_id IS NOT NULL;

-- A payment's history is its `payment_event` entries, read from `events`
-- through this index rather than copied into a table of their own.
CREATE INDEX events_by_payment ON events (merchant, store_id, counter_id, ((body->>'payment')::bigint), seq)
    WHERE kind = 'payment_event';

CREATE TABLE refunds (
    merchant       text        NOT NULL,
    store_id       text        NOT NULL,
    counter_id     text        NOT NULL,
    local_id       bigint      NOT NULL,
    seq            bigint      NOT NULL,
    payment        bigint      NOT NULL,
    amount_poisha  bigint      NOT NULL CHECK (amount_poisha > 0),
    state          text        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    body           jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, local_id)
);
CREATE INDEX refunds_by_payment ON refunds (merchant, store_id, counter_id, payment);
CREATE INDEX refunds_by_time ON refunds (merchant, store_id, updated_at);

-- Refunds a counter made of another counter's payment (its `store_refunds`).
CREATE TABLE store_refunds (
    merchant        text        NOT NULL,
    store_id        text        NOT NULL,
    counter_id      text        NOT NULL,  -- the counter that refunded
    local_id        bigint      NOT NULL,
    seq             bigint      NOT NULL,
    origin_counter  text        NOT NULL,
    origin_payment  bigint      NOT NULL,
    amount_poisha   bigint      NOT NULL CHECK (amount_poisha > 0),
    state           text        NOT NULL,
    updated_at      timestamptz NOT NULL,
    body            jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, local_id)
);
CREATE INDEX store_refunds_by_payment ON store_refunds (merchant, store_id, origin_counter, origin_payment);

-- Every refund of a payment, wherever it was made: what the manager's day,
-- a payment's history and the refund cap read.
CREATE VIEW all_refunds AS
    SELECT merchant, store_id, counter_id AS origin_counter, payment AS origin_payment, counter_id AS acting_counter,
           'own' AS kind, local_id, amount_poisha, state, body
    FROM refunds
    UNION ALL
    SELECT merchant, store_id, origin_counter, origin_payment, counter_id, 'elsewhere', local_id, amount_poisha, state, body
    FROM store_refunds;

-- A refund's claim on what is left of a payment, taken in PostgreSQL under
-- a per-payment lock before the refund is sent to bKash, so two counters
-- can never refund more than was paid between them. A claim holds until
-- its refund (as the acting counter's journal reports it) has failed.
CREATE TABLE refund_claims (
    merchant         text        NOT NULL,
    store_id         text        NOT NULL,
    origin_counter   text        NOT NULL,
    origin_payment   bigint      NOT NULL,
    acting_counter   text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('own', 'elsewhere')),
    refund_local_id  bigint      NOT NULL,
    amount_poisha    bigint      NOT NULL CHECK (amount_poisha > 0),
    claimed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant, store_id, acting_counter, kind, refund_local_id)
);
CREATE INDEX refund_claims_by_payment ON refund_claims (merchant, store_id, origin_counter, origin_payment);

CREATE TABLE sales (
    merchant      text        NOT NULL,
    store_id      text        NOT NULL,
    counter_id    text        NOT NULL,
    local_id      bigint      NOT NULL,
    seq           bigint      NOT NULL,
    order_id      text        NOT NULL,
    cashier       text,
    total_poisha  bigint      NOT NULL,
    opened_at     timestamptz NOT NULL,
    finished_at   timestamptz,
    body          jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, local_id)
);
CREATE INDEX sales_by_time ON sales (merchant, store_id, opened_at);

CREATE TABLE cash_tenders (
    merchant       text        NOT NULL,
    store_id       text        NOT NULL,
    counter_id     text        NOT NULL,
    sale           bigint      NOT NULL,
    amount_poisha  bigint      NOT NULL,
    at             timestamptz NOT NULL,
    body           jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, sale)
);
CREATE INDEX cash_tenders_by_time ON cash_tenders (merchant, store_id, at);

CREATE TABLE drawer_counts (
    merchant    text        NOT NULL,
    store_id    text        NOT NULL,
    counter_id  text        NOT NULL,
    day         date        NOT NULL,
    seq         bigint      NOT NULL,
    body        jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, day)
);

-- Each counter's own numbered end-of-day reports, as it printed them.
CREATE TABLE counter_day_reports (
    merchant    text        NOT NULL,
    store_id    text        NOT NULL,
    counter_id  text        NOT NULL,
    number      bigint      NOT NULL,
    day         date        NOT NULL,
    body        jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, counter_id, number)
);

-- The store's own end-of-day report: numbered once per store and day.
CREATE TABLE store_day_reports (
    merchant    text        NOT NULL,
    store_id    text        NOT NULL,
    number      bigint      NOT NULL,
    day         date        NOT NULL,
    closed_at   timestamptz NOT NULL DEFAULT now(),
    closed_by   text        NOT NULL,
    body        jsonb       NOT NULL,
    PRIMARY KEY (merchant, store_id, number),
    UNIQUE (merchant, store_id, day)
);

-- bKash's token pair, one per merchant and environment, sealed: `sealed` is
-- ChaCha20-Poly1305 under a key each counter derives from the merchant's
-- app_secret, which is in every counter's vault and never here.
CREATE TABLE bkash_tokens (
    merchant     text        NOT NULL,
    environment  text        NOT NULL,
    generation   bigint      NOT NULL,
    nonce        bytea       NOT NULL,
    sealed       bytea       NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text        NOT NULL,
    PRIMARY KEY (merchant, environment)
);

-- Every grant or refresh any counter sent, for the rolling-hour budget.
-- `offline`: the counter sent it while cut off from the store and reported
-- it when it came back.
CREATE TABLE token_calls (
    merchant     text        NOT NULL,
    environment  text        NOT NULL,
    call_id      text        NOT NULL,
    at           timestamptz NOT NULL,
    counter_id   text        NOT NULL,
    offline      boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (merchant, environment, call_id)
);
CREATE INDEX token_calls_by_time ON token_calls (merchant, environment, at);
