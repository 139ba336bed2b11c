//! Starting on a database that can't be used: the server refuses to start,
//! says which file and why on one line, and leaves the file as it was.

use rehearse::platform::db::AsPool;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs the server binary until it exits (it must, within 30 s); returns
/// whether it succeeded and what it printed on stderr.
fn start_and_wait(database_url: &str) -> (bool, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .env("REHEARSE_ADDR", format!("127.0.0.1:{port}"))
        .env("REHEARSE_DATABASE_URL", database_url)
        .env("REHEARSE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            return (
                status.success(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the server started on an unusable database");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rehearse-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[test]
fn a_corrupt_database_file_stops_the_start_and_is_left_alone() {
    let dir = temp_dir("corrupt");
    let path = dir.join("db.sqlite");
    let garbage: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    std::fs::write(&path, &garbage).expect("write");
    let (ok, stderr) = start_and_wait(&format!("sqlite://{}", path.display()));
    assert!(!ok);
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(stderr.contains("not a database"), "{stderr}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        garbage,
        "the file was changed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_read_only_database_stops_the_start_and_is_left_alone() {
    let dir = temp_dir("readonly");
    let path = dir.join("db.sqlite");
    let url = format!("sqlite://{}", path.display());
    // A real database, made and closed first.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let pool = rehearse::platform::db::sqlite::connect(&url)
                .await
                .expect("create");
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&pool)
                .await
                .expect("checkpoint");
            pool.close().await;
        });
    let before = std::fs::read(&path).expect("read");
    let (ok, stderr) = start_and_wait(&format!("{url}?mode=ro"));
    assert!(!ok);
    assert!(
        stderr.contains(&path.display().to_string()),
        "names the file: {stderr}"
    );
    assert!(
        stderr.contains("readonly") || stderr.contains("read-only"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the file was changed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A full disk, stood in for by a page limit on every connection (a small
/// tmpfs or loop file needs mounting, which this machine cannot do): once
/// the file cannot grow, writes are refused with 503 and a message saying
/// nothing was saved; everything acknowledged before is still there, reads
/// still work, and the file passes SQLite's integrity check.
#[tokio::test]
async fn a_full_disk_refuses_writes_with_503_and_loses_nothing() {
    use rehearse::platform::db;
    let dir = std::env::temp_dir().join(format!("rehearse-full-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/full.db", dir.display());
    let pool = db::sqlite::connect(&url).await.expect("connects");
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank");
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&pool)
        .await
        .expect("pages");
    pool.close().await;

    let options = db::sqlite::options(&url)
        .expect("options")
        .pragma("max_page_count", (pages + 6).to_string());
    let pool = db::sqlite::connect_with(options).await.expect("reopens");
    let app = rehearse::server::app(crate::common::state(pool.clone()));
    let mut guest = crate::common::Client::new(&app);
    let mut started: Vec<String> = Vec::new();
    let mut refused = None;
    for _ in 0..500 {
        let r = guest
            .call(
                "sessions/start",
                &[
                    ("mode", "practice"),
                    ("count", "10"),
                    ("per_question_secs", "300"),
                    ("total_secs", "0"),
                ],
            )
            .await;
        match r.status {
            200 => started.push(r.body.trim_matches('"').to_owned()),
            503 => {
                refused = Some(r);
                break;
            }
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    let refused = refused.expect("the file reached its limit");
    // The error the page shows: it says what happened and that nothing
    // was saved.
    let error: rehearse::error::AppError =
        serde_json::from_str(&refused.body).expect("an AppError");
    assert_eq!(error, rehearse::error::AppError::StorageFull);
    let message = error.to_string();
    assert!(
        message.contains("storage is full") && message.contains("not saved"),
        "{message}"
    );
    assert!(!started.is_empty(), "some sessions fitted before the limit");

    for id in &started {
        let r = guest.call("sessions/state", &[("id", id)]).await;
        assert_eq!(
            r.status, 200,
            "acknowledged session {id} is readable: {}",
            r.body
        );
    }
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM interview_sessions")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(kept, started.len() as i64, "nothing half-written");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .expect("check");
    assert_eq!(check, "ok");
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
