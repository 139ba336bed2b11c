//! Server functions for the bank. Thin: validate, call `db`, map errors.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

#[server(endpoint = "questions/list")]
pub async fn list_questions(filter: QuestionFilter) -> Result<QuestionList, AppError> {
    let pool = crate::platform::pool()?;
    Ok(super::db::list(&pool, &filter).await?)
}

#[server(endpoint = "questions/get")]
pub async fn get_question(
    slug: String,
    filter: QuestionFilter,
) -> Result<QuestionDetail, AppError> {
    if slug.len() > 80 {
        return Err(AppError::NotFound("That question".into()));
    }
    let pool = crate::platform::pool()?;
    super::db::detail(&pool, &slug, &filter)
        .await?
        .ok_or_else(|| AppError::NotFound("That question".into()))
}

/// Reads a live question at random. POST (the default) because each call
/// differs, so no cache may reuse the answer.
#[server(endpoint = "questions/random")]
pub async fn random_question() -> Result<Option<DrawnQuestion>, AppError> {
    let pool = crate::platform::pool()?;
    Ok(super::db::random(&pool).await?)
}

#[server(endpoint = "questions/size")]
pub async fn bank_size() -> Result<(i64, i64), AppError> {
    let pool = crate::platform::pool()?;
    Ok(super::db::bank_size(&pool).await?)
}

/// Every topic, in bank order, for pickers.
#[server(endpoint = "questions/topics")]
pub async fn list_topics() -> Result<Vec<TopicInfo>, AppError> {
    let pool = crate::platform::pool()?;
    Ok(super::db::topics(&pool).await?)
}
