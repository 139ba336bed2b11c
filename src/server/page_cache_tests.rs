//! Unit tests of the page cache: ETag matching, script hashing, and which
//! inline scripts a kept page's policy may allow.

use super::*;

fn page() -> Page {
    let variant = |tag: &'static str| Variant {
        body: Bytes::from_static(b"x"),
        etag: HeaderValue::from_static(tag),
    };
    Page {
        plain: variant("\"abc\""),
        br: Some(variant("\"abc-br\"")),
        gzip: None,
        content_type: HeaderValue::from_static("text/html"),
        csp: HeaderValue::from_static("default-src 'self'"),
        valid_until: i64::MAX,
    }
}

#[test]
fn if_none_match_forms() {
    let page = page();
    let m = |v: &'static str| matches(Some(&HeaderValue::from_static(v)), &page);
    assert!(m("\"abc\""));
    assert!(m("\"abc-br\""));
    assert!(m("W/\"abc\""));
    assert!(m("\"x\", \"abc\""));
    assert!(m("*"));
    assert!(!m("\"abcd\""));
    assert!(!m("abc"));
    assert!(!matches(None, &page));
}

fn html(body: String) -> Response {
    let mut res = Response::new(Body::from(body));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

#[tokio::test]
async fn only_the_apps_own_scripts_are_allowed_by_a_kept_pages_policy() {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("rehearse")
        .build();
    let cache = PageCache::new(&options);
    let own = crate::components::page_script::PAGE_JS;
    let page_js = format!("<script nonce=\"abc\">{own}</script>");
    let kept = keep(
        html(format!("<html><body><p>hi</p>{page_js}</body></html>")),
        Copies::All,
        i64::MAX,
        &cache.known_scripts,
    )
    .await;
    let Ok(kept) = kept else {
        panic!("a page with only the app's scripts is kept");
    };
    let csp = kept.csp.to_str().unwrap_or_default().to_owned();
    assert!(csp.contains(&hash_source(own.as_bytes())), "{csp}");
    // A script the app did not emit (an injection that slipped into the
    // page): its hash is never allowed, and the page is not kept.
    let injected = "alert(document.cookie)";
    let evil = keep(
        html(format!(
            "<html><body>{page_js}<script>{injected}</script></body></html>"
        )),
        Copies::All,
        i64::MAX,
        &cache.known_scripts,
    )
    .await;
    assert!(evil.is_err(), "not kept");
    // As Leptos ends every page.
    let tail = "<script nonce=\"abc\">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script><script nonce=\"abc\">__INCOMPLETE_CHUNKS=[];</script>";
    let leptos = keep(
        html(format!("<html><body>{page_js}</body></html>{tail}")),
        Copies::All,
        i64::MAX,
        &cache.known_scripts,
    )
    .await;
    assert!(
        leptos.is_ok(),
        "{:?} vs {}",
        cache.known_scripts,
        script_hashes(tail.as_bytes())
    );
    assert!(!cache
        .known_scripts
        .contains(&hash_source(injected.as_bytes())));
    // The islands loader is known too.
    assert!(cache.known_scripts.len() >= 2, "{:?}", cache.known_scripts);
}

#[test]
fn each_inline_script_is_hashed_once_and_external_ones_not_at_all() {
    let html = b"<head><script nonce=\"n\">alert(1)</script>\
        <script type=\"module\" src=\"/pkg/a.js\"></script></head>\
        <body><script>alert(1)</script><script>x()</script></body>";
    let hashes = script_hashes(html);
    let one = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"alert(1)"));
    let two = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"x()"));
    assert_eq!(hashes, format!("'sha256-{one}' 'sha256-{two}'"));
    assert_eq!(script_hashes(b"<p>no scripts</p>"), "");
}
