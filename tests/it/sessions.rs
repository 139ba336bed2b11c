//! Sessions: the server's clock, autosave, submission and grading rules,
//! ownership, and concurrency. Time is passed in, so boundaries are exact.

use crate::common::app_pool;
use crate::common::{app_with_bank, Client};
use rehearse::platform::db::AsPool;
use rehearse::platform::db::Pool;
use rehearse::questions::sync_builtin_bank;
use rehearse::sessions::{
    db::{self, NewSession, TimerAction},
    timer::GRACE_MS,
    types::{Mode, Phase},
};
use sqlx::SqlitePool;
use uuid::Uuid;

const T0: i64 = 1_800_000_000_000;

/// A save with a revision newer than every earlier one in this process.
fn draft(text: &str) -> db::Draft<'_> {
    static REV: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1);
    db::Draft {
        text,
        rev: REV.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        editor: "test",
        base: 0,
    }
}

async fn user(pool: &Pool) -> Uuid {
    rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest")
}

async fn start(
    pool: &Pool,
    who: Uuid,
    mode: Mode,
    count: u32,
    per_q: Option<u32>,
    total: Option<u32>,
) -> Uuid {
    let new = NewSession {
        mode,
        levels: vec![],
        topics: vec![],
        count,
        per_question_secs: per_q,
        total_secs: total,
        only: None,
    };
    db::create(&pool.db(), who, &new, T0)
        .await
        .expect("create")
        .expect("questions exist")
}

async fn seeded(pool: &Pool) {
    sync_builtin_bank(&pool.db()).await.expect("bank");
}

#[sqlx::test]
async fn interview_question_is_auto_submitted_with_the_last_draft(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let s = start(&pool, u, Mode::Interview, 3, Some(10), None).await;
    db::save_draft(&pool.db(), s, u, 0, draft("first thoughts"), T0 + 5_000)
        .await
        .expect("save");

    // At the deadline (and within the grace) it is still answerable.
    let at_deadline = db::state(&pool.db(), s, u, T0 + 10_000 + GRACE_MS)
        .await
        .expect("state");
    assert_eq!(at_deadline.phase, Phase::Answering);
    // One millisecond past the grace the clock submits for the person.
    let late = db::state(&pool.db(), s, u, T0 + 10_001 + GRACE_MS)
        .await
        .expect("state");
    assert_eq!(late.phase, Phase::Reviewing);
    assert!(late.timed_out);
    assert_eq!(late.text, "first thoughts");
    assert!(
        late.reveal.is_some(),
        "the reference is available once submitted"
    );

    // A save that arrives too late changes nothing and says why.
    let refused = db::save_draft(&pool.db(), s, u, 0, draft("too late"), T0 + 20_000).await;
    assert!(refused.is_err());
    let again = db::state(&pool.db(), s, u, T0 + 20_000)
        .await
        .expect("state");
    assert_eq!(again.text, "first thoughts");
    let spent: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT time_spent_ms FROM session_answers WHERE session_id = $1 AND position = 0",
    )
    .bind(s)
    .fetch_one(p)
    .await)
    .expect("row");
    assert_eq!(spent, 10_000, "time spent stops at the deadline");
}

#[sqlx::test]
async fn submitting_twice_is_harmless(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let s = start(&pool, u, Mode::Practice, 2, None, None).await;
    let first = db::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("my answer"),
        T0 + 1_000,
    )
    .await
    .expect("submit");
    let second = db::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("a different text"),
        T0 + 2_000,
    )
    .await
    .expect("resubmit");
    assert_eq!(first.text, "my answer");
    assert_eq!(second.text, "my answer", "the first submission stands");
    assert_eq!(second.phase, Phase::Reviewing);
    // An autosave of the submitted text that arrives after the submit is
    // harmless; a different text is refused and changes nothing.
    assert!(
        db::save_draft(&pool.db(), s, u, 0, draft("my answer"), T0 + 2_500)
            .await
            .is_ok()
    );
    assert!(
        db::save_draft(&pool.db(), s, u, 0, draft("edited later"), T0 + 3_000)
            .await
            .is_err()
    );
    let state = db::state(&pool.db(), s, u, T0 + 3_000)
        .await
        .expect("state");
    assert_eq!(state.text, "my answer");
}

#[sqlx::test]
async fn practice_overtime_is_recorded_not_enforced(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let s = start(&pool, u, Mode::Practice, 1, Some(60), None).await;
    let late = db::state(&pool.db(), s, u, T0 + 600_000)
        .await
        .expect("state");
    assert_eq!(late.phase, Phase::Answering, "practice never auto-submits");
    db::save_draft(&pool.db(), s, u, 0, draft("still typing"), T0 + 600_000)
        .await
        .expect("late saves are fine");
    let done = db::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("done"),
        T0 + 90_000 + 600_000,
    )
    .await
    .expect("submit");
    assert_eq!(done.overtime_ms, 630_000);
    assert!(!done.timed_out);
}

