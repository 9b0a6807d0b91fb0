-- GET /time/balance, the hottest read of the API, as one function that returns the finished
-- JSON body: the rows never travel as rows, so the server neither parses nine columns per
-- card nor serialises them again.

-- The guide's balance body: the usable balance (time-ledger.sql), and the user's cards with
-- those they bought that nobody has activated yet, newest first, at most p_limit of them.
-- A lapsed card that the sweeper has not reached yet shows as expired, with nothing
-- remaining. PL/pgSQL, so the plan is kept for the connection (PGlite has no prepared statements).
CREATE OR REPLACE FUNCTION time_balance_body(p_user text, p_now timestamptz, p_limit integer)
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
    FROM (SELECT c.*
            FROM ((SELECT t.id, t.activation_code, t.status, t.total_seconds, t.remaining_seconds,
                          t.created_at, t.activated_at, t.expires_at, time_card_lapsed(t, p_now) AS lapsed
                     FROM time_cards t WHERE t.user_id = p_user)
                  UNION ALL
                  (SELECT t.id, t.activation_code, t.status, t.total_seconds, t.remaining_seconds,
                          t.created_at, t.activated_at, t.expires_at, time_card_lapsed(t, p_now) AS lapsed
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

-- When the user's balance body changes by the clock alone: the first expiry still to come of
-- an active card (it then shows as expired). NULL when no card will lapse.
CREATE OR REPLACE FUNCTION time_balance_lapses_at(p_user text, p_now timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT MIN(c.expires_at) FROM time_cards c
   WHERE c.user_id = p_user AND c.status = 'active' AND c.expires_at > p_now
$$;
