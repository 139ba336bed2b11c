-- Rollups that keep the dashboard within its 20 ms budget at 100 k answers
-- per user: scanning even a covering index of every answer in a range cost
-- 50-500 ms (see `make bench`). They are maintained in the same
-- transaction as every grade change (src/dashboard/rollup.rs).

-- Per local day (in the user's time zone) and level: the answer counts and
-- sums behind the calendar, streaks, answers per level and time per answer.
-- Rebuilt for a user when their time zone changes.
CREATE TABLE daily_progress (
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,                -- YYYY-MM-DD, local
    level      TEXT NOT NULL,
    answers    INTEGER NOT NULL,
    grade_sum  INTEGER NOT NULL,
    spent_ms   INTEGER NOT NULL,
    limit_ms   INTEGER NOT NULL,             -- over the timed answers only
    timed      INTEGER NOT NULL,
    over_limit INTEGER NOT NULL,
    PRIMARY KEY (user_id, day, level)
) STRICT, WITHOUT ROWID;

-- Per question: the latest grade, for mastery and weakest questions.
CREATE TABLE question_progress (
    user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id    INTEGER NOT NULL REFERENCES questions (id),
    level          TEXT NOT NULL,
    topic_id       INTEGER NOT NULL,
    attempts       INTEGER NOT NULL,
    last_grade     INTEGER NOT NULL CHECK (last_grade BETWEEN 1 AND 4),
    last_graded_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, question_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX question_progress_recent ON question_progress (user_id, last_graded_at);

-- Per session: the graded answers' count and sum, for the score trend.
ALTER TABLE interview_sessions ADD COLUMN graded_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE interview_sessions ADD COLUMN grade_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE interview_sessions ADD COLUMN first_graded_at INTEGER;
CREATE INDEX interview_sessions_graded ON interview_sessions (user_id, first_graded_at)
    WHERE first_graded_at IS NOT NULL;

-- Flagged answers are few: their own small index.
CREATE INDEX session_answers_flagged ON session_answers (user_id, graded_at, question_id, self_grade)
    WHERE flagged = 1 AND self_grade IS NOT NULL;

-- Backfill from what is already graded. Days are taken in UTC here; the
-- server rebuilds a user's days whenever their time zone is saved.
INSERT INTO daily_progress
SELECT user_id, date(graded_at / 1000, 'unixepoch'), level, count(*), sum(self_grade),
       sum(coalesce(time_spent_ms, 0)), sum(coalesce(deadline_at - started_at, 0)), count(deadline_at),
       sum(deadline_at IS NOT NULL AND time_spent_ms > deadline_at - started_at)
FROM session_answers WHERE self_grade IS NOT NULL
GROUP BY 1, 2, 3;

INSERT INTO question_progress
SELECT user_id, question_id, level, topic_id, count(*), self_grade, max(graded_at)
FROM session_answers WHERE self_grade IS NOT NULL
GROUP BY user_id, question_id;

UPDATE interview_sessions SET
    graded_count = (SELECT count(*) FROM session_answers a
                    WHERE a.session_id = interview_sessions.id AND a.self_grade IS NOT NULL),
    grade_sum = coalesce((SELECT sum(self_grade) FROM session_answers a
                          WHERE a.session_id = interview_sessions.id), 0),
    first_graded_at = (SELECT min(graded_at) FROM session_answers a
                       WHERE a.session_id = interview_sessions.id AND a.self_grade IS NOT NULL);
