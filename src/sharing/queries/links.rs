//! Share links: codes, creating, listing, pausing and revoking.

use super::*;

pub use crate::platform::secret::{code_hash, new_code};

/// The set's team and title, if `viewer` may read it (a member of its
/// team, or an admin).
pub(super) async fn readable_set(
    conn: &mut Conn,
    set: Uuid,
    viewer: Viewer,
) -> Result<(Uuid, String), AppError> {
    let row: Option<(Option<Uuid>, String)> =
        sqlx::query_as("SELECT team_id, title FROM question_sets WHERE id = $1")
            .bind(set)
            .fetch_optional(conn)
            .await?;
    match row {
        Some((Some(team), title)) if team == viewer.team || viewer.admin => Ok((team, title)),
        _ => Err(AppError::NotFound("That set".into())),
    }
}

/// The set's title, if it is `by`'s team's (to change it).
pub(super) async fn team_set(conn: &mut Conn, set: Uuid, by: Viewer) -> Result<String, AppError> {
    match readable_set(conn, set, by).await? {
        (team, title) if team == by.team => Ok(title),
        _ => Err(AppError::NotFound("That set".into())),
    }
}

/// The activity line for something done to a set's links or candidates.
pub(super) fn set_event<'a>(
    by: Viewer,
    action: Action,
    set: Uuid,
    subject: &'a str,
    at: i64,
) -> Event<'a> {
    Event {
        team: by.team,
        actor: by.id,
        action,
        set: Some(set),
        subject,
        thing: "",
        at,
    }
}

/// Creates a link to the set as it is now (freezing a version).
pub async fn create_link(
    pool: &Pool,
    set: Uuid,
    by: Viewer,
    label: &str,
    expires_at: Option<i64>,
    max_candidates: Option<u32>,
    now: i64,
) -> Result<Uuid, AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let title = team_set(&mut tx, set, by).await?;
    let questions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM question_set_items WHERE set_id = $1")
            .bind(set)
            .fetch_one(&mut *tx)
            .await?;
    if questions == 0 {
        return Err(AppError::invalid(
            "link",
            "Add at least one question before sharing the set.",
        ));
    }
    let version = sets::freeze(&mut tx, set, now).await?;
    let id = Uuid::now_v7();
    let code = new_code()?;
    sqlx::query(
        "INSERT INTO share_links (id, set_id, set_version, code, code_hash, label, expires_at,
             max_candidates, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9)",
    )
    .bind(id)
    .bind(set)
    .bind(i64::from(version))
    .bind(&code)
    .bind(code_hash(&code))
    .bind(label)
    .bind(expires_at)
    .bind(max_candidates.map(i64::from))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    teams::log(&mut tx, set_event(by, Action::Shared, set, &title, now)).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
pub(super) struct LinkRow {
    pub(super) id: Uuid,
    pub(super) set_id: Uuid,
    pub(super) set_version: i64,
    pub(super) code: String,
    pub(super) label: String,
    pub(super) expires_at: Option<i64>,
    pub(super) max_candidates: Option<i64>,
    pub(super) state: LinkState,
    pub(super) taken: i64,
}

impl LinkRow {
    pub(super) fn status(&self, now: i64) -> LinkStatus {
        LinkStatus::of(
            self.state,
            self.expires_at,
            self.max_candidates.and_then(|m| u32::try_from(m).ok()),
            u32::try_from(self.taken).unwrap_or(u32::MAX),
            now,
        )
    }
}

/// The link a code names. Looked up by the code's hash, then compared in
/// constant time, so response times say nothing about near misses.
pub(super) async fn find_link(conn: &mut Conn, code: &str) -> Result<Option<LinkRow>, sqlx::Error> {
    if code.is_empty() || code.len() > 64 {
        return Ok(None);
    }
    let row: Option<LinkRow> = sqlx::query_as(concat!(link_select!(), "WHERE l.code_hash = $1"))
        .bind(code_hash(code))
        .fetch_optional(conn)
        .await?;
    Ok(row.filter(|r| bool::from(r.code.as_bytes().ct_eq(code.as_bytes()))))
}

/// The set's links, newest first.
pub async fn links(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
    tz: &jiff::tz::TimeZone,
    now: i64,
) -> Result<Vec<LinkInfo>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    let rows: Vec<LinkRow> = sqlx::query_as(concat!(
        link_select!(),
        "WHERE l.set_id = $1 ORDER BY l.created_at DESC"
    ))
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LinkInfo {
            id: r.id.to_string(),
            status: r.status(now),
            code: r.code,
            label: r.label,
            expires_label: r
                .expires_at
                .map(|e| crate::accounts::days::local_label(e, tz)),
            expires_at: r.expires_at,
            max_candidates: r.max_candidates.and_then(|m| u32::try_from(m).ok()),
            candidates: u32::try_from(r.taken).unwrap_or(0),
            state: r.state,
            version: u32::try_from(r.set_version).unwrap_or(0),
        })
        .collect())
}

/// Pauses, resumes or revokes one of the team's links. Revoked is final.
/// Pausing stops new starts only; revoking also ends, in the same
/// transaction, every session still running from the link (its answers so
/// far kept and submitted).
pub async fn set_link_state(
    pool: &Pool,
    link: Uuid,
    by: Viewer,
    state: LinkState,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let changed: Option<(Uuid, String)> = sqlx::query_as(
        "UPDATE share_links SET state = $3
         WHERE id = $1 AND state <> 'revoked'
           AND set_id IN (SELECT id FROM question_sets WHERE team_id = $2)
         RETURNING set_id, (SELECT title FROM question_sets s WHERE s.id = set_id)",
    )
    .bind(link)
    .bind(by.team)
    .bind(state.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((set, title)) = changed else {
        return Err(AppError::NotFound("That link".into()));
    };
    let action = match state {
        LinkState::Active => Action::Resumed,
        LinkState::Paused => Action::Paused,
        LinkState::Revoked => Action::Revoked,
    };
    teams::log(&mut tx, set_event(by, action, set, &title, now)).await?;
    if state == LinkState::Revoked {
        let running: Vec<Uuid> = sqlx::query_scalar(
            "SELECT s.id FROM candidate_attempts c JOIN interview_sessions s ON s.id = c.session_id
             WHERE c.link_id = $1 AND s.status = 'active'",
        )
        .bind(link)
        .fetch_all(&mut *tx)
        .await?;
        for session in running {
            close_by_recruiter(&mut tx, session, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
