-- Sharing sets with candidates (issue 11): links, attempts, reviews.

-- A share link freezes one version of a set. Its code (>= 128 random bits)
-- is looked up by its SHA-256 hash and then compared in constant time; the
-- code itself is kept so the owner can copy the link again.
CREATE TABLE share_links (
    id             BLOB PRIMARY KEY NOT NULL,
    set_id         BLOB NOT NULL REFERENCES question_sets (id) ON DELETE CASCADE,
    set_version    INTEGER NOT NULL,
    code           TEXT NOT NULL,
    code_hash      BLOB NOT NULL,
    label          TEXT NOT NULL DEFAULT '',
    expires_at     INTEGER,
    max_candidates INTEGER CHECK (max_candidates IS NULL OR max_candidates > 0),
    state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'revoked')),
    created_at     INTEGER NOT NULL,
    CONSTRAINT share_links_code_hash_unique UNIQUE (code_hash),
    FOREIGN KEY (set_id, set_version) REFERENCES set_versions (set_id, version)
) STRICT;
CREATE INDEX share_links_set ON share_links (set_id, created_at);

-- Which set version a session was drawn from (NULL: practice).
ALTER TABLE interview_sessions ADD COLUMN set_version INTEGER;
-- A question's own time limit in a set, overriding the session's.
ALTER TABLE session_answers ADD COLUMN limit_secs INTEGER;

-- One candidate's run of one link. The session holds the answers; when the
-- candidate deletes their account the session goes, the attempt stays with
-- no session and no name, and results say the candidate deleted their data.
CREATE TABLE candidate_attempts (
    id             BLOB PRIMARY KEY NOT NULL,
    link_id        BLOB NOT NULL REFERENCES share_links (id) ON DELETE CASCADE,
    session_id     BLOB UNIQUE REFERENCES interview_sessions (id) ON DELETE SET NULL,
    user_id        BLOB REFERENCES users (id) ON DELETE SET NULL,
    display_name   TEXT NOT NULL,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    hidden_count   INTEGER NOT NULL DEFAULT 0,
    hidden_ms      INTEGER NOT NULL DEFAULT 0,
    paste_count    INTEGER NOT NULL DEFAULT 0,
    paste_chars    INTEGER NOT NULL DEFAULT 0,
    review_status  TEXT NOT NULL DEFAULT 'new' CHECK (review_status IN ('new', 'in_review', 'reviewed')),
    recommendation TEXT CHECK (recommendation IS NULL OR recommendation IN ('no', 'maybe', 'yes')),
    recommendation_note TEXT NOT NULL DEFAULT '',
    CONSTRAINT candidate_attempts_once UNIQUE (link_id, user_id)
) STRICT;
CREATE INDEX candidate_attempts_link ON candidate_attempts (link_id, started_at);

CREATE TRIGGER candidate_attempts_forget AFTER DELETE ON interview_sessions BEGIN
    UPDATE candidate_attempts SET display_name = '', session_id = NULL
    WHERE session_id = old.id OR (session_id IS NULL AND display_name <> '');
END;

-- A reviewer's view of one answer: their ticks, grade and comment.
CREATE TABLE answer_reviews (
    session_id     BLOB NOT NULL,
    position       INTEGER NOT NULL,
    reviewer_id    BLOB REFERENCES users (id) ON DELETE SET NULL,
    key_points_hit TEXT NOT NULL DEFAULT '[]',
    grade          INTEGER CHECK (grade IS NULL OR grade BETWEEN 1 AND 4),
    comment        TEXT NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (session_id, position),
    FOREIGN KEY (session_id, position) REFERENCES session_answers (session_id, position) ON DELETE CASCADE
) STRICT;

-- Per-set choices, frozen with each version: candidates may take the set
-- without ever seeing reference answers or key points (they grade
-- themselves by their own judgement), and may see the reviewer's grades and
-- comments once given.
ALTER TABLE question_sets ADD COLUMN hide_reference INTEGER NOT NULL DEFAULT 0 CHECK (hide_reference IN (0, 1));
ALTER TABLE question_sets ADD COLUMN share_feedback INTEGER NOT NULL DEFAULT 0 CHECK (share_feedback IN (0, 1));
ALTER TABLE set_versions ADD COLUMN hide_reference INTEGER NOT NULL DEFAULT 0 CHECK (hide_reference IN (0, 1));
ALTER TABLE set_versions ADD COLUMN share_feedback INTEGER NOT NULL DEFAULT 0 CHECK (share_feedback IN (0, 1));
