-- Disputes (chargebacks) of time-card payments. When a buyer's bank disputes a payment, the
-- card's unspent seconds are held: taken off the balance by a `dispute_hold` entry and the
-- card marked `disputed` (never debited, never activated). If MindBot wins, or the inquiry
-- closes without a chargeback, a `dispute_release` entry gives the held seconds back; if it
-- loses, they stay gone. Each dispute is recorded by Stripe's id, so its events apply in any
-- order and any number of times.
CREATE TABLE payment_disputes (
  id                 text PRIMARY KEY CHECK (id ~ '^(dp|du)_[A-Za-z0-9]+$'),
  time_card_id       text NOT NULL REFERENCES time_cards (id),
  payment_intent_id  text NOT NULL,
  status             text NOT NULL CHECK (length(status) BETWEEN 1 AND 40),
  closed             boolean NOT NULL DEFAULT false,
  -- What the hold took: the card's status before it, and its unspent seconds.
  held_status        text CHECK (held_status IN ('paid', 'active')),
  held_seconds       integer NOT NULL DEFAULT 0 CHECK (held_seconds >= 0),
  released           boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX payment_disputes_card_idx ON payment_disputes (time_card_id);

ALTER TABLE time_cards DROP CONSTRAINT time_cards_status_check,
  ADD CONSTRAINT time_cards_status_check
    CHECK (status IN ('pending_payment', 'failed', 'paid', 'active', 'expired', 'refunded', 'disputed'));

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check,
  ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('activation', 'session_debit', 'expiry', 'refund_reversal', 'admin_grant', 'ad_reward',
                    'dispute_hold', 'dispute_release'));
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check,
  ADD CONSTRAINT ledger_entries_credit_sign_check
    CHECK ((kind IN ('activation', 'admin_grant', 'ad_reward', 'dispute_release')) = (seconds > 0));
