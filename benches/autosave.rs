//! `make bench`: autosave throughput against the real server over HTTP.
//!
//! Starts the full app (router, middleware, SQLite file in WAL mode) on a
//! loopback port, creates one guest session per client, then has CLIENTS
//! concurrent clients save drafts as fast as the server answers for
//! DURATION. Prints saves/s and p50/p99 latency. Loopback only, bounded in
//! time, stops by itself.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

#[path = "support/client.rs"]
mod client;
use client::{post, HttpClient};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use leptos::prelude::LeptosOptions;
use rehearse::platform::db::AsPool;
use rehearse::platform::{config::Config, db as server_db, AppState};

/// Concurrency levels to measure; the last is also the number of sessions.
const CLIENT_COUNTS: [usize; 3] = [8, 16, 64];
const CLIENTS: usize = 64;
const DURATION: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let dir = std::env::temp_dir().join(format!("rehearse-autosave-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let pool = server_db::sqlite::connect(&format!("sqlite://{}/bench.db", dir.display())).await?;
    rehearse::questions::sync_builtin_bank(&pool.db()).await?;
    // Every simulated client starts as a guest from this one address.
    let config = Config::from_lookup(|name| {
        (name == "REHEARSE_GUESTS_PER_HOUR").then(|| "100000".to_owned())
    })?;
    let limits = rehearse::server::listen::Limits {
        header_read_timeout: config.header_read_timeout,
        max_connections: config.max_connections,
    };
    let state = AppState::new(
        LeptosOptions::builder().output_name("rehearse").build(),
        pool.db(),
        config,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    // Served as `rehearse` serves: through the same accept loop.
    let server = tokio::spawn(async move {
        let app = rehearse::server::app(state);
        let _ =
            rehearse::server::listen::serve(listener, app, limits, std::future::pending()).await;
    });
    let base = format!("http://{addr}");
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(CLIENTS)
        .build_http();

    // One guest and one session per client.
    let mut sessions = Vec::new();
    for _ in 0..CLIENTS {
        let (cookie, body) = post(
            &client,
            &base,
            "sessions/start",
            None,
            "mode=practice&count=3&per_question_secs=0&total_secs=0",
        )
        .await?;
        let id: String = serde_json::from_str(&body)?;
        sessions.push((cookie.ok_or("no session cookie")?, id));
    }

    for (round, clients) in (0u64..).zip(CLIENT_COUNTS) {
        println!(
            "autosave benchmark: {clients} concurrent clients for {}s against http://{addr}",
            DURATION.as_secs()
        );
        let started = Instant::now();
        let latencies = Arc::new(std::sync::Mutex::new(Vec::<f64>::new()));
        let errors = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut tasks = Vec::new();
        for (n, (cookie, id)) in sessions.iter().take(clients).cloned().enumerate() {
            let (client, base, latencies, errors) = (
                client.clone(),
                base.clone(),
                latencies.clone(),
                errors.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                // Revisions only go up, across rounds too.
                let mut k = round * 1_000_000;
                while started.elapsed() < DURATION {
                    k += 1;
                    let body = format!(
                        "id={id}&position=0&text=client+{n}+keystroke+{k}+lorem+ipsum+dolor&rev={k}&editor=bench{n}"
                    );
                    let t = Instant::now();
                    match post(&client, &base, "sessions/save", Some(&cookie), &body).await {
                        Ok((_, reply)) if reply.contains("saved_at") => {
                            mine.push(t.elapsed().as_secs_f64() * 1000.0)
                        }
                        _ => {
                            errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
                if let Ok(mut all) = latencies.lock() {
                    all.extend(mine);
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let mut all = latencies.lock().map(|v| v.clone()).unwrap_or_default();
        all.sort_by(f64::total_cmp);
        let pct = |p: f64| {
            all.get(((all.len() as f64 - 1.0) * p).round() as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        println!(
            "  {clients:>3} clients   saves: {}   errors: {}   throughput: {:.0} saves/s   p50 {:.2} ms   p99 {:.2} ms   max {:.2} ms",
            all.len(),
            errors.load(std::sync::atomic::Ordering::Relaxed),
            all.len() as f64 / elapsed,
            pct(0.5),
            pct(0.99),
            pct(1.0)
        );
    }
    // Every client's last save is what the database holds.
    let saved: i64 = sqlx::query_scalar("SELECT count(*) FROM session_answers WHERE position = 0 AND draft LIKE 'client % keystroke %'")
        .fetch_one(&pool)
        .await?;
    println!("  sessions holding their latest draft: {saved} of {CLIENTS}");
    server.abort();
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
