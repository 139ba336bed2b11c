//! Starting on a database that can't be used: the server refuses to start,
//! says which file and why on one line, and leaves the file as it was.

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
            let pool = rehearse::server::db::connect(&url).await.expect("create");
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
