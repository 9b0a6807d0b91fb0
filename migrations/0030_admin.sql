-- The Admin Panel: an append-only audit of every admin action (who, what, on which object,
-- before and after, the reason typed), taking time back from a card (`admin_void`), and
-- publishing personas (an unpublished persona is out of the catalogue and cannot be started).

CREATE TABLE admin_audit (
  id           bigserial PRIMARY KEY,
  -- NULL: the platform itself (the first admin, set up from the environment or the command line).
  admin_id     text REFERENCES users (id),
  action       text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
  object_type  text NOT NULL CHECK (length(object_type) BETWEEN 1 AND 40),
  object_id    text NOT NULL CHECK (length(object_id) BETWEEN 1 AND 200),
  before       jsonb,
  after        jsonb,
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_at   timestamptz NOT NULL
);
CREATE INDEX admin_audit_created_idx ON admin_audit (created_at DESC, id DESC);
CREATE INDEX admin_audit_admin_idx ON admin_audit (admin_id, created_at DESC);
CREATE INDEX admin_audit_object_idx ON admin_audit (object_type, object_id, created_at DESC);
-- Append-only: its forbid_mutation trigger is in sql/functions/append-only.sql.

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check,
  ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('activation', 'session_debit', 'expiry', 'refund_reversal', 'admin_grant', 'ad_reward',
                    'dispute_hold', 'dispute_release', 'admin_void'));

ALTER TABLE personas ADD COLUMN published boolean NOT NULL DEFAULT true;

-- The admin lists page newest first and search users by name or email.
CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);
CREATE INDEX payment_history_created_idx ON payment_history (created_at DESC, id DESC);
CREATE INDEX time_sessions_started_idx ON time_sessions (started_at DESC, id DESC);
