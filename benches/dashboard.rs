//! `make bench`: the dashboard at a million answers. Generates 1,000 users
//! and 1,000,000 graded answers (one user with 100,000 over two years, the
//! others 900 each over one), then prints p50/p95 of each dashboard query
//! and of the whole `/dashboard` render for the heavy user, for the default
//! range (last 90 days) and for all time.

use std::time::Instant;

mod support;
use support::{report, time_it};
#[path = "support/answers.rs"]
mod answers;

use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use rehearse::platform::db::AsPool;
use rehearse::{
    accounts::days,
    accounts::session,
    dashboard::{db, types::RangeQuery},
    platform::{config::Config, db as server_db, AppState},
    questions::sync_builtin_bank,
};
use tower::ServiceExt;
use uuid::Uuid;

/// 1,000 users: one with 100,000 answers, the others 900 each.
const SPEC: answers::Spec = answers::Spec {
    users: 1_000,
    heavy_sessions: 10_000,
    other_sessions: 90,
};
const RUNS: usize = 100;
const DAY_MS: i64 = 86_400_000;

type BoxError = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let dir = std::env::temp_dir().join(format!("rehearse-dash-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/bench.db", dir.display());
    let pool = server_db::sqlite::connect(&url).await?;
    sync_builtin_bank(&pool.db()).await?;
    let now = rehearse::platform::now_ms();

    let started = Instant::now();
    let heavy = answers::generate(&pool.db(), now, SPEC).await?;
    let generated = started.elapsed().as_secs_f64();
    rehearse::grading::db::rebuild_all(&pool.db()).await?;
    let (answers, users): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM session_answers), (SELECT count(*) FROM users)",
    )
    .fetch_one(&pool)
    .await?;
    let heavy_answers: i64 =
        sqlx::query_scalar("SELECT count(*) FROM session_answers WHERE user_id = ?")
            .bind(heavy)
            .fetch_one(&pool)
            .await?;
    println!(
        "dashboard benchmark: {answers} answers, {users} users (heavy user {heavy_answers}), generated in {generated:.1} s, rollups built in {:.1} s; {RUNS} runs each",
        started.elapsed().as_secs_f64() - generated
    );
    sqlx::query("PRAGMA optimize").execute(&pool).await?;

    let utc = days::zone("UTC");
    let tz = &utc;
    let today = days::local_date(now, tz);
    for (label, from) in [
        (
            "last 90 days",
            today.checked_sub(jiff::Span::new().days(89))?,
        ),
        ("all time", days::local_date(now - 731 * DAY_MS, tz)),
    ] {
        let start = days::day_start(from, tz)?;
        let end = days::day_start(days::next_day(today)?, tz)?;
        let in_range: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM session_answers WHERE user_id = ?1 AND self_grade IS NOT NULL AND graded_at >= ?2 AND graded_at < ?3",
        )
        .bind(heavy)
        .bind(start)
        .bind(end)
        .fetch_one(&pool)
        .await?;
        println!("heavy user, {label} ({in_range} graded answers in range):");
        let p = &pool.db();
        let (from_s, to_s) = (&from.to_string(), &today.to_string());
        report(
            "mastery (topic x level)",
            &time_it(RUNS, || async move {
                db::mastery(p, heavy, start)
                    .await
                    .map(|v| v.len())
                    .unwrap_or(0)
            })
            .await,
        );
        report(
            "score trend",
            &time_it(RUNS, || async move {
                db::trend(p, heavy, start, end, tz)
                    .await
                    .map(|v| v.len())
                    .unwrap_or(0)
            })
            .await,
        );
        report(
            "levels (answers, time vs limit)",
            &time_it(RUNS, || async move {
                db::levels(p, heavy, from_s, to_s)
                    .await
                    .map(|v| v.len())
                    .unwrap_or(0)
            })
            .await,
        );
        let cal_from = if days::days_between(from, today) > 370 {
            today.checked_sub(jiff::Span::new().days(370))?
        } else {
            from
        };
        report(
            "activity calendar",
            &time_it(RUNS, || async move {
                db::calendar(p, heavy, cal_from, today)
                    .await
                    .map(|v| v.len())
                    .unwrap_or(0)
            })
            .await,
        );
        report(
            "weakest questions",
            &time_it(RUNS, || async move {
                db::weakest(p, heavy, start, tz)
                    .await
                    .map(|v| v.len())
                    .unwrap_or(0)
            })
            .await,
        );
        report(
            "flagged questions",
            &time_it(RUNS, || async move {
                db::flagged(p, heavy, start, end, tz)
                    .await
                    .map(|v| v.len())
                    .unwrap_or(0)
            })
            .await,
        );
    }
    let p = &pool.db();
    report(
        "streak (whole history, ~730 days)",
        &time_it(RUNS, || async move {
            db::streak(p, heavy, today)
                .await
                .map(|s| s.longest as usize)
                .unwrap_or(0)
        })
        .await,
    );

    // Spaced review: the heavy user also has 20,000 review cards (on as
    // many questions of their own), a third of them due or overdue.
    let cards = review_cards(&pool, heavy, now).await?;
    println!("heavy user, spaced review ({cards} cards):");
    report(
        "review queue (/review)",
        &time_it(RUNS, || async move {
            rehearse::grading::db::queue(p, heavy, now)
                .await
                .map(|q| q.reviews.len())
                .unwrap_or(0)
        })
        .await,
    );
    report(
        "review forecast, 30 days",
        &time_it(RUNS, || async move {
            rehearse::grading::db::forecast(p, heavy, now, 30)
                .await
                .map(|f| f.len())
                .unwrap_or(0)
        })
        .await,
    );

    let config = Config::from_lookup(|_| None)?;
    let state = AppState::new(
        LeptosOptions::builder().output_name("rehearse").build(),
        pool.db(),
        config,
    );
    let cookie = format!(
        "{}={}",
        state.config.session_cookie_name(),
        session::create(&pool.db(), heavy).await?
    );
    let app = rehearse::server::app(state);
    println!("heavy user, whole page:");
    // A range that ended in the past cannot use the latest-grade rollup:
    // mastery and weakest come from the answers themselves.
    let past_from = today.checked_sub(jiff::Span::new().days(200))?.to_string();
    let past_to = today.checked_sub(jiff::Span::new().days(111))?.to_string();
    let past_uri = format!("/dashboard?preset=custom&from={past_from}&to={past_to}");
    report(
        "GET /review (full render)",
        &time_it(RUNS, || {
            let app = app.clone();
            let cookie = cookie.clone();
            async move {
                // /review is never kept; rendered every time.
                let req = Request::get("/review")
                    .header("host", "localhost")
                    .header("cookie", cookie)
                    .body(Body::empty());
                let Ok(req) = req else { return 0 };
                match app.oneshot(req).await {
                    Ok(res) => {
                        assert_eq!(res.status(), 200, "review renders");
                        res.into_body()
                            .collect()
                            .await
                            .map(|b| b.to_bytes().len())
                            .unwrap_or(0)
                    }
                    Err(_) => 0,
                }
            }
        })
        .await,
    );
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    for (label, query, uri) in [
        (
            "dashboard data, last 90 days",
            RangeQuery::default(),
            "/dashboard".to_owned(),
        ),
        (
            "dashboard data, all time",
            RangeQuery {
                preset: "all".into(),
                ..RangeQuery::default()
            },
            "/dashboard?preset=all".to_owned(),
        ),
        (
            "dashboard data, a past 90 days (custom)",
            RangeQuery {
                preset: "custom".into(),
                from: past_from.clone(),
                to: past_to.clone(),
            },
            past_uri.clone(),
        ),
    ] {
        report(
            label,
            &time_it(RUNS, || {
                let query = query.clone();
                async move {
                    db::dashboard(p, heavy, &query, now)
                        .await
                        .map(|d| d.graded as usize)
                        .unwrap_or(0)
                }
            })
            .await,
        );
        let page_label = format!("GET {uri} (full render)");
        report(
            &page_label,
            &time_it(RUNS, || {
                let app = app.clone();
                let cookie = cookie.clone();
                // A new address each time (`n=`, which the page ignores): a
                // kept copy would otherwise answer every request after the
                // first, and this row measures the render.
                let sep = if uri.contains('?') { '&' } else { '?' };
                let uri = format!(
                    "{uri}{sep}n={}",
                    rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                async move {
                    let req = Request::get(uri.as_str())
                        .header("host", "localhost")
                        .header("cookie", cookie)
                        .body(Body::empty());
                    let Ok(req) = req else { return 0 };
                    match app.oneshot(req).await {
                        Ok(res) => {
                            assert_eq!(res.status(), 200, "dashboard renders");
                            res.into_body()
                                .collect()
                                .await
                                .map(|b| b.to_bytes().len())
                                .unwrap_or(0)
                        }
                        Err(_) => 0,
                    }
                }
            })
            .await,
        );
    }
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// 20,000 questions of the heavy user's own and a review card on each:
/// due dates from 60 days ago to 120 days ahead, stabilities 1–100 days,
/// one in 500 a leech. Returns the number of cards.
async fn review_cards(pool: &sqlx::SqlitePool, user: Uuid, now: i64) -> Result<i64, BoxError> {
    const CARDS: i64 = 20_000;
    let mut tx = server_db::sqlite::begin_write(pool).await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
         INSERT INTO questions (slug, topic_id, level, prompt, reference_answer, answer_html,
             key_points, source, author_id, created_at, updated_at)
         SELECT 'bench-own-' || i, (SELECT min(id) FROM topics) + i % 10,
                CASE i % 3 WHEN 0 THEN 'beginner' WHEN 1 THEN 'intermediate' ELSE 'advanced' END,
                'Benchmark question ' || i || ': explain the trade-off.', 'An answer.', '<p>An answer.</p>',
                '[\"one\",\"two\",\"three\"]', 'author', ?2, ?3, ?3
         FROM n",
    )
    .bind(CARDS)
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO review_cards (user_id, question_id, state, due_at, stability, difficulty, reps,
                                   lapses, last_grade, last_review_at, leech)
         SELECT ?1, q.id, 'review', ?2 + ((q.id * 7919) % 180 - 60) * ?3 + (q.id * 104729) % ?3,
                1 + (q.id * 31) % 100, 1 + (q.id % 9), 3, q.id % 3, 3,
                ?2 + ((q.id * 7919) % 180 - 60) * ?3 - (1 + (q.id * 31) % 100) * ?3,
                q.id % 500 = 0
         FROM questions q WHERE q.author_id = ?1",
    )
    .bind(user)
    .bind(now)
    .bind(DAY_MS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("PRAGMA optimize").execute(pool).await?;
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM review_cards WHERE user_id = ?1")
            .bind(user)
            .fetch_one(pool)
            .await?,
    )
}
