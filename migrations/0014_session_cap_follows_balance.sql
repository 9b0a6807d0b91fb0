-- A session's cap follows the balance. It was fixed by the balance at start, so time bought
-- during a session did not count: the sweeper closed the session at the old cap while the
-- user went on talking, and an end billed no more than the old balance. Now the cap is what
-- the balance affords when it is looked at: the sweeper extends a session whose user added
-- time instead of closing it, and an end bills the time observed, at most what the balance
-- affords then, at most the session's limit.

-- The most a session may bill whatever the balance: the persona's limit and the hard maximum.
ALTER TABLE time_sessions ADD COLUMN limit_seconds integer CHECK (limit_seconds >= 0);
-- Sessions live while this runs keep the cap they were started with.
UPDATE time_sessions SET limit_seconds = cap_seconds WHERE status = 'active';

-- time_session_start records the limit and time_session_end works the cap out again from the
-- balance: sql/functions/time-sessions.sql.
