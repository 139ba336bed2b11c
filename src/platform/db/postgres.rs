//! PostgreSQL, for deployments that outgrow one machine: its pool, its
//! migrations (`migrations_postgres/`, kept in step with SQLite's), its
//! writers' lock, and every domain's queries compiled for it.
// Each domain's queries are loaded here and in the other backend on
// purpose (see `db/mod.rs`).
#![allow(clippy::duplicate_mod)]

use std::{str::FromStr, time::Duration};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub type Db = sqlx::Postgres;
pub type Pool = sqlx::PgPool;
pub type Conn = sqlx::PgConnection;
/// For the few queries whose SQL differs between the backends.
pub const POSTGRES: bool = true;

pub use crate::platform::clock::now_ms;

super::domain_queries!();

/// Opens a pool on the database and applies every migration.
pub async fn connect(database_url: &str) -> Result<Pool, sqlx::Error> {
    let options = PgConnectOptions::from_str(database_url)?
        // A writer waits this long for the writers' lock (below), as a
        // SQLite writer waits out its busy timeout, then fails.
        .options([("lock_timeout", "5s")]);
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations_postgres").run(pool).await
}

/// The key of the advisory lock every writer takes ("Rhrs").
const WRITERS_LOCK: i64 = 0x5268_7273;

/// A write transaction that holds the writers' lock until it ends.
///
/// Writers take turns, as they do on SQLite, across every instance sharing
/// the database: each write transaction first takes one transaction-scoped
/// advisory lock. The queries were written for one writer at a time (read,
/// decide, write, in one transaction), and this keeps them correct without
/// SERIALIZABLE's retries. Readers never wait for it.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, Db>,
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

/// Begins a write transaction and waits for the writers' lock.
pub async fn begin_write(pool: &Pool) -> Result<WriteTx, sqlx::Error> {
    let mut tx = begin_apart(pool, "BEGIN").await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITERS_LOCK)
        .execute(&mut *tx)
        .await?;
    Ok(WriteTx { tx })
}

/// The wait SQLite's single statements make (`sqlite::take_turn`):
/// PostgreSQL's own row locks serve, so there is nothing to wait for.
pub async fn take_turn(_pool: &Pool) -> Result<(), sqlx::Error> {
    Ok(())
}

/// A read transaction: several queries see one snapshot.
pub async fn begin_read(pool: &Pool) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    begin_apart(pool, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await
}

/// Runs `BEGIN` in a task of its own, as SQLite's does (see there): a
/// future dropped between `BEGIN` and the `Transaction` that would roll it
/// back must not leave a connection inside a transaction.
async fn begin_apart(
    pool: &Pool,
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
