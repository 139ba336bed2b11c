//! Issue 9: each hole the security review found, proven closed. Every test
//! here failed (or could not be written) before its fix.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use axum::extract::ConnectInfo;
use rehearse::accounts::{db as accounts_db, session, throttle};
use rehearse::server::listen::{self, Limits};
use rehearse::sessions::{
    db::{self as sessions, Draft, NewSession},
    types::{Mode, OTHER_EDITOR},
};
use sqlx::SqlitePool;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
use uuid::Uuid;

use crate::common::app_pool;
use crate::common::{app_with_bank, app_with_config, get, state_with, Client};
use rehearse::platform::db::AsPool;
use rehearse::platform::db::Pool;

const PW: &str = "tidy orange kettle";
const T0: i64 = 1_800_000_000_000;

/// A guest with a live login cookie, made directly in the database.
async fn guest_with_cookie(pool: &Pool) -> (Uuid, String) {
    let id = accounts_db::create_guest(&pool.db()).await.expect("guest");
    let token = session::create(&pool.db(), id).await.expect("session");
    (id, format!("rehearse_session={token}"))
}

async fn one_question_session(pool: &Pool, user: Uuid, slug: &str, now: i64) -> Uuid {
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 1,
        per_question_secs: None,
        total_secs: None,
        only: Some(slug.to_owned()),
    };
    sessions::create(&pool.db(), user, &new, now)
        .await
        .expect("create")
        .expect("the question exists")
}

/// Unrelated text over one small vocabulary: the worst case for a diff.
fn babble(seed: u64, chars: usize) -> String {
    let vocab = [
        "cache", "index", "lock", "queue", "shard", "row", "page", "log",
    ];
    let mut x = seed;
    let mut out = String::new();
    while out.len() < chars - 8 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push_str(vocab[(x >> 33) as usize % vocab.len()]);
        out.push(' ');
    }
    out
}

// ---- 1. word diffs -------------------------------------------------------

#[sqlx::test]
async fn long_unrelated_answers_do_not_stall_the_question_page(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (user, cookie) = guest_with_cookie(&pool).await;
    let slug = "db-what-is-an-index";
    let (a, b) = (babble(1, 20_000), babble(2, 20_000));
    // 21 long answers, alternating: 20 diffs of two unrelated 20,000-char
    // texts, each of which used to cost seconds of CPU.
    for i in 0..21_i64 {
        let s = one_question_session(&pool, user, slug, T0 + i * 1000).await;
        let text = if i % 2 == 0 { &a } else { &b };
        sessions::submit(
            &pool.db(),
            s,
            user,
            0,
            rehearse::sessions::db::Rendered::later(text),
            T0 + i * 1000 + 500,
        )
        .await
        .expect("submit");
    }
    let mut c = Client::new(&app);
    c.cookie = Some(cookie);
    let started = Instant::now();
    let page = c.get(&format!("/questions/{slug}")).await;
    let took = started.elapsed();
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("not marked up: too long or too different from the attempt before"),
        "the fallback is shown"
    );
    // Before the fix this page took minutes; a generous bound for a debug
    // build on a busy machine still catches that.
    assert!(took < Duration::from_secs(5), "rendered in {took:?}");
}

// ---- 2. password hashing -------------------------------------------------

#[sqlx::test]
async fn saturated_hashing_answers_429_with_retry_after(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank");
    let mut state = state_with(pool, &[]);
    state.hashing = std::sync::Arc::new(rehearse::platform::gate::Gate::new(
        "hashing",
        1,
        Duration::from_millis(50),
    ));
    let gate = std::sync::Arc::clone(&state.hashing);
    let app = rehearse::server::app(state);
    // Every permit is taken, as by a flood of logins in progress.
    let held = gate.semaphore().try_acquire().expect("the only permit");
    let mut c = Client::new(&app);
    let r = c.register("floodvictim", PW).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.headers["retry-after"], "1");
    drop(held);
    let r = c.register("floodvictim", PW).await;
    assert_eq!(r.status, 200, "with a free permit it works: {}", r.body);
}

