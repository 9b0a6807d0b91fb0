-- The receipt Stripe keeps for a payment's charge (charge.receipt_url), by payment intent,
-- for GET /payments. Written from charge.* events; the simulated provider has none.
CREATE TABLE payment_receipts (
  payment_intent_id  text PRIMARY KEY,
  receipt_url        text NOT NULL CHECK (receipt_url ~ '^https://' AND length(receipt_url) <= 2048),
  updated_at         timestamptz NOT NULL
);
