-- Spaced review (FSRS-6). review_cards from the first migration was never
-- written to; it is recreated with the full scheduling state.
DROP TABLE review_cards;
CREATE TABLE review_cards (
    user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id    INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    state          TEXT NOT NULL DEFAULT 'new'
                   CHECK (state IN ('new', 'learning', 'review', 'relearning')),
    due_at         INTEGER NOT NULL,
    stability      REAL NOT NULL DEFAULT 0,
    difficulty     REAL NOT NULL DEFAULT 0,
    reps           INTEGER NOT NULL DEFAULT 0,
    lapses         INTEGER NOT NULL DEFAULT 0,
    last_grade     INTEGER CHECK (last_grade BETWEEN 1 AND 4),
    last_review_at INTEGER,
    leech          INTEGER NOT NULL DEFAULT 0 CHECK (leech IN (0, 1)),
    suspended      INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    buried_until   INTEGER,
    -- Reviews at or before this instant no longer count (a reset).
    reset_at       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, question_id)
) STRICT;
-- The queue and the forecast read only cards that can come up, and find
-- everything they need in the index (the queue sorts thousands of due
-- cards after an absence).
CREATE INDEX review_cards_due
    ON review_cards (user_id, due_at, buried_until, last_review_at, stability, question_id)
    WHERE state <> 'new' AND leech = 0 AND suspended = 0;
CREATE INDEX review_cards_leeches ON review_cards (user_id) WHERE leech = 1;

-- Every grade a person gives their own answer, with the card before and
-- after: the input a per-user FSRS optimization needs, and what the card
-- is rebuilt from when an earlier grade changes.
CREATE TABLE review_log (
    id                INTEGER PRIMARY KEY,
    user_id           BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id       INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    session_id        BLOB NOT NULL,
    position          INTEGER NOT NULL,
    grade             INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
    reviewed_at       INTEGER NOT NULL,
    source            TEXT NOT NULL CHECK (source IN ('interview', 'practice', 'review')),
    elapsed_days      INTEGER,
    state_before      TEXT,
    stability_before  REAL,
    difficulty_before REAL,
    stability_after   REAL,
    difficulty_after  REAL,
    due_after         INTEGER,
    UNIQUE (session_id, position)
) STRICT;
CREATE INDEX review_log_card ON review_log (user_id, question_id, reviewed_at);
CREATE INDEX review_log_user_time ON review_log (user_id, reviewed_at);

CREATE TABLE review_settings (
    user_id            BLOB PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    desired_retention  REAL NOT NULL DEFAULT 0.9 CHECK (desired_retention BETWEEN 0.8 AND 0.97),
    new_per_day        INTEGER NOT NULL DEFAULT 5 CHECK (new_per_day BETWEEN 0 AND 100),
    reviews_per_day    INTEGER NOT NULL DEFAULT 30 CHECK (reviews_per_day BETWEEN 1 AND 500),
    -- 0: grades in practice sessions leave the schedule alone.
    practice_schedules INTEGER NOT NULL DEFAULT 1 CHECK (practice_schedules IN (0, 1)),
    per_question_secs  INTEGER
) STRICT;

CREATE TABLE interview_plans (
    user_id         BLOB PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    starts_on       TEXT NOT NULL,  -- local dates, YYYY-MM-DD
    interview_on    TEXT NOT NULL,
    minutes_per_day INTEGER NOT NULL CHECK (minutes_per_day BETWEEN 5 AND 480),
    levels          TEXT NOT NULL DEFAULT '[]',
    topics          TEXT NOT NULL DEFAULT '[]',
    created_at      INTEGER NOT NULL
) STRICT;

-- Whether the session's grades move the schedule (decided when it starts,
-- so a later settings change does not rewrite what happened), and why it
-- was started.
ALTER TABLE interview_sessions ADD COLUMN schedules INTEGER NOT NULL DEFAULT 1
    CHECK (schedules IN (0, 1));
ALTER TABLE interview_sessions ADD COLUMN purpose TEXT CHECK (purpose IN ('review'));
-- A candidate's run of a recruiter's set is not their own practice.
UPDATE interview_sessions SET schedules = 0 WHERE set_id IS NOT NULL;

-- Grades given before spaced review existed become its history; the cards
-- are replayed from it at start-up (grading::db::rebuild_missing).
INSERT INTO review_log (user_id, question_id, session_id, position, grade, reviewed_at, source)
SELECT a.user_id, a.question_id, a.session_id, a.position, a.self_grade, a.graded_at, s.mode
FROM session_answers a JOIN interview_sessions s ON s.id = a.session_id
WHERE a.self_grade IS NOT NULL AND a.graded_at IS NOT NULL AND s.schedules = 1
ORDER BY a.graded_at;