#[sqlx::test]
async fn registrations_are_limited_per_address(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_config(pool, &[("REHEARSE_REGISTRATIONS_PER_HOUR", "2")]).await;
    for name in ["first", "second"] {
        let r = Client::new(&app).register(&format!("{name}user"), PW).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = Client::new(&app).register("thirduser", PW).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let wait: u64 = r.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((3000..=3600).contains(&wait), "about an hour: {wait}");
}

// ---- 3. slowloris --------------------------------------------------------

async fn healthz_over_tcp(addr: SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut reply = String::new();
    s.read_to_string(&mut reply).await.expect("read");
    reply
}

#[sqlx::test]
async fn a_client_sending_headers_slowly_is_cut_off_while_others_are_served(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 64,
    };
    let server = tokio::spawn(listen::serve(listener, app, limits, async {
        let _ = stopped.await;
    }));

    let slow = TcpStream::connect(addr).await.expect("connect");
    let (mut rd, mut wr) = slow.into_split();
    let started = Instant::now();
    let closed = tokio::spawn(async move {
        let mut buf = [0u8; 256];
        // Whatever comes back (nothing, or an error status), the
        // connection ends.
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => {}
            }
        }
    });
    let request =
        b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut sent = 0;
    for byte in request {
        if closed.is_finished() || wr.write_all(&[*byte]).await.is_err() {
            break;
        }
        sent += 1;
        // A normal client is served the whole time.
        assert!(healthz_over_tcp(addr).await.starts_with("HTTP/1.1 200"));
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let took = tokio::time::timeout(Duration::from_secs(5), closed)
        .await
        .expect("the slow connection was closed")
        .expect("reader");
    assert!(sent < request.len(), "cut off before its headers were done");
    assert!(took < Duration::from_secs(3), "cut off after {took:?}");
    assert!(healthz_over_tcp(addr).await.starts_with("HTTP/1.1 200"));
    let _ = stop.send(());
    server.await.expect("join").expect("serve ends cleanly");
}

#[sqlx::test]
async fn connections_beyond_the_cap_wait_for_a_free_slot(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 1,
    };
    let server = tokio::spawn(listen::serve(listener, app, limits, async {
        let _ = stopped.await;
    }));
    // One idle connection holds the only slot...
    let idle = TcpStream::connect(addr).await.expect("connect");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    // ...so the next request is served only once the idle one times out.
    let reply = healthz_over_tcp(addr).await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "it waited for the slot"
    );
    drop(idle);
    let _ = stop.send(());
    server.await.expect("join").expect("serve ends cleanly");
}

// ---- 4. guests -----------------------------------------------------------

#[sqlx::test]
async fn guests_are_limited_per_address_and_told_how_long_they_last(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_config(pool, &[("REHEARSE_GUESTS_PER_HOUR", "2")]).await;
    let start = [
        ("mode", "practice"),
        ("count", "1"),
        ("per_question_secs", "0"),
        ("total_secs", "0"),
    ];
    for _ in 0..2 {
        let r = Client::new(&app).call("sessions/start", &start).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = Client::new(&app).call("sessions/start", &start).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.headers.contains_key("retry-after"));
    let page = get(&app, "/practice/new").await;
    assert!(page.body.contains("kept for 30 days after your last visit"));
}

