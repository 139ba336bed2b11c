//! Accounts end to end through the router: registration, login, sessions,
//! throttling, guests, the IDOR matrix and the Origin check.

use crate::common::app_pool;
use crate::common::{app_with_bank, Client};
use rehearse::accounts::session;
use rehearse::platform::db::AsPool;
use sqlx::SqlitePool;

const PW: &str = "tidy orange kettle";

/// The nav's "Log out" is a plain form post: it ends the session, clears
/// the cookie and lands on the start page; a second click, after the
/// session is gone, lands there too instead of showing an error.
#[sqlx::test]
async fn logging_out_from_a_plain_form_goes_home(pool: SqlitePool) {
    use axum::body::Body;
    use axum::http::Request;
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = Client::new(&app);
    assert_eq!(c.register("Ada", PW).await.status, 200);
    let cookie = c.cookie.clone().expect("session cookie set");
    let post = |cookie: &str| {
        Request::post("/api/accounts/logout")
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("accept", "text/html,application/xhtml+xml")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request")
    };
    for round in ["signed in", "already signed out"] {
        let r = crate::common::send(&app, post(&cookie)).await;
        assert_eq!(r.status, 302, "{round}: {}", r.body);
        assert_eq!(r.headers["location"], "/", "{round}");
        let cleared = r.headers["set-cookie"].to_str().unwrap_or_default();
        assert!(cleared.contains("Max-Age=0"), "{round}: {cleared}");
    }
    let mut replay = Client {
        app: app.clone(),
        cookie: Some(cookie),
    };
    assert_eq!(replay.call("accounts/whoami", &[]).await.body, "null");
}

#[sqlx::test]
async fn register_logout_login(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = Client::new(&app);
    let r = c.register("Ada", PW).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, "\"/\"");
    let cookie = c.cookie.clone().expect("session cookie set");
    let who = c.call("accounts/whoami", &[]).await;
    assert!(who.body.contains("\"username\":\"Ada\""), "{}", who.body);
    assert!(
        !who.body.contains("argon2"),
        "no hash ever leaves the server"
    );

    // Usernames are unique regardless of case.
    let mut other = Client::new(&app);
    let dup = other.register("ada", PW).await;
    assert_eq!(dup.status, 422);
    assert!(dup.body.contains("taken"), "{}", dup.body);

    assert_eq!(c.call("accounts/logout", &[]).await.status, 200);
    assert!(c.cookie.is_none(), "cookie cleared");
    // The old token is dead on the server too, not just forgotten.
    let mut replay = Client {
        app: app.clone(),
        cookie: Some(cookie),
    };
    assert_eq!(replay.call("accounts/whoami", &[]).await.body, "null");

    let login = c
        .call(
            "accounts/login",
            &[("username", "ADA"), ("password", PW), ("next", "/account")],
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(login.body, "\"/account\"");
    let stored: String = on!(&pool, |p| sqlx::query_scalar(
        "SELECT password_hash FROM users WHERE lower(username) = 'ada'"
    )
    .fetch_one(p)
    .await)
    .expect("user");
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
}

#[sqlx::test]
async fn login_rotates_the_token(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut c = Client::new(&app);
    c.register("rotor", PW).await;
    let first = c.cookie.clone();
    c.call(
        "accounts/login",
        &[("username", "rotor"), ("password", PW), ("next", "/")],
    )
    .await;
    assert!(c.cookie.is_some());
    assert_ne!(c.cookie, first, "a new token on login");
    let mut old = Client {
        app: app.clone(),
        cookie: first,
    };
    assert_eq!(old.call("accounts/whoami", &[]).await.body, "null");
}

