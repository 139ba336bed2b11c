//! Graded answers for benchmarks, generated inside the database (one
//! statement per table): shared by the dashboard, HTTP load and backends
//! benchmarks. SQLite's and PostgreSQL's generators make the same rows.

use rehearse::platform::db as server_db;
use uuid::Uuid;

type BoxError = Box<dyn std::error::Error>;

pub const ANSWERS_PER_SESSION: i64 = 10;
const DAY_MS: i64 = 86_400_000;

/// How many users and sessions to generate: user `bench0` is the heavy
/// one; every other user gets `other_sessions`.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub users: i64,
    pub heavy_sessions: i64,
    pub other_sessions: i64,
}

/// Users, sessions and graded answers, generated inside the database of
/// either backend. Returns the heavy user's id.
pub async fn generate(pool: &server_db::Pool, now: i64, spec: Spec) -> Result<Uuid, BoxError> {
    match pool {
        server_db::Pool::Sqlite(p) => generate_sqlite(p, now, spec).await,
        server_db::Pool::Postgres(p) => generate_postgres(p, now, spec).await,
    }
}

/// SQLite's generator: one statement per table. Values are deterministic functions of the row
/// numbers, so runs are comparable. Returns the heavy user's id.
async fn generate_sqlite(pool: &sqlx::SqlitePool, now: i64, spec: Spec) -> Result<Uuid, BoxError> {
    let mut tx = server_db::sqlite::begin_write(pool).await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
         INSERT INTO users (id, username, is_guest, created_at)
         SELECT randomblob(16), 'bench' || i, TRUE, 0 FROM n",
    )
    .bind(spec.users)
    .execute(&mut *tx)
    .await?;
    let heavy: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE username = 'bench0'")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "CREATE TEMP TABLE bench_sessions (
             idx INTEGER PRIMARY KEY, id BLOB NOT NULL, user_id BLOB NOT NULL, started_at INTEGER NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    // The heavy user: sessions evenly over two years, up to now.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
         INSERT INTO bench_sessions (id, user_id, started_at)
         SELECT randomblob(16), ?1, ?3 - i * (730 * ?4 / ?2) FROM n",
    )
    .bind(heavy)
    .bind(spec.heavy_sessions)
    .bind(now)
    .bind(DAY_MS)
    .execute(&mut *tx)
    .await?;
    // Everyone else: sessions over the last year.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
         INSERT INTO bench_sessions (id, user_id, started_at)
         SELECT randomblob(16), u.id, ?3 - n.i * (365 * ?4 / ?2) - (u.rowid * 7919) % ?4
         FROM users u, n WHERE u.id <> ?1",
    )
    .bind(heavy)
    .bind(spec.other_sessions)
    .bind(now)
    .bind(DAY_MS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO interview_sessions (id, user_id, mode, started_at, finished_at, status, question_count)
         SELECT id, user_id, 'practice', started_at, started_at + 600000, 'finished', ?1 FROM bench_sessions",
    )
    .bind(ANSWERS_PER_SESSION)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "CREATE TEMP TABLE bench_questions AS
         SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id, level, topic_id FROM questions",
    )
    .execute(&mut *tx)
    .await?;
    // Answers: a minute apart, 20 s to 5 min spent against a 5 min limit,
    // grades 1-4, one in 50 flagged.
    sqlx::query(
        "WITH RECURSIVE p(pos) AS (SELECT 0 UNION ALL SELECT pos + 1 FROM p WHERE pos < ?1 - 1),
         a AS (
             SELECT s.id AS session_id, p.pos, s.user_id, s.idx, s.started_at + p.pos * 60000 AS t0,
                    20000 + (s.idx * 7919 + p.pos * 104729) % 280000 AS spent,
                    (s.idx * 7 + p.pos * 13) % (SELECT count(*) FROM bench_questions) AS q
             FROM bench_sessions s, p)
         INSERT INTO session_answers (session_id, position, user_id, question_id, level, topic_id, answer,
             started_at, deadline_at, submitted_at, time_spent_ms, self_grade, graded_at, flagged)
         SELECT a.session_id, a.pos, a.user_id, q.id, q.level, q.topic_id, 'benchmark answer',
                a.t0, a.t0 + 300000, a.t0 + a.spent, a.spent, 1 + (a.idx * 31 + a.pos * 17) % 4,
                a.t0 + a.spent, (a.idx + a.pos) % 50 = 0
         FROM a JOIN bench_questions q ON q.idx = a.q",
    )
    .bind(ANSWERS_PER_SESSION)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(heavy)
}

