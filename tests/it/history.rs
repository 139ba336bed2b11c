//! History: aggregates per session and ownership.

use crate::common::app_pool;
use crate::common::{app_with_bank, Client};
use rehearse::history::db;
use rehearse::platform::db::AsPool;
use rehearse::platform::db::Pool;
use rehearse::questions::sync_builtin_bank;
use rehearse::sessions::{db as sessions, db::NewSession, types::Mode};
use sqlx::SqlitePool;

const T0: i64 = 1_800_000_000_000;

async fn listed(
    pool: &Pool,
    user: uuid::Uuid,
    filter: db::ListFilter<'_>,
) -> Vec<rehearse::history::types::HistoryItem> {
    db::list(&pool.db(), user, &filter, 0).await.expect("list")
}

#[sqlx::test]
async fn list_aggregates_each_session_newest_first(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    assert!(db::list(&pool.db(), u, &db::ListFilter::default(), 0)
        .await
        .expect("empty")
        .is_empty());
    let new = |mode| NewSession {
        mode,
        levels: vec![],
        topics: vec![],
        count: 3,
        per_question_secs: None,
        total_secs: None,
        only: None,
    };
    let first = sessions::create(&pool.db(), u, &new(Mode::Practice), T0)
        .await
        .expect("create")
        .expect("some");
    sessions::submit(
        &pool.db(),
        first,
        u,
        0,
        rehearse::sessions::db::Rendered::later("a"),
        T0 + 4_000,
    )
    .await
    .expect("submit");
    sessions::grade(
        &pool.db(),
        first,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 4,
            ticked: &[],
            flagged: false,
            note: "",
        },
        T0 + 5_000,
    )
    .await
    .expect("grade");
    sessions::next(&pool.db(), first, u, 0, T0 + 6_000)
        .await
        .expect("next");
    sessions::submit(
        &pool.db(),
        first,
        u,
        1,
        rehearse::sessions::db::Rendered::later("b"),
        T0 + 8_000,
    )
    .await
    .expect("submit");
    sessions::grade(
        &pool.db(),
        first,
        u,
        rehearse::sessions::db::GradeInput {
            position: 1,
            grade: 1,
            ticked: &[],
            flagged: false,
            note: "",
        },
        T0 + 9_000,
    )
    .await
    .expect("grade");
    sessions::end(&pool.db(), first, u, T0 + 10_000)
        .await
        .expect("end");
    let second = sessions::create(&pool.db(), u, &new(Mode::Interview), T0 + 60_000)
        .await
        .expect("create")
        .expect("some");

    let all = db::list(&pool.db(), u, &db::ListFilter::default(), 0)
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].session_id, second.to_string(), "newest first");
    assert!(!all[0].finished);
    let f = &all[1];
    assert_eq!((f.count, f.answered, f.graded), (3, 2, 2));
    assert_eq!(f.mean_grade_x100, Some(250));
    assert_eq!(f.score(), Some(50));
    assert_eq!(f.time_used_ms, 4_000 + 2_000);
    let practice = listed(
        &pool,
        u,
        db::ListFilter {
            mode: Some(Mode::Practice),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(practice.len(), 1);
    // Level and topic: sessions holding at least one such question.
    let (level, topic): (String, String) = on!(&pool, |p| sqlx::query_as(
        "SELECT a.level, t.slug FROM session_answers a JOIN topics t ON t.id = a.topic_id
         WHERE a.session_id = $1 AND a.position = 0",
    )
    .bind(first)
    .fetch_one(p)
    .await)
    .expect("first question");
    let level = rehearse::questions::types::Level::parse(&level).expect("level");
    let by_topic = listed(
        &pool,
        u,
        db::ListFilter {
            topic: Some(&topic),
            level: Some(level),
            ..Default::default()
        },
    )
    .await;
    assert!(by_topic.iter().any(|s| s.session_id == first.to_string()));
    let nowhere = listed(
        &pool,
        u,
        db::ListFilter {
            topic: Some("no-such-topic"),
            ..Default::default()
        },
    )
    .await;
    assert!(nowhere.is_empty());
    // Dates bound the start, the end exclusive.
    let since_second = listed(
        &pool,
        u,
        db::ListFilter {
            since: Some(T0 + 60_000),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(since_second.len(), 1);
    assert_eq!(since_second[0].session_id, second.to_string());
    let before_second = listed(
        &pool,
        u,
        db::ListFilter {
            until: Some(T0 + 60_000),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(before_second.len(), 1);
    assert_eq!(before_second[0].session_id, first.to_string());

    let review = db::past_session(&pool.db(), first, u)
        .await
        .expect("review");
    assert_eq!(review.len(), 3);
    assert_eq!(review[0].answer.as_deref(), Some("a"));
    assert!(!review[0].key_points.is_empty());
    let stranger = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    assert!(
        db::past_session(&pool.db(), first, stranger).await.is_err(),
        "another user's session is not found"
    );
    assert!(
        db::list(&pool.db(), stranger, &db::ListFilter::default(), 0)
            .await
            .expect("list")
            .is_empty()
    );
}

#[sqlx::test]
async fn history_functions_refuse_other_users(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut alice = Client::new(&app);
    let id = alice.start_practice(None).await;
    assert_eq!(
        alice.call("history/review", &[("id", &id)]).await.status,
        200
    );
    let mut anon = Client::new(&app);
    assert_eq!(
        anon.call("history/review", &[("id", &id)]).await.status,
        401
    );
    assert_eq!(
        anon.call("history/list", &[("filter[page]", "1")])
            .await
            .body,
        "[]"
    );
    let mut bob = Client::new(&app);
    bob.register("bobhist", "several plain words").await;
    assert_eq!(bob.call("history/review", &[("id", &id)]).await.status, 404);
    assert_eq!(
        bob.call("history/list", &[("filter[page]", "1")])
            .await
            .body,
        "[]"
    );
}

#[sqlx::test]
async fn retry_the_weak_ones_takes_exactly_grades_one_and_two(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 4,
        per_question_secs: None,
        total_secs: None,
        only: None,
    };
    let s = sessions::create(&pool.db(), u, &new, T0)
        .await
        .expect("create")
        .expect("some");
    for (pos, grade) in [(0u32, 1u8), (1, 4), (2, 2), (3, 3)] {
        sessions::submit(
            &pool.db(),
            s,
            u,
            pos,
            rehearse::sessions::db::Rendered::later("x"),
            T0 + 1,
        )
        .await
        .expect("submit");
        sessions::grade(
            &pool.db(),
            s,
            u,
            rehearse::sessions::db::GradeInput {
                position: pos,
                grade,
                ticked: &[],
                flagged: false,
                note: "",
            },
            T0 + 2,
        )
        .await
        .expect("grade");
        sessions::next(&pool.db(), s, u, pos, T0 + 3)
            .await
            .expect("next");
    }
    let weak: Vec<i64> = on!(&pool, |p| sqlx::query_scalar("SELECT question_id FROM session_answers WHERE session_id = $1 AND self_grade <= 2 ORDER BY position")
        .bind(s)
        .fetch_all(p).await)
        .expect("weak");
    let retry = sessions::retry_weak(&pool.db(), s, u, Some(300), T0 + 10)
        .await
        .expect("retry")
        .expect("some weak");
    let drawn: Vec<i64> = on!(&pool, |p| sqlx::query_scalar(
        "SELECT question_id FROM session_answers WHERE session_id = $1 ORDER BY position",
    )
    .bind(retry)
    .fetch_all(p)
    .await)
    .expect("rows");
    assert_eq!(drawn, weak);
    let stranger = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    assert!(
        sessions::retry_weak(&pool.db(), s, stranger, None, T0)
            .await
            .is_err(),
        "only the owner can retry"
    );
}

/// A finished one-question session answered `text` and graded `grade`.
async fn answered_once(
    pool: &Pool,
    u: uuid::Uuid,
    only: Option<String>,
    text: &str,
    grade: u8,
    at: i64,
) -> uuid::Uuid {
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 1,
        per_question_secs: None,
        total_secs: None,
        only,
    };
    let s = sessions::create(&pool.db(), u, &new, at)
        .await
        .expect("create")
        .expect("some");
    sessions::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later(text),
        at + 1_000,
    )
    .await
    .expect("submit");
    sessions::grade(
        &pool.db(),
        s,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade,
            ticked: &[],
            flagged: false,
            note: "first note",
        },
        at + 2_000,
    )
    .await
    .expect("grade");
    sessions::next(&pool.db(), s, u, 0, at + 3_000)
        .await
        .expect("next");
    s
}

#[sqlx::test]
async fn regrading_keeps_the_original_and_moves_the_dashboard(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let s = answered_once(&pool, u, None, "an answer", 2, T0).await;
    let mean = |pool: Pool| async move {
        rehearse::dashboard::db::mastery(&pool.db(), u, 0)
            .await
            .expect("mastery")[0]
            .mean_x100
    };
    assert_eq!(mean(pool.clone()).await, 200);

    db::regrade(&pool.db(), s, u, 0, 4, "understood it later", T0 + 60_000)
        .await
        .expect("regrade");
    let review = db::past_session(&pool.db(), s, u).await.expect("review");
    assert_eq!(review[0].grade, Some(4));
    assert_eq!(review[0].note, "understood it later");
    let revisions = db::revisions(&pool.db(), s).await.expect("revisions");
    assert_eq!(revisions.len(), 1);
    let (position, at, r) = &revisions[0];
    assert_eq!((*position, *at), (0, T0 + 60_000));
    assert_eq!((r.old_grade, r.new_grade), (Some(2), Some(4)));
    assert_eq!(
        (r.old_note.as_str(), r.new_note.as_str()),
        ("first note", "understood it later")
    );
    assert_eq!(
        mean(pool.clone()).await,
        400,
        "the dashboard follows the new grade"
    );
    // The day it was earned does not move.
    let graded_at: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT graded_at FROM session_answers WHERE session_id = $1"
    )
    .bind(s)
    .fetch_one(p)
    .await)
    .expect("graded_at");
    assert_eq!(graded_at, T0 + 2_000);

    // Saving the same values records nothing.
    db::regrade(&pool.db(), s, u, 0, 4, "understood it later", T0 + 70_000)
        .await
        .expect("same");
    assert_eq!(
        db::revisions(&pool.db(), s).await.expect("revisions").len(),
        1
    );

    // Strangers, unanswered positions and live sessions are refused, and
    // change nothing.
    let stranger = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    assert!(matches!(
        db::regrade(&pool.db(), s, stranger, 0, 1, "", T0).await,
        Err(rehearse::error::AppError::NotFound(_))
    ));
    assert!(matches!(
        db::regrade(&pool.db(), s, u, 5, 1, "", T0).await,
        Err(rehearse::error::AppError::Conflict(_))
    ));
    let live = sessions::create(
        &pool.db(),
        u,
        &NewSession {
            mode: Mode::Practice,
            levels: vec![],
            topics: vec![],
            count: 1,
            per_question_secs: None,
            total_secs: None,
            only: None,
        },
        T0,
    )
    .await
    .expect("create")
    .expect("some");
    sessions::submit(
        &pool.db(),
        live,
        u,
        0,
        rehearse::sessions::db::Rendered::later("x"),
        T0 + 1,
    )
    .await
    .expect("submit");
    assert!(matches!(
        db::regrade(&pool.db(), live, u, 0, 3, "", T0 + 2).await,
        Err(rehearse::error::AppError::Conflict(_))
    ));
    assert_eq!(
        db::past_session(&pool.db(), s, u).await.expect("review")[0].grade,
        Some(4)
    );
}

