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
