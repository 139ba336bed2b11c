-- Every person's data has a version, bumped by the database itself in the
-- same transaction as any change to what their own pages show. A kept copy
-- of a personal page (server/page_cache.rs) is keyed by it, so a copy is
-- never served after the data under it changed: however the change was
-- made, by whichever instance. Triggers rather than application code so
-- that no write path, present or future, can forget.
ALTER TABLE users ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER interview_sessions_version_insert AFTER INSERT ON interview_sessions BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER interview_sessions_version_update AFTER UPDATE ON interview_sessions BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER interview_sessions_version_delete AFTER DELETE ON interview_sessions BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER session_answers_version_insert AFTER INSERT ON session_answers BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER session_answers_version_update AFTER UPDATE ON session_answers BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER session_answers_version_delete AFTER DELETE ON session_answers BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER daily_progress_version_insert AFTER INSERT ON daily_progress BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER daily_progress_version_update AFTER UPDATE ON daily_progress BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER daily_progress_version_delete AFTER DELETE ON daily_progress BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER question_progress_version_insert AFTER INSERT ON question_progress BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER question_progress_version_update AFTER UPDATE ON question_progress BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER question_progress_version_delete AFTER DELETE ON question_progress BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER review_cards_version_insert AFTER INSERT ON review_cards BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER review_cards_version_update AFTER UPDATE ON review_cards BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER review_cards_version_delete AFTER DELETE ON review_cards BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER review_log_version_insert AFTER INSERT ON review_log BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER review_log_version_update AFTER UPDATE ON review_log BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER review_log_version_delete AFTER DELETE ON review_log BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER review_settings_version_insert AFTER INSERT ON review_settings BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER review_settings_version_update AFTER UPDATE ON review_settings BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER review_settings_version_delete AFTER DELETE ON review_settings BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER interview_plans_version_insert AFTER INSERT ON interview_plans BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER interview_plans_version_update AFTER UPDATE ON interview_plans BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER interview_plans_version_delete AFTER DELETE ON interview_plans BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
CREATE TRIGGER answer_revisions_version_insert AFTER INSERT ON answer_revisions BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM interview_sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER answer_revisions_version_update AFTER UPDATE ON answer_revisions BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM interview_sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER answer_revisions_version_delete AFTER DELETE ON answer_revisions BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM interview_sessions WHERE id = OLD.session_id);
END;
CREATE TRIGGER answer_reviews_version_insert AFTER INSERT ON answer_reviews BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM interview_sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER answer_reviews_version_update AFTER UPDATE ON answer_reviews BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM interview_sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER answer_reviews_version_delete AFTER DELETE ON answer_reviews BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id = (SELECT user_id FROM interview_sessions WHERE id = OLD.session_id);
END;
-- What the person's own pages show of their account.
CREATE TRIGGER users_version_update AFTER UPDATE OF username, role, is_guest, time_zone, hide_streaks ON users
BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.id;
END;
-- A question's wording, address or level shows on the pages of everyone who
-- answered it (built-in questions change only when the bank file does).
CREATE TRIGGER questions_version_update AFTER UPDATE OF prompt, slug, level, topic_id, archived ON questions
WHEN OLD.prompt IS NOT NEW.prompt OR OLD.slug IS NOT NEW.slug OR OLD.level IS NOT NEW.level
  OR OLD.topic_id IS NOT NEW.topic_id OR OLD.archived IS NOT NEW.archived
BEGIN
    UPDATE users SET data_version = data_version + 1
    WHERE id IN (SELECT user_id FROM session_answers WHERE question_id = NEW.id
                 UNION SELECT user_id FROM review_cards WHERE question_id = NEW.id);
END;
