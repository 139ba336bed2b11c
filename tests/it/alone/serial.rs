//! Tests about one request holding up another. They run after the rest,
//! alone (`make test` runs them with the crash rounds): beside the other
//! tests, two cores' worth of unrelated work would be measured too.

use std::time::{Duration, Instant};

use crate::common::{app_with_config, Client};

/// An answer that is expensive to render: 20,000 characters of Markdown,
/// mostly code in a language we highlight.
fn heavy_answer() -> String {
    let mut text = String::from("My answer, with the code:\n\n```rust\n");
    while text.len() < 19_000 {
        text.push_str("let value = compute(\"a string\", 42) // a comment <b>\n");
    }
    text.push_str("```\n\nAnd *some* **words** after it.");
    text
}

/// Renders happen before the write turn is taken: while guests submit
/// heavy answers, another person's autosaves never wait for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heavy_submit_does_not_delay_another_persons_save() {
    // Two workers, as the server has on these machines: one request's own
    // parsing and serialising (slow in a debug build) must not stand in for
    // the write turn being held.
    let dir = std::env::temp_dir().join(format!("rehearse-serial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}/heavy.db", dir.display());
    let pool = rehearse::platform::db::connect(&url)
        .await
        .expect("database");
    let app = app_with_config(pool, &[("REHEARSE_GUESTS_PER_HOUR", "1000")]).await;
    let heavy = heavy_answer();
    // Four guests, each with eight one-question sessions to submit into.
    let mut submitters = Vec::new();
    for _ in 0..4 {
        let mut c = Client::new(&app);
        let mut sessions = Vec::new();
        for _ in 0..8 {
            sessions.push(c.start_practice(None).await);
        }
        submitters.push((c, sessions));
    }
    let mut writer = Client::new(&app);
    let mine = writer.start_practice(None).await;

    // Only heavy submits run while the saves are timed.
    let heavy_work = tokio::spawn({
        let heavy = heavy.clone();
        async move {
            let mut handles = Vec::new();
            for (mut c, sessions) in submitters {
                let heavy = heavy.clone();
                handles.push(tokio::spawn(async move {
                    for id in sessions {
                        let r = c
                            .call(
                                "sessions/submit",
                                &[("id", &id), ("position", "0"), ("text", &heavy)],
                            )
                            .await;
                        assert_eq!(r.status, 200, "{}", r.body);
                    }
                }));
            }
            for h in handles {
                h.await.expect("submitter");
            }
        }
    });
    let mut waits = Vec::new();
    let mut rev = 0u32;
    while !heavy_work.is_finished() && rev < 400 {
        rev += 1;
        let r_text = format!("draft number {rev}");
        let r_rev = rev.to_string();
        let started = Instant::now();
        let r = writer
            .call(
                "sessions/save",
                &[
                    ("id", &mine),
                    ("position", "0"),
                    ("text", &r_text),
                    ("rev", &r_rev),
                    ("editor", "tab"),
                ],
            )
            .await;
        waits.push(started.elapsed());
        assert_eq!(r.status, 200, "{}", r.body);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    heavy_work.await.expect("heavy submits");
    assert!(
        waits.len() >= 5,
        "saves made during the submits: {}",
        waits.len()
    );
    waits.sort();
    let worst = waits[waits.len() - 1];
    let median = waits[waits.len() / 2];
    println!(
        "{} saves during 32 heavy submits: median {median:?}, worst {worst:?}",
        waits.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        worst < Duration::from_millis(50),
        "a save waited {worst:?} (median {median:?})"
    );
}
