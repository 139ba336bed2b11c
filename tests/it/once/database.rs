//! The database as the server opens it: migrations and pragmas.

use rehearse::platform::db;
use sqlx::Connection;

#[tokio::test]
async fn migrations_apply_to_a_fresh_file_with_the_pragmas_in_force() {
    let dir = std::env::temp_dir().join(format!("rehearse-db-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("fresh.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());

    let pool = db::sqlite::connect(&url)
        .await
        .expect("connects and migrates");
    assert!(path.exists(), "database file was not created");

    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    assert_eq!(journal, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    assert_eq!(sync, 1, "synchronous should be NORMAL");
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    assert!(busy >= 1000);

    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    for expected in [
        "users",
        "auth_sessions",
        "topics",
        "questions",
        "question_sets",
        "question_set_items",
        "interview_sessions",
        "session_answers",
        "review_cards",
        "questions_fts",
    ] {
        assert!(
            tables.iter().any(|t| t == expected),
            "missing table {expected}: {tables:?}"
        );
    }

    // STRICT tables refuse a wrong type instead of storing it.
    let wrong =
        sqlx::query("INSERT INTO topics (slug, name, position) VALUES ('x', 'X', 'not a number')")
            .execute(&pool)
            .await;
    assert!(
        wrong.is_err(),
        "STRICT should reject text in an INTEGER column"
    );

    // Foreign keys are enforced.
    let orphan = sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
         VALUES (x'00', x'01', 0, 0, 0)",
    )
    .execute(&pool)
    .await;
    assert!(orphan.is_err(), "foreign keys should be on");

    // Migrating again is a no-op.
    db::sqlite::migrate(&pool).await.expect("second migrate");
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A write whose caller goes away while its `BEGIN` waits for the lock (a
/// client hanging up under load) must not leave a transaction open on a
/// pooled connection: that connection would hold the write lock for good
/// and every later write would fail after the busy timeout.
#[tokio::test]
async fn a_write_abandoned_while_waiting_leaves_no_transaction_open() {
    let dir = std::env::temp_dir().join(format!("rehearse-cancel-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/cancel.db", dir.display());
    let pool = db::sqlite::connect(&url).await.expect("connects");
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&pool)
        .await
        .expect("table");

    // Another writer (outside this process's queue, like a second process)
    // holds the lock, so each BEGIN below waits in SQLite's busy handler...
    let mut holder = sqlx::SqliteConnection::connect(&url).await.expect("holder");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut holder)
        .await
        .expect("lock");
    // ...and its caller gives up while it waits.
    for _ in 0..4 {
        let gave_up = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            db::sqlite::begin_write(&pool),
        )
        .await;
        assert!(gave_up.is_err(), "BEGIN should still be waiting");
    }
    sqlx::query("ROLLBACK")
        .execute(&mut holder)
        .await
        .expect("unlock");
    // And callers that give up at every moment of a write's start, many at
    // once, as when wrk stops mid-load: the window that leaked was between
    // BEGIN's answer and the transaction's creation.
    for round in 0..40_u64 {
        let tries = (0..16_u64).map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let wait = std::time::Duration::from_micros((round * 16 + i) * 7 % 600);
                let _ = tokio::time::timeout(wait, async {
                    let mut tx = db::sqlite::begin_write(&pool).await?;
                    sqlx::query("INSERT INTO t (x) VALUES (-1)")
                        .execute(&mut *tx)
                        .await?;
                    tx.rollback().await
                })
                .await;
            })
        });
        for t in tries {
            let _ = t.await;
        }
    }

    // Writes work at once, on every pooled connection, well inside the
    // busy timeout.
    let started = std::time::Instant::now();
    for i in 0..12 {
        let mut tx = db::sqlite::begin_write(&pool).await.expect("begins");
        sqlx::query("INSERT INTO t (x) VALUES (?1)")
            .bind(i)
            .execute(&mut *tx)
            .await
            .expect("writes");
        tx.commit().await.expect("commits");
    }
    sqlx::query("INSERT INTO t (x) VALUES (99)")
        .execute(&mut holder)
        .await
        .expect("another writer gets the lock");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "writes waited {:?}",
        started.elapsed()
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(count, 13);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every table that holds a person's own data bumps their `data_version`
/// on insert, update and delete (kept personal pages are keyed by it): a
/// table added later without its triggers fails here, by name.
#[sqlx::test]
async fn every_table_of_a_persons_data_bumps_their_version(pool: sqlx::SqlitePool) {
    // Tables with a person's id that their own kept pages never show.
    const NOT_SHOWN: &[(&str, &str)] = &[
        (
            "auth_sessions",
            "who is logged in is checked on every request",
        ),
        (
            "candidate_attempts",
            "shown on recruiters' pages, never kept",
        ),
        ("throttle_events", "no person's page shows it"),
    ];
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT m.name FROM sqlite_master m
         WHERE m.type = 'table' AND (
             EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'user_id')
             OR m.name IN ('answer_revisions', 'answer_reviews'))
         ORDER BY m.name",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    assert!(tables.len() >= 10, "{tables:?}");
    for table in tables {
        if NOT_SHOWN.iter().any(|(name, _)| *name == table) {
            continue;
        }
        for op in ["insert", "update", "delete"] {
            let trigger = format!("{table}_version_{op}");
            let sql: Option<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1 AND tbl_name = ?2",
            )
            .bind(&trigger)
            .bind(&table)
            .fetch_optional(&pool)
            .await
            .expect("trigger");
            let sql = sql.unwrap_or_else(|| panic!("{table} has no {trigger}"));
            assert!(
                sql.to_uppercase()
                    .contains(&format!("AFTER {}", op.to_uppercase()))
                    && sql.contains("data_version = data_version + 1"),
                "{sql}"
            );
        }
    }

    // And they work: a write straight to the table moves the version.
    let user = uuid::Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?1, 'v', '', 'candidate', 0)")
        .bind(user)
        .execute(&pool)
        .await
        .expect("user");
    let version = || async {
        sqlx::query_scalar::<_, i64>("SELECT data_version FROM users WHERE id = ?1")
            .bind(user)
            .fetch_one(&pool)
            .await
            .expect("version")
    };
    let v0 = version().await;
    sqlx::query("UPDATE users SET time_zone = 'Europe/Oslo' WHERE id = ?1")
        .bind(user)
        .execute(&pool)
        .await
        .expect("zone");
    let v1 = version().await;
    assert!(v1 > v0);
    sqlx::query("UPDATE users SET last_seen_at = 5 WHERE id = ?1")
        .bind(user)
        .execute(&pool)
        .await
        .expect("seen");
    assert_eq!(version().await, v1, "being seen is not a change to show");
}

