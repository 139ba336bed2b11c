-- Hiring teams. Sets and authored questions belong to a team; people
-- belong to teams with one role each. Every account that owns a set or
-- authored a question, and every recruiter and admin, gets a personal
-- team holding what they had (its id is theirs: one per person, found
-- again without a lookup), with them as its owner.

CREATE TABLE teams (
    id         BLOB PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE team_members (
    team_id   BLOB NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id   BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('owner', 'recruiter', 'interviewer')),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
) STRICT;
CREATE INDEX team_members_user ON team_members (user_id, joined_at);

-- A single-use invitation: the code is shown once, only its hash is kept.
CREATE TABLE team_invites (
    id         BLOB PRIMARY KEY NOT NULL,
    team_id    BLOB NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    code_hash  BLOB NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'recruiter', 'interviewer')),
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by    BLOB REFERENCES users (id) ON DELETE SET NULL,
    used_at    INTEGER,
    revoked_at INTEGER,
    CONSTRAINT team_invites_code_hash_unique UNIQUE (code_hash)
) STRICT;
CREATE INDEX team_invites_team ON team_invites (team_id, created_at);

-- Who did what, when. The actor's name is copied so the line still reads
-- after they leave or delete their account. `thing` names what an autosaved
-- change was to (a question's slug, an attempt), so repeated saves make one
-- line however its subject (a title being typed) changes.
CREATE TABLE team_activity (
    id         INTEGER PRIMARY KEY,
    team_id    BLOB NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    actor_id   BLOB REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    set_id     BLOB REFERENCES question_sets (id) ON DELETE SET NULL,
    subject    TEXT NOT NULL DEFAULT '',
    thing      TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX team_activity_team ON team_activity (team_id, id);
CREATE INDEX team_activity_set ON team_activity (set_id, id) WHERE set_id IS NOT NULL;

ALTER TABLE users ADD COLUMN current_team_id BLOB REFERENCES teams (id) ON DELETE SET NULL;
ALTER TABLE question_sets ADD COLUMN team_id BLOB REFERENCES teams (id) ON DELETE CASCADE;
-- A team deleted with its last member leaves its questions to the
-- answers and shared sets that point at them, as an author does.
ALTER TABLE questions ADD COLUMN team_id BLOB REFERENCES teams (id) ON DELETE SET NULL;

INSERT INTO teams (id, name, created_at)
SELECT u.id, 'Hiring team', u.created_at FROM users u
WHERE u.is_guest = 0 AND (u.role IN ('recruiter', 'admin')
   OR EXISTS (SELECT 1 FROM question_sets s WHERE s.owner_id = u.id)
   OR EXISTS (SELECT 1 FROM questions q WHERE q.source = 'author' AND q.author_id = u.id));

INSERT INTO team_members (team_id, user_id, role, joined_at)
SELECT id, id, 'owner', created_at FROM teams;

UPDATE users SET current_team_id = id WHERE id IN (SELECT id FROM teams);
UPDATE question_sets SET team_id = owner_id;
UPDATE questions SET team_id = author_id WHERE source = 'author';

CREATE INDEX question_sets_team ON question_sets (team_id, updated_at);
CREATE INDEX questions_team_live ON questions (team_id, archived) WHERE source = 'author';

-- A person's pages show their teams (the switcher): membership moves their
-- data version, as every table of their data does.
CREATE TRIGGER team_members_version_insert AFTER INSERT ON team_members BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER team_members_version_update AFTER UPDATE ON team_members BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER team_members_version_delete AFTER DELETE ON team_members BEGIN
    UPDATE users SET data_version = data_version + 1 WHERE id = OLD.user_id;
END;
