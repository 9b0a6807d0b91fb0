-- The simulated payment provider's outbox. Stripe keeps an event until the endpoint has taken
-- it (retrying for days); the simulation records each event here before the call that caused
-- it returns, and deletes it once the webhook handler has applied it. A start delivers what a
-- previous run left behind, so a crash never loses a simulated payment.
CREATE TABLE simulated_webhook_events (
  id          text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9]+$'),
  type        text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
  payload     text NOT NULL,
  created_at  timestamptz NOT NULL
);
