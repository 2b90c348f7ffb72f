-- Where the customer paid: at the counter (bKash's frame or page in the
-- checkout window) or on their own phone (a QR code of Tokenized's bkashURL).
-- A phone payment also counts the status questions asked before Execute.
ALTER TABLE payments ADD COLUMN pay_at TEXT NOT NULL DEFAULT 'counter' CHECK (pay_at IN ('counter', 'phone'));
ALTER TABLE payments ADD COLUMN status_polls INTEGER NOT NULL DEFAULT 0 CHECK (status_polls >= 0);
