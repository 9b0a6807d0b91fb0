-- The voice-session billing hot path: POST /time/session/start and /end are one statement
-- (one round trip, implicit transaction) each. The rules they apply (usable balance, expiry,
-- cost factor, charge, cap) are the functions of time-ledger.sql; docs/ledger.md states them.

-- Starts a session. outcome: started | existing (the same live session again) | room_taken |
-- no_user | used (session_id spent) | busy (too many live) | empty (no balance) |
-- unaffordable (cap < 1). p_defer_cap: the caller runs a hook and then sets the reward and
-- cap itself (refusing cap < 1), in the same transaction. The session records its limit (the
-- persona's, within the hard maximum); its cap follows the balance from then on. A plain
-- session bills from its start; a persona session (p_persona_slug set) from when the user and
-- the agent are both in the room (billing_started_at, set by startBilling in
-- src/services/time/session-billing.ts).
CREATE OR REPLACE FUNCTION time_session_start(
  p_user_id text, p_session_id text, p_room_name text, p_persona_slug text,
  p_milli integer, p_discount integer, p_limit_seconds integer, p_max_seconds integer,
  p_max_active integer, p_id text, p_now timestamptz, p_defer_cap boolean)
RETURNS TABLE (outcome text, session_pk text, session_started timestamptz, balance_seconds bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_owner text;
  v_old record;
  v_active bigint;
  v_limit integer := LEAST(p_limit_seconds, p_max_seconds);
  v_cap integer;
BEGIN
  -- Refused fast, without a lock: an empty balance and no live session of this id to return.
  -- Concurrent starts of a user with nothing to spend then never queue on their row.
  IF NOT EXISTS (SELECT 1 FROM time_sessions s WHERE s.user_id = p_user_id AND s.session_id = p_session_id)
     AND EXISTS (SELECT 1 FROM users u WHERE u.id = p_user_id)
     AND (SELECT b.total_seconds FROM time_usable_balance(p_user_id, p_now) b) <= 0 THEN
    outcome := 'empty'; RETURN NEXT; RETURN;
  END IF;
  -- Locks in one order: the user's row first (it serialises their balance changes; later
  -- statements see fresh snapshots), then the room. The room's insert takes a key-share lock
  -- on the user row; taken before the row lock, two starts would each wait on the other.
  PERFORM 1 FROM users u WHERE u.id = p_user_id FOR UPDATE;
  IF NOT FOUND THEN
    outcome := 'no_user'; RETURN NEXT; RETURN;
  END IF;
  INSERT INTO voice_sessions (user_id, room_name) VALUES (p_user_id, p_room_name) ON CONFLICT (room_name) DO NOTHING;
  SELECT vs.user_id INTO v_owner FROM voice_sessions vs WHERE vs.room_name = p_room_name;
  IF v_owner IS DISTINCT FROM p_user_id THEN
    outcome := 'room_taken'; RETURN NEXT; RETURN;
  END IF;
  SELECT b.total_seconds INTO balance_seconds FROM time_usable_balance(p_user_id, p_now) b;
  SELECT s.id, s.status, s.room_name, s.started_at INTO v_old FROM time_sessions s
   WHERE s.user_id = p_user_id AND s.session_id = p_session_id;
  IF FOUND THEN
    IF v_old.status <> 'active' OR v_old.room_name <> p_room_name THEN
      outcome := 'used'; RETURN NEXT; RETURN;
    END IF;
    outcome := 'existing'; session_pk := v_old.id; session_started := v_old.started_at; RETURN NEXT; RETURN;
  END IF;
  SELECT COUNT(*) INTO v_active FROM time_sessions s WHERE s.user_id = p_user_id AND s.status = 'active';
  IF v_active >= p_max_active THEN
    outcome := 'busy'; RETURN NEXT; RETURN;
  END IF;
  IF balance_seconds <= 0 THEN
    outcome := 'empty'; RETURN NEXT; RETURN;
  END IF;
  v_cap := time_session_cap(balance_seconds, time_cost_factor(p_milli, p_discount, 0), v_limit, NULL);
  IF v_cap < 1 AND NOT p_defer_cap THEN
    outcome := 'unaffordable'; RETURN NEXT; RETURN;
  END IF;
  INSERT INTO time_sessions (id, user_id, session_id, room_name, persona_slug, cost_multiplier_milli,
                             discount_percent, reward_discount_percent, limit_seconds, cap_seconds, status, started_at,
                             billing_started_at)
  VALUES (p_id, p_user_id, p_session_id, p_room_name, p_persona_slug, p_milli, p_discount, 0, v_limit, GREATEST(v_cap, 0), 'active', p_now,
          CASE WHEN p_persona_slug IS NULL THEN p_now END);
  outcome := 'started'; session_pk := p_id; session_started := p_now; RETURN NEXT;
END;
$$;

-- Ends a session once, found by our id (p_id) or by the user's session_id. outcome: ended |
-- done (ended before: body is the first end's) | missing | extended. Lapsed cards expire
-- first; the cap is what the balance affords now, within the session's limit, counted from
-- billing_started_at (a session whose billing never started bills nothing). A sweep
-- (p_reason 'cap_reached') ends the session only when it has reached that cap; before, it
-- records the cap and answers 'extended', and the session goes on. The charge is debited in
-- draw order (docs/ledger.md#draw-order), spanning cards, never below zero, one
-- session_debit entry per card touched.
CREATE OR REPLACE FUNCTION time_session_end(
  p_user_id text, p_session_id text, p_id text, p_now timestamptz, p_client_duration integer, p_reason text)
RETURNS TABLE (outcome text, body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  v_s time_sessions%ROWTYPE;
  v_factor bigint;
  v_cap integer;
  v_wall bigint;
  v_billed bigint;
  v_cost bigint;
  v_charged bigint;
  v_left record;
BEGIN
  -- The session row lock serialises concurrent ends: a waiter sees the first end's row.
  IF p_id IS NOT NULL THEN
    SELECT * INTO v_s FROM time_sessions s WHERE s.id = p_id FOR UPDATE;
  ELSE
    SELECT * INTO v_s FROM time_sessions s WHERE s.user_id = p_user_id AND s.session_id = p_session_id FOR UPDATE;
  END IF;
  IF NOT FOUND THEN
    outcome := 'missing'; RETURN NEXT; RETURN;
  END IF;
  IF v_s.status = 'completed' THEN
    outcome := 'done'; body := v_s.end_response; RETURN NEXT; RETURN;
  END IF;
  PERFORM 1 FROM users u WHERE u.id = v_s.user_id FOR UPDATE;
  PERFORM time_expire_lapsed_cards(v_s.user_id, p_now);

  v_factor := time_cost_factor(v_s.cost_multiplier_milli, v_s.discount_percent, v_s.reward_discount_percent);
  SELECT time_session_cap(b.total_seconds, v_factor, v_s.limit_seconds, NULL) INTO v_cap
    FROM time_usable_balance(v_s.user_id, p_now) b;
  -- Billed time runs from when billing started (never started: nothing is billed).
  v_wall := CASE WHEN v_s.billing_started_at IS NULL THEN 0
                 ELSE GREATEST(0, ceil(extract(epoch FROM p_now) - extract(epoch FROM v_s.billing_started_at)))::bigint END;
  IF p_reason = 'cap_reached' AND v_wall < v_cap THEN
    UPDATE time_sessions s SET cap_seconds = v_cap WHERE s.id = v_s.id;
    outcome := 'extended'; RETURN NEXT; RETURN;
  END IF;
  v_billed := LEAST(v_wall, v_cap);
  v_cost := time_charge(v_billed, v_factor);

  -- Draw order: the card expiring first, then the older, then by id.
  WITH locked AS (
    SELECT c.id, c.remaining_seconds, c.expires_at, c.created_at FROM time_cards c
     WHERE c.user_id = v_s.user_id AND time_card_usable(c, p_now)
     ORDER BY c.expires_at, c.created_at, c.id
     FOR UPDATE
  ), ordered AS (
    SELECT l.id, l.remaining_seconds,
           SUM(l.remaining_seconds) OVER (ORDER BY l.expires_at, l.created_at, l.id) - l.remaining_seconds AS before
      FROM locked l
  ), draw AS (
    SELECT o.id, LEAST(o.remaining_seconds, GREATEST(0, v_cost - o.before)) AS take FROM ordered o
  ), debited AS (
    UPDATE time_cards t SET remaining_seconds = t.remaining_seconds - d.take
      FROM draw d WHERE t.id = d.id AND d.take > 0
    RETURNING t.id, d.take
  ), entries AS (
    INSERT INTO ledger_entries (user_id, card_id, kind, seconds, time_session_id, created_at)
    SELECT v_s.user_id, b.id, 'session_debit', -b.take, v_s.id, p_now FROM debited b
  )
  SELECT COALESCE(SUM(d.take), 0) INTO v_charged FROM draw d;
  -- What is left is the usable balance after the debit (this statement sees it).
  SELECT * INTO v_left FROM time_usable_balance(v_s.user_id, p_now);

  body := jsonb_build_object(
    'session_id', v_s.session_id,
    'duration_seconds', v_billed,
    'cost_minutes', time_round2(v_charged, 60),
    'status', 'completed',
    'remaining_balance', jsonb_build_object(
      'total_minutes', time_round2(v_left.total_seconds, 60),
      'total_hours', time_round2(v_left.total_seconds, 3600),
      'active_cards', v_left.active_cards));
  UPDATE time_sessions s
     SET status = 'completed', ended_at = p_now, client_duration_seconds = p_client_duration,
         cap_seconds = v_cap, billed_seconds = v_billed, charged_seconds = v_charged,
         -- Saved: what the undiscounted multiplier would have cost, less the charge.
         saved_seconds = GREATEST(0, time_charge(v_billed, time_cost_factor(v_s.cost_multiplier_milli, 0, 0)) - v_cost),
         end_reason = p_reason, end_response = body
   WHERE s.id = v_s.id;
  outcome := 'ended'; RETURN NEXT;
END;
$$;
