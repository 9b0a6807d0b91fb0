-- Monetization: subscription plans, coupons and their redemptions, ad views and rewards,
-- and the Stripe ids that tie users and subscriptions to the payment provider.

CREATE TABLE plans (
  id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]{1,64}$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  tier            text NOT NULL DEFAULT 'premium' CHECK (tier IN ('premium')),
  price_cents     integer NOT NULL CHECK (price_cents > 0),
  currency        text NOT NULL DEFAULT 'usd' CHECK (currency ~ '^[a-z]{3}$'),
  billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'year')),
  features        jsonb NOT NULL CHECK (jsonb_typeof(features) = 'array'),
  -- The provider's recurring price for this plan, created on first use and remembered.
  stripe_price_id text UNIQUE,
  active          boolean NOT NULL DEFAULT true,
  sort_order      integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plans (id, name, price_cents, billing_interval, features, sort_order) VALUES
  ('premium_monthly', 'Premium Monthly', 1999, 'month',
   '["Access to all personas", "Ad-free experience", "Premium voice quality", "Create up to 3 custom personas", "Priority support"]', 1),
  ('premium_yearly', 'Premium Yearly', 19999, 'year',
   '["Access to all personas", "Ad-free experience", "Premium voice quality", "Create up to 3 custom personas", "Priority support", "2 months free compared to monthly"]', 2);

ALTER TABLE users ADD COLUMN stripe_customer_id text UNIQUE;

ALTER TABLE user_subscriptions
  ADD COLUMN provider text NOT NULL DEFAULT 'simulated' CHECK (provider IN ('stripe', 'simulated')),
  ADD COLUMN stripe_subscription_id text UNIQUE,
  ADD COLUMN amount_cents integer CHECK (amount_cents >= 0),
  ADD COLUMN currency text NOT NULL DEFAULT 'usd',
  ADD COLUMN coupon_code text,
  -- `created` (Unix seconds) of the last provider event applied: older events never win.
  ADD COLUMN provider_event_at bigint;

-- At most one live subscription per user; a second one is refused (409).
CREATE UNIQUE INDEX user_subscriptions_one_live
  ON user_subscriptions (user_id) WHERE status IN ('incomplete', 'active', 'trialing', 'past_due', 'unpaid');

CREATE TABLE coupons (
  code              text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{3,40}$'),
  description       text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
  percent_off       integer CHECK (percent_off BETWEEN 1 AND 100),
  amount_off_cents  integer CHECK (amount_off_cents > 0),
  valid_until       timestamptz,
  max_redemptions   integer CHECK (max_redemptions > 0),
  redemptions_count integer NOT NULL DEFAULT 0 CHECK (redemptions_count >= 0),
  new_users_only    boolean NOT NULL DEFAULT false,
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((percent_off IS NULL) <> (amount_off_cents IS NULL)),
  CHECK (max_redemptions IS NULL OR redemptions_count <= max_redemptions)
);

INSERT INTO coupons (code, description, percent_off, new_users_only)
  VALUES ('WELCOME25', '25% off for new users', 25, true);

-- One redemption per user per coupon, made in the purchase's own transaction.
CREATE TABLE coupon_redemptions (
  id              bigserial PRIMARY KEY,
  coupon_code     text NOT NULL REFERENCES coupons (code),
  user_id         text NOT NULL REFERENCES users (id),
  purpose         text NOT NULL CHECK (purpose IN ('time_card', 'subscription')),
  reference       text NOT NULL,
  amount_cents    integer NOT NULL CHECK (amount_cents >= 0),
  discount_cents  integer NOT NULL CHECK (discount_cents >= 0 AND discount_cents <= amount_cents),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (coupon_code, user_id)
);
CREATE INDEX coupon_redemptions_user_idx ON coupon_redemptions (user_id);

-- Every reported ad view, rewarded or not (with the reason it was not).
CREATE TABLE ad_interactions (
  id                    bigserial PRIMARY KEY,
  user_id               text NOT NULL REFERENCES users (id),
  ad_id                 text NOT NULL CHECK (length(ad_id) BETWEEN 1 AND 128),
  persona_slug          text CHECK (length(persona_slug) <= 128),
  view_duration         integer NOT NULL CHECK (view_duration >= 0),
  reward_type           text NOT NULL CHECK (reward_type IN ('time', 'discount')),
  reward_earned         boolean NOT NULL,
  reason                text,
  time_reward_seconds   integer CHECK (time_reward_seconds > 0),
  discount_percent      integer CHECK (discount_percent BETWEEN 1 AND 100),
  reward_expires_at     timestamptz,
  discount_consumed_at  timestamptz,
  created_at            timestamptz NOT NULL,
  CHECK (reward_earned = (reason IS NULL)),
  CHECK (NOT reward_earned OR reward_expires_at IS NOT NULL),
  CHECK (NOT reward_earned OR (reward_type = 'time') = (time_reward_seconds IS NOT NULL)),
  CHECK (NOT reward_earned OR (reward_type = 'discount') = (discount_percent IS NOT NULL)),
  CHECK (discount_consumed_at IS NULL OR discount_percent IS NOT NULL)
);
-- The same ad is rewarded once per user, however often the view is replayed.
CREATE UNIQUE INDEX ad_interactions_rewarded_once ON ad_interactions (user_id, ad_id) WHERE reward_earned;
CREATE INDEX ad_interactions_user_day_idx ON ad_interactions (user_id, created_at) WHERE reward_earned;
CREATE INDEX ad_interactions_open_discount_idx ON ad_interactions (user_id, created_at)
  WHERE discount_percent IS NOT NULL AND discount_consumed_at IS NULL;

-- History is append-only except for spending a discount, once: trigger ad_interactions_guard
-- (sql/functions/ad-interactions.sql).

-- LiveKit's webhook inbox: an event id is applied once however often it is delivered.
CREATE TABLE livekit_events (
  id           text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
  event        text NOT NULL,
  room_name    text,
  created_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL
);