#[sqlx::test]
async fn wrong_password_and_unknown_user_look_the_same(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut c = Client::new(&app);
    c.register("grace", PW).await;
    let mut anon = Client::new(&app);
    let wrong = anon
        .call(
            "accounts/login",
            &[
                ("username", "grace"),
                ("password", "nope nope"),
                ("next", "/"),
            ],
        )
        .await;
    let unknown = anon
        .call(
            "accounts/login",
            &[
                ("username", "nobody"),
                ("password", "nope nope"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.body.contains("Wrong username or password."));
}

#[sqlx::test]
async fn repeated_failures_are_throttled(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut c = Client::new(&app);
    c.register("linus", PW).await;
    let mut anon = Client::new(&app);
    for _ in 0..5 {
        let r = anon
            .call(
                "accounts/login",
                &[
                    ("username", "linus"),
                    ("password", "bad guess 1"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
    }
    let blocked = anon
        .call(
            "accounts/login",
            &[("username", "linus"), ("password", PW), ("next", "/")],
        )
        .await;
    assert_eq!(blocked.status, 429, "{}", blocked.body);
    let wait: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    assert!(blocked.body.contains("RateLimited"), "{}", blocked.body);
}

#[sqlx::test]
async fn weak_passwords_are_refused_with_reasons(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = Client::new(&app);
    for (pw, words) in [
        ("short", "at least 8"),
        ("password123", "too easy to guess"),
        ("grace123", "username"),
    ] {
        let name = if pw == "grace123" {
            "grace123"
        } else {
            "grace"
        };
        let r = c.register(name, pw).await;
        assert_eq!(r.status, 422, "{pw}");
        assert!(r.body.contains(words), "{pw}: {}", r.body);
    }
    let bad_role = c
        .call(
            "accounts/register",
            &[
                ("username", "eve"),
                ("password", PW),
                ("role", "admin"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(bad_role.status, 422, "admin is never granted from the web");
    let n: i64 = on!(&pool, |p| sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(p)
        .await)
    .expect("count");
    assert_eq!(n, 0, "bad input changes nothing");
}

#[sqlx::test]
async fn changing_password_ends_other_sessions(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut laptop = Client::new(&app);
    laptop.register("margaret", PW).await;
    let mut phone = Client::new(&app);
    phone
        .call(
            "accounts/login",
            &[("username", "margaret"), ("password", PW), ("next", "/")],
        )
        .await;
    assert!(phone
        .call("accounts/whoami", &[])
        .await
        .body
        .contains("margaret"));

    let wrong = laptop
        .call(
            "accounts/password",
            &[
                ("current", "not it at all"),
                ("new_password", "fresh green meadow"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    let ok = laptop
        .call(
            "accounts/password",
            &[("current", PW), ("new_password", "fresh green meadow")],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(
        laptop
            .call("accounts/whoami", &[])
            .await
            .body
            .contains("margaret"),
        "this session stays"
    );
    assert_eq!(
        phone.call("accounts/whoami", &[]).await.body,
        "null",
        "other sessions end"
    );
}

#[sqlx::test]
async fn guests_keep_their_id_when_they_register(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    // A guest as practice will create one (sessions call ensure_user).
    let guest = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let token = session::create(&pool.db(), guest).await.expect("session");
    let mut c = Client {
        app: app.clone(),
        cookie: Some(format!("rehearse_session={token}")),
    };
    assert!(c
        .call("accounts/whoami", &[])
        .await
        .body
        .contains("\"is_guest\":true"));
    let r = c.register("hopper", PW).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id: uuid::Uuid = on!(&pool, |p| sqlx::query_scalar(
        "SELECT id FROM users WHERE username = 'hopper'"
    )
    .fetch_one(p)
    .await)
    .expect("user");
    assert_eq!(id, guest, "the guest's row became the account");
    assert_ne!(
        c.cookie.as_deref(),
        Some(format!("rehearse_session={token}").as_str())
    );
}

#[sqlx::test]
async fn delete_account_needs_the_password_and_removes_everything(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut c = Client::new(&app);
    c.register("barbara", PW).await;
    let mut other = Client::new(&app);
    other.register("someone", PW).await;

    let wrong = c
        .call("accounts/delete", &[("password", "the wrong words")])
        .await;
    assert_eq!(wrong.status, 422);
    let ok = c.call("accounts/delete", &[("password", PW)]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let left: Vec<String> = on!(&pool, |p| sqlx::query_scalar("SELECT username FROM users")
        .fetch_all(p)
        .await)
    .expect("users");
    assert_eq!(left, vec!["someone".to_owned()]);
    let sessions: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM auth_sessions"
    )
    .fetch_one(p)
    .await)
    .expect("n");
    assert_eq!(sessions, 1, "only the other user's session remains");
}

#[sqlx::test]
async fn export_downloads_only_my_data(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut anon = Client::new(&app);
    assert_eq!(anon.get("/account/export").await.status, 401);
    let mut c = Client::new(&app);
    c.register("katherine", PW).await;
    let r = c.get("/account/export").await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains("attachment"));
    let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(json["user"]["username"], "katherine");
    assert!(json["sessions"].is_array() && json["answers"].is_array());
}

/// The IDOR matrix: every server function that acts for a user refuses an
/// anonymous caller. (These act only on the caller's own account, so no
/// other user's record can be named; later issues add id-taking functions
/// and their cross-user rows.)
#[sqlx::test]
async fn anonymous_callers_are_refused(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut anon = Client::new(&app);
    for (endpoint, form) in [
        ("accounts/logout", vec![]),
        (
            "accounts/password",
            vec![("current", PW), ("new_password", "brand new words")],
        ),
        ("accounts/delete", vec![("password", "x")]),
    ] {
        let r = anon.call(endpoint, &form).await;
        assert_eq!(r.status, 401, "{endpoint}: {}", r.body);
    }
}

/// Every server function, state-changing or not, refuses a foreign Origin
/// before it runs.
#[sqlx::test]
async fn every_server_function_refuses_a_foreign_origin(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p)
        .collect();
    assert!(paths.len() >= 9, "{paths:?}");
    let mut c = Client::new(&app);
    for path in paths {
        let endpoint = path.trim_start_matches("/api/");
        let r = c
            .call_from(
                endpoint,
                &[
                    ("username", "mallory"),
                    ("password", PW),
                    ("role", "candidate"),
                    ("next", "/"),
                ],
                "https://evil.example",
            )
            .await;
        assert_eq!(r.status, 403, "{path}");
    }
    let n: i64 = on!(&pool, |p| sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(p)
        .await)
    .expect("n");
    assert_eq!(n, 0);
}

/// Requests running at once never see each other's caller: a page render
/// remembers its caller for the render, and a server function called at
/// the same moment by someone else must still look up its own (found by
/// the browser tests, where a grade answered 404 and an end 401).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_never_share_a_caller() {
    let dir = std::env::temp_dir().join(format!("rehearse-callers-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let pool = rehearse::platform::db::sqlite::connect(&format!("sqlite://{}/c.db", dir.display()))
        .await
        .expect("db");
    let app = crate::common::app_with_bank(pool).await;
    let alice = crate::common::account(&app, "alice", "candidate").await;
    let bob = crate::common::account(&app, "bobby", "candidate").await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (mut page_client, mut api_client, name) = if i % 2 == 0 {
            (
                crate::common::Client {
                    app: app.clone(),
                    cookie: alice.cookie.clone(),
                },
                crate::common::Client {
                    app: app.clone(),
                    cookie: bob.cookie.clone(),
                },
                "bobby",
            )
        } else {
            (
                crate::common::Client {
                    app: app.clone(),
                    cookie: bob.cookie.clone(),
                },
                crate::common::Client {
                    app: app.clone(),
                    cookie: alice.cookie.clone(),
                },
                "alice",
            )
        };
        tasks.push(tokio::spawn(async move {
            let page = async { page_client.get("/dashboard").await.status };
            let api = async { api_client.call("accounts/whoami", &[]).await.body };
            let (status, who) = tokio::join!(page, api);
            assert_eq!(status, 200);
            assert!(
                who.contains(&format!("\"username\":\"{name}\"")),
                "{name} got {who}"
            );
        }));
    }
    for t in tasks {
        t.await.expect("no task saw another's caller");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
