//! Server functions for question sets and authored questions. Recruiters
//! (and admins, who hold every role) only: anyone else is refused with 403,
//! and another team's set or question is "not found".

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;
use crate::questions::types::{QuestionFilter, QuestionList};

#[cfg(feature = "ssr")]
use crate::teams::authz::recruiter;

#[cfg(feature = "ssr")]
fn set_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AppError::NotFound("That set".into()))
}

#[cfg(feature = "ssr")]
fn check(problems: Vec<crate::error::FieldError>) -> Result<(), AppError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

/// The caller's sets (every set, for an admin), live ones first.
#[server(endpoint = "sets/list")]
pub async fn list_sets() -> Result<Vec<SetSummary>, AppError> {
    let r = recruiter().await?;
    let tz = crate::accounts::db::user_zone(&r.pool, r.id).await?;
    Ok(super::db::list_sets(&r.pool, r.viewer(), &tz).await?)
}

/// Makes an empty set and returns its id.
#[server(endpoint = "sets/create")]
pub async fn create_set(title: String) -> Result<String, AppError> {
    let r = recruiter().await?;
    let title = title.trim();
    let title = if title.is_empty() {
        "Untitled set"
    } else {
        title
    };
    if title.chars().count() > TITLE_MAX {
        return Err(AppError::invalid(
            "title",
            format!("Keep the title under {TITLE_MAX} characters."),
        ));
    }
    let id = super::db::create_set(&r.pool, r.viewer(), title, r.now).await?;
    Ok(id.to_string())
}

#[server(endpoint = "sets/get")]
pub async fn get_set(id: String) -> Result<SetDetail, AppError> {
    let r = recruiter().await?;
    super::db::set_detail(&r.pool, set_id(&id)?, r.viewer()).await
}

/// The editor's autosave: the whole draft, with a revision that must be
/// newer than the stored one. Returns the set as now stored.
#[server(endpoint = "sets/save")]
pub async fn save_set(id: String, draft: SetDraft, rev: u32) -> Result<SetDetail, AppError> {
    let r = recruiter().await?;
    check(draft.problems())?;
    let id = set_id(&id)?;
    super::db::save_set(&r.pool, id, r.viewer(), &draft, rev, r.now).await?;
    super::db::set_detail(&r.pool, id, r.viewer()).await
}

/// The set's lines of its team's activity log, newest first.
#[server(endpoint = "sets/activity")]
pub async fn set_activity(id: String) -> Result<Vec<crate::teams::types::ActivityLine>, AppError> {
    let r = recruiter().await?;
    let id = set_id(&id)?;
    // Only for those who may read the set (404 otherwise).
    super::db::set_detail(&r.pool, id, r.viewer()).await?;
    let tz = crate::accounts::db::user_zone(&r.pool, r.id).await?;
    Ok(crate::teams::db::set_activity(&r.pool, id, &tz).await?)
}

#[server(endpoint = "sets/duplicate")]
pub async fn duplicate_set(id: String) -> Result<String, AppError> {
    let r = recruiter().await?;
    let copy = super::db::duplicate_set(&r.pool, set_id(&id)?, r.viewer(), r.now).await?;
    Ok(copy.to_string())
}

/// Archives a set (or restores it). Sets are never deleted.
#[server(endpoint = "sets/archive")]
pub async fn archive_set(id: String, archived: bool) -> Result<(), AppError> {
    let r = recruiter().await?;
    super::db::archive_set(&r.pool, set_id(&id)?, r.viewer(), archived, r.now).await
}

/// The caller's own live questions, searched as the bank is.
#[server(endpoint = "sets/questions/search")]
pub async fn search_own_questions(filter: QuestionFilter) -> Result<QuestionList, AppError> {
    use crate::questions::db::{list_in, Scope};
    let r = recruiter().await?;
    Ok(list_in(&r.pool, &filter, Scope::Own(r.team)).await?)
}

/// What the set editor's picker offers: the bank and the caller's own
/// questions, with the bank's filters and search.
#[server(endpoint = "sets/pick")]
pub async fn pick_questions(filter: QuestionFilter) -> Result<QuestionList, AppError> {
    use crate::questions::db::{list_in, Scope};
    let r = recruiter().await?;
    Ok(list_in(&r.pool, &filter, Scope::BankAndOwn(r.team)).await?)
}

/// Every question the caller wrote, archived ones last.
#[server(endpoint = "sets/questions/all")]
pub async fn all_own_questions() -> Result<Vec<OwnQuestion>, AppError> {
    let r = recruiter().await?;
    Ok(super::db::all_own_questions(&r.pool, r.team).await?)
}

