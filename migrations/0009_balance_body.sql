-- GET /time/balance, the hottest read of the API, as one function that returns the finished
-- JSON body: the rows never travel as rows, so the server neither parses nine columns per
-- card nor serialises them again. The usable-balance rule becomes one SQL function that the
-- body and getBalance (src/services/time/ledger.ts) both read.

-- Seconds usable now: active cards not yet past their expiry, whether or not the sweeper ran.
CREATE FUNCTION time_usable_balance(p_user text, p_now timestamptz)
RETURNS TABLE (total_seconds bigint, active_cards bigint, next_expiration timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(SUM(c.remaining_seconds), 0)::bigint, COUNT(*), MIN(c.expires_at)
    FROM time_cards c
   WHERE c.user_id = p_user AND c.status = 'active' AND c.expires_at > p_now AND c.remaining_seconds > 0
$$;

-- SQL functions of one expression are inlined into the query that calls them, so they cost
-- no more than the expression; a FROM clause, or a volatility stricter than the body's, stops
-- that and each call then runs an executor of its own (≈ 50 µs for time_round2 as 0007 wrote it).

-- Seconds as minutes (divisor 60) or hours (3600) with two decimals, in float8 exactly as the
-- TypeScript does (Math.round(seconds / d × 100) / 100), so bodies agree. Same as 0007's, inlinable.
CREATE OR REPLACE FUNCTION time_round2(p_seconds bigint, p_divisor integer)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
  SELECT (floor(p_seconds::float8 / p_divisor * 100)
          + CASE WHEN p_seconds::float8 / p_divisor * 100 - floor(p_seconds::float8 / p_divisor * 100) >= 0.5::float8
                 THEN 1 ELSE 0 END) / 100
$$;

-- A timestamp as JavaScript's Date#toISOString writes it (UTC, milliseconds truncated, 'Z').
-- STABLE like to_char itself, so that it is inlined.
CREATE FUNCTION time_iso(p timestamptz)
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The guide's balance body: the balance over all usable cards, and the user's cards with
-- those they bought that nobody has activated yet, newest first, at most p_limit of them.
-- A card past its expiry that the sweeper has not reached yet shows as expired, with nothing
-- remaining. PL/pgSQL, so the plan is kept for the connection (PGlite has no prepared statements).
CREATE FUNCTION time_balance_body(p_user text, p_now timestamptz, p_limit integer)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_balance record;
  v_cards json;
BEGIN
  SELECT * INTO v_balance FROM time_usable_balance(p_user, p_now);
  SELECT COALESCE(json_agg(json_build_object(
           'id', l.id,
           'activation_code', l.activation_code,
           'total_minutes', time_round2(l.total_seconds, 60),
           'remaining_minutes', CASE WHEN l.lapsed THEN 0 ELSE time_round2(l.remaining_seconds, 60) END,
           'status', CASE WHEN l.lapsed THEN 'expired' ELSE l.status END,
           'activated_at', time_iso(l.activated_at),
           'expires_at', time_iso(l.expires_at),
           'created_at', time_iso(l.created_at)) ORDER BY l.created_at DESC, l.id DESC), '[]'::json)
    INTO v_cards
    FROM (SELECT c.*, (c.status = 'active' AND c.expires_at <= p_now) AS lapsed
            FROM ((SELECT t.id, t.activation_code, t.status, t.total_seconds, t.remaining_seconds,
                          t.created_at, t.activated_at, t.expires_at
                     FROM time_cards t WHERE t.user_id = p_user)
                  UNION ALL
                  (SELECT t.id, t.activation_code, t.status, t.total_seconds, t.remaining_seconds,
                          t.created_at, t.activated_at, t.expires_at
                     FROM time_cards t WHERE t.purchaser_user_id = p_user AND t.user_id IS NULL)) c
           ORDER BY c.created_at DESC, c.id DESC
           LIMIT p_limit) l;
  RETURN json_build_object(
    'balance', json_build_object(
      'total_minutes', time_round2(v_balance.total_seconds, 60),
      'total_hours', time_round2(v_balance.total_seconds, 3600),
      'active_cards', v_balance.active_cards,
      'next_expiration', time_iso(v_balance.next_expiration)),
    'time_cards', v_cards)::text;
END;
$$;

-- Replaced by time_balance_body.
DROP FUNCTION time_cards_listed(text, integer);
