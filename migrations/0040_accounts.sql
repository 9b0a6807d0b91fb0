-- Accounts: a confirmed email, one-time links (verification, password reset, email change),
-- and deleted accounts, whose personal data is wiped while their money rows stay.

ALTER TABLE users
  ADD COLUMN email_verified_at timestamptz,
  ADD COLUMN deleted_at        timestamptz;

-- One row per link sent. Only the token's SHA-256 is stored; a link works once
-- (used_at), until expires_at, and for its own user (and, for an email change, address).
CREATE TABLE account_tokens (
  token_hash  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
  email       text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);
