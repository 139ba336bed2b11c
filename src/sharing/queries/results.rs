//! Results: the recruiter's table, per-question means, answers and the report.

use super::*;

#[derive(sqlx::FromRow)]
pub(super) struct ResultSql {
    pub(super) id: Uuid,
    pub(super) label: String,
    pub(super) display_name: String,
    pub(super) session_id: Option<Uuid>,
    pub(super) started_at: i64,
    pub(super) finished: bool,
    pub(super) answered: i64,
    pub(super) questions: i64,
    pub(super) self_mean: Option<i64>,
    pub(super) reviewer_mean: Option<i64>,
    pub(super) time_used: i64,
    pub(super) timed_out: i64,
    pub(super) overtime: i64,
    pub(super) hidden_count: i64,
    pub(super) hidden_ms: i64,
    pub(super) paste_count: i64,
    pub(super) paste_chars: i64,
    pub(super) review_status: String,
    pub(super) recommendation: Option<String>,
}

pub(super) fn n(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// Every candidate of every link of the set, in one query.
pub async fn results(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<ResultRow>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    let rows: Vec<ResultSql> = sqlx::query_as(
        "SELECT a.id, l.label, a.display_name, a.session_id, a.started_at,
                coalesce(s.status = 'finished', FALSE) AS finished,
                coalesce(x.answered, 0) AS answered, coalesce(s.question_count, 0) AS questions,
                x.self_mean, r.reviewer_mean, coalesce(x.time_used, 0) AS time_used,
                coalesce(x.timed_out, 0) AS timed_out, coalesce(x.overtime, 0) AS overtime,
                a.hidden_count, a.hidden_ms, a.paste_count, a.paste_chars, a.review_status,
                a.recommendation
         FROM candidate_attempts a
         JOIN share_links l ON l.id = a.link_id
         LEFT JOIN interview_sessions s ON s.id = a.session_id
         LEFT JOIN (SELECT session_id, count(submitted_at) AS answered,
                           CAST(round(avg(self_grade) * 100) AS BIGINT) AS self_mean,
                           CAST(sum(coalesce(time_spent_ms, 0)) AS BIGINT) AS time_used,
                           count(*) FILTER (WHERE timed_out) AS timed_out,
                           count(*) FILTER (WHERE overtime_ms > 0) AS overtime
                    FROM session_answers GROUP BY session_id) x ON x.session_id = a.session_id
         LEFT JOIN (SELECT session_id, CAST(round(avg(grade) * 100) AS BIGINT) AS reviewer_mean
                    FROM answer_reviews WHERE grade IS NOT NULL GROUP BY session_id) r
                ON r.session_id = a.session_id
         WHERE l.set_id = $1
         ORDER BY a.started_at, a.id",
    )
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ResultRow {
            attempt_id: r.id.to_string(),
            link_label: r.label,
            deleted: r.session_id.is_none(),
            name: r.display_name,
            started_label: crate::accounts::days::local_label(r.started_at, tz),
            started_at: r.started_at,
            finished: r.finished,
            answered: n(r.answered),
            questions: n(r.questions),
            self_score: r.self_mean.map(score_percent),
            reviewer_score: r.reviewer_mean.map(score_percent),
            time_used_ms: r.time_used,
            timed_out: n(r.timed_out),
            overtime: n(r.overtime),
            hidden_count: n(r.hidden_count),
            hidden_ms: r.hidden_ms,
            paste_count: n(r.paste_count),
            paste_chars: r.paste_chars,
            status: ReviewStatus::parse(&r.review_status),
            recommendation: r.recommendation.as_deref().and_then(Recommendation::parse),
        })
        .collect())
}

/// Per question of the set, across every candidate: the mean self-grade
/// and the mean reviewer grade, for the set's self-vs-reviewer chart.
pub async fn question_means(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
) -> Result<Vec<(String, Option<f64>, Option<f64>)>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    let rows: Vec<(String, Option<f64>, Option<f64>)> = sqlx::query_as(
        "SELECT min(v.prompt), CAST(avg(a.self_grade) AS DOUBLE PRECISION),
                CAST(avg(r.grade) AS DOUBLE PRECISION)
         FROM candidate_attempts ca
         JOIN share_links l ON l.id = ca.link_id
         JOIN session_answers a ON a.session_id = ca.session_id
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
         WHERE l.set_id = $1 AND a.submitted_at IS NOT NULL
         GROUP BY a.question_id
         ORDER BY min(a.position), a.question_id",
    )
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

#[derive(sqlx::FromRow)]
pub(super) struct AnswerSql {
    pub(super) position: i64,
    pub(super) prompt: String,
    pub(super) level: Level,
    pub(super) answer: Option<String>,
    pub(super) answer_rendered: Option<String>,
    pub(super) submitted: bool,
    pub(super) reference_html: String,
    pub(super) key_points: String,
    pub(super) self_ticks: String,
    pub(super) self_grade: Option<i64>,
    pub(super) time_spent_ms: Option<i64>,
    pub(super) limit_ms: Option<i64>,
    pub(super) timed_out: bool,
    pub(super) reviewer_ticks: Option<String>,
    pub(super) reviewer_grade: Option<i64>,
    pub(super) comment: Option<String>,
}

