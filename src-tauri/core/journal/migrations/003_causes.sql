-- Why a payment ended or waits without bKash's own word (bKash unreachable,
-- no answer, an answer about another payment, the token budget …), as a
-- stable code the UI words in the user's language. NULL where bKash's code
-- (bkash_code) says it, or nothing went wrong.
ALTER TABLE payments ADD COLUMN cause TEXT;
ALTER TABLE payment_events ADD COLUMN cause TEXT;