#[sqlx::test]
async fn pausing_moves_the_deadline_and_extend_adds_a_minute(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let s = start(&pool, u, Mode::Practice, 2, Some(60), None).await;
    db::adjust_timer(&pool.db(), s, u, TimerAction::Pause, T0 + 10_000)
        .await
        .expect("pause");
    let resumed = db::adjust_timer(&pool.db(), s, u, TimerAction::Resume, T0 + 40_000)
        .await
        .expect("resume");
    assert_eq!(resumed.deadline_at, Some(T0 + 90_000));
    let extended = db::adjust_timer(&pool.db(), s, u, TimerAction::Extend, T0 + 41_000)
        .await
        .expect("extend");
    assert_eq!(extended.deadline_at, Some(T0 + 150_000));

    let interview = start(&pool, u, Mode::Interview, 1, Some(60), None).await;
    assert!(
        db::adjust_timer(&pool.db(), interview, u, TimerAction::Pause, T0)
            .await
            .is_err(),
        "no pausing interviews"
    );
}

#[sqlx::test]
async fn grading_then_next_walks_to_the_summary(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let s = start(&pool, u, Mode::Practice, 2, Some(120), None).await;
    assert!(
        db::next(&pool.db(), s, u, 0, T0).await.is_err(),
        "can't skip before submitting"
    );
    db::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("a"),
        T0 + 1_000,
    )
    .await
    .expect("submit");
    assert!(
        db::next(&pool.db(), s, u, 0, T0 + 1_500).await.is_err(),
        "a grade comes first"
    );
    assert!(
        db::grade(
            &pool.db(),
            s,
            u,
            rehearse::sessions::db::GradeInput {
                position: 0,
                grade: 3,
                ticked: &[99],
                flagged: false,
                note: ""
            },
            T0
        )
        .await
        .is_err(),
        "no such key point"
    );
    db::grade(
        &pool.db(),
        s,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 3,
            ticked: &[0, 1, 1],
            flagged: true,
            note: "revisit",
        },
        T0 + 2_000,
    )
    .await
    .expect("grade");
    let second = db::next(&pool.db(), s, u, 0, T0 + 3_000)
        .await
        .expect("next");
    assert_eq!((second.position, second.phase), (1, Phase::Answering));
    assert_eq!(
        second.deadline_at,
        Some(T0 + 3_000 + 120_000),
        "the next clock starts at Next"
    );
    let again = db::next(&pool.db(), s, u, 0, T0 + 4_000)
        .await
        .expect("next twice");
    assert_eq!(
        again.position, 1,
        "repeating Next for an old position changes nothing"
    );

    db::submit(
        &pool.db(),
        s,
        u,
        1,
        rehearse::sessions::db::Rendered::later("b"),
        T0 + 5_000,
    )
    .await
    .expect("submit");
    db::grade(
        &pool.db(),
        s,
        u,
        rehearse::sessions::db::GradeInput {
            position: 1,
            grade: 1,
            ticked: &[],
            flagged: false,
            note: "",
        },
        T0 + 6_000,
    )
    .await
    .expect("grade");
    let end = db::next(&pool.db(), s, u, 1, T0 + 7_000)
        .await
        .expect("finish");
    assert_eq!(end.phase, Phase::Finished);

    let summary = db::summary(&pool.db(), s, u, T0 + 8_000)
        .await
        .expect("summary");
    assert_eq!(summary.rows.len(), 2);
    assert_eq!(summary.rows[0].grade, Some(3));
    assert!(summary.rows[0].flagged);
    assert_eq!(summary.score(), Some(33));
    let hit: String = on!(&pool, |p| sqlx::query_scalar(
        "SELECT key_points_hit FROM session_answers WHERE session_id = $1 AND position = 0",
    )
    .bind(s)
    .fetch_one(p)
    .await)
    .expect("row");
    assert_eq!(hit, "[0,1]");
    // A finished session refuses changes.
    assert!(db::save_draft(&pool.db(), s, u, 1, draft("x"), T0 + 9_000)
        .await
        .is_err());
}