/// Every answer of every candidate of a set, in attempt and question order,
/// in one query (the answers CSV).
pub async fn answer_lines(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
) -> Result<Vec<AnswerLine>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    Ok(sqlx::query_as(
        "SELECT c.id AS attempt_id, c.display_name, a.position, v.prompt, a.submitted_at IS NOT NULL AS answered,
                a.self_grade, r.grade AS reviewer_grade, a.key_points_hit AS self_ticks,
                r.key_points_hit AS reviewer_ticks, v.key_points, a.time_spent_ms,
                coalesce(a.limit_secs, s.per_question_secs) * 1000 AS limit_ms, a.timed_out,
                r.comment
         FROM candidate_attempts c
         JOIN share_links l ON l.id = c.link_id
         JOIN interview_sessions s ON s.id = c.session_id
         JOIN session_answers a ON a.session_id = c.session_id
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
         WHERE l.set_id = $1
         ORDER BY c.started_at, c.id, a.position",
    )
    .bind(set)
    .fetch_all(&mut *conn)
    .await?)
}

/// One candidate's answers beside the version of each question they got,
/// with the reviewer's marks.
pub async fn report(
    pool: &Pool,
    set: Uuid,
    attempt: Uuid,
    viewer: Viewer,
    tz: &jiff::tz::TimeZone,
) -> Result<CandidateReport, AppError> {
    let rows = results(pool, set, viewer, tz).await?;
    let index = rows
        .iter()
        .position(|r| r.attempt_id == attempt.to_string())
        .ok_or_else(|| AppError::NotFound("That candidate".into()))?;
    let session: Option<Uuid> =
        sqlx::query_scalar("SELECT session_id FROM candidate_attempts WHERE id = $1")
            .bind(attempt)
            .fetch_one(pool)
            .await?;
    let answers: Vec<AnswerSql> = match session {
        None => Vec::new(),
        Some(session) => {
            sessions::render_missing(pool, session).await?;
            sqlx::query_as(
                "SELECT a.position, v.prompt, v.level, a.answer, a.answer_rendered, a.submitted_at IS NOT NULL AS submitted,
                        v.answer_html AS reference_html, v.key_points, a.key_points_hit AS self_ticks,
                        a.self_grade, a.time_spent_ms,
                        coalesce(a.limit_secs, s.per_question_secs) * 1000 AS limit_ms, a.timed_out,
                        r.key_points_hit AS reviewer_ticks, r.grade AS reviewer_grade, r.comment
                 FROM session_answers a
                 JOIN interview_sessions s ON s.id = a.session_id
                 JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
                 LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
                 WHERE a.session_id = $1 ORDER BY a.position",
            )
            .bind(session)
            .fetch_all(pool)
            .await?
        }
    };
    let (title, note): (String, String) = sqlx::query_as(
        "SELECT s.title, a.recommendation_note FROM candidate_attempts a
         JOIN share_links l ON l.id = a.link_id JOIN question_sets s ON s.id = l.set_id
         WHERE a.id = $1",
    )
    .bind(attempt)
    .fetch_one(pool)
    .await?;
    let (team, _) = readable_set(&mut *pool.acquire().await?, set, viewer).await?;
    let grade = |g: Option<i64>| g.and_then(|g| u8::try_from(g).ok());
    let ticks = |t: &str| serde_json::from_str::<Vec<u32>>(t).unwrap_or_default();
    Ok(CandidateReport {
        set_id: set.to_string(),
        set_title: title,
        prev: index.checked_sub(1).map(|i| rows[i].attempt_id.clone()),
        next: rows.get(index + 1).map(|r| r.attempt_id.clone()),
        row: rows[index].clone(),
        answers: answers
            .into_iter()
            .map(|a| ReviewAnswer {
                position: u32::try_from(a.position).unwrap_or(0),
                prompt: a.prompt,
                level: a.level,
                answer_html: match (a.answer_rendered, &a.answer) {
                    (Some(html), _) => html,
                    (None, Some(text)) => crate::questions::markdown::plain(text),
                    (None, None) => String::new(),
                },
                answered: a.submitted,
                reference_html: a.reference_html,
                key_points: serde_json::from_str(&a.key_points).unwrap_or_default(),
                self_ticks: ticks(&a.self_ticks),
                self_grade: grade(a.self_grade),
                time_spent_ms: a.time_spent_ms,
                limit_ms: a.limit_ms,
                timed_out: a.timed_out,
                reviewer_ticks: a.reviewer_ticks.as_deref().map(ticks).unwrap_or_default(),
                reviewer_grade: grade(a.reviewer_grade),
                comment: a.comment.unwrap_or_default(),
            })
            .collect(),
        recommendation_note: note,
        read_only: team != viewer.team,
    })
}
