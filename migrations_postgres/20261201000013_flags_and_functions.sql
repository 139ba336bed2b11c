-- Functions SQLite has built in that the shared queries call, so one SQL
-- text serves both backends. Lists are JSON arrays in TEXT columns and
-- parameters on both; these read them as SQLite's json1 functions do.

-- json_each over a JSON array of scalars: one row per element, its index
-- as `key` and its text as `value` (SQLite's json_each, for arrays).
CREATE FUNCTION json_each(list TEXT) RETURNS TABLE (key BIGINT, value TEXT)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (e.ordinality - 1)::BIGINT, e.value
    FROM json_array_elements_text(list::json) WITH ORDINALITY AS e (value, ordinality)
$$;

-- The length of a JSON array held as text, as a BIGINT (the built-in
-- json_array_length takes json and gives an INTEGER).
CREATE FUNCTION json_array_length(list TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT json_array_length(list::json)::BIGINT
$$;

-- SQLite's scalar max(a, b) and min(a, b): NULL when either is (STRICT),
-- unlike GREATEST and LEAST, which skip NULLs.
CREATE FUNCTION max(a BIGINT, b BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT GREATEST(a, b) $$;

CREATE FUNCTION min(a BIGINT, b BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT LEAST(a, b) $$;

-- A person's data_version moves once per statement, not once per row: a
-- statement that writes many rows of one person (a day recount, a
-- rebuild) would otherwise update their users row once per row in one
-- transaction, each update walking the chain of versions the earlier ones
-- left: quadratic. Statement triggers see the changed rows as transition
-- tables, and PostgreSQL allows those on one event per trigger, hence
-- three triggers a table, named as SQLite's are (`<table>_version_<op>`).
CREATE FUNCTION data_version_by_user_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT user_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION data_version_by_user_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT user_id FROM old_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION data_version_by_user_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT user_id FROM old_rows UNION SELECT user_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION data_version_by_session_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT s.user_id FROM interview_sessions s
                 WHERE s.id IN (SELECT session_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION data_version_by_session_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT s.user_id FROM interview_sessions s
                 WHERE s.id IN (SELECT session_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION data_version_by_session_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT s.user_id FROM interview_sessions s
                 WHERE s.id IN (SELECT session_id FROM old_rows
                                UNION SELECT session_id FROM new_rows));
    RETURN NULL;
END $$;

DO $$
DECLARE
    t RECORD;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('interview_sessions', 'user'), ('session_answers', 'user'),
        ('daily_progress', 'user'), ('question_progress', 'user'),
        ('review_cards', 'user'), ('review_log', 'user'),
        ('review_settings', 'user'), ('interview_plans', 'user'),
        ('answer_revisions', 'session'), ('answer_reviews', 'session')
    ) AS v (name, via)
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t.name || '_version', t.name);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                       t.name || '_version_insert', t.name, 'data_version_by_' || t.via || '_new');
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                       t.name || '_version_update', t.name, 'data_version_by_' || t.via || '_both');
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                       t.name || '_version_delete', t.name, 'data_version_by_' || t.via || '_old');
    END LOOP;
END $$;

DROP FUNCTION data_version_by_user();
DROP FUNCTION data_version_by_session();

-- The same names as SQLite's for the two that were named apart.
ALTER TRIGGER users_version ON users RENAME TO users_version_update;
ALTER TRIGGER questions_version ON questions RENAME TO questions_version_update;