#[sqlx::test]
async fn the_total_deadline_finishes_an_interview(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let s = start(&pool, u, Mode::Interview, 5, None, Some(60)).await;
    db::save_draft(&pool.db(), s, u, 0, draft("partial"), T0 + 30_000)
        .await
        .expect("save");
    let after = db::state(&pool.db(), s, u, T0 + 60_001 + GRACE_MS)
        .await
        .expect("state");
    assert_eq!(after.phase, Phase::Finished);
    let summary = db::summary(&pool.db(), s, u, T0 + 70_000)
        .await
        .expect("summary");
    assert!(summary.rows[0].answered && summary.rows[0].timed_out);
    assert!(!summary.rows[1].answered);
}

#[sqlx::test]
async fn unseen_questions_come_first(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let topics = vec!["behavioral".to_owned()];
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics,
        count: 6,
        per_question_secs: None,
        total_secs: None,
        only: None,
    };
    let first = db::create(&pool.db(), u, &new, T0)
        .await
        .expect("create")
        .expect("some");
    db::submit(
        &pool.db(),
        first,
        u,
        0,
        rehearse::sessions::db::Rendered::later("x"),
        T0 + 1,
    )
    .await
    .expect("submit");
    let seen: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT question_id FROM session_answers WHERE session_id = $1 AND position = 0",
    )
    .bind(first)
    .fetch_one(p)
    .await)
    .expect("row");
    let second = db::create(&pool.db(), u, &new, T0 + 10)
        .await
        .expect("create")
        .expect("some");
    let drawn: Vec<i64> = on!(&pool, |p| sqlx::query_scalar(
        "SELECT question_id FROM session_answers WHERE session_id = $1 ORDER BY position",
    )
    .bind(second)
    .fetch_all(p)
    .await)
    .expect("rows");
    assert_eq!(drawn.len(), 6);
    assert!(
        !drawn.contains(&seen),
        "the answered question waits while 11 others are unseen"
    );
    let unique: std::collections::HashSet<_> = drawn.iter().collect();
    assert_eq!(unique.len(), drawn.len(), "no repeats");
}

/// 50 people autosaving and submitting at once lose nothing.
#[sqlx::test]
async fn fifty_concurrent_sessions_lose_nothing(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let mut handles = Vec::new();
    for i in 0..50 {
        let pool = pool.clone();
        handles.push(tokio::spawn(async move {
            let u = user(&pool).await;
            let s = start(&pool, u, Mode::Practice, 2, None, None).await;
            for k in 0..10 {
                db::save_draft(
                    &pool.db(),
                    s,
                    u,
                    0,
                    draft(&format!("user {i} draft {k}")),
                    T0 + k,
                )
                .await
                .expect("save");
            }
            db::submit(
                &pool.db(),
                s,
                u,
                0,
                rehearse::sessions::db::Rendered::later(&format!("user {i} final")),
                T0 + 100,
            )
            .await
            .expect("submit");
            (s, i)
        }));
    }
    for h in handles {
        let (s, i) = h.await.expect("task");
        let answer: Option<String> = on!(&pool, |p| sqlx::query_scalar(
            "SELECT answer FROM session_answers WHERE session_id = $1 AND position = 0",
        )
        .bind(s)
        .fetch_one(p)
        .await)
        .expect("row");
        assert_eq!(answer.as_deref(), Some(format!("user {i} final").as_str()));
    }
}

