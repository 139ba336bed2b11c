//! `make bench`: bank search and `/questions` render times with the built-in
//! bank plus 10,000 generated questions. Prints p50/p95 server times.
//!
//! Generated questions reuse words from the real bank so the full-text
//! index has a realistic vocabulary and term frequencies.

use std::time::Instant;

#[path = "support/questions.rs"]
mod questions;
mod support;
use support::{report, time_it};

use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use rehearse::platform::db::AsPool;
use rehearse::{
    platform::{config::Config, db as server_db, AppState},
    questions::{
        db, sync_builtin_bank,
        types::{Level, QuestionFilter},
    },
};
use tower::ServiceExt;

const GENERATED: usize = 10_000;
const RUNS: usize = 300;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("rehearse-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/bench.db", dir.display());
    let pool = server_db::sqlite::connect(&url).await?;
    sync_builtin_bank(&pool.db()).await?;

    let started = Instant::now();
    questions::generate(&pool.db(), GENERATED)
        .await
        .map_err(|e| e.to_string())?;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM questions")
        .fetch_one(&pool)
        .await?;
    println!(
        "bank benchmark: {total} questions ({GENERATED} generated in {:.1} s), {RUNS} runs each",
        started.elapsed().as_secs_f64()
    );
    sqlx::query("PRAGMA optimize").execute(&pool).await?;

    let filter = QuestionFilter {
        levels: vec![Level::Intermediate, Level::Advanced],
        topics: vec!["databases".into(), "performance".into(), "apis".into()],
        q: "cache invalid".into(),
        page: 0,
    };
    let search = time_it(RUNS, || async {
        db::list(&pool.db(), &filter)
            .await
            .map(|l| l.total)
            .unwrap_or(-1)
    })
    .await;
    report("filtered full-text search (db::list)", &search);

    let broad = QuestionFilter {
        q: "data".into(),
        ..Default::default()
    };
    let broad_times = time_it(RUNS, || async {
        db::list(&pool.db(), &broad)
            .await
            .map(|l| l.total)
            .unwrap_or(-1)
    })
    .await;
    report("broad full-text search, no filters", &broad_times);

    let config = Config::from_lookup(|_| None)?;
    let app = rehearse::server::app(AppState::new(
        LeptosOptions::builder().output_name("rehearse").build(),
        pool.db(),
        config,
    ));
    for (label, uri) in [
        ("/questions page render (unfiltered)", "/questions"),
        (
            "/questions page render (filtered search)",
            "/questions?level=intermediate&level=advanced&topic=databases&topic=performance&topic=apis&q=cache+invalid",
        ),
        ("/questions/:slug page render", "/questions/db-what-is-an-index?topic=databases"),
    ] {
        // A new address each time (`n=`, which the page ignores): the page
        // cache would otherwise answer every request after the first.
        let n = std::sync::atomic::AtomicUsize::new(0);
        let times = time_it(RUNS, || {
            let app = app.clone();
            let sep = if uri.contains('?') { '&' } else { '?' };
            let uri = format!(
                "{uri}{sep}n={}",
                n.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            async move {
                let req = Request::get(uri).header("host", "localhost").body(Body::empty());
                let Ok(req) = req else { return -1 };
                match app.oneshot(req).await {
                    Ok(res) => {
                        let status = i64::from(res.status().as_u16());
                        let _ = res.into_body().collect().await;
                        status
                    }
                    Err(_) => -1,
                }
            }
        })
        .await;
        report(label, &times);
    }
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
