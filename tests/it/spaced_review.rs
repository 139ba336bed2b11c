//! Spaced review: one grade path for every way a person grades their own
//! answer, the FSRS schedule it keeps, the queue, caps, leeches, card
//! actions, the plan, and that nobody reaches another person's cards.

use crate::common::app_pool;
use crate::common::{account, app_with_bank, Client};
use rehearse::grading::{db as grading, schedule, types::*};
use rehearse::platform::db::AsPool;
use rehearse::platform::db::Pool;
use rehearse::questions::sync_builtin_bank;
use rehearse::sessions::{db as sessions, db::NewSession, types::Mode};
use sqlx::SqlitePool;
use uuid::Uuid;

const T0: i64 = 1_800_000_000_000;
const DAY: i64 = schedule::DAY_MS;

fn one(mode: Mode, slug: &str) -> NewSession {
    NewSession {
        mode,
        levels: vec![],
        topics: vec![],
        count: 1,
        per_question_secs: None,
        total_secs: None,
        only: Some(slug.to_owned()),
    }
}

async fn slugs(pool: &Pool, n: i64) -> Vec<String> {
    on!(pool, |p| sqlx::query_scalar(
        "SELECT slug FROM questions WHERE source = 'builtin' ORDER BY id LIMIT $1"
    )
    .bind(n)
    .fetch_all(p)
    .await)
    .expect("slugs")
}

async fn question_id(pool: &Pool, slug: &str) -> i64 {
    on!(pool, |p| sqlx::query_scalar(
        "SELECT id FROM questions WHERE slug = $1"
    )
    .bind(slug)
    .fetch_one(p)
    .await)
    .expect("question")
}

/// Answers `slug` once in a new session at `at` with `grade`, and ends it.
async fn answer(pool: &Pool, u: Uuid, mode: Mode, slug: &str, grade: u8, at: i64) -> Uuid {
    let s = sessions::create(&pool.db(), u, &one(mode, slug), at)
        .await
        .expect("create")
        .expect("some");
    sessions::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("my answer"),
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
            ticked: &[0],
            flagged: false,
            note: "",
        },
        at + 2_000,
    )
    .await
    .expect("grade");
    sessions::end(&pool.db(), s, u, at + 3_000)
        .await
        .expect("end");
    s
}

#[derive(sqlx::FromRow, Debug)]
struct Stored {
    question_id: i64,
    state: String,
    due_at: i64,
    stability: f64,
    difficulty: f64,
    reps: i64,
    lapses: i64,
    leech: bool,
}

/// Every card of `u` equals a replay of its review log from scratch (the
/// user's zone is UTC): the incremental steps never drift from the log.
async fn assert_cards_match_log(pool: &Pool, u: Uuid) {
    let cards: Vec<Stored> = on!(pool, |p| sqlx::query_as(
        "SELECT question_id, state, due_at, stability, difficulty, reps, lapses, leech
         FROM review_cards WHERE user_id = $1 AND state <> 'new'",
    )
    .bind(u)
    .fetch_all(p)
    .await)
    .expect("cards");
    assert!(!cards.is_empty());
    for c in cards {
        let log: Vec<(i64, i64)> = on!(pool, |p| sqlx::query_as(
            "SELECT reviewed_at, grade FROM review_log WHERE user_id = $1 AND question_id = $2
             ORDER BY reviewed_at, id",
        )
        .bind(u)
        .bind(c.question_id)
        .fetch_all(p)
        .await)
        .expect("log");
        let reviews: Vec<schedule::Review> = log
            .iter()
            .map(|&(at, grade)| schedule::Review {
                at,
                day: at.div_euclid(DAY),
                grade: u8::try_from(grade).expect("grade"),
            })
            .collect();
        let rebuilt = schedule::replay(&reviews, 0.9, T0).expect("replay");
        let last = rebuilt.last().expect("a review");
        assert_eq!(c.state, last.state.as_str(), "question {}", c.question_id);
        assert_eq!(c.due_at, last.due_at);
        assert_eq!(
            (c.reps, c.lapses, c.leech),
            (last.reps, last.lapses, last.leech)
        );
        assert!((c.stability - last.stability).abs() < 1e-4);
        assert!((c.difficulty - last.difficulty).abs() < 1e-4);
    }
}

