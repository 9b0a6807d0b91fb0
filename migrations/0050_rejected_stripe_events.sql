-- A signed Stripe event that cannot be applied (an amount or currency that is not what was
-- ordered, a malformed object) is recorded once with why, and answered 200: Stripe stops
-- retrying and nothing else changes.
ALTER TABLE stripe_events ADD COLUMN rejected_reason text;
