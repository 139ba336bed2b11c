//! What a browser and a shared cache see: kept bank pages with a fresh
//! nonce and an ETag, 304s, and the built assets' cache headers.

use axum::{body::Body, http::Request};
use sqlx::SqlitePool;

use crate::common::{account, app_with_bank, get, send, state};

fn nonce_of(r: &crate::common::Reply) -> String {
    let csp = r.headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    csp.split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_default()
        .to_owned()
}

async fn get_with(app: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> crate::common::Reply {
    let mut req = Request::get(uri).header("host", "localhost");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    send(app, req.body(Body::empty()).expect("request")).await
}

#[sqlx::test]
async fn anonymous_bank_pages_are_kept_with_a_fresh_nonce_each_time(pool: SqlitePool) {
    let app = app_with_bank(pool.clone()).await;
    let first = get(&app, "/questions").await;
    assert_eq!(first.status, 200);
    let etag = first.headers["etag"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(first.headers["cache-control"], "no-cache");
    assert_eq!(first.headers["vary"], "cookie");

    // Kept: a change behind the server's back does not show (the public
    // bank only changes at start-up, before any page is kept).
    sqlx::query(
        "UPDATE questions SET prompt = 'Changed behind the cache' WHERE source = 'builtin'",
    )
    .execute(&pool)
    .await
    .expect("update");
    let second = get(&app, "/questions").await;
    assert_eq!(second.status, 200);
    assert!(!second.body.contains("Changed behind the cache"));
    assert_eq!(second.headers["etag"], first.headers["etag"]);

    // Every response has its own nonce, in the CSP and in every script of
    // the body, and the old one appears nowhere.
    let (n1, n2) = (nonce_of(&first), nonce_of(&second));
    assert!(n1.len() >= 16 && n2.len() >= 16);
    assert_ne!(n1, n2);
    assert!(first.body.contains(&format!("nonce=\"{n1}\"")));
    assert!(second.body.contains(&format!("nonce=\"{n2}\"")));
    assert!(!second.body.contains(&n1));
    for script in second.body.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap_or_default();
        assert!(tag.contains(&format!("nonce=\"{n2}\"")), "{tag}");
    }
    // Apart from the nonce, the same bytes.
    assert_eq!(first.body.replace(&n1, "N"), second.body.replace(&n2, "N"));
}

#[sqlx::test]
async fn an_etag_that_matches_gets_304_without_a_policy(pool: SqlitePool) {
    let app = app_with_bank(pool).await;
    let page = get(&app, "/").await;
    let etag = page.headers["etag"].to_str().unwrap_or_default().to_owned();
    let again = get_with(&app, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.headers["etag"], page.headers["etag"]);
    // The stored page's CSP (whose nonce its scripts carry) must stay.
    assert!(!again.headers.contains_key("content-security-policy"));

    let stale = get_with(&app, "/", &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(stale.status, 200);
    assert!(stale.headers.contains_key("content-security-policy"));
}

#[sqlx::test]
async fn theme_query_and_path_each_have_their_own_page(pool: SqlitePool) {
    let app = app_with_bank(pool).await;
    let light = get(&app, "/questions?q=cache").await;
    let dark = get_with(
        &app,
        "/questions?q=cache",
        &[("cookie", "rehearse_theme=dark")],
    )
    .await;
    assert!(dark.body.contains("data-theme=\"dark\""));
    assert!(!light.body.contains("data-theme=\"dark\""));
    assert_ne!(light.headers["etag"], dark.headers["etag"]);
    let other = get(&app, "/questions?q=index").await;
    assert_ne!(other.headers["etag"], light.headers["etag"]);
}

#[sqlx::test]
async fn personal_and_failed_pages_are_never_kept(pool: SqlitePool) {
    let app = app_with_bank(pool).await;
    let mut alice = account(&app, "alice", "candidate").await;
    let mine = alice.get("/questions").await;
    assert_eq!(mine.status, 200);
    assert!(!mine.headers.contains_key("etag"));
    assert_eq!(mine.headers["cache-control"], "no-store");
    assert!(mine.body.contains("alice"), "the nav names the person");
    // ...and the anonymous page never shows them.
    let anon = get(&app, "/questions").await;
    assert!(!anon.body.contains("alice"));

    let missing = get(&app, "/questions/no-such-question").await;
    assert_eq!(missing.status, 404);
    assert!(!missing.headers.contains_key("etag"));
    // Pages that are not the bank are rendered every time.
    let login = get(&app, "/login").await;
    assert!(!login.headers.contains_key("etag"));
}

#[sqlx::test]
async fn built_assets_are_served_precompressed_and_cached_by_name(pool: SqlitePool) {
    let site = std::env::temp_dir().join(format!("rehearse-assets-{}", uuid::Uuid::new_v4()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).expect("dir");
    std::fs::write(pkg.join("app.abc123.css"), "body { color: red }").expect("css");
    std::fs::write(pkg.join("app.abc123.css.br"), b"BROTLI-BYTES").expect("br");
    let mut st = state(pool);
    st.leptos_options.site_root = site.to_string_lossy().into_owned().into();
    st.leptos_options.hash_files = true;
    let app = rehearse::server::app(st.clone());

    let plain = get(&app, "/pkg/app.abc123.css").await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.body, "body { color: red }");
    assert_eq!(
        plain.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let br = get_with(&app, "/pkg/app.abc123.css", &[("accept-encoding", "br")]).await;
    assert_eq!(br.headers["content-encoding"], "br");
    assert_eq!(
        br.body, "BROTLI-BYTES",
        "the build's copy, not recompressed"
    );
    // A name that does not exist is not cached for a year.
    let missing = get(&app, "/pkg/app.old999.css").await;
    assert_eq!(missing.status, 404);
    assert_ne!(
        missing.headers.get("cache-control").map(|v| v.as_bytes()),
        Some(&b"public, max-age=31536000, immutable"[..])
    );

    // Without hashed names the files must be revalidated.
    st.leptos_options.hash_files = false;
    let app = rehearse::server::app(st);
    let plain = get(&app, "/pkg/app.abc123.css").await;
    assert_eq!(plain.headers["cache-control"], "no-cache");
    let _ = std::fs::remove_dir_all(&site);
}

/// A visitor reading the bank gets no WASM: those pages have no island
/// (an island there would silently never wake up), only the page script.
#[sqlx::test]
async fn a_visitor_reading_the_bank_downloads_no_wasm(pool: SqlitePool) {
    let app = app_with_bank(pool.clone()).await;
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM questions WHERE source = 'builtin' AND parent_id IS NULL LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a question");
    for path in [
        "/questions",
        "/questions?q=cache&level=beginner",
        &format!("/questions/{slug}"),
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.body.contains("<leptos-island"), "{path} has an island");
        assert!(!r.body.contains(".wasm"), "{path} loads WASM");
        assert!(!r.body.contains("hydrateIslands"), "{path} hydrates");
        assert!(r.body.contains("data-hydrated=\"true\""), "{path}");
        assert!(
            r.body.contains("button.theme-toggle"),
            "{path} lacks page.js"
        );
        assert!(r.body.contains("class=\"theme-toggle\""), "{path}");
    }
    // The question page starts a session with a plain form.
    let q = get(&app, &format!("/questions/{slug}")).await;
    assert!(
        q.body.contains("action=\"/api/sessions/start\""),
        "{}",
        q.body
    );

    // Pages with islands load it, and so does everything for someone
    // logged in (their nav has a log-out island).
    let home = get(&app, "/").await;
    assert!(home.body.contains("<leptos-island") && home.body.contains(".wasm"));
    assert!(!home.body.contains("data-hydrated=\"true\""));
    let mut alice = account(&app, "alice", "candidate").await;
    let mine = alice.get("/questions").await;
    assert!(mine.body.contains(".wasm"));
}

/// "Practise this question" without JavaScript: the form post makes a
/// guest, starts the session and lands on it.
#[sqlx::test]
async fn practise_this_as_a_plain_form_lands_on_the_session(pool: SqlitePool) {
    let app = app_with_bank(pool.clone()).await;
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM questions WHERE source = 'builtin' AND parent_id IS NULL LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a question");
    let req = Request::post("/api/sessions/start")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", format!("http://localhost/questions/{slug}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "mode=practice&count=1&per_question_secs=300&total_secs=0&question={slug}"
        )))
        .expect("request");
    let r = send(&app, req).await;
    assert_eq!(r.status, 302, "{}", r.body);
    let to = r.headers["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(to.starts_with("/practice/"), "{to}");
    assert!(r.headers.contains_key("set-cookie"), "a guest was made");
    let cookie = r.headers["set-cookie"]
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let session = get_with(&app, &to, &[("cookie", &cookie)]).await;
    assert_eq!(session.status, 200);
    let asked: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM session_answers a JOIN questions q ON q.id = a.question_id WHERE q.slug = ?1",
    )
    .bind(&slug)
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(asked, 1);
}
