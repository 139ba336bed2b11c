//! Crash safety: the real server process is killed with SIGKILL while
//! clients save drafts, submit and grade over HTTP; after a restart every
//! acknowledged write is there exactly as acknowledged, and nothing appears
//! that no client sent. `make test` runs 3 rounds on the debug build;
//! `make chaos` runs 20 on the release build (`REHEARSE_CHAOS_ROUNDS`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_util::{client::legacy::Client, rt::TokioExecutor};

use crate::server_process::{enc, free_port, healthy, post, start, HttpClient};

const CLIENTS: usize = 8;

/// What clients were told was stored, and every text they sent.
#[derive(Default)]
struct Ledger {
    /// (session, position) -> (rev, text) of the newest acknowledged save.
    saved: HashMap<(String, u32), (u32, String)>,
    /// (session, position) -> every (rev, text) sent, acknowledged or not.
    sent: HashMap<(String, u32), Vec<(u32, String)>>,
    submitted: HashMap<(String, u32), String>,
    graded: HashMap<(String, u32), u8>,
    acked: u64,
}

/// One client: sessions of three questions, saving drafts as fast as the
/// server answers, submitting every tenth save, grading, moving on; until
/// the server dies under it.
async fn client_loop(client: HttpClient, base: String, n: usize, ledger: Arc<Mutex<Ledger>>) {
    let editor = format!("chaos{n}");
    let mut cookie: Option<String> = None;
    loop {
        let Some((200, set, body)) = post(
            &client,
            &base,
            "sessions/start",
            cookie.as_deref(),
            "mode=practice&count=3&per_question_secs=0&total_secs=0".into(),
        )
        .await
        else {
            return;
        };
        if set.is_some() {
            cookie = set;
        }
        let id: String = serde_json::from_str(&body).unwrap_or_default();
        for position in 0..3u32 {
            let key = (id.clone(), position);
            let mut base_rev = 0;
            for rev in 1..=10u32 {
                let text = format!(
                    "client {n} session {id} question {position} save {rev} {}",
                    "lorem ".repeat(rev as usize)
                );
                ledger
                    .lock()
                    .expect("ledger")
                    .sent
                    .entry(key.clone())
                    .or_default()
                    .push((rev, text.clone()));
                let form = format!(
                    "id={id}&position={position}&text={}&rev={rev}&editor={editor}&base={base_rev}",
                    enc(&text)
                );
                match post(&client, &base, "sessions/save", cookie.as_deref(), form).await {
                    Some((200, _, _)) => {
                        base_rev = rev;
                        let mut l = ledger.lock().expect("ledger");
                        l.saved.insert(key.clone(), (rev, text));
                        l.acked += 1;
                    }
                    Some(_) => {}
                    None => return,
                }
            }
            let text = format!("client {n} session {id} question {position} final answer");
            ledger
                .lock()
                .expect("ledger")
                .sent
                .entry(key.clone())
                .or_default()
                .push((u32::MAX, text.clone()));
            let form = format!(
                "id={id}&position={position}&text={}&editor={editor}&base={base_rev}",
                enc(&text)
            );
            match post(&client, &base, "sessions/submit", cookie.as_deref(), form).await {
                Some((200, _, _)) => {
                    let mut l = ledger.lock().expect("ledger");
                    l.submitted.insert(key.clone(), text);
                    l.acked += 1;
                }
                Some(_) => continue,
                None => return,
            }
            let grade = 1 + (position % 4) as u8;
            let form = format!("id={id}&position={position}&grade={grade}");
            match post(&client, &base, "sessions/grade", cookie.as_deref(), form).await {
                Some((200, _, _)) => {
                    let mut l = ledger.lock().expect("ledger");
                    l.graded.insert(key.clone(), grade);
                    l.acked += 1;
                }
                Some(_) => {}
                None => return,
            }
            if post(
                &client,
                &base,
                "sessions/next",
                cookie.as_deref(),
                format!("id={id}&position={position}"),
            )
            .await
            .is_none()
            {
                return;
            }
        }
    }
}

#[derive(sqlx::FromRow)]
struct Stored {
    draft: String,
    draft_rev: i64,
    answer: Option<String>,
    self_grade: Option<i64>,
}