#[sqlx::test]
async fn earlier_answers_come_newest_first_with_diffs(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    use rehearse::history::types::{DiffKind, PAST_ANSWERS_LIMIT};
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let slug: String = on!(&pool, |p| sqlx::query_scalar(
        "SELECT slug FROM questions WHERE archived = FALSE LIMIT 1"
    )
    .fetch_one(p)
    .await)
    .expect("question");
    let tz = jiff::tz::TimeZone::UTC;
    assert!(db::past_answers(&pool.db(), u, &slug, &tz)
        .await
        .expect("none")
        .is_empty());
    answered_once(&pool, u, Some(slug.clone()), "indexes speed reads", 2, T0).await;
    answered_once(
        &pool,
        u,
        Some(slug.clone()),
        "indexes speed reads but slow writes",
        3,
        T0 + 86_400_000,
    )
    .await;
    let past = db::past_answers(&pool.db(), u, &slug, &tz)
        .await
        .expect("past");
    assert_eq!(past.len(), 2);
    assert_eq!(past[0].grade, Some(3), "newest first");
    let added: String = past[0]
        .diff
        .iter()
        .filter(|p| p.kind == DiffKind::Added)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(added, " but slow writes");
    assert_eq!(
        past[1].diff.len(),
        1,
        "the first attempt has nothing to compare with"
    );
    assert_eq!(past[1].diff[0].kind, DiffKind::Same);
    // Another user sees none of it.
    let stranger = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    assert!(db::past_answers(&pool.db(), stranger, &slug, &tz)
        .await
        .expect("none")
        .is_empty());
    // At most the limit, the oldest shown still diffed against its
    // predecessor.
    for i in 0..PAST_ANSWERS_LIMIT {
        answered_once(
            &pool,
            u,
            Some(slug.clone()),
            &format!("attempt {i}"),
            1,
            T0 + (i + 2) * 86_400_000,
        )
        .await;
    }
    let past = db::past_answers(&pool.db(), u, &slug, &tz)
        .await
        .expect("past");
    assert_eq!(past.len(), PAST_ANSWERS_LIMIT as usize);
    let oldest = past.last().expect("oldest");
    // "attempt 0" against the long sentence before it: compared, and found
    // too different to mark up word by word.
    assert!(oldest.too_different, "compared with its predecessor");
    assert!(past[past.len() - 2]
        .diff
        .iter()
        .any(|p| p.kind != DiffKind::Same));
}

