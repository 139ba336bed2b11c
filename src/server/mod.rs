//! The top of the app: the router and its middleware, the listener, the
//! page cache, the built assets, and start-up. It builds on `platform`
//! (the bottom) and on every domain; nothing imports it but `main`.

mod assets;
pub mod listen;
pub mod page_cache;
mod router;

pub use router::{app, app_with};

use leptos::prelude::*;
use tracing_subscriber::EnvFilter;

use crate::platform::{
    config::{self, Config},
    db, AppState,
};

/// What `main` runs: parse the command line, then serve or run a command.
pub async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["--help" | "-h" | "help"] => {
            print!("{}", config::HELP);
            Ok(())
        }
        [] | ["serve"] => serve().await,
        ["admin", "grant", username] => {
            let config = Config::from_env()?;
            let pool = db::connect(&config.database_url).await?;
            crate::accounts::grant_admin(&pool, username).await?;
            println!("{username} is now an admin.");
            Ok(())
        }
        _ => Err(format!("unknown command; run `rehearse --help`\n\n{}", config::HELP).into()),
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log_filter)?)
        .init();

    if let Some(dir) = sqlite_parent_dir(&config.database_url) {
        std::fs::create_dir_all(dir)?;
    }
    // A file that is not a database, is read-only or is on a full disk
    // stops the start here, saying which file and why; nothing is written.
    let pool = db::connect(&config.database_url).await.map_err(|e| {
        format!(
            "cannot open the database {}: {e}",
            db::redacted(&config.database_url)
        )
    })?;
    let report = crate::questions::sync_builtin_bank(&pool)
        .await
        .map_err(|e| {
            format!(
                "cannot load the question bank into {}: {e}",
                db::redacted(&config.database_url)
            )
        })?;
    tracing::info!(?report, "question bank synced");
    let cards = crate::grading::db::rebuild_missing(&pool, crate::platform::now_ms()).await?;
    if cards > 0 {
        tracing::info!(cards, "review cards built from earlier grades");
    }

    let mut leptos_options = get_configuration(None)?.leptos_options;
    assets::detect_hashed_names(&mut leptos_options);
    let addr = config.addr;
    let limits = listen::Limits {
        header_read_timeout: config.header_read_timeout,
        max_connections: config.max_connections,
    };
    let guest_retention_days = config.guest_retention_days;
    let state = AppState::new(leptos_options, pool.clone(), config);
    tokio::spawn(housekeeping(pool.clone(), guest_retention_days));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("Rehearse is running at http://{addr}");
    listen::serve(listener, app(state), limits, shutdown_signal()).await?;
    pool.close().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Once an hour: expired login sessions, aged-out throttle records, and
/// guests unseen for `guest_retention_days` (with everything they made).
async fn housekeeping(pool: db::Pool, guest_retention_days: u32) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match crate::accounts::housekeeping(&pool, crate::platform::now_ms(), guest_retention_days)
            .await
        {
            Ok(report) if report.is_empty() => {}
            Ok(report) => tracing::info!(?report, "housekeeping"),
            Err(error) => tracing::warn!(%error, "housekeeping failed"),
        }
    }
}

/// The directory of a `sqlite://path/to/file.db` URL, to create it first.
fn sqlite_parent_dir(url: &str) -> Option<&std::path::Path> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl+C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}

#[cfg(test)]
mod tests {
    use super::sqlite_parent_dir;
    use std::path::Path;

    #[test]
    fn parent_dir_of_sqlite_urls() {
        assert_eq!(
            sqlite_parent_dir("sqlite://data/rehearse.db"),
            Some(Path::new("data"))
        );
        assert_eq!(sqlite_parent_dir("sqlite:x.db?mode=rwc"), None);
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
    }
}
