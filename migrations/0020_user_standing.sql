-- A user's standing, checked on every authenticated request: a disabled account, and a
-- cut-off before which the user's tokens no longer count (password reset, disable,
-- "sign out everywhere"). Revoking every refresh family at once is its own reason.

ALTER TABLE users
  ADD COLUMN disabled_at        timestamptz,
  ADD COLUMN tokens_valid_after timestamptz;

ALTER TABLE refresh_token_families DROP CONSTRAINT refresh_token_families_revoked_reason_check;
ALTER TABLE refresh_token_families ADD CONSTRAINT refresh_token_families_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'reuse', 'revoked_all'));