#[sqlx::test]
async fn idle_guests_are_purged_with_everything_they_made(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank");
    let day = 24 * 3600 * 1000;
    let now = T0 + 100 * day;
    let (idle, _) = guest_with_cookie(&pool).await;
    let (recent, _) = guest_with_cookie(&pool).await;
    let account = match accounts_db::create_user(
        &pool.db(),
        "keeper",
        "x",
        rehearse::accounts::types::Role::Candidate,
    )
    .await
    .expect("user")
    {
        accounts_db::Created::Ok(id) => id,
        accounts_db::Created::UsernameTaken => panic!("fresh database"),
    };
    for who in [idle, recent, account] {
        let s = one_question_session(&pool, who, "db-what-is-an-index", T0).await;
        sessions::submit(
            &pool.db(),
            s,
            who,
            0,
            rehearse::sessions::db::Rendered::later("an answer"),
            T0 + 1000,
        )
        .await
        .expect("submit");
    }
    for (who, seen) in [
        (idle, now - 31 * day),
        (recent, now - 29 * day),
        (account, now - 400 * day),
    ] {
        on!(&pool, |p| sqlx::query(
            "UPDATE users SET last_seen_at = $2 WHERE id = $1"
        )
        .bind(who)
        .bind(seen)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
        .expect("age");
    }
    let report = rehearse::accounts::housekeeping(&pool.db(), now, 30)
        .await
        .expect("housekeeping");
    assert_eq!(report.idle_guests, 1);
    let count = |sql: &'static str, who: Uuid| {
        let pool = pool.clone();
        async move {
            on!(&pool, |p| sqlx::query_scalar::<_, i64>(sql)
                .bind(who)
                .fetch_one(p)
                .await)
            .expect("count")
        }
    };
    for (table_sql, what) in [
        ("SELECT count(*) FROM users WHERE id = $1", "user"),
        (
            "SELECT count(*) FROM interview_sessions WHERE user_id = $1",
            "sessions",
        ),
        (
            "SELECT count(*) FROM session_answers WHERE user_id = $1",
            "answers",
        ),
        (
            "SELECT count(*) FROM auth_sessions WHERE user_id = $1",
            "logins",
        ),
        (
            "SELECT count(*) FROM question_progress WHERE user_id = $1",
            "rollups",
        ),
    ] {
        assert_eq!(count(table_sql, idle).await, 0, "idle guest's {what}");
    }
    assert_eq!(
        count("SELECT count(*) FROM users WHERE id = $1", recent).await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM users WHERE id = $1", account).await,
        1
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM session_answers WHERE user_id = $1",
            account
        )
        .await,
        1,
        "accounts are never purged"
    );
}

#[sqlx::test]
async fn using_the_app_keeps_a_guest_alive(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (guest, cookie) = guest_with_cookie(&pool).await;
    on!(&pool, |p| sqlx::query(
        "UPDATE users SET last_seen_at = 0 WHERE id = $1"
    )
    .bind(guest)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("age");
    on!(&pool, |p| sqlx::query(
        "UPDATE auth_sessions SET last_seen_at = $2 WHERE user_id = $1"
    )
    .bind(guest)
    .bind(rehearse::platform::now_ms() - 3_600_000)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("age");
    let mut c = Client::new(&app);
    c.cookie = Some(cookie);
    assert_eq!(c.get("/history").await.status, 200);
    let seen: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT last_seen_at FROM users WHERE id = $1"
    )
    .bind(guest)
    .fetch_one(p)
    .await)
    .expect("seen");
    assert!(
        seen > rehearse::platform::now_ms() - 60_000,
        "refreshed: {seen}"
    );
}

// ---- 5. arguments bounded where they enter ---------------------------------

