-- Users and the pieces every service shares.

CREATE TABLE users (
  id              text PRIMARY KEY,
  email           text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  full_name       text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  password_hash   text NOT NULL,
  role            text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  date_of_birth   date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_login      timestamptz
);
-- Emails are case-insensitive: one account per lower-cased address.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- Append-only tables attach the trigger function forbid_mutation (sql/functions/append-only.sql).

-- A subscription makes a user premium; the tier is derived from it in one place
-- (src/services/monetization/tier.ts). The monetization migration adds billing detail.
CREATE TABLE user_subscriptions (
  id                    text PRIMARY KEY,
  user_id               text NOT NULL REFERENCES users (id),
  plan_id               text NOT NULL,
  status                text NOT NULL CHECK (status IN ('incomplete', 'active', 'trialing', 'past_due', 'canceled', 'incomplete_expired', 'unpaid')),
  current_period_end    timestamptz,
  cancel_at_period_end  boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_subscriptions_user_idx ON user_subscriptions (user_id);
