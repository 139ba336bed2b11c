//! What a browser and a shared cache see: kept bank pages with a fresh
//! nonce and an ETag, 304s, and the built assets' cache headers.

use axum::{body::Body, http::Request};
use sqlx::SqlitePool;

use crate::common::app_pool;
use crate::common::{account, app_with_bank, get, send, state};
use rehearse::platform::db::Pool;

/// `'sha256-…'` of every inline script in `html`, worked out here
/// independently of the server's own code.
fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::Digest;
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, after) = rest.split_once('>')?;
            if tag.contains(" src=") {
                return None;
            }
            let text = after.split("</script>").next()?;
            let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text));
            Some(format!("'sha256-{hash}'"))
        })
        .collect()
}

async fn any_bank_slug(pool: &Pool) -> String {
    on!(pool, |p| sqlx::query_scalar(
        "SELECT slug FROM questions WHERE source = 'builtin' AND parent_id IS NULL LIMIT 1",
    )
    .fetch_one(p)
    .await)
    .expect("a question")
}

async fn get_with(app: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> crate::common::Reply {
    let mut req = Request::get(uri).header("host", "localhost");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    send(app, req.body(Body::empty()).expect("request")).await
}

#[sqlx::test]
async fn anonymous_bank_pages_are_kept_and_allow_exactly_their_own_scripts(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let first = get(&app, "/").await;
    assert_eq!(first.status, 200);
    let etag = first.headers["etag"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(first.headers["cache-control"], "no-cache");
    assert_eq!(first.headers["vary"], "cookie, accept-encoding");

    // Kept: a change behind the server's back does not show (the public
    // bank only changes at start-up, before any page is kept).
    on!(&pool, |p| sqlx::query(
        "UPDATE topics SET name = 'Changed behind the cache'"
    )
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("update");
    let second = get(&app, "/").await;
    assert_eq!(second.body, first.body, "the very same bytes");
    assert_eq!(second.headers["etag"], first.headers["etag"]);

    // The policy allows the page's inline scripts by hash, each one of
    // them, and no nonce: the nonce attributes left in the page allow
    // nothing.
    let csp = second.headers["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!csp.contains("'nonce-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let hashes = inline_script_hashes(&second.body);
    assert!(hashes.len() >= 2, "the loader, page.js...: {hashes:?}");
    for hash in &hashes {
        assert!(csp.contains(hash.as_str()), "{hash} missing from {csp}");
    }
    let allowed = csp.matches("'sha256-").count();
    let distinct: std::collections::HashSet<&String> = hashes.iter().collect();
    assert_eq!(allowed, distinct.len(), "nothing else allowed: {csp}");

    // Compressed once when kept: the same page, brotli or gzip.
    let br = get_with(&app, "/", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(br.headers["content-encoding"], "br");
    assert_ne!(
        br.headers["etag"], first.headers["etag"],
        "one tag per encoding"
    );
    let gz = get_with(&app, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.headers["content-encoding"], "gzip");
}

#[sqlx::test]
async fn the_compressed_copies_hold_the_same_page(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    use std::io::Read;
    let app = app_with_bank(pool).await;
    let plain = get(&app, "/questions").await;
    let raw = |enc: &str| {
        let app = app.clone();
        let enc = enc.to_owned();
        async move {
            let req = Request::get("/questions")
                .header("host", "localhost")
                .header("accept-encoding", enc)
                .body(Body::empty())
                .expect("request");
            let res = tower::ServiceExt::oneshot(app, req)
                .await
                .expect("response");
            http_body_util::BodyExt::collect(res.into_body())
                .await
                .expect("body")
                .to_bytes()
        }
    };
    let mut text = String::new();
    brotli::Decompressor::new(&raw("br").await[..], 4096)
        .read_to_string(&mut text)
        .expect("brotli");
    assert_eq!(text, plain.body);
    text.clear();
    flate2::read::GzDecoder::new(&raw("gzip").await[..])
        .read_to_string(&mut text)
        .expect("gzip");
    assert_eq!(text, plain.body);
}

#[sqlx::test]
async fn an_etag_that_matches_gets_304_without_a_policy(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let page = get(&app, "/").await;
    let etag = page.headers["etag"].to_str().unwrap_or_default().to_owned();
    let again = get_with(&app, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.headers["etag"], page.headers["etag"]);
    // The stored page's CSP (whose nonce its scripts carry) must stay.
    assert!(!again.headers.contains_key("content-security-policy"));

    // Any of the page's encodings' tags revalidates it.
    let br = get_with(&app, "/", &[("accept-encoding", "br")]).await;
    let br_tag = br.headers["etag"].to_str().unwrap_or_default().to_owned();
    let again = get_with(
        &app,
        "/",
        &[("if-none-match", &br_tag), ("accept-encoding", "br")],
    )
    .await;
    assert_eq!(again.status, 304);
    let stale = get_with(&app, "/", &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(stale.status, 200);
    assert!(stale.headers.contains_key("content-security-policy"));
}

#[sqlx::test]
async fn theme_query_and_path_each_have_their_own_page(pool: SqlitePool) {
    let pool = app_pool(pool).await;
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
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let mut alice = account(&app, "alice", "candidate").await;
    let mine = alice.get("/questions").await;
    assert_eq!(mine.status, 200);
    // Kept for her alone (see below), never by a browser or proxy...
    assert_eq!(mine.headers["cache-control"], "no-store");
    assert!(mine.body.contains("alice"), "the nav names the person");
    // ...and the anonymous page never shows her.
    let anon = get(&app, "/questions").await;
    assert!(!anon.body.contains("alice"));
    // Pages that do not ask to be kept are rendered every time.
    let account_page = alice.get("/account").await;
    assert_eq!(account_page.status, 200);
    assert!(!account_page.headers.contains_key("etag"));

    let missing = get(&app, "/questions/no-such-question").await;
    assert_eq!(missing.status, 404);
    assert!(!missing.headers.contains_key("etag"));
    // Pages that are not the bank are rendered every time.
    let login = get(&app, "/login").await;
    assert!(!login.headers.contains_key("etag"));
}

#[sqlx::test]
async fn built_assets_are_served_precompressed_and_cached_by_name(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let site = std::env::temp_dir().join(format!("rehearse-assets-{}", uuid::Uuid::new_v4()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).expect("dir");
    std::fs::write(pkg.join("app.abc123.css"), "body { color: red }").expect("css");
    std::fs::write(pkg.join("app.abc123.css.br"), b"BROTLI-BYTES").expect("br");
    std::fs::write(site.join("favicon.ico"), b"ICON").expect("icon");
    // A root file named like a route must not take it (nor clash with it).
    std::fs::write(site.join("healthz"), b"not the health check").expect("file");
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
    assert_eq!(plain.headers["x-content-type-options"], "nosniff");
    assert!(!plain.headers.contains_key("set-cookie"));
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

    // A file at the site's root (from `public/`) is served from memory by
    // its name, kept a day; any other name is the app's 404 page, even
    // when a file of that name sits on disk beside the site.
    let icon = get(&app, "/favicon.ico").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.body, "ICON");
    assert_eq!(icon.headers["content-type"], "image/x-icon");
    assert_eq!(icon.headers["cache-control"], "public, max-age=86400");
    assert_eq!(get(&app, "/healthz").await.body, "ok");
    std::fs::write(site.join("later.txt"), b"written after start-up").expect("txt");
    let later = get(&app, "/later.txt").await;
    assert_eq!(later.status, 404);
    assert!(later.body.contains("Page not found"), "{}", later.body);

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
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let slug = any_bank_slug(&pool).await;
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

    // Pages with islands load it.
    let home = get(&app, "/").await;
    assert!(home.body.contains("<leptos-island") && home.body.contains(".wasm"));
    assert!(!home.body.contains("data-hydrated=\"true\""));
    // Signed in, the list and search still need none: the nav's "Log out"
    // is a plain form. A question's page loads it (its review-card controls
    // are an island).
    let mut alice = account(&app, "alice", "candidate").await;
    for path in ["/questions", "/questions?q=cache&level=beginner"] {
        let mine = alice.get(path).await;
        assert!(
            mine.body.contains("action=\"/api/accounts/logout\""),
            "{path}"
        );
        assert!(
            !mine.body.contains("<leptos-island"),
            "{path} has an island"
        );
        assert!(!mine.body.contains(".wasm"), "{path} loads WASM");
    }
    let question = alice.get(&format!("/questions/{slug}")).await;
    assert!(question.body.contains(".wasm"));
}

/// "Practise this question" without JavaScript: the form post makes a
/// guest, starts the session and lands on it.
#[sqlx::test]
async fn practise_this_as_a_plain_form_lands_on_the_session(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let slug = any_bank_slug(&pool).await;
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
    let asked: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM session_answers a JOIN questions q ON q.id = a.question_id WHERE q.slug = $1",
    )
    .bind(&slug)
    .fetch_one(p).await)
    .expect("count");
    assert_eq!(asked, 1);
}

fn graded_count(html: &str) -> String {
    html.split("data-testid=\"graded-count\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split('<').next())
        .unwrap_or("?")
        .to_owned()
}

/// One practice question, answered and graded through the app.
async fn grade_one(client: &mut crate::common::Client, grade: &str) {
    let id = client.start_practice(None).await;
    let r = client
        .call(
            "sessions/submit",
            &[("id", &id), ("position", "0"), ("text", "my answer")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = client
        .call(
            "sessions/grade",
            &[("id", &id), ("position", "0"), ("grade", grade)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[sqlx::test]
async fn a_persons_dashboard_is_kept_until_their_data_changes(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut alice = account(&app, "alice", "candidate").await;
    grade_one(&mut alice, "3").await;
    let first = alice.get("/dashboard").await;
    assert_eq!(first.status, 200);
    assert_eq!(graded_count(&first.body), "1", "{}", first.body);
    assert_eq!(
        first.headers["cache-control"], "no-store",
        "as for every personal page"
    );
    assert!(
        !first.headers.contains_key("x-rehearse-keep-until"),
        "never sent"
    );
    let etag = first.headers["etag"].clone();

    // Kept: a change the person's version does not cover (the bank's
    // topic names, fixed while the server runs) does not show...
    on!(&pool, |p| sqlx::query(
        "UPDATE topics SET name = name || ' (renamed)'"
    )
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("rename");
    let second = alice.get("/dashboard").await;
    assert_eq!(second.body, first.body, "the very same bytes");
    assert_eq!(second.headers["etag"], etag);
    // ...and the copy answers If-None-Match with a 304.
    let mut req = Request::get("/dashboard")
        .header("host", "localhost")
        .header("if-none-match", etag.clone());
    if let Some(cookie) = &alice.cookie {
        req = req.header("cookie", cookie.clone());
    }
    let revalidated = send(&app, req.body(Body::empty()).expect("request")).await;
    assert_eq!(revalidated.status, 304);

    // Her next grade, through the app, shows at once.
    grade_one(&mut alice, "2").await;
    let third = alice.get("/dashboard").await;
    assert_eq!(graded_count(&third.body), "2");
    assert_ne!(third.headers["etag"], etag);

    // A change written behind the app's back (straight SQL, as another
    // instance or an admin script would) shows at once too: the version
    // is the database's own.
    on!(&pool, |p| sqlx::query(
        "UPDATE users SET time_zone = 'Asia/Tokyo' WHERE username = 'alice'"
    )
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("zone");
    let fourth = alice.get("/dashboard").await;
    assert!(
        fourth.body.contains("days in Asia/Tokyo"),
        "fresh, not kept"
    );

    // Somebody else never gets her copy, on the same address.
    let mut bob = account(&app, "bob", "candidate").await;
    let theirs = bob.get("/dashboard").await;
    assert_eq!(theirs.status, 200);
    assert!(theirs.body.contains("bob") && !theirs.body.contains("alice"));
    assert_ne!(theirs.headers.get("etag"), fourth.headers.get("etag"));

    // Logged out, her old cookie finds no session: the kept page is gone
    // with it.
    let old_cookie = alice.cookie.clone().expect("logged in");
    let r = alice.call("accounts/logout", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = get_with(&app, "/dashboard", &[("cookie", &old_cookie)]).await;
    assert!(!after.body.contains("alice"), "{}", after.body);
    assert!(!after.body.contains("graded-count"));
}

#[sqlx::test]
async fn a_logged_in_persons_bank_pages_are_kept_for_them_alone(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let slug = any_bank_slug(&pool).await;
    let mut alice = account(&app, "alice", "candidate").await;
    let mut bob = account(&app, "bob", "candidate").await;
    for path in [
        "/questions?q=cache".to_owned(),
        format!("/questions/{slug}"),
    ] {
        let first = alice.get(&path).await;
        assert_eq!(first.status, 200, "{path}");
        let again = alice.get(&path).await;
        assert_eq!(again.headers["etag"], first.headers["etag"], "{path} kept");
        assert_eq!(again.body, first.body);
        let theirs = bob.get(&path).await;
        assert!(
            theirs.body.contains("bob") && !theirs.body.contains("alice"),
            "{path}"
        );
    }
    // Practising the question changes her page of it (her past answers)
    // at once.
    let page = format!("/questions/{slug}");
    let before = alice.get(&page).await;
    let id = alice.start_practice(Some(&slug)).await;
    let r = alice
        .call(
            "sessions/submit",
            &[
                ("id", &id),
                ("position", "0"),
                ("text", "an answer of mine"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = alice.get(&page).await;
    assert_ne!(
        after.headers["etag"], before.headers["etag"],
        "fresh, not kept"
    );
}

#[sqlx::test]
async fn the_history_list_is_kept_per_person_and_query(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut alice = account(&app, "alice", "candidate").await;
    grade_one(&mut alice, "4").await;
    let all = alice.get("/history").await;
    assert_eq!(all.status, 200);
    assert_eq!(
        all.headers["cache-control"], "no-store",
        "as for every personal page"
    );
    let interviews = alice.get("/history?mode=interview").await;
    assert_ne!(interviews.headers["etag"], all.headers["etag"], "per query");
    assert!(interviews.body.contains("history-none-match"));
    // A session deleted behind the app's back is gone from the next view.
    on!(&pool, |p| sqlx::query("DELETE FROM interview_sessions")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
    .expect("delete");
    let after = alice.get("/history").await;
    assert!(after.body.contains("history-empty"), "{}", after.body);
}

/// Many visitors missing the same page at once cause one render; the
/// others are served the copy it made.
#[sqlx::test]
async fn concurrent_misses_of_one_page_render_it_once(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    rehearse::questions::sync_builtin_bank(&pool)
        .await
        .expect("bank");
    let state = state(pool);
    let pages = std::sync::Arc::new(rehearse::server::page_cache::PageCache::new(
        &state.leptos_options,
    ));
    let app = rehearse::server::app_with(state, std::sync::Arc::clone(&pages));
    let before = pages.renders();
    let requests = (0..32).map(|_| {
        let app = app.clone();
        tokio::spawn(async move { get(&app, "/questions?q=cache").await })
    });
    let replies = futures_util::future::join_all(requests).await;
    let first = replies[0].as_ref().expect("join").body.clone();
    for reply in replies {
        let reply = reply.expect("join");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, first, "the one kept copy");
    }
    assert_eq!(pages.renders() - before, 1, "one render for 32 misses");
}
