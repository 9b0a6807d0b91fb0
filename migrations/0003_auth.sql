-- Refresh tokens: opaque 256-bit random strings, stored only as their SHA-256.
-- Each login starts a family; every refresh rotates to a new token of the same family.
-- Presenting an already-rotated token is reuse (a stolen copy): the whole family is revoked.

CREATE TABLE refresh_token_families (
  id              text PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  revoked_reason  text CHECK (revoked_reason IN ('logout', 'reuse')),
  CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX refresh_token_families_user_idx ON refresh_token_families (user_id);

CREATE TABLE refresh_tokens (
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  family_id   text NOT NULL REFERENCES refresh_token_families (id),
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz,
  CHECK (expires_at > issued_at),
  CHECK (rotated_at IS NULL OR rotated_at >= issued_at)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
-- At most one live (not yet rotated) token per family.
CREATE UNIQUE INDEX refresh_tokens_one_live_per_family ON refresh_tokens (family_id) WHERE rotated_at IS NULL;
