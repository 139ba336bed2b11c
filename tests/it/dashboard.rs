//! Dashboard aggregates against hand-computed fixtures, in the user's time
//! zone, and who may see them.

use crate::common::app_pool;
use crate::common::{app_with_bank, Client};
use rehearse::dashboard::{db, types::*};
use rehearse::platform::db::AsPool;
use rehearse::platform::db::Pool;
use rehearse::questions::{sync_builtin_bank, types::Level};
use sqlx::SqlitePool;
use uuid::Uuid;

const HOUR: i64 = 3_600_000;
/// 2026-11-22 12:00 UTC.
const NOON: i64 = 1_795_348_800_000;

struct Q {
    id: i64,
    level: String,
    topic_id: i64,
}

/// Two questions sharing a topic and level, and one at another level.
async fn questions(pool: &Pool) -> (Q, Q, Q) {
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let rows: Vec<(i64, String, i64)> = on!(pool, |p| sqlx::query_as(
        "SELECT id, level, topic_id FROM questions WHERE level = 'beginner' AND topic_id =
             (SELECT min(topic_id) FROM questions) ORDER BY id LIMIT 2",
    )
    .fetch_all(p)
    .await)
    .expect("questions");
    let other: (i64, String, i64) = on!(pool, |p| {
        sqlx::query_as(
        "SELECT id, level, topic_id FROM questions WHERE level = 'advanced' ORDER BY id LIMIT 1",
    )
    .fetch_one(p).await
    })
    .expect("question");
    let q = |(id, level, topic_id): (i64, String, i64)| Q {
        id,
        level,
        topic_id,
    };
    let mut rows = rows.into_iter();
    (
        q(rows.next().expect("one")),
        q(rows.next().expect("two")),
        q(other),
    )
}

async fn user(pool: &Pool, tz: &str) -> Uuid {
    let id = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    on!(pool, |p| sqlx::query(
        "UPDATE users SET time_zone = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(tz)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("tz");
    id
}

/// One graded answer.
struct A<'a> {
    q: &'a Q,
    grade: i64,
    at: i64,
    spent: i64,
    limit: Option<i64>,
    flagged: bool,
}

fn a(q: &Q, grade: i64, at: i64) -> A<'_> {
    A {
        q,
        grade,
        at,
        spent: 60_000,
        limit: None,
        flagged: false,
    }
}

