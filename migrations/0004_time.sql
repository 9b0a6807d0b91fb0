-- The minute ledger: pricing, time cards, the append-only ledger, payments, Stripe's
-- event inbox, idempotency keys and billed voice sessions. Seconds and cents are integers.

CREATE TABLE pricing_tiers (
  id             text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]{1,64}$'),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  hours          integer NOT NULL CHECK (hours > 0),
  bonus_minutes  integer NOT NULL DEFAULT 0 CHECK (bonus_minutes >= 0),
  price_cents    integer NOT NULL CHECK (price_cents > 0),
  currency       text NOT NULL DEFAULT 'usd' CHECK (currency ~ '^[a-z]{3}$'),
  description    text NOT NULL DEFAULT '',
  sort_order     integer NOT NULL DEFAULT 0,
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now()
);

INSERT INTO pricing_tiers (id, name, hours, bonus_minutes, price_cents, description, sort_order) VALUES
  ('starter_1h',  'Starter Pack',  1,   0,   999, 'Perfect for trying out MindBot', 10),
  ('basic_5h',    'Basic Pack',    5,  30,  4499, 'Great for regular users', 20),
  ('plus_10h',    'Plus Pack',    10,  90,  8499, 'For daily conversations', 30),
  ('pro_25h',     'Pro Pack',     25, 300, 19999, 'Best value for power users', 40);

-- A time card holds seconds. Purchased cards start in pending_payment, become paid when
-- Stripe confirms the payment and active when someone activates the code. Admin grants
-- and ad rewards are cards of their own kind, active from creation, so expiry and the
-- draw order treat every credit alike. remaining_seconds is the card's running balance;
-- every change to it is mirrored by a ledger entry.
CREATE TABLE time_cards (
  id                 text PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('purchase', 'admin_grant', 'ad_reward')),
  purchaser_user_id  text REFERENCES users (id),
  user_id            text REFERENCES users (id),
  tier_id            text REFERENCES pricing_tiers (id),
  activation_code    text UNIQUE CHECK (activation_code ~ '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$'),
  reference          text,
  status             text NOT NULL CHECK (status IN ('pending_payment', 'failed', 'paid', 'active', 'expired', 'refunded')),
  total_seconds      integer NOT NULL CHECK (total_seconds > 0),
  remaining_seconds  integer NOT NULL,
  amount_cents       integer NOT NULL DEFAULT 0 CHECK (amount_cents >= 0),
  currency           text NOT NULL DEFAULT 'usd',
  refunded_cents     integer NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
  payment_intent_id  text UNIQUE,
  created_at         timestamptz NOT NULL DEFAULT now(),
  paid_at            timestamptz,
  activated_at       timestamptz,
  expires_at         timestamptz,
  CHECK (remaining_seconds >= 0 AND remaining_seconds <= total_seconds),
  CHECK (kind <> 'purchase' OR (purchaser_user_id IS NOT NULL AND activation_code IS NOT NULL AND tier_id IS NOT NULL)),
  CHECK (kind = 'purchase' OR (reference IS NOT NULL AND user_id IS NOT NULL)),
  CHECK (status NOT IN ('active', 'expired') OR (user_id IS NOT NULL AND activated_at IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE UNIQUE INDEX time_cards_grant_reference_key ON time_cards (kind, reference) WHERE reference IS NOT NULL;
CREATE INDEX time_cards_user_draw_idx ON time_cards (user_id, expires_at, created_at) WHERE status = 'active';
CREATE INDEX time_cards_user_idx ON time_cards (user_id, created_at);
CREATE INDEX time_cards_purchaser_idx ON time_cards (purchaser_user_id, created_at);
CREATE INDEX time_cards_expiry_idx ON time_cards (expires_at) WHERE status = 'active';

-- One live or finished billed voice session. session_id is the client's (or persona's)
-- id; id is ours. Charges are decided once, at the end, by the server's clock.
CREATE TABLE time_sessions (
  id                        text PRIMARY KEY,
  user_id                   text NOT NULL REFERENCES users (id),
  session_id                text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 128),
  room_name                 text NOT NULL,
  persona_slug              text,
  cost_multiplier_milli     integer NOT NULL DEFAULT 1000 CHECK (cost_multiplier_milli >= 0),
  discount_percent          integer NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
  reward_discount_percent   integer NOT NULL DEFAULT 0 CHECK (reward_discount_percent BETWEEN 0 AND 100),
  cap_seconds               integer CHECK (cap_seconds >= 0),
  status                    text NOT NULL CHECK (status IN ('active', 'completed')),
  started_at                timestamptz NOT NULL,
  ended_at                  timestamptz,
  client_duration_seconds   integer CHECK (client_duration_seconds >= 0),
  billed_seconds            integer CHECK (billed_seconds >= 0),
  charged_seconds           integer CHECK (charged_seconds >= 0),
  saved_seconds             integer CHECK (saved_seconds >= 0),
  end_reason                text,
  end_response              jsonb,
  UNIQUE (user_id, session_id),
  CHECK (status = 'active' OR (ended_at IS NOT NULL AND billed_seconds IS NOT NULL AND charged_seconds IS NOT NULL))
);
CREATE INDEX time_sessions_user_started_idx ON time_sessions (user_id, started_at DESC);
CREATE INDEX time_sessions_active_idx ON time_sessions (started_at) WHERE status = 'active';
CREATE INDEX time_sessions_room_idx ON time_sessions (room_name) WHERE status = 'active';

