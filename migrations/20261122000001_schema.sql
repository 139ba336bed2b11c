-- Rehearse schema, first version. Conventions:
--   * ids of user-owned records are UUIDs stored as 16-byte BLOBs (sqlx's
--     native encoding); bank rows use INTEGER keys so FTS5 can index them.
--   * timestamps are INTEGER milliseconds since the Unix epoch, UTC.
--   * lists (levels, topics, key points) are JSON arrays in TEXT columns.
--   * every table is STRICT, so a wrong type is an error, not a surprise.

CREATE TABLE users (
    id            BLOB PRIMARY KEY NOT NULL,
    username      TEXT NOT NULL COLLATE NOCASE,
    password_hash TEXT,                          -- NULL for guests
    role          TEXT NOT NULL DEFAULT 'candidate'
                  CHECK (role IN ('candidate', 'recruiter', 'admin')),
    is_guest      INTEGER NOT NULL DEFAULT 0 CHECK (is_guest IN (0, 1)),
    time_zone     TEXT NOT NULL DEFAULT 'UTC',
    hide_streaks  INTEGER NOT NULL DEFAULT 0 CHECK (hide_streaks IN (0, 1)),
    created_at    INTEGER NOT NULL,
    CONSTRAINT users_username_unique UNIQUE (username)
) STRICT;

CREATE TABLE auth_sessions (
    token_hash   BLOB PRIMARY KEY NOT NULL,      -- SHA-256 of the cookie token
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);

CREATE TABLE topics (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    behavioral INTEGER NOT NULL DEFAULT 0 CHECK (behavioral IN (0, 1))
) STRICT;

CREATE TABLE questions (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL,
    topic_id         INTEGER NOT NULL REFERENCES topics (id),
    level            TEXT NOT NULL CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    prompt           TEXT NOT NULL,
    reference_answer TEXT NOT NULL,              -- Markdown source
    answer_html      TEXT NOT NULL,              -- sanitized HTML rendered from it
    key_points       TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    source           TEXT NOT NULL CHECK (source IN ('builtin', 'author')),
    author_id        BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    archived         INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    CONSTRAINT questions_slug_unique UNIQUE (slug)
) STRICT;
CREATE INDEX questions_browse ON questions (archived, level, topic_id);
CREATE INDEX questions_topic ON questions (topic_id);
CREATE INDEX questions_author ON questions (author_id) WHERE author_id IS NOT NULL;

CREATE TABLE question_sets (
    id                BLOB PRIMARY KEY NOT NULL,
    owner_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    mode              TEXT NOT NULL DEFAULT 'interview' CHECK (mode IN ('practice', 'interview')),
    per_question_secs INTEGER,
    total_secs        INTEGER,
    share_code        TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    CONSTRAINT question_sets_share_code_unique UNIQUE (share_code)
) STRICT;
CREATE INDEX question_sets_owner ON question_sets (owner_id, created_at);

CREATE TABLE question_set_items (
    set_id      BLOB NOT NULL REFERENCES question_sets (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    PRIMARY KEY (set_id, position)
) STRICT;
CREATE INDEX question_set_items_question ON question_set_items (question_id);

CREATE TABLE interview_sessions (
    id                BLOB PRIMARY KEY NOT NULL,  -- UUID v7: time-ordered
    user_id           BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    set_id            BLOB REFERENCES question_sets (id) ON DELETE SET NULL,
    mode              TEXT NOT NULL CHECK (mode IN ('practice', 'interview')),
    levels            TEXT NOT NULL DEFAULT '[]',
    topics            TEXT NOT NULL DEFAULT '[]',
    per_question_secs INTEGER,
    total_secs        INTEGER,
    started_at        INTEGER NOT NULL,
    deadline_at       INTEGER,
    finished_at       INTEGER,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished', 'abandoned'))
) STRICT;
CREATE INDEX interview_sessions_user ON interview_sessions (user_id, started_at);
CREATE INDEX interview_sessions_set ON interview_sessions (set_id) WHERE set_id IS NOT NULL;

CREATE TABLE session_answers (
    session_id     BLOB NOT NULL REFERENCES interview_sessions (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- denormalized for dashboards
    question_id    INTEGER NOT NULL REFERENCES questions (id),
    draft          TEXT NOT NULL DEFAULT '',
    draft_saved_at INTEGER,
    answer         TEXT,
    started_at     INTEGER,
    deadline_at    INTEGER,
    submitted_at   INTEGER,
    time_spent_ms  INTEGER,
    timed_out      INTEGER NOT NULL DEFAULT 0 CHECK (timed_out IN (0, 1)),
    self_grade     INTEGER CHECK (self_grade BETWEEN 1 AND 4),
    key_points_hit TEXT NOT NULL DEFAULT '[]',   -- JSON array of key point indexes
    flagged        INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    note           TEXT NOT NULL DEFAULT '',
    graded_at      INTEGER,
    PRIMARY KEY (session_id, position)
) STRICT;
CREATE INDEX session_answers_user_time ON session_answers (user_id, submitted_at);
CREATE INDEX session_answers_user_question ON session_answers (user_id, question_id);
CREATE INDEX session_answers_question ON session_answers (question_id);

CREATE TABLE review_cards (
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    due_at      INTEGER NOT NULL,
    stability   REAL NOT NULL,
    difficulty  REAL NOT NULL,
    reps        INTEGER NOT NULL DEFAULT 0,
    lapses      INTEGER NOT NULL DEFAULT 0,
    last_grade  INTEGER CHECK (last_grade BETWEEN 1 AND 4),
    PRIMARY KEY (user_id, question_id)
) STRICT;
CREATE INDEX review_cards_due ON review_cards (user_id, due_at);