/// A write that cannot get its turn (another writer holds the database
/// longer than the 5 s anyone waits) answers 503 "busy, nothing was saved",
/// not a bare 500, and changes nothing.
#[sqlx::test]
async fn a_write_that_gets_no_turn_is_told_the_server_is_busy(pool: sqlx::SqlitePool) {
    use rehearse::platform::db::AsPool;
    let app = crate::common::app_with_bank(pool.db()).await;
    let mut c = crate::common::Client::new(&app);
    let session = c.start_practice(None).await;
    // Another writer takes the turn and the lock, and keeps them.
    let held = db::sqlite::begin_write(&pool).await.expect("write turn");
    let save = c
        .call(
            "sessions/save",
            &[
                ("id", &session),
                ("position", "0"),
                ("text", "typed while the database was busy"),
                ("rev", "1"),
                ("editor", "tab"),
            ],
        )
        .await;
    let submit = c
        .call(
            "sessions/submit",
            &[("id", &session), ("position", "0"), ("text", "a submit")],
        )
        .await;
    held.rollback().await.expect("rollback");
    for (what, reply) in [("save", save), ("submit", submit)] {
        assert_eq!(reply.status, 503, "{what}: {}", reply.body);
        // What the browser shows: the error's own words.
        let error: rehearse::error::AppError =
            serde_json::from_str(&reply.body).expect("an AppError");
        let shown = error.to_string();
        assert!(
            shown.contains("busy") && shown.contains("not saved"),
            "{what}: {shown}"
        );
    }
    let draft: String = sqlx::query_scalar("SELECT draft FROM session_answers")
        .fetch_one(&pool)
        .await
        .expect("draft");
    assert_eq!(draft, "", "nothing was saved");
}