#[sqlx::test]
async fn regrading_is_for_the_owner_only_over_http(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut alice = Client::new(&app);
    alice.register("aliceregrade", "several plain words").await;
    let id = alice.start_practice(None).await;
    let regrade = |grade: &'static str| -> [(&'static str, String); 4] {
        [
            ("session_id", id.clone()),
            ("position", "0".to_owned()),
            ("grade", grade.to_owned()),
            ("note", "n".to_owned()),
        ]
    };
    fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
        v.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
    // Still running: grade it in the session.
    assert_eq!(
        alice
            .call("history/regrade", &as_refs(&regrade("3")))
            .await
            .status,
        409
    );
    let mut bob = Client::new(&app);
    bob.register("bobregrade", "several plain words").await;
    assert_eq!(
        bob.call("history/regrade", &as_refs(&regrade("3")))
            .await
            .status,
        404
    );
    let mut anon = Client::new(&app);
    assert_eq!(
        anon.call("history/regrade", &as_refs(&regrade("3")))
            .await
            .status,
        401
    );
    assert_eq!(
        alice
            .call("history/regrade", &as_refs(&regrade("9")))
            .await
            .status,
        422
    );
    let revisions: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM answer_revisions"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(revisions, 0, "refused calls change nothing");
}

#[sqlx::test]
async fn grading_again_after_the_session_keeps_a_revision(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let s = answered_once(&pool, u, None, "an answer", 2, T0).await;
    // The session is over; grading through the runner's function again is
    // a re-grade and must not overwrite silently.
    sessions::grade(
        &pool.db(),
        s,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 3,
            ticked: &[],
            flagged: false,
            note: "first note",
        },
        T0 + 9_000,
    )
    .await
    .expect("grade again");
    let revisions = db::revisions(&pool.db(), s).await.expect("revisions");
    assert_eq!(revisions.len(), 1);
    assert_eq!(
        (revisions[0].2.old_grade, revisions[0].2.new_grade),
        (Some(2), Some(3))
    );
}