async fn log_rows(pool: &Pool, u: Uuid) -> Vec<(i64, String)> {
    on!(pool, |p| sqlx::query_as(
        "SELECT grade, source FROM review_log WHERE user_id = $1 ORDER BY reviewed_at, id",
    )
    .bind(u)
    .fetch_all(p)
    .await)
    .expect("log")
}

#[sqlx::test]
async fn every_grade_path_keeps_answer_revision_rollups_and_card_consistent(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let qs = slugs(&pool, 3).await;
    // The runner, in practice and in an interview.
    let first = answer(&pool, u, Mode::Practice, &qs[0], 3, T0).await;
    answer(&pool, u, Mode::Interview, &qs[1], 1, T0 + 10_000).await;
    answer(&pool, u, Mode::Interview, &qs[0], 4, T0 + 4 * DAY).await;
    assert_eq!(
        log_rows(&pool, u).await,
        vec![
            (3, "practice".into()),
            (1, "interview".into()),
            (4, "interview".into())
        ]
    );
    assert_cards_match_log(&pool, u).await;

    // A re-grade of the first answer rewrites its review and replays the card.
    rehearse::history::db::regrade(
        &pool.db(),
        first,
        u,
        0,
        1,
        "forgot the key idea",
        T0 + 5 * DAY,
    )
    .await
    .expect("regrade");
    assert_eq!(log_rows(&pool, u).await[0], (1, "practice".into()));
    let (grade, note): (i64, String) = on!(&pool, |p| sqlx::query_as(
        "SELECT self_grade, note FROM session_answers WHERE session_id = $1 AND position = 0",
    )
    .bind(first)
    .fetch_one(p)
    .await)
    .expect("answer");
    assert_eq!((grade, note.as_str()), (1, "forgot the key idea"));
    let revisions: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM answer_revisions WHERE session_id = $1"
    )
    .bind(first)
    .fetch_one(p)
    .await)
    .expect("revisions");
    assert_eq!(revisions, 1);
    // The rollups follow: the latest grade of the first question is still 4.
    let (attempts, last): (i64, i64) = on!(&pool, |p| sqlx::query_as(
        "SELECT attempts, last_grade FROM question_progress WHERE user_id = $1 AND question_id = $2",
    )
    .bind(u)
    .bind(question_id(&pool, &qs[0]).await)
    .fetch_one(p).await)
    .expect("progress");
    assert_eq!((attempts, last), (2, 4));
    assert_cards_match_log(&pool, u).await;

    // Changing the grade while the session runs moves the same review.
    let s = sessions::create(&pool.db(), u, &one(Mode::Practice, &qs[2]), T0 + 6 * DAY)
        .await
        .expect("create")
        .expect("some");
    sessions::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("x"),
        T0 + 6 * DAY + 1,
    )
    .await
    .expect("submit");
    sessions::grade(
        &pool.db(),
        s,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 2,
            ticked: &[],
            flagged: false,
            note: "",
        },
        T0 + 6 * DAY + 2,
    )
    .await
    .expect("grade");
    sessions::grade(
        &pool.db(),
        s,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 3,
            ticked: &[],
            flagged: true,
            note: "",
        },
        T0 + 6 * DAY + 3,
    )
    .await
    .expect("regrade");
    assert_eq!(log_rows(&pool, u).await.len(), 4);
    assert_eq!(log_rows(&pool, u).await[3], (3, "practice".into()));
    assert_cards_match_log(&pool, u).await;

    // A review session's grades are logged as reviews.
    let review = rehearse::sessions::db::start_review(&pool.db(), u, T0 + 40 * DAY)
        .await
        .expect("start")
        .expect("something due");
    sessions::submit(
        &pool.db(),
        review,
        u,
        0,
        rehearse::sessions::db::Rendered::later("y"),
        T0 + 40 * DAY + 1,
    )
    .await
    .expect("submit");
    sessions::grade(
        &pool.db(),
        review,
        u,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 3,
            ticked: &[],
            flagged: false,
            note: "",
        },
        T0 + 40 * DAY + 2,
    )
    .await
    .expect("grade");
    assert_eq!(log_rows(&pool, u).await[4].1, "review");
    assert_cards_match_log(&pool, u).await;
}

