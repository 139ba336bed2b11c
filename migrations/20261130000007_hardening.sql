-- Hardening (issue 9).

-- Rate limits and login throttling live in the database, so that every app
-- instance sees the same counts and a restart forgets nothing. One row per
-- counted event; `key` names the limit and who it counts ("login-user:ada",
-- "register:203.0.113.7"). Rows older than the longest window are purged.
CREATE TABLE throttle_events (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
) STRICT;
CREATE INDEX throttle_events_key ON throttle_events (key, at);
CREATE INDEX throttle_events_at ON throttle_events (at);

-- When the user was last seen (refreshed with the login session), so that
-- guests idle past the retention period can be purged.
ALTER TABLE users ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET last_seen_at = coalesce(
    (SELECT max(s.last_seen_at) FROM auth_sessions s WHERE s.user_id = users.id),
    created_at);
CREATE INDEX users_idle_guests ON users (last_seen_at) WHERE is_guest = 1;

-- Each autosave carries a revision that only goes up: a save older than
-- the stored one (late on the network, or from another tab) is refused.
-- `draft_editor` names the browser tab that wrote the stored draft, so a
-- refusal can say whether another tab is editing the same answer.
ALTER TABLE session_answers ADD COLUMN draft_rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session_answers ADD COLUMN draft_editor TEXT NOT NULL DEFAULT '';
