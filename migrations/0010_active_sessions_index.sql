-- time_session_start counts the user's live sessions (the one-live-session rule). Without an
-- index of its own that count read the user's whole session history through a bitmap of two
-- indexes, so starting a session grew slower the more sessions a user had ever had.
CREATE INDEX time_sessions_user_active_idx ON time_sessions (user_id) WHERE status = 'active';
