//! Share links: codes, creating, listing, pausing and revoking.

use super::*;

/// A new share code: 144 random bits, URL-safe (24 characters).
pub fn new_code() -> Result<String, AppError> {
    let mut bytes = [0u8; 18];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness for a share code");
        AppError::Internal
    })?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

pub(super) fn code_hash(code: &str) -> Vec<u8> {
    Sha256::digest(code.as_bytes()).to_vec()
}

/// The set's owner, if `viewer` may read it (owner, or admin).
pub(super) async fn readable_set(
    conn: &mut Conn,
    set: Uuid,
    viewer: Viewer,
) -> Result<Uuid, AppError> {
    let owner: Option<Uuid> =
        sqlx::query_scalar("SELECT owner_id FROM question_sets WHERE id = $1")
            .bind(set)
            .fetch_optional(conn)
            .await?;
    match owner {
        Some(o) if o == viewer.id || viewer.admin => Ok(o),
        _ => Err(AppError::NotFound("That set".into())),
    }
}

/// Creates a link to the set as it is now (freezing a version).
pub async fn create_link(
    pool: &Pool,
    set: Uuid,
    owner: Uuid,
    label: &str,
    expires_at: Option<i64>,
    max_candidates: Option<u32>,
    now: i64,
) -> Result<Uuid, AppError> {
    let mut tx = begin_write(pool).await?;
    let set_owner = readable_set(
        &mut tx,
        set,
        Viewer {
            id: owner,
            admin: false,
        },
    )
    .await?;
    if set_owner != owner {
        return Err(AppError::NotFound("That set".into()));
    }
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

/// Pauses, resumes or revokes one of the owner's links. Revoked is final.
/// Pausing stops new starts only; revoking also ends, in the same
/// transaction, every session still running from the link (its answers so
/// far kept and submitted).
pub async fn set_link_state(
    pool: &Pool,
    link: Uuid,
    owner: Uuid,
    state: LinkState,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let changed = sqlx::query(
        "UPDATE share_links SET state = $3
         WHERE id = $1 AND state <> 'revoked'
           AND set_id IN (SELECT id FROM question_sets WHERE owner_id = $2)",
    )
    .bind(link)
    .bind(owner)
    .bind(state.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound("That link".into()));
    }
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
