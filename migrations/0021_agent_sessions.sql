-- The voice agent's side of a persona session: when billing began (both the user and the
-- agent in the room), who joined when, the agent's report (usage, latency, provider cost),
-- rooms the sweeper must still close, and what the user tells a persona about themselves
-- (preferences, and with consent a memory of past calls).

-- Billing starts when the conversation does: at the session's start for a plain session, when
-- the user and the agent are both in the room for a persona session (NULL until then).
ALTER TABLE time_sessions ADD COLUMN billing_started_at timestamptz;
UPDATE time_sessions SET billing_started_at = started_at;
ALTER TABLE time_sessions ADD CONSTRAINT time_sessions_billing_after_start
  CHECK (billing_started_at IS NULL OR billing_started_at >= started_at);
-- The sweeper looks for live sessions past their cap (billing started) or nobody joined (not).
CREATE INDEX time_sessions_billing_idx ON time_sessions (billing_started_at) WHERE status = 'active';

-- quality: what the session gets (a free user asking for 'high' gets 'standard');
-- quality_preference stays what was asked for.
ALTER TABLE persona_sessions
  ADD COLUMN quality text CHECK (quality IN ('low', 'standard', 'high')),
  ADD COLUMN user_joined_at timestamptz,
  ADD COLUMN agent_joined_at timestamptz;
-- Sessions before this got no voice quality at all; 'high' was never granted, so it was standard.
UPDATE persona_sessions SET quality = CASE WHEN quality_preference = 'high' THEN 'standard' ELSE quality_preference END;
ALTER TABLE persona_sessions ALTER COLUMN quality SET NOT NULL;

-- What the agent reported at the end of a call, once per session. Costs are integer
-- micro-dollars computed from usage and the configured provider prices (NULL: no prices).
CREATE TABLE agent_reports (
  time_session_id       text PRIMARY KEY REFERENCES time_sessions (id),
  ended_reason          text NOT NULL CHECK (ended_reason IN ('budget', 'user_left', 'idle', 'no_show', 'error', 'admin')),
  usage                 jsonb NOT NULL,
  latency               jsonb NOT NULL,
  transcript            jsonb,
  provider_cost_micros  bigint CHECK (provider_cost_micros >= 0),
  unpriced_models       text[] NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL
);

-- Rooms to close through LiveKit's room service; a failed call stays here for the next sweep.
CREATE TABLE room_deletions (
  room_name        text PRIMARY KEY,
  requested_at     timestamptz NOT NULL,
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_attempt_at  timestamptz
);

-- Per persona, the rules for each of its user_customizable_fields:
-- {"field": {"values": [...]}} (one of these) or {"field": {"max_length": n}} (free text).
ALTER TABLE personas ADD COLUMN customizable_field_rules jsonb NOT NULL DEFAULT '{}';
UPDATE personas SET customizable_field_rules = r.rules::jsonb FROM (VALUES
  ('mindbot', '{"nickname": {"max_length": 40}, "conversation_style": {"values": ["casual", "balanced", "formal"]}}'),
  ('nova-organizer', '{"planning_horizon": {"values": ["day", "week", "month"]}, "work_hours": {"max_length": 40}}'),
  ('chef-basil', '{"dietary_preferences": {"max_length": 120}, "skill_level": {"values": ["beginner", "intermediate", "advanced"]}}'),
  ('professor-oak-tutor', '{"subject_focus": {"max_length": 80}, "difficulty_level": {"values": ["beginner", "intermediate", "advanced"]}}'),
  ('lingua-amiga', '{"target_language": {"max_length": 40}, "proficiency_level": {"values": ["beginner", "intermediate", "advanced"]}}'),
  ('chronos-historian', '{"era_focus": {"max_length": 80}, "region_focus": {"max_length": 80}}'),
  ('zen-master', '{"session_length": {"values": ["5 minutes", "10 minutes", "15 minutes", "20 minutes"]}, "meditation_style": {"values": ["breathing", "body scan", "visualisation", "loving kindness"]}}'),
  ('coach-kai', '{"fitness_level": {"values": ["beginner", "intermediate", "advanced"]}, "available_equipment": {"max_length": 120}}'),
  ('luna-sleep-stories', '{"story_theme": {"max_length": 80}, "narration_speed": {"values": ["slow", "very slow"]}}'),
  ('sizzlebot', '{"humor_style": {"values": ["observational", "absurd", "dry", "slapstick"]}, "roast_intensity": {"values": ["mild", "medium", "spicy"]}}'),
  ('pixel', '{"favorite_genres": {"max_length": 120}, "difficulty": {"values": ["easy", "normal", "hard"]}}'),
  ('captain-quill', '{"genre": {"values": ["fantasy", "science fiction", "mystery", "pirates", "spooky"]}, "story_tone": {"values": ["lighthearted", "balanced", "dramatic"]}}'),
  ('code-wizard', '{"languages": {"max_length": 120}, "experience_level": {"values": ["beginner", "intermediate", "advanced"]}}'),
  ('debug-duck', '{"languages": {"max_length": 120}, "hint_level": {"values": ["gentle", "direct", "questions only"]}}'),
  ('ava-architect', '{"target_role": {"max_length": 80}, "cloud_provider": {"values": ["aws", "gcp", "azure", "any"]}}')
) AS r (slug, rules) WHERE personas.slug = r.slug;

-- A user's values for a persona's customisable fields (sanitised, moderated, validated).
CREATE TABLE persona_preferences (
  user_id       text NOT NULL REFERENCES users (id),
  persona_slug  text NOT NULL REFERENCES personas (slug),
  preferences   jsonb NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (user_id, persona_slug)
);

-- Memory with consent: off until the user turns it on.
ALTER TABLE users ADD COLUMN memory_enabled boolean NOT NULL DEFAULT false;

-- One short summary per user and persona, written by the agent at the end of a call.
CREATE TABLE persona_memories (
  user_id          text NOT NULL REFERENCES users (id),
  persona_slug     text NOT NULL REFERENCES personas (slug),
  summary          text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
  time_session_id  text REFERENCES time_sessions (id),
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (user_id, persona_slug)
);