#[sqlx::test]
async fn practice_without_touching_the_schedule_still_counts_on_the_dashboard(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let qs = slugs(&pool, 2).await;
    let settings = ReviewSettings {
        practice_schedules: false,
        ..ReviewSettings::default()
    };
    grading::save_settings(&pool.db(), u, &settings)
        .await
        .expect("save");
    answer(&pool, u, Mode::Practice, &qs[0], 1, T0).await;
    assert!(
        log_rows(&pool, u).await.is_empty(),
        "practice left the schedule alone"
    );
    let cards: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM review_cards WHERE user_id = $1"
    )
    .bind(u)
    .fetch_one(p)
    .await)
    .expect("cards");
    assert_eq!(cards, 0);
    let graded: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM question_progress WHERE user_id = $1"
    )
    .bind(u)
    .fetch_one(p)
    .await)
    .expect("progress");
    assert_eq!(graded, 1, "the dashboard still counts it");
    // Interviews always schedule.
    answer(&pool, u, Mode::Interview, &qs[1], 3, T0 + DAY).await;
    assert_eq!(log_rows(&pool, u).await, vec![(3, "interview".into())]);
}

#[sqlx::test]
async fn due_questions_come_back_overdue_first_and_the_caps_hold_after_an_absence(
    pool: SqlitePool,
) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let qs = slugs(&pool, 12).await;
    for (i, slug) in qs.iter().enumerate() {
        // Graded on different days, so they fall due on different days.
        answer(&pool, u, Mode::Interview, slug, 3, T0 + i as i64 * DAY).await;
    }
    let settings = ReviewSettings {
        new_per_day: 0,
        reviews_per_day: 5,
        ..ReviewSettings::default()
    };
    grading::save_settings(&pool.db(), u, &settings)
        .await
        .expect("save");
    // The day after the last grade, nothing graded "Good" is due yet.
    let soon = grading::queue(&pool.db(), u, T0 + 12 * DAY)
        .await
        .expect("queue");
    assert!(soon.reviews.len() < 12);
    // Sixty days away: everything is due, only the cap shows, the most
    // overdue (graded first) first, and the rest are counted as waiting.
    let back = grading::queue(&pool.db(), u, T0 + 72 * DAY)
        .await
        .expect("queue");
    assert_eq!(back.reviews.len(), 5);
    assert_eq!(back.waiting, 7);
    assert!(back.new.is_empty());
    assert_eq!(back.reviews[0].slug, qs[0]);
    assert!(
        back.reviews[0].when.starts_with("overdue"),
        "{}",
        back.reviews[0].when
    );
    // Reviewing counts against today's cap.
    let s = rehearse::sessions::db::start_review(&pool.db(), u, T0 + 72 * DAY)
        .await
        .expect("start")
        .expect("due");
    for p in 0..2u32 {
        let at = T0 + 72 * DAY + i64::from(p) * 10_000;
        if p > 0 {
            sessions::next(&pool.db(), s, u, p - 1, at)
                .await
                .expect("next");
        }
        sessions::submit(
            &pool.db(),
            s,
            u,
            p,
            rehearse::sessions::db::Rendered::later("z"),
            at + 1,
        )
        .await
        .expect("submit");
        sessions::grade(
            &pool.db(),
            s,
            u,
            rehearse::sessions::db::GradeInput {
                position: p,
                grade: 4,
                ticked: &[],
                flagged: false,
                note: "",
            },
            at + 2,
        )
        .await
        .expect("grade");
    }
    let later = grading::queue(&pool.db(), u, T0 + 72 * DAY + 60_000)
        .await
        .expect("queue");
    assert_eq!(later.done_today, 2);
    assert_eq!(later.reviews.len(), 3, "5 a day, 2 done");
    assert_eq!(later.active_session, Some(s.to_string()));
    // The forecast counts everything due today, overdue included.
    let forecast = grading::forecast(&pool.db(), u, T0 + 72 * DAY + 60_000, 30)
        .await
        .expect("forecast");
    assert_eq!(forecast.len(), 30);
    assert_eq!(forecast[0].count, 10);
    // The two just reviewed ("Easy" after two months) are due later on.
    let ahead: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM review_cards WHERE user_id = $1 AND due_at < $2 AND due_at >= $3",
    )
    .bind(u)
    .bind(T0 + 102 * DAY)
    .bind(T0 + 73 * DAY)
    .fetch_one(p)
    .await)
    .expect("ahead");
    assert_eq!(
        forecast[1..].iter().map(|d| d.count).sum::<u32>(),
        ahead as u32
    );
}

