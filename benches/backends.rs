//! `make bench`, last section: the same figures on SQLite and on
//! PostgreSQL, side by side in one table. Bank search (the built-in bank
//! plus 10,000 generated questions), autosave through HTTP (64 clients),
//! and the dashboard of a user with 100,000 of a million answers.
//!
//! PostgreSQL is a private cluster (`scripts/postgres.sh`) on this
//! machine, with `synchronous_commit=off`: like SQLite's
//! `synchronous=NORMAL` in WAL mode, a power cut can lose the last commits
//! but never corrupts. Both backends run in-process with the app, so the
//! difference includes PostgreSQL's round trips over loopback.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};
use std::time::{Duration, Instant};

mod support;
use support::time_it;

#[path = "support/answers.rs"]
mod answers;
#[path = "support/client.rs"]
mod client;
#[path = "support/questions.rs"]
mod questions;
use client::{post, HttpClient};

use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use leptos::prelude::LeptosOptions;
use rehearse::{
    dashboard::{db as dashboard_db, types::RangeQuery},
    platform::{config::Config, db as server_db, db::Pool, AppState},
    questions::{
        db as questions_db, sync_builtin_bank,
        types::{Level, QuestionFilter},
    },
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const GENERATED_QUESTIONS: usize = 10_000;
const SEARCH_RUNS: usize = 200;
const DASHBOARD_RUNS: usize = 50;
const SAVERS: usize = 64;
const SAVE_FOR: Duration = Duration::from_secs(5);
/// 1,000 users: one with 100,000 answers, the others 900 each.
const SPEC: answers::Spec = answers::Spec {
    users: 1_000,
    heavy_sessions: 10_000,
    other_sessions: 90,
};

/// Runs the same sqlx expression on whichever pool `pool` holds.
macro_rules! on {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            Pool::Sqlite($p) => $body,
            Pool::Postgres($p) => $body,
        }
    };
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let dir = std::env::temp_dir().join(format!("rehearse-backends-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let cluster = dir.join("pg");
    let out = std::process::Command::new("scripts/postgres.sh")
        .arg("start")
        .arg(&cluster)
        .arg(std::process::id().to_string())
        .env("REHEARSE_PG_SETTINGS", "-c synchronous_commit=off")
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "could not start PostgreSQL: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let pg_url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let sqlite_url = format!("sqlite://{}/bench.db", dir.display());

    println!("backends benchmark: the same figures on both (p50 / p95 or p99)");
    let sqlite = measure(&sqlite_url).await?;
    let postgres = measure(&pg_url).await?;

    println!();
    println!("| figure | SQLite | PostgreSQL |");
    println!("|---|---|---|");
    for ((label, a), (_, b)) in sqlite.iter().zip(&postgres) {
        println!("| {label} | {a} | {b} |");
    }
    let _ = std::process::Command::new("scripts/postgres.sh")
        .arg("stop")
        .arg(&cluster)
        .status();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

fn p50_p95(sorted: &[f64]) -> String {
    format!("{:.2} / {:.2} ms", pct(sorted, 0.5), pct(sorted, 0.95))
}

/// Every figure, in order, on the database at `url`.
async fn measure(url: &str) -> Result<Vec<(String, String)>, BoxError> {
    let pool = server_db::connect(url).await?;
    let backend = pool.backend();
    let mut rows = Vec::new();
    sync_builtin_bank(&pool).await?;

    let started = Instant::now();
    questions::generate(&pool, GENERATED_QUESTIONS).await?;
    println!(
        "  {backend}: {GENERATED_QUESTIONS} questions generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let filtered = QuestionFilter {
        levels: vec![Level::Intermediate, Level::Advanced],
        topics: vec!["databases".into(), "performance".into(), "apis".into()],
        q: "cache invalid".into(),
        page: 0,
    };
    let broad = QuestionFilter {
        q: "data".into(),
        ..Default::default()
    };
    for (label, filter) in [
        ("bank search, filtered (`cache invalid`)", &filtered),
        ("bank search, broad (`data`)", &broad),
    ] {
        let times = time_it(SEARCH_RUNS, || async {
            questions_db::list(&pool, filter)
                .await
                .map(|l| l.total)
                .unwrap_or(-1)
        })
        .await;
        rows.push((label.to_owned(), p50_p95(&times)));
    }

    let (saves, latencies, errors) = autosave(&pool).await?;
    rows.push((
        format!("autosave, {SAVERS} clients over HTTP: saves/s"),
        format!(
            "{:.0} ({errors} errors)",
            saves as f64 / SAVE_FOR.as_secs_f64()
        ),
    ));
    rows.push((
        "autosave latency p50 / p99".to_owned(),
        format!(
            "{:.2} / {:.2} ms",
            pct(&latencies, 0.5),
            pct(&latencies, 0.99)
        ),
    ));

    let now = rehearse::platform::now_ms();
    let started = Instant::now();
    let heavy = answers::generate(&pool, now, SPEC)
        .await
        .map_err(|e| e.to_string())?;
    rehearse::grading::db::rebuild_all(&pool).await?;
    // Statistics for the planner, as a running server would have them
    // (SQLite's `PRAGMA optimize`; PostgreSQL's autovacuum would get there
    // in a while): without them PostgreSQL's dashboard plans were 6x
    // slower right after the bulk load.
    match &pool {
        Pool::Sqlite(p) => sqlx::query("PRAGMA optimize").execute(p).await.map(drop)?,
        Pool::Postgres(p) => sqlx::query("VACUUM ANALYZE").execute(p).await.map(drop)?,
    }
    let answers: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM session_answers"
    )
    .fetch_one(p)
    .await)?;
    println!(
        "  {backend}: {answers} answers generated, rollups built, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for (label, query) in [
        (
            "dashboard data, 1M answers, heavy user, 90 days",
            RangeQuery::default(),
        ),
        (
            "dashboard data, 1M answers, heavy user, all time",
            RangeQuery {
                preset: "all".into(),
                ..RangeQuery::default()
            },
        ),
    ] {
        let times = time_it(DASHBOARD_RUNS, || {
            let query = query.clone();
            let pool = &pool;
            async move {
                dashboard_db::dashboard(pool, heavy, &query, now)
                    .await
                    .map(|d| d.graded)
                    .unwrap_or(0)
            }
        })
        .await;
        rows.push((label.to_owned(), p50_p95(&times)));
    }
    pool.close().await;
    Ok(rows)
}