#[server(endpoint = "sets/questions/get")]
pub async fn get_own_question(slug: String) -> Result<OwnQuestion, AppError> {
    let r = recruiter().await?;
    super::db::own_question(&r.pool, r.team, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("That question".into()))
}

/// Creates a question (empty `slug`) or saves an edit; returns its slug.
#[server(endpoint = "sets/questions/save")]
pub async fn save_own_question(slug: String, input: QuestionInput) -> Result<String, AppError> {
    let r = recruiter().await?;
    let input = input.tidy();
    check(input.problems())?;
    // Rendered before the write, off the async workers.
    let html = crate::questions::markdown::render_apart(input.reference_answer.clone())
        .await
        .ok_or(AppError::Internal)?;
    if slug.is_empty() {
        super::db::create_own_question(&r.pool, r.viewer(), &input, &html, r.now).await
    } else {
        super::db::update_question(&r.pool, r.viewer(), &slug, &input, &html, r.now).await?;
        Ok(slug)
    }
}

#[server(endpoint = "sets/questions/archive")]
pub async fn archive_own_question(slug: String, archived: bool) -> Result<(), AppError> {
    let r = recruiter().await?;
    super::db::archive_question(&r.pool, r.team, &slug, archived, r.now).await
}

/// The reference answer as candidates will see it: rendered and sanitized
/// on the server, exactly as the bank's, so the browser needs no Markdown
/// code of its own.
#[server(endpoint = "sets/preview")]
pub async fn preview_markdown(text: String) -> Result<String, AppError> {
    recruiter().await?;
    if text.chars().count() > ANSWER_MAX.max(INSTRUCTIONS_MAX) {
        return Err(AppError::invalid(
            "text",
            "That text is too long to preview.",
        ));
    }
    crate::questions::markdown::render_apart(text)
        .await
        .ok_or(AppError::Internal)
}

/// An import file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportFormat {
    Json,
    Csv,
}

/// What an import would create (or did): shown before anything is written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub set_title: Option<String>,
    /// (prompt, level label, topic, from the bank?) of each question.
    pub questions: Vec<(String, String, String, bool)>,
    /// Located problems; nothing is written while there are any.
    pub errors: Vec<(String, String)>,
    /// After `commit`: where the imported set is, if the file held one.
    pub set_id: Option<String>,
    pub committed: bool,
}

/// Reads an import file and reports what it holds; with `commit`, writes
/// it too, in one transaction. A file with any problem writes nothing.
#[server(endpoint = "sets/import", input = leptos::server_fn::codec::Json)]
pub async fn import_file(
    format: ImportFormat,
    content: String,
    commit: bool,
) -> Result<ImportReport, AppError> {
    use super::transfer;
    let r = recruiter().await?;
    // Parsing, checking and rendering are CPU work: done off the async
    // workers, before the write turn, which then only inserts.
    let prepared = tokio::task::spawn_blocking(move || {
        let parsed = match format {
            ImportFormat::Json => transfer::from_json(&content),
            ImportFormat::Csv => transfer::from_csv(&content),
        };
        parsed.map(|t| {
            let html: Vec<String> = t
                .questions
                .iter()
                .map(|q| crate::questions::markdown::render(&q.question.reference_answer))
                .collect();
            (t, html)
        })
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "reading an import failed");
        AppError::Internal
    })?;
    let (t, html) = match prepared {
        Ok(prepared) => prepared,
        Err(errors) => {
            return Ok(ImportReport {
                set_title: None,
                questions: Vec::new(),
                errors: errors
                    .into_iter()
                    .map(|e| (e.location, e.message))
                    .collect(),
                set_id: None,
                committed: false,
            })
        }
    };
    let mut report = ImportReport {
        set_title: t.set.as_ref().map(|s| s.title.clone()),
        questions: t
            .questions
            .iter()
            .map(|q| {
                (
                    q.question.prompt.clone(),
                    q.question.level.map_or("?", |l| l.label()).to_owned(),
                    q.question.topic.clone(),
                    q.source == Source::Bank && q.slug.is_some(),
                )
            })
            .collect(),
        errors: Vec::new(),
        set_id: None,
        committed: false,
    };
    if commit {
        let imported = super::db::import(&r.pool, r.viewer(), &t, &html, r.now).await?;
        report.set_id = imported.set_id;
        report.committed = true;
    }
    Ok(report)
}