#[sqlx::test]
async fn an_empty_queue_says_when_the_next_is_due(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let settings = ReviewSettings {
        new_per_day: 0,
        ..ReviewSettings::default()
    };
    grading::save_settings(&pool.db(), u, &settings)
        .await
        .expect("save");
    let empty = grading::queue(&pool.db(), u, T0).await.expect("queue");
    assert!(empty.is_empty());
    assert_eq!(empty.next_due, None);
    assert!(rehearse::sessions::db::start_review(&pool.db(), u, T0)
        .await
        .expect("start")
        .is_none());
    let qs = slugs(&pool, 1).await;
    answer(&pool, u, Mode::Practice, &qs[0], 1, T0).await;
    let q = grading::queue(&pool.db(), u, T0 + 60_000)
        .await
        .expect("queue");
    assert!(q.is_empty());
    assert!(
        q.next_due
            .as_deref()
            .is_some_and(|d| d.starts_with("tomorrow")),
        "{:?}",
        q.next_due
    );
}

#[sqlx::test]
async fn a_question_forgotten_eight_times_becomes_a_leech(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let slug = slugs(&pool, 1).await.remove(0);
    answer(&pool, u, Mode::Practice, &slug, 3, T0).await;
    for i in 1..=8 {
        answer(&pool, u, Mode::Practice, &slug, 1, T0 + i * 3 * DAY).await;
    }
    let status = grading::card_status(&pool.db(), u, &slug, T0 + 30 * DAY)
        .await
        .expect("status");
    assert_eq!(status.lapses, 8);
    assert!(status.leech);
    let q = grading::queue(&pool.db(), u, T0 + 60 * DAY)
        .await
        .expect("queue");
    assert!(
        q.reviews.iter().all(|r| r.slug != slug),
        "a leech is not shown again"
    );
    let stats = grading::stats(&pool.db(), u, T0, T0 + 60 * DAY, T0 + 60 * DAY)
        .await
        .expect("stats");
    assert_eq!(stats.leeches.len(), 1);
    assert_eq!(
        (stats.leeches[0].slug.as_str(), stats.leeches[0].lapses),
        (slug.as_str(), 8)
    );
    // Retention: 8 of the 8 reviews of a learnt card failed... all but none passed.
    assert_eq!(stats.retention_pct, Some(0));
    // Reset: a fresh start, and older grades no longer count.
    grading::card_action(&pool.db(), u, &slug, CardAction::Reset, T0 + 61 * DAY)
        .await
        .expect("reset");
    let fresh = grading::card_status(&pool.db(), u, &slug, T0 + 61 * DAY)
        .await
        .expect("status");
    assert_eq!(
        (fresh.state, fresh.reps, fresh.lapses, fresh.leech),
        (CardState::New, 0, 0, false)
    );
    answer(&pool, u, Mode::Practice, &slug, 3, T0 + 62 * DAY).await;
    let after = grading::card_status(&pool.db(), u, &slug, T0 + 62 * DAY)
        .await
        .expect("status");
    assert_eq!((after.reps, after.lapses), (1, 0));
}

#[sqlx::test]
async fn bury_and_suspend_keep_a_question_out_of_the_queue(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let qs = slugs(&pool, 2).await;
    answer(&pool, u, Mode::Practice, &qs[0], 1, T0).await;
    answer(&pool, u, Mode::Practice, &qs[1], 1, T0).await;
    let due = |q: &ReviewQueue, s: &str| q.reviews.iter().any(|r| r.slug == s);
    let day2 = T0 + 2 * DAY;
    assert!(due(
        &grading::queue(&pool.db(), u, day2).await.expect("q"),
        &qs[0]
    ));
    grading::card_action(&pool.db(), u, &qs[0], CardAction::Bury, day2)
        .await
        .expect("bury");
    grading::card_action(&pool.db(), u, &qs[1], CardAction::Suspend, day2)
        .await
        .expect("suspend");
    let today = grading::queue(&pool.db(), u, day2 + 1).await.expect("q");
    assert!(!due(&today, &qs[0]) && !due(&today, &qs[1]));
    let tomorrow = grading::queue(&pool.db(), u, day2 + DAY).await.expect("q");
    assert!(due(&tomorrow, &qs[0]), "buried until tomorrow only");
    assert!(!due(&tomorrow, &qs[1]), "suspended until unsuspended");
    grading::card_action(&pool.db(), u, &qs[1], CardAction::Unsuspend, day2 + DAY)
        .await
        .expect("unsuspend");
    assert!(due(
        &grading::queue(&pool.db(), u, day2 + DAY).await.expect("q"),
        &qs[1]
    ));
}