/// `SAVERS` guests, each saving its draft as fast as the server answers,
/// through the app's own accept loop. Returns the saves, their sorted
/// latencies in ms, and the failures.
async fn autosave(pool: &Pool) -> Result<(usize, Vec<f64>, u64), BoxError> {
    let config = Config::from_lookup(|name| {
        (name == "REHEARSE_GUESTS_PER_HOUR").then(|| "100000".to_owned())
    })?;
    let limits = rehearse::server::listen::Limits {
        header_read_timeout: config.header_read_timeout,
        max_connections: config.max_connections,
    };
    let state = AppState::new(
        LeptosOptions::builder().output_name("rehearse").build(),
        pool.clone(),
        config,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move {
        let app = rehearse::server::app(state);
        let _ =
            rehearse::server::listen::serve(listener, app, limits, std::future::pending()).await;
    });
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(SAVERS)
        .build_http();
    let mut sessions = Vec::new();
    for _ in 0..SAVERS {
        let (cookie, body) = post(
            &client,
            &base,
            "sessions/start",
            None,
            "mode=practice&count=1&per_question_secs=0&total_secs=0",
        )
        .await?;
        let id: String = serde_json::from_str(&body)?;
        sessions.push((cookie.ok_or("no session cookie")?, id));
    }
    let started = Instant::now();
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for (n, (cookie, id)) in sessions.into_iter().enumerate() {
        let (client, base, errors) = (client.clone(), base.clone(), Arc::clone(&errors));
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            let mut rev = 0u64;
            while started.elapsed() < SAVE_FOR {
                rev += 1;
                let body = format!(
                    "id={id}&position=0&text=client+{n}+keystroke+{rev}&rev={rev}&editor=bench{n}"
                );
                let t = Instant::now();
                match post(&client, &base, "sessions/save", Some(&cookie), &body).await {
                    Ok((_, reply)) if reply.contains("saved_at") => {
                        mine.push(t.elapsed().as_secs_f64() * 1000.0)
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await?);
    }
    server.abort();
    all.sort_by(f64::total_cmp);
    Ok((all.len(), all, errors.load(Ordering::Relaxed)))
}
