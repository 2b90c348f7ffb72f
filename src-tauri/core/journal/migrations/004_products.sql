-- Which bKash product carried each payment: Checkout (iFrame) or Tokenized
-- Checkout (URL). A payment is executed, queried, refunded and searched with
-- the product that created it. Every payment before this was Checkout.
ALTER TABLE payments ADD COLUMN product TEXT NOT NULL DEFAULT 'checkout' CHECK (product IN ('checkout', 'tokenized'));