#[sqlx::test]
async fn the_plan_picks_new_questions_from_its_areas_and_reports_progress(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let form = PlanForm {
        interview_on: "2027-01-29".into(),
        minutes_per_day: 30,
        levels: vec![rehearse::questions::types::Level::Advanced],
        topics: vec!["databases".into(), "security".into()],
    };
    // 2027-01-15 (T0) in UTC: the plan runs 14 days.
    grading::save_plan(&pool.db(), u, &form, T0)
        .await
        .expect("plan");
    assert_eq!(
        grading::plan(&pool.db(), u).await.expect("plan"),
        Some(form)
    );
    let q = grading::queue(&pool.db(), u, T0).await.expect("queue");
    let plan = q.plan.expect("plan status");
    assert_eq!((plan.day, plan.total_days, plan.days_left), (1, 14, 14));
    assert_eq!(plan.target, 6, "two areas, three questions each");
    assert_eq!(plan.covered, 0);
    assert!(plan.on_track);
    assert_eq!(plan.new_today, 1, "6 to cover over 14 days");
    assert_eq!(q.new.len(), 1);
    assert!(
        q.new
            .iter()
            .all(|n| n.level == rehearse::questions::types::Level::Advanced
                && (n.topic == "Databases" || n.topic == "Security")),
        "{:?}",
        q.new
    );
    // A week later with nothing done: behind, and the pace rises.
    let late = grading::queue(&pool.db(), u, T0 + 10 * DAY)
        .await
        .expect("queue");
    let plan = late.plan.expect("plan");
    assert!(!plan.on_track);
    assert_eq!((plan.day, plan.new_today), (11, 2));
    grading::clear_plan(&pool.db(), u).await.expect("clear");
    assert!(grading::queue(&pool.db(), u, T0)
        .await
        .expect("q")
        .plan
        .is_none());
}

