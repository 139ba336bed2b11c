-- What a reference answer alone does not give: the mistakes candidates
-- commonly make, and the questions an interviewer asks next (JSON arrays:
-- strings, and {prompt, answer, answer_html} objects). Built-in questions
-- get them from the bank files.
ALTER TABLE questions ADD COLUMN mistakes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE questions ADD COLUMN follow_ups TEXT NOT NULL DEFAULT '[]';
-- Each follow-up is also a question row of its own (its prompt, its model
-- answer as the reference, no key points), so it can be answered, graded
-- and reviewed like any question. It never appears in the bank's lists,
-- draws or counts: those take only rows without a parent.
ALTER TABLE questions ADD COLUMN parent_id INTEGER REFERENCES questions (id);
ALTER TABLE questions ADD COLUMN follow_up_index INTEGER;
CREATE INDEX questions_follow_ups ON questions (parent_id, follow_up_index) WHERE parent_id IS NOT NULL;
