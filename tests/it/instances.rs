//! Several app instances behind a load balancer: two server
//! processes on different ports share one PostgreSQL database. Whatever
//! one instance stores, the other serves: the login session, a saved
//! draft, and the login throttle's count.

use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use rehearse::sessions::types::RunnerState;

use crate::common::pg;
use crate::server_process::{enc, free_port, healthy, post, start, HttpClient};

/// Kills the server when the test ends, however it ends.
struct Instance(std::process::Child);

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn two_instances_share_sessions_drafts_and_the_throttle() {
    let db = pg::fresh_url().await;
    let (port_a, port_b) = (free_port(), free_port());
    let _a = Instance(start(&db, port_a));
    let a = format!("http://127.0.0.1:{port_a}");
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    // One at a time: both would migrate and load the bank at once otherwise
    // (which is safe too, but makes for a slower start).
    healthy(&client, &a).await;
    let _b = Instance(start(&db, port_b));
    let b = format!("http://127.0.0.1:{port_b}");
    healthy(&client, &b).await;

    // Registered through A, still logged in through B: the same cookie.
    let form = "username=Morgan&password=tidy+orange+kettle&role=candidate&next=%2F";
    let (status, cookie, body) = post(&client, &a, "accounts/register", None, form.into())
        .await
        .expect("A answers");
    assert_eq!(status, 200, "{body}");
    let cookie = cookie.expect("a session cookie");
    let (status, _, who) = post(&client, &b, "accounts/whoami", Some(&cookie), String::new())
        .await
        .expect("B answers");
    assert_eq!(status, 200);
    assert!(
        who.contains("\"username\":\"Morgan\""),
        "B knows the caller: {who}"
    );

    // A session started and a draft saved through A; B serves the draft.
    let (status, _, body) = post(
        &client,
        &a,
        "sessions/start",
        Some(&cookie),
        "mode=practice&count=1&per_question_secs=0&total_secs=0".into(),
    )
    .await
    .expect("A answers");
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).expect("a session id");
    let text = "An index trades write cost for read speed.";
    let form = format!(
        "id={id}&position=0&text={}&rev=1&editor=tab1&base=0",
        enc(text)
    );
    let (status, _, body) = post(&client, &a, "sessions/save", Some(&cookie), form)
        .await
        .expect("A answers");
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = post(
        &client,
        &b,
        "sessions/state",
        Some(&cookie),
        format!("id={id}"),
    )
    .await
    .expect("B answers");
    assert_eq!(status, 200, "{body}");
    let state: RunnerState = serde_json::from_str(&body).expect("runner state");
    assert_eq!(
        state.text, text,
        "the draft saved through A, read through B"
    );
    assert_eq!(state.draft_rev, 1);

    // Wrong passwords for one username, sent to A and B in turn: the
    // limit (5 per 15 minutes) counts them together, whichever answers.
    let wrong = "username=morgan&password=not+the+password&next=%2F";
    let mut refused = Vec::new();
    for attempt in 0..6 {
        let base = if attempt % 2 == 0 { &a } else { &b };
        let (status, _, _) = post(&client, base, "accounts/login", None, wrong.into())
            .await
            .expect("answers");
        refused.push(status);
    }
    assert_eq!(refused, [422, 422, 422, 422, 422, 429], "{refused:?}");
    // The right password is throttled too now, on either instance.
    let right = "username=morgan&password=tidy+orange+kettle&next=%2F";
    let (status, _, _) = post(&client, &a, "accounts/login", None, right.into())
        .await
        .expect("A answers");
    assert_eq!(status, 429);
}