/// A finished session holding `answers` in order, graded the way the app
/// grades: the rollups are maintained in the same transaction.
async fn session(pool: &Pool, user: Uuid, answers: &[A<'_>]) -> Uuid {
    let id = Uuid::now_v7();
    let started = answers.first().map_or(NOON, |a| a.at - a.spent);
    on!(pool, |p| {
        let mut tx = backend::begin_write(p).await.expect("tx");
        sqlx::query(
        "INSERT INTO interview_sessions (id, user_id, mode, started_at, finished_at, status, question_count)
         VALUES ($1, $2, 'practice', $3, $3, 'finished', $4)",
    )
    .bind(id)
    .bind(user)
    .bind(started)
    .bind(answers.len() as i64)
    .execute(&mut *tx)
    .await
    .expect("session");
        for (position, a) in answers.iter().enumerate() {
            let begun = a.at - a.spent;
            sqlx::query(
            "INSERT INTO session_answers (session_id, position, user_id, question_id, level, topic_id,
                 answer, started_at, deadline_at, submitted_at, time_spent_ms, self_grade, graded_at, flagged)
             VALUES ($1, $2, $3, $4, $5, $6, 'x', $7, $8, $9, $10, $11, $9, $12)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(user)
        .bind(a.q.id)
        .bind(&a.q.level)
        .bind(a.q.topic_id)
        .bind(begun)
        .bind(a.limit.map(|l| begun + l))
        .bind(a.at)
        .bind(a.spent)
        .bind(a.grade)
        .bind(a.flagged)
        .execute(&mut *tx)
        .await
        .expect("answer");
            backend::rollup::grade_changed(&mut tx, id, position as u32, None, a.grade as u8)
                .await
                .expect("rollup");
        }
        tx.commit().await.expect("commit");
    });
    id
}

fn all_time() -> RangeQuery {
    RangeQuery {
        preset: "all".into(),
        ..RangeQuery::default()
    }
}

#[sqlx::test]
async fn an_empty_history_gives_an_empty_dashboard(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    questions(&pool).await;
    let u = user(&pool, "UTC").await;
    let d = db::dashboard(&pool.db(), u, &RangeQuery::default(), NOON)
        .await
        .expect("dashboard");
    assert_eq!(d.graded, 0);
    assert!(d.mastery.is_empty() && d.trend.is_empty() && d.levels.is_empty());
    assert!(d.weakest.is_empty() && d.flagged.is_empty());
    assert_eq!(d.streak, Some(Streak::default()));
    assert_eq!(d.calendar.len(), 90, "the default range is 90 days");
    assert!(d.calendar.iter().all(|day| day.count == 0));
    assert_eq!(
        (d.from.as_str(), d.to.as_str()),
        ("2026-08-25", "2026-11-22")
    );
}

#[sqlx::test]
async fn one_answer_fills_every_part(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let (q1, _, _) = questions(&pool).await;
    let u = user(&pool, "UTC").await;
    session(&pool, u, &[a(&q1, 3, NOON - HOUR)]).await;
    let d = db::dashboard(&pool.db(), u, &all_time(), NOON)
        .await
        .expect("dashboard");
    assert_eq!(d.graded, 1);
    assert_eq!(d.mastery.len(), 1);
    assert_eq!((d.mastery[0].mean_x100, d.mastery[0].questions), (300, 1));
    assert_eq!(d.trend.len(), 1);
    // Grade 3 is two thirds of the way from 1 to 4.
    assert_eq!((d.trend[0].score, d.trend[0].moving_average), (67, 67));
    assert_eq!(d.levels.len(), 1);
    assert_eq!(d.levels[0].mean_spent_ms, 60_000);
    assert_eq!(
        d.streak,
        Some(Streak {
            current: 1,
            longest: 1
        })
    );
    assert_eq!(d.calendar.len(), 1);
    assert_eq!(
        (d.calendar[0].date.as_str(), d.calendar[0].count),
        ("2026-11-22", 1)
    );
    assert_eq!(d.calendar[0].weekday, 6, "2026-11-22 is a Sunday");
    assert_eq!(d.weakest.len(), 1);
    assert_eq!(d.weakest[0].grade, 3);
}

#[sqlx::test]
async fn mastery_uses_each_questions_latest_grade(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let (q1, q2, q3) = questions(&pool).await;
    let u = user(&pool, "UTC").await;
    let day = 24 * HOUR;
    // q1: 1 then 4 (latest 4); q2: 2; q3 (advanced): 1, flagged.
    session(
        &pool,
        u,
        &[a(&q1, 1, NOON - 3 * day), a(&q2, 2, NOON - 3 * day + HOUR)],
    )
    .await;
    session(
        &pool,
        u,
        &[
            a(&q1, 4, NOON - day),
            A {
                flagged: true,
                limit: Some(30_000),
                ..a(&q3, 1, NOON - day + HOUR)
            },
        ],
    )
    .await;
    let d = db::dashboard(&pool.db(), u, &all_time(), NOON)
        .await
        .expect("dashboard");
    assert_eq!(d.graded, 4);
    let beginner = d
        .mastery
        .iter()
        .find(|c| c.level == Level::Beginner)
        .expect("beginner cell");
    // Latest grades 4 (q1) and 2 (q2): mean 3.00 over two questions.
    assert_eq!((beginner.mean_x100, beginner.questions), (300, 2));
    let advanced = d
        .mastery
        .iter()
        .find(|c| c.level == Level::Advanced)
        .expect("advanced cell");
    assert_eq!((advanced.mean_x100, advanced.questions), (100, 1));
    // Sessions: (1+2)/2 = 1.5 → 17 %; (4+1)/2 = 2.5 → 50 %; average 33.5.
    let scores: Vec<(i64, i64)> = d
        .trend
        .iter()
        .map(|p| (p.score, p.moving_average))
        .collect();
    assert_eq!(scores, vec![(17, 17), (50, 33)]);
    // Per level: beginner 3 answers, advanced 1 with a 30 s limit, over it.
    let counts: Vec<(Level, u32)> = d.levels.iter().map(|l| (l.level, l.answers)).collect();
    assert_eq!(counts, vec![(Level::Beginner, 3), (Level::Advanced, 1)]);
    let adv = &d.levels[1];
    assert_eq!(
        (adv.mean_limit_ms, adv.timed, adv.over_limit),
        (Some(30_000), 1, 1)
    );
    assert_eq!(d.levels[0].mean_limit_ms, None);
    // Weakest: q3 (1) then q2 (2); q1's latest 4 is not weak. Ties sort
    // older first.
    let weakest: Vec<u8> = d.weakest.iter().map(|w| w.grade).collect();
    assert_eq!(weakest, vec![1, 2]);
    assert_eq!(d.weakest[1].attempts, 1);
    assert_eq!(d.flagged.len(), 1);
    assert_eq!(d.flagged[0].level, Level::Advanced);
    // Days: -3 and -1 active, -2 and today idle: current 1, longest 1.
    assert_eq!(
        d.streak,
        Some(Streak {
            current: 1,
            longest: 1
        })
    );
    // A range that holds only the second session.
    let recent = RangeQuery {
        preset: "custom".into(),
        from: "2026-11-21".into(),
        to: "2026-11-22".into(),
    };
    let d = db::dashboard(&pool.db(), u, &recent, NOON)
        .await
        .expect("dashboard");
    assert_eq!(d.graded, 2);
    assert_eq!(d.trend.len(), 1);
    assert_eq!(
        d.calendar.iter().map(|c| c.count).collect::<Vec<_>>(),
        vec![2, 0]
    );
}

#[sqlx::test]
async fn ties_in_weakest_put_the_longest_waiting_first(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let (q1, q2, _) = questions(&pool).await;
    let u = user(&pool, "UTC").await;
    session(
        &pool,
        u,
        &[a(&q2, 2, NOON - 2 * HOUR), a(&q1, 2, NOON - HOUR)],
    )
    .await;
    let d = db::dashboard(&pool.db(), u, &all_time(), NOON)
        .await
        .expect("dashboard");
    let order: Vec<&str> = d.weakest.iter().map(|w| w.slug.as_str()).collect();
    let mut expected = Vec::new();
    for id in [q2.id, q1.id] {
        let slug: String = on!(&pool, |p| sqlx::query_scalar(
            "SELECT slug FROM questions WHERE id = $1"
        )
        .bind(id)
        .fetch_one(p)
        .await)
        .expect("slug");
        expected.push(slug);
    }
    assert_eq!(order, expected);
}

#[sqlx::test]
async fn days_and_streaks_follow_the_users_time_zone(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let (q1, q2, _) = questions(&pool).await;
    // New York is UTC-5 in November: 04:30 UTC on the 22nd is still the
    // 21st there, 05:30 UTC is the 22nd.
    let at_0430 = NOON - 7 * HOUR - HOUR / 2;
    let at_0530 = at_0430 + HOUR;
    let ny = user(&pool, "America/New_York").await;
    let utc = user(&pool, "UTC").await;
    for u in [ny, utc] {
        session(&pool, u, &[a(&q1, 3, at_0430), a(&q2, 3, at_0530)]).await;
    }
    let week = RangeQuery {
        preset: "custom".into(),
        from: "2026-11-20".into(),
        to: "2026-11-22".into(),
    };
    let d = db::dashboard(&pool.db(), ny, &week, NOON)
        .await
        .expect("ny");
    let days: Vec<(&str, u32)> = d
        .calendar
        .iter()
        .map(|c| (c.date.as_str(), c.count))
        .collect();
    assert_eq!(
        days,
        vec![("2026-11-20", 0), ("2026-11-21", 1), ("2026-11-22", 1)]
    );
    assert_eq!(
        d.streak,
        Some(Streak {
            current: 2,
            longest: 2
        })
    );
    let d = db::dashboard(&pool.db(), utc, &week, NOON)
        .await
        .expect("utc");
    let days: Vec<(&str, u32)> = d
        .calendar
        .iter()
        .map(|c| (c.date.as_str(), c.count))
        .collect();
    assert_eq!(
        days,
        vec![("2026-11-20", 0), ("2026-11-21", 0), ("2026-11-22", 2)]
    );
    assert_eq!(
        d.streak,
        Some(Streak {
            current: 1,
            longest: 1
        })
    );
    // In New York at 03:00 UTC on the 23rd it is still the 22nd.
    let later = NOON + 15 * HOUR;
    let d = db::dashboard(&pool.db(), ny, &all_time(), later)
        .await
        .expect("ny later");
    assert_eq!(d.to, "2026-11-22");
    // Hidden streaks are not computed at all.
    on!(&pool, |p| sqlx::query(
        "UPDATE users SET hide_streaks = TRUE WHERE id = $1"
    )
    .bind(ny)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("hide");
    let d = db::dashboard(&pool.db(), ny, &all_time(), NOON)
        .await
        .expect("hidden");
    assert_eq!(d.streak, None);
}

#[sqlx::test]
async fn the_dashboard_shows_only_the_callers_answers(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut anon = Client::new(&app);
    let r = anon
        .call("dashboard/get", &[("range[preset]", "all")])
        .await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "null"),
        "nobody: nothing"
    );
    let mut alice = Client::new(&app);
    alice.register("alicedash", "several plain words").await;
    let alice_id: Uuid = on!(&pool, |p| sqlx::query_scalar(
        "SELECT id FROM users WHERE username = 'alicedash'"
    )
    .fetch_one(p)
    .await)
    .expect("alice");
    let q: Q = {
        let (id, level, topic_id): (i64, String, i64) = on!(&pool, |p| sqlx::query_as(
            "SELECT id, level, topic_id FROM questions LIMIT 1"
        )
        .fetch_one(p)
        .await)
        .expect("q");
        Q {
            id,
            level,
            topic_id,
        }
    };
    session(
        &pool,
        alice_id,
        &[a(&q, 4, rehearse::platform::now_ms() - HOUR)],
    )
    .await;
    let mine = alice
        .call("dashboard/get", &[("range[preset]", "30d")])
        .await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let mine: Dashboard = serde_json::from_str(&mine.body).expect("json");
    assert_eq!(mine.graded, 1);
    let mut bob = Client::new(&app);
    bob.register("bobdash", "several plain words").await;
    let theirs = bob.call("dashboard/get", &[("range[preset]", "30d")]).await;
    let theirs: Option<Dashboard> = serde_json::from_str(&theirs.body).expect("json");
    assert_eq!(theirs.map(|d| d.graded), Some(0));
    // Bad ranges are refused with a clear message and nothing else.
    let bad = alice
        .call(
            "dashboard/get",
            &[("range[preset]", "custom"), ("range[from]", "2026-13-01")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Use a date like"), "{}", bad.body);
}

#[sqlx::test]
async fn rollups_agree_with_the_answers_and_survive_a_rebuild(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let (q1, q2, q3) = questions(&pool).await;
    let u = user(&pool, "Europe/Berlin").await;
    let day = 24 * HOUR;
    session(
        &pool,
        u,
        &[a(&q1, 2, NOON - 9 * day), a(&q2, 1, NOON - 9 * day + HOUR)],
    )
    .await;
    session(
        &pool,
        u,
        &[a(&q1, 3, NOON - 2 * day), a(&q3, 4, NOON - 2 * day + HOUR)],
    )
    .await;
    let start = NOON - 30 * day;
    let now_end = NOON + day;
    // The rollup answers for "up to now" exactly as the raw answers do.
    assert_eq!(
        db::mastery(&pool.db(), u, start).await.expect("rollup"),
        db::mastery_between(&pool.db(), u, start, now_end)
            .await
            .expect("raw")
    );
    let tz = jiff::tz::TimeZone::UTC;
    assert_eq!(
        db::weakest(&pool.db(), u, start, &tz)
            .await
            .expect("rollup"),
        db::weakest_between(&pool.db(), u, start, now_end, &tz)
            .await
            .expect("raw")
    );
    // A rebuild from scratch gives the same rollups as the incremental path.
    let snapshot = |pool: Pool| async move {
        let days: Vec<(String, String, i64, i64, i64)> = on!(&pool, |p| sqlx::query_as(
            "SELECT day, level, answers, grade_sum, spent_ms FROM daily_progress ORDER BY day, level",
        )
        .fetch_all(p).await)
        .expect("days");
        let questions: Vec<(i64, i64, i64, i64)> = on!(&pool, |p| sqlx::query_as(
            "SELECT question_id, attempts, last_grade, last_graded_at FROM question_progress ORDER BY question_id",
        )
        .fetch_all(p).await)
        .expect("questions");
        let sessions: Vec<(i64, i64, Option<i64>)> = on!(&pool, |p| {
            sqlx::query_as(
            "SELECT graded_count, grade_sum, first_graded_at FROM interview_sessions ORDER BY id",
        )
        .fetch_all(p).await
        })
        .expect("sessions");
        (days, questions, sessions)
    };
    let before = snapshot(pool.clone()).await;
    assert_eq!(before.0.len(), 3, "three (day, level) rows");
    assert_eq!(before.1.len(), 3);
    rehearse::grading::db::rebuild_all(&pool.db())
        .await
        .expect("rebuild");
    assert_eq!(snapshot(pool.clone()).await, before);
    // Moving to another zone recounts the days.
    on!(&pool, |p| {
        let mut tx = backend::begin_write(p).await.expect("tx");
        backend::rollup::rebuild_days(&mut tx, u, "Pacific/Kiritimati")
            .await
            .expect("rebuild days");
        tx.commit().await.expect("commit");
    });
    let days: Vec<String> = on!(&pool, |p| sqlx::query_scalar(
        "SELECT DISTINCT day FROM daily_progress ORDER BY day"
    )
    .fetch_all(p)
    .await)
    .expect("days");
    // Kiritimati is UTC+14: noon UTC is 02:00 the next day there.
    assert_eq!(days, vec!["2026-11-14".to_owned(), "2026-11-21".to_owned()]);
}

#[sqlx::test]
async fn a_past_range_uses_the_grades_it_held(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let (q1, _, _) = questions(&pool).await;
    let u = user(&pool, "UTC").await;
    let day = 24 * HOUR;
    // Missed ten days ago, Excellent today.
    session(&pool, u, &[a(&q1, 1, NOON - 10 * day)]).await;
    session(&pool, u, &[a(&q1, 4, NOON - HOUR)]).await;
    let past = RangeQuery {
        preset: "custom".into(),
        from: "2026-11-10".into(),
        to: "2026-11-15".into(),
    };
    let d = db::dashboard(&pool.db(), u, &past, NOON)
        .await
        .expect("past");
    assert_eq!(d.mastery[0].mean_x100, 100, "the grade it had then");
    assert_eq!(d.weakest.len(), 1);
    let d = db::dashboard(&pool.db(), u, &all_time(), NOON)
        .await
        .expect("now");
    assert_eq!(d.mastery[0].mean_x100, 400, "the grade it has now");
    assert!(d.weakest.is_empty());
}

#[sqlx::test]
async fn a_regrade_with_a_missing_day_row_recounts_the_days(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let (q1, _, _) = questions(&pool).await;
    let u = user(&pool, "UTC").await;
    let s = session(&pool, u, &[a(&q1, 1, NOON - HOUR)]).await;
    on!(&pool, |p| sqlx::query("DELETE FROM daily_progress")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
    .expect("lose the day");
    rehearse::history::db::regrade(&pool.db(), s, u, 0, 3, "", NOON)
        .await
        .expect("regrade");
    let row: (i64, i64) = on!(&pool, |p| sqlx::query_as(
        "SELECT answers, grade_sum FROM daily_progress"
    )
    .fetch_one(p)
    .await)
    .expect("recounted");
    assert_eq!(row, (1, 3), "recounted with the new grade");
}
