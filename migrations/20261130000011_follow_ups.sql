-- What a reference answer alone does not give: the mistakes candidates
-- commonly make, and the questions an interviewer asks next (JSON arrays:
-- strings, and {prompt, answer, answer_html} objects). Built-in questions
-- get them from the bank files.
ALTER TABLE questions ADD COLUMN mistakes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE questions ADD COLUMN follow_ups TEXT NOT NULL DEFAULT '[]';
