-- The ledger's rules, each stated once; docs/ledger.md says each in prose. Callers pass the
-- clock (p_now), so the server's injectable clock, not now(), decides. Integer arithmetic.
-- The one-expression functions are inlined where they are called (see time-format.sql), so
-- a rule costs no more than writing its expression in place, and indexes still apply.

-- Usable card (docs/ledger.md#usable-balance): active, not past its expiry (whether or not
-- the sweeper has reached it yet), with seconds left.
CREATE OR REPLACE FUNCTION time_card_usable(c time_cards, p_now timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT c.status = 'active' AND c.expires_at > p_now AND c.remaining_seconds > 0
$$;

-- Lapsed card (docs/ledger.md#expiry): still active, but its expiry has come.
CREATE OR REPLACE FUNCTION time_card_lapsed(c time_cards, p_now timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT c.status = 'active' AND c.expires_at <= p_now
$$;

-- Usable balance (docs/ledger.md#usable-balance): the seconds of the user's usable cards.
CREATE OR REPLACE FUNCTION time_usable_balance(p_user text, p_now timestamptz)
RETURNS TABLE (total_seconds bigint, active_cards bigint, next_expiration timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(SUM(c.remaining_seconds), 0)::bigint, COUNT(*), MIN(c.expires_at)
    FROM time_cards c
   WHERE c.user_id = p_user AND time_card_usable(c, p_now)
$$;

-- Expiry (docs/ledger.md#expiry): the user's lapsed cards become expired and their unspent
-- seconds leave by an 'expiry' entry, in one statement. Call with the user's row locked.
-- Returns how many cards expired.
CREATE OR REPLACE FUNCTION time_expire_lapsed_cards(p_user text, p_now timestamptz)
RETURNS bigint LANGUAGE sql AS $$
  WITH old AS (
    SELECT c.id, c.remaining_seconds FROM time_cards c
     WHERE c.user_id = p_user AND time_card_lapsed(c, p_now)
     ORDER BY c.id FOR UPDATE
  ), expired AS (
    UPDATE time_cards t SET status = 'expired', remaining_seconds = 0
      FROM old WHERE t.id = old.id
    RETURNING t.id, old.remaining_seconds
  ), entries AS (
    INSERT INTO ledger_entries (user_id, card_id, kind, seconds, created_at)
    SELECT p_user, e.id, 'expiry', -e.remaining_seconds, p_now FROM expired e WHERE e.remaining_seconds > 0
  )
  SELECT COUNT(*) FROM expired
$$;

-- Cost factor (docs/ledger.md#charge): the persona's multiplier in thousandths, times what
-- the ad-supported discount and the one-off reward discount (percent each) leave.
CREATE OR REPLACE FUNCTION time_cost_factor(p_milli integer, p_discount integer, p_reward integer)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT p_milli::bigint * (100 - p_discount) * (100 - p_reward)
$$;

-- Charge (docs/ledger.md#charge): seconds debited for p_seconds of talk at a cost factor,
-- rounded up to the whole second (the factor's unit is 10^-7: 1000 × 100 × 100 is ×1).
CREATE OR REPLACE FUNCTION time_charge(p_seconds bigint, p_factor bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT (p_seconds * p_factor + 9999999) / 10000000
$$;

-- Cap (docs/ledger.md#cap): what a session may bill at most: the hard maximum, the persona's
-- limit (NULL: none) and the longest talk whose charge the balance covers (charge's inverse).
CREATE OR REPLACE FUNCTION time_session_cap(p_balance bigint, p_factor bigint, p_limit_seconds integer, p_max_seconds integer)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT LEAST(p_max_seconds, p_limit_seconds,
               CASE WHEN p_factor > 0 THEN p_balance * 10000000 / p_factor END)::integer
$$;
