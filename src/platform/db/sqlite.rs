//! SQLite, the embedded default: its pool, set up on purpose, its
//! migrations, its writers' queue, and every domain's queries compiled
//! for it.
// Each domain's queries are loaded here and in the other backend on
// purpose (see `db/mod.rs`).
#![allow(clippy::duplicate_mod)]

use std::{str::FromStr, time::Duration};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};

pub type Db = sqlx::Sqlite;
pub type Pool = SqlitePool;
pub type Conn = sqlx::SqliteConnection;
/// For the few queries whose SQL differs between the backends.
pub const POSTGRES: bool = false;

pub use crate::platform::clock::now_ms;

super::domain_queries!();

/// Opens (creating if missing) the database and applies every migration.
/// Fails fast: a server that can't migrate must not start.
pub async fn connect(database_url: &str) -> Result<SqlitePool, sqlx::Error> {
    connect_with(options(database_url)?).await
}

/// How every connection is set up; tests add to it (a page limit that
/// stands in for a full disk).
pub fn options(database_url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str(database_url)?
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
        .pragma("cache_size", "-16000")) // ~16 MB page cache per connection
}

/// Opens the pool with `options` and applies every migration.
pub async fn connect_with(options: SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        // sqlx pings a connection before handing it out, by default, to
        // find one the network dropped. An embedded database has no
        // network, and each ping is a round trip to the connection's worker
        // thread: a third of the thread switches of every query (perf on
        // the runner under load). sqlx still pings on release, which is
        // what finds a connection left mid-transaction.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// A write transaction and this process's turn to write to its database.
///
/// SQLite has one writer at a time. Left to itself, a connection that finds
/// the write lock taken sleeps in SQLite's busy handler (1, 2, 5, 10, 15,
/// 20, 25, 25, 25, 50, 50, 100 ms...) and retries, so under load a writer
/// often sleeps well past the moment the lock came free: autosave at 64
/// clients had a p99 of 30 ms for 0.15 ms of work. Writers of this process
/// instead queue here, first come first served, and each is woken the moment
/// the one before it commits or rolls back (the turn is held as long as the
/// transaction). SQLite's busy timeout remains for writers outside it
/// (other processes, single statements).
pub struct WriteTx {
    tx: sqlx::Transaction<'static, Db>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// How long a writer waits for its turn before giving up, as SQLite's own
/// busy timeout would.
const WRITE_TURN_TIMEOUT: Duration = Duration::from_secs(5);

/// The queue of writers for one database file.
fn write_turn(pool: &SqlitePool) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::{
        collections::HashMap,
        path::PathBuf,
        sync::{Arc, Mutex, OnceLock},
    };
    static TURNS: OnceLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut turns = TURNS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Arc::clone(turns.entry(file).or_default())
}

/// Begins a write transaction that takes the write lock up front. A plain
/// (deferred) transaction that reads first and writes later can fail with
/// SQLITE_BUSY instead of waiting when two of them race to upgrade.
///
/// The `BEGIN` runs in a task of its own. With a custom statement, sqlx 0.8
/// awaits once more after `BEGIN` has answered (to check the connection is
/// in a transaction) before it makes the `Transaction` that would roll it
/// back: a future dropped at that point (a client that hangs up, a timeout)
/// leaves SQLite in a transaction nobody will ever end. The connection goes
/// back to the pool holding the write lock, and every later write waits out
/// the busy timeout and fails. The HTTP benchmark found this: after wrk stopped
/// mid-load, the session runner answered 500 after 5 s, for good. Run
/// apart, the `BEGIN` always completes, and a transaction nobody awaits any
/// more is dropped (rolled back) in that task.
pub async fn begin_write(pool: &SqlitePool) -> Result<WriteTx, sqlx::Error> {
    let turn = tokio::time::timeout(WRITE_TURN_TIMEOUT, write_turn(pool).lock_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?;
    let tx = begin_apart(pool, "BEGIN IMMEDIATE").await?;
    Ok(WriteTx { tx, _turn: turn })
}

/// For a single statement: wait for this process's turn to write if a
/// write transaction holds it, else go ahead at once. Run bare behind a
/// `WriteTx`, the statement would sleep in SQLite's busy handler, whose
/// backoff sleeps up to 100 ms at a time: beside heavy submits and imports
/// another person's autosave had p99 108 ms (max 338 ms). Holding the turn
/// for every statement instead serialised the autosaves themselves behind
/// one another's round trips to SQLite's worker threads: 3,739 saves/s at
/// 64 clients, p99 34 ms, where running them side by side gives ~9,000.
/// So the turn is only waited for, and given back at once: statements
/// still run side by side, and queue only behind a write transaction.
pub async fn take_turn(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let turn = write_turn(pool);
    if turn.try_lock().is_ok() {
        return Ok(());
    }
    tokio::time::timeout(WRITE_TURN_TIMEOUT, turn.lock())
        .await
        .map(drop)
        .map_err(|_| sqlx::Error::PoolTimedOut)
}

/// A read transaction: several queries see one snapshot (from the first
/// read on), taken beside the writers as WAL allows, with no turn in their
/// queue. Its `BEGIN` runs apart for the same reason as `begin_write`'s.
pub async fn begin_read(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    begin_apart(pool, "BEGIN").await
}

async fn begin_apart(
    pool: &SqlitePool,
    statement: &'static str,
) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    let pool = pool.clone();
    tokio::spawn(async move { pool.begin_with(statement).await })
        .await
        .map_err(|error| {
            tracing::error!(%error, "the task beginning a transaction failed");
            sqlx::Error::WorkerCrashed
        })?
}