#[sqlx::test]
async fn session_arguments_are_validated_at_the_boundary(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = Client::new(&app);
    let mut form: Vec<(String, String)> = vec![
        ("mode".into(), "practice".into()),
        ("count".into(), "1".into()),
        ("per_question_secs".into(), "0".into()),
        ("total_secs".into(), "0".into()),
    ];
    for i in 0..200 {
        form.push((format!("levels[{i}]"), "beginner".into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.call("sessions/start", &pairs).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let levels: String = on!(&pool, |p| sqlx::query_scalar(
        "SELECT levels FROM interview_sessions"
    )
    .fetch_one(p)
    .await)
    .expect("stored");
    assert_eq!(levels, r#"["beginner"]"#, "200 repeats stored once");

    let mut form = pairs[..4].to_vec();
    let topics: Vec<String> = (0..40).map(|i| format!("topic-{i}")).collect();
    let keys: Vec<String> = (0..40).map(|i| format!("topics[{i}]")).collect();
    for (k, v) in keys.iter().zip(&topics) {
        form.push((k, v));
    }
    let r = c.call("sessions/start", &form).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("at most 32 topics"), "{}", r.body);

    let mut form = pairs[..4].to_vec();
    form.push(("question", "Robert'); DROP TABLE users;--"));
    let r = c.call("sessions/start", &form).await;
    assert_eq!(r.status, 404, "{}", r.body);

    let id: Uuid = on!(&pool, |p| sqlx::query_scalar(
        "SELECT id FROM interview_sessions"
    )
    .fetch_one(p)
    .await)
    .expect("id");
    let id = id.to_string();
    let r = c
        .call("sessions/timer", &[("id", &id), ("action", "explode")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("pause"), "names the choices: {}", r.body);
    let count: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM interview_sessions"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(count, 1, "refused calls created nothing");
}

#[sqlx::test]
async fn a_direct_filter_call_gets_the_url_caps(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut c = Client::new(&app);
    let huge = "cache ".repeat(5_000);
    let mut form: Vec<(String, String)> = vec![("filter[q]".into(), huge)];
    for i in 0..500 {
        form.push((format!("filter[topics][{i}]"), format!("t{i}")));
    }
    form.push(("filter[page]".into(), u32::MAX.to_string()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.call("questions/list", &pairs).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(list["page"], rehearse::questions::types::MAX_PAGE);
}

// ---- 6. export streams ---------------------------------------------------

#[sqlx::test]
async fn the_export_is_streamed_and_complete(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = Client::new(&app);
    c.register("streamer", PW).await;
    let user: Uuid = on!(&pool, |p| sqlx::query_scalar(
        "SELECT id FROM users WHERE username = 'streamer'"
    )
    .fetch_one(p)
    .await)
    .expect("user");
    for i in 0..30 {
        let s = one_question_session(&pool, user, "db-what-is-an-index", T0 + i).await;
        sessions::submit(
            &pool.db(),
            s,
            user,
            0,
            rehearse::sessions::db::Rendered::later(&format!("answer {i} \"quoted\"")),
            T0 + i + 1,
        )
        .await
        .expect("submit");
    }
    let r = c.get("/account/export").await;
    assert_eq!(r.status, 200);
    assert!(
        !r.headers.contains_key("content-length"),
        "streamed, not built whole"
    );
    // Compressed on the way out, as browsers ask (this used to panic: the
    // compressor polls the stream once more after its end).
    let mut req = axum::http::Request::get("/account/export")
        .header("host", "localhost")
        .header("accept-encoding", "gzip");
    if let Some(cookie) = &c.cookie {
        req = req.header("cookie", cookie.clone());
    }
    let gz = crate::common::send(&app, req.body(axum::body::Body::empty()).expect("request")).await;
    assert_eq!(gz.status, 200);
    assert_eq!(gz.headers["content-encoding"], "gzip");
    let json: serde_json::Value = serde_json::from_str(&r.body).expect("valid JSON");
    assert_eq!(json["user"]["username"], "streamer");
    assert_eq!(json["user"]["is_guest"], false);
    assert_eq!(json["answers"].as_array().map(Vec::len), Some(30));
    assert_eq!(json["sessions"].as_array().map(Vec::len), Some(30));
    let answers = json["answers"].as_array().cloned().unwrap_or_default();
    assert!(answers
        .iter()
        .any(|a| a["answer"] == "answer 29 \"quoted\""));
}

// ---- 7. login throttle ---------------------------------------------------

#[sqlx::test]
async fn parallel_guesses_cannot_beat_the_throttle(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    Client::new(&app).register("target", PW).await;
    let mut guesses = Vec::new();
    for i in 0..12 {
        let app = app.clone();
        guesses.push(tokio::spawn(async move {
            let guess = format!("wrong guess {i}");
            Client::new(&app)
                .call(
                    "accounts/login",
                    &[("username", "target"), ("password", &guess), ("next", "/")],
                )
                .await
                .status
        }));
    }
    let mut checked = 0;
    for g in guesses {
        match g.await.expect("join") {
            422 => checked += 1,
            429 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(
        checked,
        throttle::LOGIN_PER_USERNAME.max,
        "only 5 were checked"
    );

    // The count lives in the database: a restarted server still refuses.
    let restarted = rehearse::server::app(crate::common::state(pool));
    let r = Client::new(&restarted)
        .call(
            "accounts/login",
            &[("username", "TARGET"), ("password", PW), ("next", "/")],
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
}

// ---- 8. trusted proxies --------------------------------------------------

fn from_peer(
    peer: &str,
    xff: Option<&str>,
) -> impl FnOnce(axum::http::Request<axum::body::Body>) -> axum::http::Request<axum::body::Body> {
    let peer: SocketAddr = peer.parse().expect("addr");
    let xff = xff.map(str::to_owned);
    move |mut req| {
        req.extensions_mut().insert(ConnectInfo(peer));
        if let Some(xff) = xff {
            req.headers_mut()
                .insert("x-forwarded-for", xff.parse().expect("header"));
        }
        req
    }
}

#[sqlx::test]
async fn behind_a_trusted_proxy_clients_are_told_apart(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_config(
        pool,
        &[
            ("REHEARSE_TRUSTED_PROXIES", "127.0.0.1"),
            ("REHEARSE_REGISTRATIONS_PER_HOUR", "1"),
        ],
    )
    .await;
    let register = |name: &'static str| {
        [
            ("username", name),
            ("password", PW),
            ("role", "candidate"),
            ("next", "/"),
        ]
    };
    let o = "http://localhost";
    let mut c = Client::new(&app);
    let r = c
        .call_with(
            "accounts/register",
            &register("proxied1"),
            o,
            from_peer("127.0.0.1:5000", Some("203.0.113.1")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Same proxy, another client: its own limit.
    let r = Client::new(&app)
        .call_with(
            "accounts/register",
            &register("proxied2"),
            o,
            from_peer("127.0.0.1:5001", Some("203.0.113.2")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The first client again: limited.
    let r = Client::new(&app)
        .call_with(
            "accounts/register",
            &register("proxied3"),
            o,
            from_peer("127.0.0.1:5002", Some("203.0.113.1")),
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
    // An untrusted peer can't pick its address with a header.
    let r = Client::new(&app)
        .call_with(
            "accounts/register",
            &register("direct1"),
            o,
            from_peer("198.51.100.9:4000", Some("203.0.113.77")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = Client::new(&app)
        .call_with(
            "accounts/register",
            &register("direct2"),
            o,
            from_peer("198.51.100.9:4001", Some("203.0.113.78")),
        )
        .await;
    assert_eq!(r.status, 429, "the header was ignored: {}", r.body);
}

// ---- 9. open redirect ----------------------------------------------------

#[sqlx::test]
async fn login_never_redirects_off_site(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    Client::new(&app).register("wanderer", PW).await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "//evil.example",
        "/ok\u{7f}",
    ] {
        let r = Client::new(&app)
            .call(
                "accounts/login",
                &[("username", "wanderer"), ("password", PW), ("next", next)],
            )
            .await;
        assert_eq!(r.status, 200, "{next:?}: {}", r.body);
        assert_eq!(r.body, "\"/\"", "{next:?}");
    }
    // The login page itself with such a `next` renders (it used to panic).
    let page = get(&app, "/login?next=/%09/evil.example").await;
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("evil.example\""),
        "not echoed as a link target"
    );
}

// ---- 11. password change and deletion --------------------------------------

#[sqlx::test]
async fn deleting_an_account_needs_its_password_and_both_are_throttled(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = Client::new(&app);
    c.register("careful", PW).await;
    let r = c
        .call("accounts/delete", &[("password", "not it at all")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("password is not right"), "{}", r.body);
    for _ in 0..4 {
        c.call(
            "accounts/password",
            &[
                ("current", "still wrong"),
                ("new_password", "brand new words"),
            ],
        )
        .await;
    }
    let r = c.call("accounts/delete", &[("password", PW)]).await;
    assert_eq!(r.status, 429, "five wrong tries: {}", r.body);
    let users: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE username = 'careful'"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(users, 1, "nothing was deleted");
}

// ---- 13. security log ----------------------------------------------------

#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[sqlx::test]
async fn security_events_are_logged_with_the_request_id_and_no_secret(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests, on other threads, may have met these call sites before
    // this thread had a subscriber: have their interest asked again.
    tracing::callsite::rebuild_interest_cache();
    let mut c = Client::new(&app);
    c.register("logged", PW).await;
    let r = c
        .call(
            "accounts/login",
            &[
                ("username", "logged"),
                ("password", "secret guess words"),
                ("next", "/"),
            ],
        )
        .await;
    let id = r.headers["x-request-id"].to_str().expect("id").to_owned();
    let refused = Client::new(&app)
        .call_from("accounts/logout", &[], "https://evil.example")
        .await;
    assert_eq!(refused.status, 403);
    let log =
        String::from_utf8(out.0.lock().map(|v| v.clone()).unwrap_or_default()).unwrap_or_default();
    let line = log
        .lines()
        .find(|l| l.contains("login_failed"))
        .unwrap_or_else(|| panic!("no login_failed line in:\n{log}"));
    assert!(line.contains(&id), "{line}");
    assert!(line.contains("logged"), "{line}");
    assert!(log.contains("cross_origin_write_refused"));
    assert!(
        !log.contains("secret guess words"),
        "no password in the log"
    );
    assert!(!log.contains(PW));
    assert!(!log.contains("rehearse_session="), "no token in the log");
}

// ---- 14. headers ---------------------------------------------------------

#[sqlx::test]
async fn personal_responses_are_not_stored_and_origins_match_scheme(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let anon = get(&app, "/questions").await;
    assert!(anon
        .headers
        .get("cache-control")
        .is_none_or(|v| v != "no-store"));
    assert!(anon.headers.get("strict-transport-security").is_none());
    let mut c = Client::new(&app);
    let r = c.register("private", PW).await;
    assert_eq!(r.headers["cache-control"], "no-store");
    for path in ["/questions", "/history", "/dashboard", "/account"] {
        let r = c.get(path).await;
        assert_eq!(r.headers["cache-control"], "no-store", "{path}");
    }
    let r = c.call("accounts/whoami", &[]).await;
    assert_eq!(r.headers["cache-control"], "no-store");
    // Right host, wrong scheme: another origin.
    let r = c
        .call_from("accounts/whoami", &[], "https://localhost")
        .await;
    assert_eq!(r.status, 403);

    let secure = app_with_config(pool, &[("REHEARSE_SECURE_COOKIES", "true")]).await;
    let r = get(&secure, "/").await;
    assert!(r.headers["strict-transport-security"]
        .to_str()
        .unwrap_or_default()
        .contains("max-age="));
    let r = Client::new(&secure)
        .call_from("accounts/whoami", &[], "http://localhost")
        .await;
    assert_eq!(r.status, 403, "plain http is not our origin over https");
    let r = Client::new(&secure)
        .call_from("accounts/whoami", &[], "https://localhost")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

// ---- 15. autosave revisions ----------------------------------------------

#[sqlx::test]
async fn stale_saves_are_refused_and_other_tabs_are_named(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    use rehearse::error::AppError::Conflict;
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank");
    let (u, _) = guest_with_cookie(&pool).await;
    let s = one_question_session(&pool, u, "db-what-is-an-index", T0).await;
    let save = |text: &'static str, rev: i64, editor: &'static str, base: i64| {
        let pool = pool.clone();
        async move {
            let d = Draft {
                text,
                rev,
                editor,
                base,
            };
            sessions::save_draft(&pool.db(), s, u, 0, d, T0 + 1000).await
        }
    };
    assert!(save("newest words", 2, "tab-a", 0).await.is_ok());
    // The older save of the same tab lands late: refused, harmlessly.
    let late = save("older words", 1, "tab-a", 0).await;
    // Accepted as harmless, stores nothing, and names the revision kept.
    assert_eq!(late.map(|ack| ack.rev), Ok(2));
    // A retry of the stored save is fine.
    assert!(save("newest words", 2, "tab-a", 0).await.is_ok());
    // Another tab that loaded before rev 2 is told, at rev 2 and beyond:
    // typing on in the stale tab never gets past the check.
    for rev in [2, 3, 50] {
        let other = save("tab b words", rev, "tab-b", 0).await;
        assert_eq!(other, Err(Conflict(OTHER_EDITOR.into())), "rev {rev}");
    }
    // Nor can the stale tab submit over the newer text.
    let submit = sessions::check_editor(&pool.db(), s, u, 0, "tab-b", 0).await;
    assert_eq!(submit, Err(Conflict(OTHER_EDITOR.into())));
    assert_eq!(
        sessions::check_editor(&pool.db(), s, u, 0, "tab-a", 0).await,
        Ok(())
    );
    // A tab opened after rev 2 (its base) may take over.
    assert!(save("tab c words", 3, "tab-c", 2).await.is_ok());
    let state = sessions::state(&pool.db(), s, u, T0 + 2000)
        .await
        .expect("state");
    assert_eq!(state.text, "tab c words", "nothing stale was stored");
    assert_eq!(state.draft_rev, 3);
}

// ---- 16. paused practice -------------------------------------------------

#[sqlx::test]
async fn time_spent_paused_is_not_overtime(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank");
    let (u, _) = guest_with_cookie(&pool).await;
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 1,
        per_question_secs: Some(60),
        total_secs: None,
        only: None,
    };
    let s = sessions::create(&pool.db(), u, &new, T0)
        .await
        .expect("create")
        .expect("questions");
    use rehearse::sessions::types::TimerAction;
    sessions::adjust_timer(&pool.db(), s, u, TimerAction::Pause, T0 + 10_000)
        .await
        .expect("pause");
    // Ten minutes later, still paused, the answer goes in.
    let state = sessions::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("answer"),
        T0 + 610_000,
    )
    .await
    .expect("submit");
    assert_eq!(state.overtime_ms, 0, "paused time is not overtime");

    // Paused after running over: only the time before the pause counts.
    let s = sessions::create(&pool.db(), u, &new, T0)
        .await
        .expect("create")
        .expect("questions");
    sessions::adjust_timer(&pool.db(), s, u, TimerAction::Pause, T0 + 90_000)
        .await
        .expect("pause");
    let state = sessions::submit(
        &pool.db(),
        s,
        u,
        0,
        rehearse::sessions::db::Rendered::later("answer"),
        T0 + 600_000,
    )
    .await
    .expect("submit");
    assert_eq!(state.overtime_ms, 30_000);
}

/// A client that sends a body over the limit anyway (8 MB declared and
/// sent) reads the 413 the server answered, instead of a connection reset.
#[sqlx::test]
async fn a_body_over_the_limit_is_answered_413_not_reset(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = Limits {
        header_read_timeout: Duration::from_secs(5),
        max_connections: 64,
    };
    let server = tokio::spawn(listen::serve(listener, app, limits, async {
        let _ = stopped.await;
    }));
    const BODY: usize = 8 * 1024 * 1024;
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    let reader = tokio::spawn(async move {
        let mut reply = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match rd.read(&mut buf).await {
                Ok(0) => return Ok(reply),
                Ok(n) => reply.extend_from_slice(&buf[..n]),
                Err(e) => return Err((e, reply)),
            }
        }
    });
    let head = format!(
        "POST /api/sessions/save HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {BODY}\r\n\r\n"
    );
    wr.write_all(head.as_bytes()).await.expect("headers");
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    while sent < BODY {
        if wr.write_all(&chunk).await.is_err() {
            break;
        }
        sent += chunk.len();
    }
    // Done sending: the server may close once it has read everything.
    let _ = wr.shutdown().await;
    let reply = tokio::time::timeout(Duration::from_secs(20), reader)
        .await
        .expect("the server closes the connection")
        .expect("reader");
    let reply = match reply {
        Ok(reply) => reply,
        Err((error, got)) => panic!(
            "reset after {sent} bytes sent: {error}; read {:?}",
            String::from_utf8_lossy(&got)
        ),
    };
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(reply.contains("too large"), "{reply}");
    assert_eq!(
        sent, BODY,
        "the whole body was taken, none of it refused by a reset"
    );
    let _ = stop.send(());
    server.await.expect("join").expect("serve ends cleanly");
}
