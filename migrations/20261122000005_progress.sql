-- What history filters, re-grading and the dashboard need.

-- Each answer keeps the level and topic its question had when it was asked.
-- Dashboards then read one covering index instead of joining `questions`
-- row by row (100 k joins cost more than the whole 20 ms budget).
ALTER TABLE session_answers ADD COLUMN level TEXT NOT NULL DEFAULT '';
ALTER TABLE session_answers ADD COLUMN topic_id INTEGER NOT NULL DEFAULT 0;
UPDATE session_answers
SET level = (SELECT q.level FROM questions q WHERE q.id = session_answers.question_id),
    topic_id = (SELECT q.topic_id FROM questions q WHERE q.id = session_answers.question_id);

-- Graded answers by time, carrying every column the dashboard aggregates,
-- so each dashboard query is a range scan of this index alone. `graded_at`
-- is the first grading: re-grading changes the grade, not the day it was
-- earned.
CREATE INDEX session_answers_graded ON session_answers (
    user_id, graded_at, self_grade, level, topic_id, question_id, session_id,
    time_spent_ms, started_at, deadline_at, flagged
) WHERE self_grade IS NOT NULL;

-- History filters by level and topic: "does this session hold one?"
CREATE INDEX session_answers_session_level_topic ON session_answers (session_id, level, topic_id);

-- Re-grading and note edits are recorded, never overwritten silently: the
-- answer row holds the current values, this table every earlier one.
CREATE TABLE answer_revisions (
    id         INTEGER PRIMARY KEY,
    session_id BLOB NOT NULL,
    position   INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    old_grade  INTEGER CHECK (old_grade BETWEEN 1 AND 4),
    new_grade  INTEGER CHECK (new_grade BETWEEN 1 AND 4),
    old_note   TEXT NOT NULL,
    new_note   TEXT NOT NULL,
    FOREIGN KEY (session_id, position)
        REFERENCES session_answers (session_id, position) ON DELETE CASCADE
) STRICT;
CREATE INDEX answer_revisions_answer ON answer_revisions (session_id, position, changed_at);