/// Through HTTP: validation messages and the IDOR matrix for every
/// session server function.
#[sqlx::test]
async fn server_functions_validate_and_check_ownership(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut alice = Client::new(&app);
    let started = alice
        .call(
            "sessions/start",
            &[
                ("mode", "practice"),
                ("count", "2"),
                ("per_question_secs", "0"),
                ("total_secs", "0"),
            ],
        )
        .await;
    assert_eq!(started.status, 200, "{}", started.body);
    assert!(alice.cookie.is_some(), "a guest was made on the spot");
    let id: String = serde_json::from_str(&started.body).expect("id");

    // Bad input: clear message, nothing changed.
    for (form, words) in [
        (
            vec![
                ("mode", "practice"),
                ("count", "51"),
                ("per_question_secs", "0"),
                ("total_secs", "0"),
            ],
            "between 1 and 50",
        ),
        (
            vec![
                ("mode", "exam"),
                ("count", "5"),
                ("per_question_secs", "0"),
                ("total_secs", "0"),
            ],
            "practice or interview",
        ),
        (
            vec![
                ("mode", "practice"),
                ("count", "5"),
                ("per_question_secs", "2"),
                ("total_secs", "0"),
            ],
            "5 seconds to 60 minutes",
        ),
    ] {
        let r = alice.call("sessions/start", &form).await;
        assert_eq!(r.status, 422, "{form:?}");
        assert!(r.body.contains(words), "{}", r.body);
    }
    let huge = "x".repeat(20_001);
    let r = alice
        .call(
            "sessions/save",
            &[
                ("id", &id),
                ("position", "0"),
                ("text", &huge),
                ("rev", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    let r = alice
        .call(
            "sessions/submit",
            &[("id", &id), ("position", "0"), ("text", "answer")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = alice
        .call(
            "sessions/grade",
            &[
                ("id", &id),
                ("position", "0"),
                ("grade", "5"),
                ("flagged", "false"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("1 (Missed) to 4 (Excellent)"), "{}", r.body);

    // Everyone else: anonymous → 401, another user → 404 (not even "exists").
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("sessions/state", vec![("id", &id)]),
        (
            "sessions/save",
            vec![
                ("id", &id),
                ("position", "0"),
                ("text", "mine now"),
                ("rev", "9"),
            ],
        ),
        (
            "sessions/submit",
            vec![("id", &id), ("position", "0"), ("text", "mine now")],
        ),
        (
            "sessions/grade",
            vec![
                ("id", &id),
                ("position", "0"),
                ("grade", "4"),
                ("flagged", "false"),
                ("note", ""),
            ],
        ),
        ("sessions/next", vec![("id", &id), ("position", "0")]),
        ("sessions/timer", vec![("id", &id), ("action", "pause")]),
        ("sessions/end", vec![("id", &id)]),
        ("sessions/summary", vec![("id", &id)]),
        ("sessions/retry", vec![("id", &id)]),
    ];
    let mut anon = Client::new(&app);
    let mut bob = Client::new(&app);
    bob.register("bobby", "several plain words").await;
    for (endpoint, form) in &calls {
        assert_eq!(
            anon.call(endpoint, form).await.status,
            401,
            "anonymous {endpoint}"
        );
        let r = bob.call(endpoint, form).await;
        assert_eq!(r.status, 404, "bob {endpoint}: {}", r.body);
    }
    let r = bob.call("sessions/active", &[]).await;
    assert_eq!(r.body, "null", "bob sees no session of alice's");
    let still: Option<String> = on!(&pool, |p| sqlx::query_scalar("SELECT answer FROM session_answers WHERE position = 0 AND session_id = (SELECT id FROM interview_sessions LIMIT 1)")
        .fetch_one(p).await)
        .expect("row");
    assert_eq!(
        still.as_deref(),
        Some("answer"),
        "nothing of alice's changed"
    );
}

#[sqlx::test]
async fn practising_one_question_by_slug(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 1,
        per_question_secs: Some(300),
        total_secs: None,
        only: Some("db-what-is-an-index".into()),
    };
    let s = db::create(&pool.db(), u, &new, T0)
        .await
        .expect("create")
        .expect("exists");
    let state = db::state(&pool.db(), s, u, T0).await.expect("state");
    assert_eq!(
        (state.slug.as_str(), state.count),
        ("db-what-is-an-index", 1)
    );
    let missing = NewSession {
        only: Some("no-such-question".into()),
        ..new
    };
    assert!(db::create(&pool.db(), u, &missing, T0)
        .await
        .expect("create")
        .is_none());
}

#[sqlx::test]
async fn a_follow_up_is_asked_next_answered_and_graded_once(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    use rehearse::sessions::db as s;
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let (slug, bank_before): (String, i64) = on!(&pool, |p| sqlx::query_as(
        "SELECT p.slug, (SELECT count(*) FROM questions WHERE source = 'builtin' AND parent_id IS NULL AND archived = FALSE)
         FROM questions p WHERE EXISTS (SELECT 1 FROM questions c WHERE c.parent_id = p.id) ORDER BY p.id LIMIT 1",
    )
    .fetch_one(p).await)
    .expect("a question with follow-ups");
    // Follow-ups never count as bank questions.
    let (listed, _) = rehearse::questions::db::bank_size(&pool.db())
        .await
        .expect("size");
    assert_eq!(listed, bank_before);
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 2,
        per_question_secs: None,
        total_secs: None,
        only: Some(slug.clone()),
    };
    let id = s::create(&pool.db(), u, &new, T0)
        .await
        .expect("create")
        .expect("some");
    // Not before the answer is submitted.
    let early = s::ask_follow_up(&pool.db(), id, u, 0, 0, T0 + 1).await;
    assert!(
        matches!(early, Err(rehearse::error::AppError::NotFound(_))),
        "{early:?}"
    );
    s::submit(
        &pool.db(),
        id,
        u,
        0,
        s::Rendered::later("first answer"),
        T0 + 1_000,
    )
    .await
    .expect("submit");
    let state = s::ask_follow_up(&pool.db(), id, u, 0, 0, T0 + 2_000)
        .await
        .expect("ask");
    assert_eq!(state.count, 2);
    let follow = state.reveal.as_ref().expect("reveal").follow_ups[0].clone();
    assert!(follow.asked);
    // Asking again changes nothing.
    let again = s::ask_follow_up(&pool.db(), id, u, 0, 0, T0 + 2_500)
        .await
        .expect("again");
    assert_eq!(again.count, 2);
    // Reading the session again (one statement, no transaction) shows the
    // same: the follow-up asked, and only that one.
    let read = s::state(&pool.db(), id, u, T0 + 2_550)
        .await
        .expect("state");
    let asked: Vec<bool> = read
        .reveal
        .as_ref()
        .expect("reveal")
        .follow_ups
        .iter()
        .map(|f| f.asked)
        .collect();
    assert!(asked[0], "{asked:?}");
    assert!(asked[1..].iter().all(|a| !a), "{asked:?}");
    assert_eq!(read.position, 0);
    // Someone else reading it is told it does not exist.
    let guest = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    assert!(matches!(
        s::state(&pool.db(), id, guest, T0 + 2_560).await,
        Err(rehearse::error::AppError::NotFound(_))
    ));
    // A follow-up that does not exist, or a position that is not current.
    let missing = s::ask_follow_up(&pool.db(), id, u, 0, 9, T0 + 2_600).await;
    assert!(
        matches!(missing, Err(rehearse::error::AppError::NotFound(_))),
        "{missing:?}"
    );
    let stranger = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    assert!(s::ask_follow_up(&pool.db(), id, stranger, 0, 0, T0 + 2_700)
        .await
        .is_err());
    s::grade(
        &pool.db(),
        id,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 3,
            ticked: &[],
            flagged: false,
            note: "",
        },
        T0 + 3_000,
    )
    .await
    .expect("grade");
    let next = s::next(&pool.db(), id, u, 0, T0 + 4_000)
        .await
        .expect("next");
    assert_eq!(next.position, 1);
    assert!(next.follow_up);
    assert_eq!(next.prompt, follow.prompt);
    s::submit(
        &pool.db(),
        id,
        u,
        1,
        s::Rendered::later("follow-up answer"),
        T0 + 5_000,
    )
    .await
    .expect("submit");
    let graded = s::grade(
        &pool.db(),
        id,
        u,
        rehearse::sessions::db::GradeInput {
            position: 1,
            grade: 2,
            ticked: &[],
            flagged: false,
            note: "",
        },
        T0 + 6_000,
    )
    .await
    .expect("grade");
    let reveal = graded.reveal.expect("reveal");
    assert!(
        reveal.key_points.is_empty(),
        "a follow-up has no key points"
    );
    assert!(
        !reveal.answer_html.is_empty(),
        "its model answer is the reference"
    );
    let done = s::next(&pool.db(), id, u, 1, T0 + 7_000)
        .await
        .expect("finish");
    assert_eq!(done.phase, rehearse::sessions::types::Phase::Finished);
    // Graded like any question: it schedules a card of its own.
    let logged: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM review_log WHERE session_id = $1"
    )
    .bind(id)
    .fetch_one(p)
    .await)
    .expect("log");
    assert_eq!(logged, 2);
}

/// Reading the runner's state takes no turn in the writers' queue when
/// the clock has nothing to settle: a long write (another person's import,
/// a queue of autosaves) does not hold it up. When the clock has run out
/// it still settles, in a write of its own.
#[sqlx::test]
async fn reading_the_runner_does_not_wait_for_writers(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    seeded(&pool).await;
    let u = user(&pool).await;
    let s = start(&pool, u, Mode::Interview, 2, Some(60), None).await;
    on!(&pool, |p| {
        let writer = backend::begin_write(p)
            .await
            .expect("a writer holds the lock");
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(2),
            db::state(&pool.db(), s, u, T0 + 1_000),
        )
        .await
        .expect("answered while the writer holds the lock")
        .expect("state");
        assert_eq!(read.phase, Phase::Answering);
        // Past the deadline the same read must write, so it waits its turn.
        let late = tokio::time::timeout(
            std::time::Duration::from_millis(300),
            db::state(&pool.db(), s, u, T0 + 61_000 + GRACE_MS),
        )
        .await;
        assert!(late.is_err(), "settling waits for the writer ahead of it");
        writer.rollback().await.expect("release");
    });
    let settled = db::state(&pool.db(), s, u, T0 + 61_000 + GRACE_MS)
        .await
        .expect("state");
    assert_eq!(settled.phase, Phase::Reviewing);
    assert!(settled.timed_out);
}
