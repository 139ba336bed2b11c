//! The activity log: written in the transaction of what it records.

use super::*;

#[derive(sqlx::FromRow)]
pub(super) struct ActivityRow {
    pub(super) actor_name: String,
    pub(super) action: String,
    pub(super) subject: String,
    pub(super) set_id: Option<Uuid>,
    pub(super) at: i64,
}

pub(super) fn activity_lines(rows: Vec<ActivityRow>, tz: &jiff::tz::TimeZone) -> Vec<ActivityLine> {
    rows.into_iter()
        .map(|r| {
            let verb = Action::verb(&r.action);
            ActivityLine {
                who: r.actor_name,
                what: if r.subject.is_empty() {
                    verb.to_owned()
                } else {
                    format!("{verb} {}", r.subject)
                },
                when_label: crate::accounts::days::local_label(r.at, tz),
                set_id: r.set_id.map(|id| id.to_string()),
            }
        })
        .collect()
}

/// A set's own lines of the activity log, newest first (the caller
/// checked who may read the set).
pub async fn set_activity(
    pool: &Pool,
    set: Uuid,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<ActivityLine>, sqlx::Error> {
    let rows: Vec<ActivityRow> = sqlx::query_as(
        "SELECT actor_name, action, subject, set_id, at FROM team_activity
         WHERE set_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(set)
    .fetch_all(pool)
    .await?;
    Ok(activity_lines(rows, tz))
}

pub(super) fn event<'a>(
    team: Uuid,
    actor: Uuid,
    action: Action,
    subject: &'a str,
    at: i64,
) -> Event<'a> {
    Event {
        team,
        actor,
        action,
        set: None,
        subject,
        thing: "",
        at,
    }
}

/// Writes one line of the activity log, in the caller's transaction (so a
/// change is never recorded without its line, or the reverse). Autosaved
/// work (`Action::coalesce_ms`) writes one line per person, thing and
/// half hour rather than one per save.
pub async fn log(conn: &mut Conn, e: Event<'_>) -> Result<(), sqlx::Error> {
    let since = e.action.coalesce_ms().map_or(i64::MAX, |ms| e.at - ms);
    sqlx::query(
        "INSERT INTO team_activity (team_id, actor_id, actor_name, action, set_id, subject, thing, at)
         SELECT $1, u.id, u.username, $3, $4, $5, $8, $6 FROM users u
         WHERE u.id = $2 AND NOT EXISTS (
             SELECT 1 FROM team_activity a
             WHERE a.team_id = $1 AND a.actor_id = $2 AND a.action = $3 AND a.thing = $8
               AND a.set_id IS NOT DISTINCT FROM $4 AND a.at > $7)",
    )
    .bind(e.team)
    .bind(e.actor)
    .bind(e.action.as_str())
    .bind(e.set)
    .bind(e.subject)
    .bind(e.at)
    .bind(since)
    .bind(e.thing)
    .execute(conn)
    .await
    .map(drop)
}
