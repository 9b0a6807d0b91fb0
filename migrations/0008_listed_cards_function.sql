-- The cards GET /time/balance lists: the user's own and those they bought that nobody has
-- activated yet, newest first. A PL/pgSQL function because its query plan is kept for the
-- connection: PGlite has no prepared statements, and planning this query cost more than
-- running it on the hottest read of the API.
CREATE FUNCTION time_cards_listed(p_user text, p_limit integer)
RETURNS TABLE (id text, user_id text, activation_code text, status text, total_seconds integer,
               remaining_seconds integer, created_at timestamptz, activated_at timestamptz, expires_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
    SELECT l.id, l.user_id, l.activation_code, l.status, l.total_seconds, l.remaining_seconds,
           l.created_at, l.activated_at, l.expires_at
      FROM ((SELECT c.id, c.user_id, c.activation_code, c.status, c.total_seconds, c.remaining_seconds,
                    c.created_at, c.activated_at, c.expires_at
               FROM time_cards c WHERE c.user_id = p_user)
            UNION ALL
            (SELECT c.id, c.user_id, c.activation_code, c.status, c.total_seconds, c.remaining_seconds,
                    c.created_at, c.activated_at, c.expires_at
               FROM time_cards c WHERE c.purchaser_user_id = p_user AND c.user_id IS NULL)) l
     ORDER BY l.created_at DESC, l.id DESC
     LIMIT p_limit;
END;
$$;
