-- Rewarded-ad views confirmed by the ad network's signed server-side callback (GET /ads/ssv).
-- A view earns its reward only with one; each confirmation is spent by one reward.
CREATE TABLE ad_verifications (
  transaction_id  text PRIMARY KEY CHECK (length(transaction_id) BETWEEN 1 AND 128),
  user_id         text NOT NULL REFERENCES users (id),
  ad_id           text NOT NULL CHECK (length(ad_id) BETWEEN 1 AND 128),
  ad_network      text NOT NULL,
  reward_item     text NOT NULL,
  reward_amount   integer NOT NULL,
  verified_at     timestamptz NOT NULL,
  spent_at        timestamptz
);
CREATE INDEX ad_verifications_user_ad_idx ON ad_verifications (user_id, ad_id) WHERE spent_at IS NULL;
