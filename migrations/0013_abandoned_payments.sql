-- A time card whose payment nobody completed is cancelled at the provider after
-- PENDING_PAYMENT_TTL_HOURS (the sweeper); the `payment_intent.canceled` event then fails the
-- card and gives its coupon back. When the cancellation was asked for, so that it is asked
-- again only now and then until the event arrives.
ALTER TABLE time_cards ADD COLUMN payment_cancel_requested_at timestamptz;
CREATE INDEX time_cards_pending_idx ON time_cards (created_at) WHERE status = 'pending_payment';
