//! PostgreSQL, the second backend: its migrations
//! (`migrations_postgres/`) must give the same tables and columns as
//! SQLite's, by name and type family, and keep the same rules in triggers.
//!
//! The server comes from `REHEARSE_TEST_POSTGRES_URL` when set; otherwise
//! this starts a private one (`scripts/postgres.sh`: a temporary cluster on
//! a free port, run by an unprivileged user) and removes it afterwards.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{Connection, Executor, PgPool, SqlitePool};

/// A private cluster, stopped and removed when dropped.
struct Cluster(std::path::PathBuf);

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new("scripts/postgres.sh")
            .arg("stop")
            .arg(&self.0)
            .status();
    }
}

/// A server's URL, and the cluster to drop after if this started one.
fn server() -> (String, Option<Cluster>) {
    if let Ok(url) = std::env::var("REHEARSE_TEST_POSTGRES_URL") {
        return (url, None);
    }
    let dir = std::env::temp_dir().join(format!("rehearse-pg-{}", uuid::Uuid::new_v4()));
    let out = std::process::Command::new("scripts/postgres.sh")
        .arg("start")
        .arg(&dir)
        .output()
        .expect("scripts/postgres.sh runs");
    let cluster = Cluster(dir);
    assert!(
        out.status.success(),
        "could not start PostgreSQL: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (url, Some(cluster))
}

/// A new, empty database on the server, migrated with `migrations_postgres`.
async fn fresh_database(server_url: &str) -> (PgPool, String) {
    let name = format!("rehearse_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(server_url)
        .await
        .expect("connects to PostgreSQL");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let (base, _) = server_url.rsplit_once('/').expect("a URL with a database");
    let pool = PgPool::connect(&format!("{base}/{name}"))
        .await
        .expect("connects to the new database");
    sqlx::migrate!("./migrations_postgres")
        .run(&pool)
        .await
        .expect("the PostgreSQL migrations apply");
    (pool, name)
}

/// SQLite's and PostgreSQL's column types, in the families the code reads
/// them as: i64 and bool ("integer": SQLite keeps booleans as 0 and 1),
/// f64, String, and Uuid or bytes.
fn family(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "boolean" => "integer",
        "real" | "double precision" => "real",
        "text" => "text",
        "blob" | "uuid" | "bytea" => "bytes",
        other => panic!("a column type with no family: {other}"),
    }
}

/// PostgreSQL's full-text column; SQLite's index is the FTS5 table.
const ONLY_IN_POSTGRES: &[(&str, &str)] = &[("questions", "search")];

#[tokio::test]
async fn both_backends_migrate_to_the_same_tables_and_columns() {
    let (url, _cluster) = server();
    let (pg, name) = fresh_database(&url).await;
    let file = std::env::temp_dir().join(format!("rehearse-schema-{}.db", uuid::Uuid::new_v4()));
    let sqlite: SqlitePool =
        rehearse::platform::db::sqlite::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("SQLite migrates");

    let sqlite_columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT m.name, c.name, c.type FROM sqlite_master m, pragma_table_info(m.name) c
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
           AND m.name NOT LIKE 'questions_fts%' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(&sqlite)
    .await
    .expect("sqlite columns");
    let pg_columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pg)
    .await
    .expect("postgres columns");
    let by_name =
        |rows: Vec<(String, String, String)>| -> BTreeMap<(String, String), &'static str> {
            rows.into_iter()
                .filter(|(t, c, _)| !ONLY_IN_POSTGRES.contains(&(t.as_str(), c.as_str())))
                .map(|(t, c, ty)| ((t, c), family(&ty)))
                .collect()
        };
    let (lite, post) = (by_name(sqlite_columns), by_name(pg_columns));
    assert!(lite.len() > 150, "{} columns", lite.len());
    for (column, ty) in &lite {
        assert_eq!(post.get(column), Some(ty), "{column:?} in PostgreSQL");
    }
    for column in post.keys() {
        assert!(lite.contains_key(column), "{column:?} only in PostgreSQL");
    }

    // Every index SQLite has, PostgreSQL has by the same name (or as the
    // constraint it stands for); PostgreSQL's extras are named.
    let lite_indexes: BTreeSet<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(&sqlite)
    .await
    .expect("sqlite indexes")
    .into_iter()
    .collect();
    let pg_indexes: BTreeSet<String> = sqlx::query_scalar(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'
         UNION SELECT conname::text FROM pg_constraint WHERE contype = 'u'",
    )
    .fetch_all(&pg)
    .await
    .expect("postgres indexes")
    .into_iter()
    .collect();
    for index in &lite_indexes {
        assert!(
            pg_indexes.contains(index),
            "index {index} missing in PostgreSQL"
        );
    }

    // Both folders reach the same version: they move in step.
    let latest = |rows: Vec<i64>| rows.into_iter().max();
    let lite_version = latest(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&sqlite)
            .await
            .expect("versions"),
    );
    let pg_version = latest(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&pg)
            .await
            .expect("versions"),
    );
    assert_eq!(lite_version, pg_version);

    // The same data-version triggers, by name (`<table>_version_<op>`).
    let lite_triggers: BTreeSet<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_version\\_%' ESCAPE '\\'",
    )
    .fetch_all(&sqlite)
    .await
    .expect("sqlite triggers")
    .into_iter()
    .collect();
    let pg_triggers: BTreeSet<String> = sqlx::query_scalar(
        "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%\\_version\\_%'",
    )
    .fetch_all(&pg)
    .await
    .expect("postgres triggers")
    .into_iter()
    .collect();
    assert!(lite_triggers.len() >= 30, "{lite_triggers:?}");
    assert_eq!(lite_triggers, pg_triggers);

    // The rules kept by triggers hold here too: a question's revisions,
    // and a person's data version (as `database.rs` checks on SQLite).
    let user = uuid::Uuid::new_v4();
    for sql in [
        "INSERT INTO users (id, username, created_at) VALUES ($1, 'Pat', 0)",
        "INSERT INTO topics (slug, name, position) VALUES ('t', 'T', 1)",
        "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer, answer_html, source, created_at, updated_at)
         SELECT 'q', id, 'beginner', 'First wording', 'a', '<p>a</p>', 'builtin', 0, 0 FROM topics",
        "INSERT INTO interview_sessions (id, user_id, mode, started_at) VALUES ($1, $1, 'practice', 0)",
        "INSERT INTO session_answers (session_id, position, user_id, question_id) SELECT $1, 0, $1, id FROM questions",
    ] {
        sqlx::query(sql).bind(user).execute(&pg).await.expect(sql);
    }
    let version = || async {
        sqlx::query_scalar::<_, i64>("SELECT data_version FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&pg)
            .await
            .expect("version")
    };
    let v0 = version().await;
    assert!(v0 >= 2, "a session and an answer: {v0}");
    sqlx::query("UPDATE questions SET prompt = 'Second wording', updated_at = 1")
        .execute(&pg)
        .await
        .expect("edit");
    let revisions: Vec<(i64, String)> =
        sqlx::query_as("SELECT revision, prompt FROM question_versions ORDER BY revision")
            .fetch_all(&pg)
            .await
            .expect("revisions");
    assert_eq!(
        revisions,
        [
            (1, "First wording".to_owned()),
            (2, "Second wording".to_owned())
        ]
    );
    assert!(version().await > v0, "the wording she answered changed");
    let taken = sqlx::query("INSERT INTO users (id, username, created_at) VALUES ($1, 'pat', 0)")
        .bind(uuid::Uuid::new_v4())
        .execute(&pg)
        .await;
    assert!(taken.is_err(), "usernames are unique ignoring case");
    let found: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM questions WHERE search @@ to_tsquery('simple', 'secon:*')",
    )
    .fetch_one(&pg)
    .await
    .expect("search");
    assert_eq!(found, 1, "prefix search over the generated column");

    pg.close().await;
    sqlite.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("connects");
    admin
        .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
        .await
        .expect("drop");
}
