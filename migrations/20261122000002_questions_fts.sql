-- Full-text index over the bank. External-content FTS5 table: the text lives
-- once, in `questions`; triggers keep the index in step with every change.
-- unicode61 without stemming so that prefix queries ("cach*") behave as a
-- person typing expects; prefix indexes make those prefix queries cheap.
CREATE VIRTUAL TABLE questions_fts USING fts5 (
    prompt,
    reference_answer,
    key_points,
    content = 'questions',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER questions_fts_insert AFTER INSERT ON questions BEGIN
    INSERT INTO questions_fts (rowid, prompt, reference_answer, key_points)
    VALUES (new.id, new.prompt, new.reference_answer, new.key_points);
END;

CREATE TRIGGER questions_fts_delete AFTER DELETE ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, prompt, reference_answer, key_points)
    VALUES ('delete', old.id, old.prompt, old.reference_answer, old.key_points);
END;

CREATE TRIGGER questions_fts_update AFTER UPDATE OF prompt, reference_answer, key_points ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, prompt, reference_answer, key_points)
    VALUES ('delete', old.id, old.prompt, old.reference_answer, old.key_points);
    INSERT INTO questions_fts (rowid, prompt, reference_answer, key_points)
    VALUES (new.id, new.prompt, new.reference_answer, new.key_points);
END;
