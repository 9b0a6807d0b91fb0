-- How the time service renders seconds and timestamps inside the bodies SQL builds.
--
-- SQL functions of one expression are inlined into the query that calls them, so they cost
-- no more than the expression; a FROM clause, or a volatility stricter than the body's, stops
-- that and each call then runs an executor of its own (≈ 50 µs for a time_round2 with a FROM).

-- Seconds as minutes (divisor 60) or hours (3600) with two decimals, in float8 exactly as the
-- TypeScript renders them (toMinutes/toHours in src/services/time/ledger.ts), so bodies agree.
CREATE OR REPLACE FUNCTION time_round2(p_seconds bigint, p_divisor integer)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
  SELECT (floor(p_seconds::float8 / p_divisor * 100)
          + CASE WHEN p_seconds::float8 / p_divisor * 100 - floor(p_seconds::float8 / p_divisor * 100) >= 0.5::float8
                 THEN 1 ELSE 0 END) / 100
$$;

-- A timestamp as JavaScript's Date#toISOString writes it (UTC, milliseconds truncated, 'Z').
-- STABLE like to_char itself, so that it is inlined.
CREATE OR REPLACE FUNCTION time_iso(p timestamptz)
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