/// The same rows as [`generate_sqlite`], made with PostgreSQL's
/// `generate_series` and `gen_random_uuid` (its own UUIDs, the same row
/// numbers).
async fn generate_postgres(pool: &sqlx::PgPool, now: i64, spec: Spec) -> Result<Uuid, BoxError> {
    let mut tx = server_db::postgres::begin_write(pool).await?;
    // A bulk load, as a restore would do it: without the per-row triggers
    // (each would bump its user's data_version, 100,000 times for the
    // heavy user in one transaction); each user's version is bumped once
    // at the end instead. Needs a superuser, which the benchmark's private
    // cluster has.
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO users (id, username, is_guest, created_at)
         SELECT gen_random_uuid(), 'bench' || i, TRUE, 0 FROM generate_series(0, $1 - 1) i",
    )
    .bind(spec.users)
    .execute(&mut *tx)
    .await?;
    let heavy: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE username = 'bench0'")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "CREATE TEMP TABLE bench_sessions (
             idx BIGSERIAL PRIMARY KEY, id UUID NOT NULL, user_id UUID NOT NULL,
             started_at BIGINT NOT NULL) ON COMMIT DROP",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_sessions (id, user_id, started_at)
         SELECT gen_random_uuid(), $1, $3 - i * (730 * $4 / $2) FROM generate_series(1, $2) i",
    )
    .bind(heavy)
    .bind(spec.heavy_sessions)
    .bind(now)
    .bind(DAY_MS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO bench_sessions (id, user_id, started_at)
         SELECT gen_random_uuid(), u.id, $3 - n.i * (365 * $4 / $2) - (u.k * 7919) % $4
         FROM (SELECT id, row_number() OVER (ORDER BY username) AS k FROM users WHERE id <> $1) u,
              generate_series(1, $2) n (i)",
    )
    .bind(heavy)
    .bind(spec.other_sessions)
    .bind(now)
    .bind(DAY_MS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO interview_sessions (id, user_id, mode, started_at, finished_at, status, question_count)
         SELECT id, user_id, 'practice', started_at, started_at + 600000, 'finished', $1 FROM bench_sessions",
    )
    .bind(ANSWERS_PER_SESSION)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "CREATE TEMP TABLE bench_questions ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id, level, topic_id FROM questions",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH a AS (
             SELECT s.id AS session_id, p.pos, s.user_id, s.idx, s.started_at + p.pos * 60000 AS t0,
                    20000 + (s.idx * 7919 + p.pos * 104729) % 280000 AS spent,
                    (s.idx * 7 + p.pos * 13) % (SELECT count(*) FROM bench_questions) AS q
             FROM bench_sessions s, generate_series(0, $1 - 1) p (pos))
         INSERT INTO session_answers (session_id, position, user_id, question_id, level, topic_id, answer,
             started_at, deadline_at, submitted_at, time_spent_ms, self_grade, graded_at, flagged)
         SELECT a.session_id, a.pos, a.user_id, q.id, q.level, q.topic_id, 'benchmark answer',
                a.t0, a.t0 + 300000, a.t0 + a.spent, a.spent, 1 + (a.idx * 31 + a.pos * 17) % 4,
                a.t0 + a.spent, (a.idx + a.pos) % 50 = 0
         FROM a JOIN bench_questions q ON q.idx = a.q",
    )
    .bind(ANSWERS_PER_SESSION)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET data_version = data_version + 1")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(heavy)
}
