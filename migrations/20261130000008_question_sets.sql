-- Recruiters' question sets (issue 10): authored questions, set details,
-- and versions, so that what a candidate saw is never rewritten.

-- Every change to a question's content gets a new revision, and every
-- revision is kept in question_versions: answers and set snapshots point at
-- (question_id, revision), so editing a question (a recruiter's, or the
-- bank's through a release) never changes what someone already saw or what
-- their ticked key points meant.
ALTER TABLE questions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
-- A recruiter's note to reviewers (never shown to candidates).
ALTER TABLE questions ADD COLUMN reviewer_note TEXT NOT NULL DEFAULT '';
CREATE INDEX questions_author_live ON questions (author_id, archived) WHERE source = 'author';

CREATE TABLE question_versions (
    question_id      INTEGER NOT NULL REFERENCES questions (id),
    revision         INTEGER NOT NULL,
    prompt           TEXT NOT NULL,
    reference_answer TEXT NOT NULL,
    answer_html      TEXT NOT NULL,
    key_points       TEXT NOT NULL,
    level            TEXT NOT NULL,
    topic_id         INTEGER NOT NULL REFERENCES topics (id),
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (question_id, revision)
) STRICT;

INSERT INTO question_versions
    (question_id, revision, prompt, reference_answer, answer_html, key_points, level, topic_id, created_at)
SELECT id, revision, prompt, reference_answer, answer_html, key_points, level, topic_id, updated_at
FROM questions;

CREATE TRIGGER question_versions_insert AFTER INSERT ON questions BEGIN
    INSERT INTO question_versions
        (question_id, revision, prompt, reference_answer, answer_html, key_points, level, topic_id, created_at)
    VALUES (new.id, new.revision, new.prompt, new.reference_answer, new.answer_html,
            new.key_points, new.level, new.topic_id, new.updated_at);
END;

-- A content change bumps the revision and keeps the new text as a version.
-- (Recursive triggers are off, so the inner UPDATE does not fire this again.)
CREATE TRIGGER question_versions_update AFTER UPDATE OF prompt, reference_answer, answer_html, key_points, level, topic_id ON questions
WHEN old.prompt IS NOT new.prompt OR old.reference_answer IS NOT new.reference_answer
  OR old.answer_html IS NOT new.answer_html OR old.key_points IS NOT new.key_points
  OR old.level IS NOT new.level OR old.topic_id IS NOT new.topic_id
BEGIN
    UPDATE questions SET revision = old.revision + 1 WHERE id = new.id;
    INSERT INTO question_versions
        (question_id, revision, prompt, reference_answer, answer_html, key_points, level, topic_id, created_at)
    VALUES (new.id, old.revision + 1, new.prompt, new.reference_answer, new.answer_html,
            new.key_points, new.level, new.topic_id, new.updated_at);
END;

-- Which revision each answer's question was at when the session drew it.
ALTER TABLE session_answers ADD COLUMN question_revision INTEGER NOT NULL DEFAULT 1;

-- Set details. `description` holds the instructions to candidates
-- (Markdown). `share_code` from the first schema is unused: share links get
-- their own table; new sets fill it with a random value.
ALTER TABLE question_sets ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE question_sets ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
ALTER TABLE question_sets ADD COLUMN shuffle INTEGER NOT NULL DEFAULT 0 CHECK (shuffle IN (0, 1));
-- The editor's autosave revision: only increasing saves are accepted.
ALTER TABLE question_sets ADD COLUMN edit_rev INTEGER NOT NULL DEFAULT 0;
-- The newest frozen version (0: never frozen).
ALTER TABLE question_sets ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
UPDATE question_sets SET updated_at = created_at;

-- A per-question time limit overriding the set's default.
ALTER TABLE question_set_items ADD COLUMN per_question_secs INTEGER;

-- A set frozen as candidates take it: settings and the exact question
-- revisions, in order. Created when a set is shared, and again whenever it
-- changes after that.
CREATE TABLE set_versions (
    set_id            BLOB NOT NULL REFERENCES question_sets (id) ON DELETE CASCADE,
    version           INTEGER NOT NULL,
    title             TEXT NOT NULL,
    instructions      TEXT NOT NULL,
    mode              TEXT NOT NULL CHECK (mode IN ('practice', 'interview')),
    per_question_secs INTEGER,
    total_secs        INTEGER,
    shuffle           INTEGER NOT NULL CHECK (shuffle IN (0, 1)),
    content_hash      TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (set_id, version)
) STRICT;

CREATE TABLE set_version_items (
    set_id            BLOB NOT NULL,
    version           INTEGER NOT NULL,
    position          INTEGER NOT NULL,
    question_id       INTEGER NOT NULL,
    question_revision INTEGER NOT NULL,
    per_question_secs INTEGER,
    PRIMARY KEY (set_id, version, position),
    FOREIGN KEY (set_id, version) REFERENCES set_versions (set_id, version) ON DELETE CASCADE,
    FOREIGN KEY (question_id, question_revision) REFERENCES question_versions (question_id, revision)
) STRICT;
CREATE INDEX set_version_items_question ON set_version_items (question_id);
