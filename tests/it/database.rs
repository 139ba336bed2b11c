//! The database as the server opens it: migrations and pragmas.

use rehearse::server::db;

#[tokio::test]
async fn migrations_apply_to_a_fresh_file_with_the_pragmas_in_force() {
    let dir = std::env::temp_dir().join(format!("rehearse-db-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("fresh.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());

    let pool = db::connect(&url).await.expect("connects and migrates");
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
    db::migrate(&pool).await.expect("second migrate");
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