-- Every movement of seconds, append-only. Credits are positive, debits negative; the
-- sum of a user's entries equals the remaining seconds on their active cards.
CREATE TABLE ledger_entries (
  id               bigserial PRIMARY KEY,
  user_id          text NOT NULL REFERENCES users (id),
  card_id          text NOT NULL REFERENCES time_cards (id),
  kind             text NOT NULL CHECK (kind IN ('activation', 'session_debit', 'expiry', 'refund_reversal', 'admin_grant', 'ad_reward')),
  seconds          integer NOT NULL CHECK (seconds <> 0),
  time_session_id  text REFERENCES time_sessions (id),
  reference        text,
  created_at       timestamptz NOT NULL,
  CHECK ((kind IN ('activation', 'admin_grant', 'ad_reward')) = (seconds > 0)),
  CHECK (kind <> 'session_debit' OR time_session_id IS NOT NULL)
);
CREATE INDEX ledger_entries_user_idx ON ledger_entries (user_id, created_at);
CREATE INDEX ledger_entries_card_idx ON ledger_entries (card_id);
CREATE INDEX ledger_entries_session_idx ON ledger_entries (time_session_id) WHERE time_session_id IS NOT NULL;
-- Append-only: trigger ledger_entries_append_only (sql/functions/append-only.sql).

-- Money that moved, as Stripe reported it (append-only).
CREATE TABLE payment_history (
  id                 bigserial PRIMARY KEY,
  user_id            text NOT NULL REFERENCES users (id),
  amount_cents       integer NOT NULL CHECK (amount_cents >= 0),
  currency           text NOT NULL,
  status             text NOT NULL CHECK (status IN ('succeeded', 'failed', 'refunded')),
  payment_intent_id  text NOT NULL,
  purpose            text NOT NULL,
  reference          text,
  created_at         timestamptz NOT NULL
);
CREATE INDEX payment_history_user_idx ON payment_history (user_id, created_at);
-- A payment succeeds once, however many events say so.
CREATE UNIQUE INDEX payment_history_succeeded_key ON payment_history (payment_intent_id) WHERE status = 'succeeded';
-- Append-only: trigger payment_history_append_only (sql/functions/append-only.sql).

-- Stripe's event inbox: an event id is applied once, in the transaction that records it.
CREATE TABLE stripe_events (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  created_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL
);

-- Idempotency-Key replay store, scoped per user and route.
CREATE TABLE idempotency_keys (
  user_id          text NOT NULL REFERENCES users (id),
  scope            text NOT NULL,
  key              text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash     text NOT NULL,
  status           text NOT NULL CHECK (status IN ('in_flight', 'done')),
  response_status  integer,
  response_body    jsonb,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (user_id, scope, key)
);
