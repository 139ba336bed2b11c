-- A submitted answer's Markdown, rendered once when it is submitted and
-- kept, so that reading it (the runner, history, a recruiter's report)
-- never renders again. NULL until rendered: answers submitted before this
-- migration, or submitted by the clock, are rendered the first time they
-- are read, outside any transaction, and stored then.
ALTER TABLE session_answers ADD COLUMN answer_rendered TEXT;

-- A session the recruiter ended by revoking its link: the candidate's
-- answers so far were kept and submitted; later saves say why they fail.
ALTER TABLE interview_sessions ADD COLUMN closed_by_recruiter BOOLEAN NOT NULL DEFAULT FALSE;