/// Every acknowledged write that is not stored exactly as acknowledged,
/// and every stored text no client sent.
async fn audit(pool: &sqlx::SqlitePool, ledger: &Ledger) -> Vec<String> {
    let mut problems = Vec::new();
    let mut keys: Vec<&(String, u32)> = ledger.sent.keys().collect();
    keys.sort();
    for key in keys {
        let Ok(id) = uuid::Uuid::parse_str(&key.0) else {
            continue;
        };
        let row: Option<Stored> = sqlx::query_as(
            "SELECT draft, draft_rev, answer, self_grade FROM session_answers WHERE session_id = ?1 AND position = ?2",
        )
        .bind(id)
        .bind(i64::from(key.1))
        .fetch_optional(pool)
        .await
        .expect("read");
        let Some(row) = row else {
            problems.push(format!("{key:?}: the answer row is gone"));
            continue;
        };
        let sent = &ledger.sent[key];
        // Once submitted, the answer is what counts (submitting stores the
        // final text as the draft too).
        let saved = ledger.saved.get(key).filter(|_| row.answer.is_none());
        if let Some((rev, text)) = saved {
            if row.draft_rev < i64::from(*rev) {
                problems.push(format!(
                    "{key:?}: save {rev} acknowledged, stored rev {}",
                    row.draft_rev
                ));
            } else if row.draft_rev == i64::from(*rev) && &row.draft != text {
                problems.push(format!("{key:?}: save {rev} stored with other text"));
            }
        }
        if !row.draft.is_empty() && !sent.iter().any(|(_, t)| *t == row.draft) {
            problems.push(format!(
                "{key:?}: a draft no client sent: {:.60}",
                row.draft
            ));
        }
        if let Some(text) = ledger.submitted.get(key) {
            if row.answer.as_deref() != Some(text.as_str()) {
                problems.push(format!("{key:?}: submitted answer lost or changed"));
            }
        } else if let Some(answer) = &row.answer {
            if !sent.iter().any(|(_, t)| t == answer) {
                problems.push(format!("{key:?}: an answer no client sent: {answer:.60}"));
            }
        }
        if let Some(grade) = ledger.graded.get(key) {
            if row.self_grade != Some(i64::from(*grade)) {
                problems.push(format!(
                    "{key:?}: grade {grade} acknowledged, stored {:?}",
                    row.self_grade
                ));
            }
        }
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let rounds: usize = std::env::var("REHEARSE_CHAOS_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let dir = std::env::temp_dir().join(format!("rehearse-chaos-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = format!("sqlite://{}/chaos.db", dir.display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(CLIENTS)
        .build_http();
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut server = start(&db, port);
    let mut restarts = vec![healthy(&client, &base).await];
    // Killing at a random moment: a fixed sequence of delays, 150-900 ms.
    let mut seed: u64 = 0x5eed;
    for _ in 0..rounds {
        let tasks: Vec<_> = (0..CLIENTS)
            .map(|n| {
                tokio::spawn(client_loop(
                    client.clone(),
                    base.clone(),
                    n,
                    Arc::clone(&ledger),
                ))
            })
            .collect();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        tokio::time::sleep(Duration::from_millis(150 + (seed >> 33) % 750)).await;
        server.kill().expect("SIGKILL");
        let _ = server.wait();
        for t in tasks {
            let _ = t.await;
        }
        server = start(&db, port);
        restarts.push(healthy(&client, &base).await);
    }
    let pool = rehearse::platform::db::sqlite::connect(&db)
        .await
        .expect("open");
    let l = std::mem::take(&mut *ledger.lock().expect("ledger"));
    let problems = audit(&pool, &l).await;
    restarts.sort();
    println!(
        "chaos: {rounds} rounds, {} writes acknowledged, {} lost or wrong, restart p50 {} ms, max {} ms",
        l.acked,
        problems.len(),
        restarts[restarts.len() / 2].as_millis(),
        restarts[restarts.len() - 1].as_millis(),
    );
    assert!(l.acked > 0, "no write was acknowledged");
    let _ = server.kill();
    let _ = server.wait();
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    assert!(problems.is_empty(), "{problems:#?}");
}
