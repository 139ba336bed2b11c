-- What the session runner needs beyond the first schema.
ALTER TABLE interview_sessions ADD COLUMN question_count INTEGER NOT NULL DEFAULT 0;
-- Practice mode only: the timer can be paused or switched off.
ALTER TABLE interview_sessions ADD COLUMN paused_at INTEGER;
ALTER TABLE interview_sessions ADD COLUMN timer_off INTEGER NOT NULL DEFAULT 0 CHECK (timer_off IN (0, 1));
-- The position currently being answered or reviewed.
ALTER TABLE interview_sessions ADD COLUMN current_position INTEGER NOT NULL DEFAULT 0;

-- How far past its deadline an answer was submitted (practice mode).
ALTER TABLE session_answers ADD COLUMN overtime_ms INTEGER NOT NULL DEFAULT 0;

CREATE INDEX interview_sessions_active ON interview_sessions (user_id, status);
