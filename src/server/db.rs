//! The SQLite pool, set up on purpose, and migrations.

use std::{str::FromStr, time::Duration};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};

/// Opens (creating if missing) the database and applies every migration.
/// Fails fast: a server that can't migrate must not start.
pub async fn connect(database_url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(true)
        // WAL lets readers run while one writer writes.
        .journal_mode(SqliteJournalMode::Wal)
        // In WAL mode NORMAL never corrupts the database and survives an
        // application crash; only an OS crash or power cut can lose the last
        // few commits. FULL would fsync every commit and cap autosave
        // throughput for little gain on a self-hosted app.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // Writers queue for the lock instead of failing with SQLITE_BUSY.
        .busy_timeout(Duration::from_secs(5))
        .pragma("temp_store", "memory")
        .pragma("cache_size", "-16000"); // ~16 MB page cache per connection
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// Begins a write transaction that takes the write lock up front. A plain
/// (deferred) transaction that reads first and writes later can fail with
/// SQLITE_BUSY instead of waiting when two of them race to upgrade.
pub async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// How far the test clock is moved ahead (only `/__test/clock`, which
/// exists only when `REHEARSE_TEST_CLOCK` is set, changes it).
static CLOCK_OFFSET_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Milliseconds since the Unix epoch: the one timestamp format in the schema.
pub fn now_ms() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
        .saturating_add(CLOCK_OFFSET_MS.load(std::sync::atomic::Ordering::Relaxed))
}

/// Moves the clock `ms` ahead of the real one (tests only, see above).
pub fn set_clock_offset(ms: i64) {
    CLOCK_OFFSET_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
}
