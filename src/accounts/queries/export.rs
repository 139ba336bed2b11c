//! "Download my data": every row of a person's, as one JSON document.

use super::*;

/// The parts of "download my data", in order: each section's name and the
/// query that yields one JSON object per row for user `$1`. SQLite's JSON
/// functions here; PostgreSQL's, giving the same document, below.
const EXPORT_SECTIONS: [(&str, &str); 4] = [
    (
        "sessions",
        "SELECT json_object('id', lower(hex(id)), 'mode', mode, 'levels', json(levels),
                'topics', json(topics), 'per_question_secs', per_question_secs,
                'total_secs', total_secs, 'started_at', started_at, 'deadline_at', deadline_at,
                'finished_at', finished_at, 'status', status)
         FROM interview_sessions WHERE user_id = $1 ORDER BY started_at",
    ),
    (
        "answers",
        "SELECT json_object('session_id', lower(hex(a.session_id)), 'position', a.position,
                'question', q.slug, 'draft', a.draft, 'answer', a.answer,
                'started_at', a.started_at, 'submitted_at', a.submitted_at,
                'time_spent_ms', a.time_spent_ms, 'timed_out', a.timed_out,
                'self_grade', a.self_grade, 'key_points_hit', json(a.key_points_hit),
                'flagged', a.flagged, 'note', a.note, 'graded_at', a.graded_at)
         FROM session_answers a JOIN questions q ON q.id = a.question_id
         WHERE a.user_id = $1 ORDER BY a.session_id, a.position",
    ),
    (
        "answer_revisions",
        "SELECT json_object('session_id', lower(hex(r.session_id)), 'position', r.position,
                'changed_at', r.changed_at, 'old_grade', r.old_grade, 'new_grade', r.new_grade,
                'old_note', r.old_note, 'new_note', r.new_note)
         FROM answer_revisions r JOIN interview_sessions s ON s.id = r.session_id
         WHERE s.user_id = $1 ORDER BY r.session_id, r.position, r.changed_at",
    ),
    (
        "question_sets",
        "SELECT json_object('id', lower(hex(id)), 'title', title, 'description', description,
                'mode', mode, 'created_at', created_at)
         FROM question_sets WHERE owner_id = $1
           AND team_id IN (SELECT team_id FROM team_members WHERE user_id = $1)
         ORDER BY created_at",
    ),
];

const EXPORT_SECTIONS_POSTGRES: [(&str, &str); 4] = [
    (
        "sessions",
        "SELECT json_build_object('id', replace(id::text, '-', ''), 'mode', mode,
                'levels', levels::json, 'topics', topics::json,
                'per_question_secs', per_question_secs, 'total_secs', total_secs,
                'started_at', started_at, 'deadline_at', deadline_at,
                'finished_at', finished_at, 'status', status)::text
         FROM interview_sessions WHERE user_id = $1 ORDER BY started_at",
    ),
    (
        "answers",
        "SELECT json_build_object('session_id', replace(a.session_id::text, '-', ''),
                'position', a.position, 'question', q.slug, 'draft', a.draft, 'answer', a.answer,
                'started_at', a.started_at, 'submitted_at', a.submitted_at,
                'time_spent_ms', a.time_spent_ms, 'timed_out', a.timed_out::int,
                'self_grade', a.self_grade, 'key_points_hit', a.key_points_hit::json,
                'flagged', a.flagged::int, 'note', a.note, 'graded_at', a.graded_at)::text
         FROM session_answers a JOIN questions q ON q.id = a.question_id
         WHERE a.user_id = $1 ORDER BY a.session_id, a.position",
    ),
    (
        "answer_revisions",
        "SELECT json_build_object('session_id', replace(r.session_id::text, '-', ''),
                'position', r.position, 'changed_at', r.changed_at, 'old_grade', r.old_grade,
                'new_grade', r.new_grade, 'old_note', r.old_note, 'new_note', r.new_note)::text
         FROM answer_revisions r JOIN interview_sessions s ON s.id = r.session_id
         WHERE s.user_id = $1 ORDER BY r.session_id, r.position, r.changed_at",
    ),
    (
        "question_sets",
        "SELECT json_build_object('id', replace(id::text, '-', ''), 'title', title,
                'description', description, 'mode', mode, 'created_at', created_at)::text
         FROM question_sets WHERE owner_id = $1
           AND team_id IN (SELECT team_id FROM team_members WHERE user_id = $1)
         ORDER BY created_at",
    ),
];

/// Writes everything stored about a user as one JSON document, a row at a
/// time, to `out`: memory stays flat however much the user has. One read
/// transaction, so the document is a consistent snapshot. Returns
/// `Ok(false)` when the user does not exist (nothing written) and stops
/// quietly when the receiver goes away (the download was cancelled).
pub async fn export(
    pool: &Pool,
    id: Uuid,
    out: tokio::sync::mpsc::Sender<Result<String, std::io::Error>>,
) -> Result<bool, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut tx = begin_read(pool).await?;
    let user: Option<String> = sqlx::query_scalar(if POSTGRES {
        "SELECT json_build_object('id', replace(id::text, '-', ''), 'username', username,
                'role', role, 'is_guest', is_guest, 'created_at', created_at,
                'time_zone', time_zone, 'hide_streaks', hide_streaks)::text
         FROM users WHERE id = $1"
    } else {
        "SELECT json_object('id', lower(hex(id)), 'username', username, 'role', role,
                'is_guest', json(CASE is_guest WHEN 1 THEN 'true' ELSE 'false' END),
                'created_at', created_at, 'time_zone', time_zone,
                'hide_streaks', json(CASE hide_streaks WHEN 1 THEN 'true' ELSE 'false' END))
         FROM users WHERE id = $1"
    })
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else {
        return Ok(false);
    };
    let head = format!(
        "{{\"format\":\"rehearse-export-v1\",\"exported_at\":{},\"user\":{user}",
        now_ms()
    );
    if out.send(Ok(head)).await.is_err() {
        return Ok(true);
    }
    let sections = if POSTGRES {
        EXPORT_SECTIONS_POSTGRES
    } else {
        EXPORT_SECTIONS
    };
    for (name, sql) in sections {
        if out.send(Ok(format!(",\"{name}\":["))).await.is_err() {
            return Ok(true);
        }
        let mut rows = sqlx::query_scalar::<_, String>(sql)
            .bind(id)
            .fetch(&mut *tx);
        let mut first = true;
        while let Some(row) = rows.try_next().await? {
            let chunk = if first { row } else { format!(",{row}") };
            first = false;
            if out.send(Ok(chunk)).await.is_err() {
                return Ok(true);
            }
        }
        drop(rows);
        if out.send(Ok("]".to_owned())).await.is_err() {
            return Ok(true);
        }
    }
    tx.commit().await?;
    let _ = out.send(Ok("}\n".to_owned())).await;
    Ok(true)
}
