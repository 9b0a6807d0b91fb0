-- Rooms: which user a LiveKit room belongs to. A row is created when a user first takes a
-- token for a room (POST /auth/token), starts a time session in it, or starts a persona
-- session; its id is the `session_id` POST /auth/token returns.
CREATE TABLE voice_sessions (
  id          bigserial PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  room_name   text NOT NULL UNIQUE CHECK (room_name ~ '^[A-Za-z0-9_.:-]{1,128}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voice_sessions_user_idx ON voice_sessions (user_id);
