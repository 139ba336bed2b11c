-- The queries now say TRUE and FALSE, which both backends read, where they
-- said 1 and 0. SQLite only uses a partial index when the query's terms
-- match the index's WHERE as written, so the partial indexes over flags
-- are made again with TRUE and FALSE (same columns, same rows).
--
-- PostgreSQL's migration 13, of the same version, defines functions SQLite
-- has built in (json_each and json_array_length over text, scalar max and
-- min), so that the shared queries read the same on both, and moves its
-- data_version triggers from rows to statements (SQLite updates a row in
-- place, so its row triggers stay).

DROP INDEX session_answers_flagged;
CREATE INDEX session_answers_flagged ON session_answers (user_id, graded_at, question_id, self_grade)
    WHERE flagged = TRUE AND self_grade IS NOT NULL;

DROP INDEX users_idle_guests;
CREATE INDEX users_idle_guests ON users (last_seen_at) WHERE is_guest = TRUE;

DROP INDEX review_cards_due;
CREATE INDEX review_cards_due
    ON review_cards (user_id, due_at, buried_until, last_review_at, stability, question_id)
    WHERE state <> 'new' AND leech = FALSE AND suspended = FALSE;

DROP INDEX review_cards_leeches;
CREATE INDEX review_cards_leeches ON review_cards (user_id) WHERE leech = TRUE;