#[sqlx::test]
async fn cards_are_rebuilt_from_grades_given_before_spaced_review(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync_builtin_bank(&pool.db()).await.expect("bank");
    let u = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let qs = slugs(&pool, 2).await;
    answer(&pool, u, Mode::Interview, &qs[0], 3, T0).await;
    answer(&pool, u, Mode::Interview, &qs[0], 2, T0 + 3 * DAY).await;
    answer(&pool, u, Mode::Interview, &qs[1], 4, T0).await;
    // As after migration 0010: a log without cards.
    on!(&pool, |p| sqlx::query("DELETE FROM review_cards")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
    .expect("delete");
    assert_eq!(
        grading::rebuild_missing(&pool.db(), T0 + 4 * DAY)
            .await
            .expect("rebuild"),
        2
    );
    assert_cards_match_log(&pool, u).await;
    assert_eq!(
        grading::rebuild_missing(&pool.db(), T0 + 4 * DAY)
            .await
            .expect("again"),
        0
    );
}

#[sqlx::test]
async fn nobody_reaches_another_persons_schedule(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut alice = account(&app, "alice", "recruiter").await;
    let mut bob = account(&app, "bob", "candidate").await;
    // Alice's own question is hers alone.
    let r = alice
        .call(
            "sets/questions/save",
            &[
                ("slug", ""),
                ("input[topic]", "databases"),
                ("input[level]", "beginner"),
                ("input[prompt]", "What does our outbox relay do?"),
                (
                    "input[reference_answer]",
                    "It reads committed rows and publishes them.",
                ),
                ("input[key_points][0]", "Publishes committed rows"),
                ("input[reviewer_note]", ""),
            ],
        )
        .await;
    let private: Option<String> = serde_json::from_str(&r.body).ok();
    let bank = slugs(&pool, 1).await.remove(0);
    let r2 = alice
        .call(
            "review/card/action",
            &[("slug", &bank), ("action", "suspend")],
        )
        .await;
    assert_eq!(r2.status, 200, "{}", r2.body);
    // Bob's view of the same bank question is his own, untouched.
    let r3 = bob.call("review/card", &[("slug", &bank)]).await;
    assert_eq!(r3.status, 200, "{}", r3.body);
    assert!(r3.body.contains("\"suspended\":false"), "{}", r3.body);
    if let Some(private) = private {
        for endpoint in ["review/card", "review/card/action"] {
            let r = bob
                .call(endpoint, &[("slug", &private), ("action", "reset")])
                .await;
            assert_eq!(r.status, 404, "{endpoint}: {}", r.body);
        }
    } else {
        panic!("the own question was not created: {}", r.body);
    }
    // Visitors have no schedule to read or change.
    let mut visitor = Client::new(&app);
    let r = visitor
        .call("review/card/action", &[("slug", &bank), ("action", "bury")])
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    for endpoint in [
        "review/page",
        "review/start",
        "review/settings",
        "review/plan/clear",
    ] {
        let r = visitor.call(endpoint, &[]).await;
        assert_eq!(r.status, 401, "{endpoint}: {}", r.body);
    }
    let r = visitor.call("review/home", &[]).await;
    assert_eq!((r.status, r.body.as_str()), (200, "null"));
    // Bob's page shows his queue, not Alice's.
    let page = bob.call("review/page", &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
}

#[sqlx::test]
async fn settings_and_plans_are_checked_where_they_enter(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = account(&app, "carol", "candidate").await;
    let bad = [
        (
            "0.99",
            "30",
            "5",
            "0",
            "Desired retention is between 0.80 and 0.97.",
        ),
        ("0.9", "500", "200", "0", "At most 100 new questions a day."),
        ("0.9", "5", "0", "0", "Between 1 and 500 reviews a day."),
        (
            "0.9",
            "5",
            "30",
            "61",
            "A review question's limit is at most 60 minutes (0 for none).",
        ),
    ];
    for (retention, new, reviews, minutes, message) in bad {
        let r = c
            .call(
                "review/settings/save",
                &[
                    ("desired_retention", retention),
                    ("new_per_day", new),
                    ("reviews_per_day", reviews),
                    ("per_question_minutes", minutes),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains(message), "{}", r.body);
    }
    let stored: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM review_settings"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(stored, 0, "refused settings change nothing");
    let ok = c
        .call(
            "review/settings/save",
            &[
                ("desired_retention", "0.85"),
                ("new_per_day", "3"),
                ("reviews_per_day", "40"),
                ("per_question_minutes", "4"),
                ("practice_without_schedule", "on"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let got = c.call("review/settings", &[]).await;
    let s: ReviewSettings = serde_json::from_str(&got.body).expect("settings json");
    assert_eq!(
        s,
        ReviewSettings {
            desired_retention: 0.85,
            new_per_day: 3,
            reviews_per_day: 40,
            practice_schedules: false,
            per_question_secs: Some(240),
        }
    );
    for (date, minutes, message) in [
        (
            "2020-01-01",
            "30",
            "Choose an interview date from tomorrow to a year ahead.",
        ),
        ("not a date", "30", "interview_on"),
        (
            "2099-01-01",
            "30",
            "Choose an interview date from tomorrow to a year ahead.",
        ),
    ] {
        let r = c
            .call(
                "review/plan/save",
                &[("interview_on", date), ("minutes_per_day", minutes)],
            )
            .await;
        assert_eq!(r.status, 422, "{date}: {}", r.body);
        assert!(r.body.contains(message), "{}", r.body);
    }
    let plans: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM interview_plans"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(plans, 0);
}

#[cfg(not(feature = "test-clock"))]
#[sqlx::test]
async fn the_test_clock_exists_only_in_test_builds(pool: SqlitePool) {
    // Built as `make run`'s server is (no `test-clock` feature): even with
    // REHEARSE_TEST_CLOCK set, there is no such route.
    let pool = app_pool(pool).await;
    let app = crate::common::app_with_config(pool, &[("REHEARSE_TEST_CLOCK", "1")]).await;
    let r = crate::common::send(
        &app,
        axum::http::Request::post("/__test/clock")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("days=3"))
            .expect("request"),
    )
    .await;
    assert_ne!(r.status, 200);
    assert_eq!(
        rehearse::platform::now_ms() / 1000,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("time")
            .as_secs() as i64
    );
}
