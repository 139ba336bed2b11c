//! The router as a whole, driven with `oneshot`: no network.

use crate::common::app_pool;
use crate::common::{app_with_bank, get, send};
use axum::{body::Body, http::Request};
use rehearse::platform::db::AsPool;
use sqlx::SqlitePool;

#[sqlx::test]
async fn health_reports_ok(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let r = get(&app, "/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "ok");
}

#[sqlx::test]
async fn unknown_path_is_a_404_page(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let r = get(&app, "/no/such/page").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"), "{}", r.body);
}

#[sqlx::test]
async fn pages_carry_security_headers_and_a_nonce(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    // A page rendered for each request (kept bank pages are in caching.rs).
    let r = get(&app, "/login").await;
    assert_eq!(r.status, 200);
    let csp = r.headers["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_default();
    assert!(nonce.len() >= 16, "nonce too short: {csp}");
    // The hydration loader carries the same nonce, and no other inline
    // script exists.
    assert!(
        r.body.contains(&format!("nonce=\"{nonce}\"")),
        "page lacks the nonce"
    );
    // Every script (the hydration loader and Leptos's resource bootstrap)
    // carries this request's nonce; nothing else could run.
    let scripts: Vec<&str> = r.body.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        let tag = script.split('>').next().unwrap_or_default();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without nonce: {tag}"
        );
    }
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["referrer-policy"], "same-origin");
    assert!(r.headers.contains_key("x-request-id"));

    // A second request gets a different nonce.
    let again = get(&app, "/login").await;
    assert_ne!(
        again.headers["content-security-policy"],
        r.headers["content-security-policy"]
    );
}

#[sqlx::test]
async fn theme_cookie_sets_the_document_theme(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let req = Request::get("/")
        .header("host", "localhost")
        .header("cookie", "other=1; rehearse_theme=dark")
        .body(Body::empty())
        .expect("request");
    let r = send(&app, req).await;
    assert!(
        r.body.contains("data-theme=\"dark\""),
        "{}",
        &r.body[..200.min(r.body.len())]
    );
}

#[sqlx::test]
async fn cross_origin_writes_are_refused(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let post = |origin: Option<&str>| {
        let mut b = Request::post("/api/questions/random")
            .header("host", "localhost:3000")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            b = b.header("origin", o);
        }
        b.body(Body::empty()).expect("request")
    };
    let foreign = send(&app, post(Some("https://evil.example"))).await;
    assert_eq!(foreign.status, 403);
    let own = send(&app, post(Some("http://localhost:3000"))).await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("\"slug\""), "{}", own.body);
}

#[sqlx::test]
async fn oversized_bodies_are_refused(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let big = "q=".to_owned() + &"x".repeat(300 * 1024);
    let req = Request::post("/api/questions/list")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", big.len().to_string())
        .body(Body::from(big))
        .expect("request");
    assert_eq!(send(&app, req).await.status, 413);
}

#[sqlx::test]
async fn questions_page_lists_and_filters(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let all = get(&app, "/questions").await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("class=\"question-row\""));
    let filtered = get(&app, "/questions?level=advanced&topic=databases").await;
    assert_eq!(filtered.status, 200);
    assert!(filtered.body.contains("Advanced"));
    assert!(
        !filtered.body.contains("tag level-beginner"),
        "beginner rows leaked into an advanced filter"
    );
}

#[sqlx::test]
async fn question_page_and_missing_question(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let list = get(&app, "/questions?topic=databases").await;
    let slug = list
        .body
        .split("href=\"/questions/")
        .nth(1)
        .and_then(|s| s.split(['?', '"']).next())
        .unwrap_or_default()
        .to_owned();
    assert!(slug.starts_with("db-"), "{slug}");
    let page = get(&app, &format!("/questions/{slug}?topic=databases")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Reveal answer"));
    assert!(page.body.contains("Key points"));
    let missing = get(&app, "/questions/not-a-real-question").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("was not found"), "{}", missing.body);
}

/// A healthy start logs no error: an operator must be able to trust that an
/// ERROR line means something. (Building the router renders the app once,
/// outside any request, to list its routes.)
#[sqlx::test]
async fn building_the_app_logs_no_error(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::ErrorKind::Other)?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank");
    let state = crate::common::state(pool);
    let _app = tracing::subscriber::with_default(subscriber, || rehearse::server::app(state));
    let logged = String::from_utf8(lines.0.lock().expect("lock").clone()).expect("utf8");
    assert!(!logged.contains("ERROR"), "{logged}");
}
