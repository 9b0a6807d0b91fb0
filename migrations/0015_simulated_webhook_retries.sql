-- Stripe retries a webhook the endpoint did not take, with growing waits, for days. The
-- simulation now does too: after a failed round of deliveries an event waits until
-- next_attempt_at (30 s, doubling, at most an hour) and is delivered again while the process
-- runs, instead of only at the next start.
ALTER TABLE simulated_webhook_events
  ADD COLUMN failed_rounds integer NOT NULL DEFAULT 0 CHECK (failed_rounds >= 0),
  ADD COLUMN next_attempt_at timestamptz;
CREATE INDEX simulated_webhook_events_retry_idx ON simulated_webhook_events (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
