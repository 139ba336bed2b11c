//! Rendered bank pages for anonymous visitors, kept in memory.
//!
//! `/`, `/questions` (any search or filter) and `/questions/:slug` are the
//! same for every visitor without a session: they show the built-in bank,
//! which changes only when the server starts (`sync_builtin_bank` runs
//! before the first request, and this cache starts empty). So the first
//! render of a page is kept, keyed by path, query and theme cookie, and
//! later visitors get those bytes without a render or a query.
//!
//! Two things make a kept page safe to reuse:
//! - The CSP nonce. Every response must carry a fresh one, and the page's
//!   inline hydration loader must match it. A kept page is stored cut at
//!   each place its nonce appeared; every response joins the pieces with
//!   that response's own nonce, the one `security_headers` puts in the CSP.
//! - Revalidation. Each kept page has a strong ETag over its bytes minus
//!   the nonce; `If-None-Match` with it gets `304 Not Modified` and no
//!   body. A 304 carries no CSP (`security_headers` leaves it out), so the
//!   browser keeps the policy stored with the body it already has, whose
//!   nonce matches it.
//!
//! Anything personal bypasses the cache: a request with a session cookie,
//! a response that sets a cookie, any status but 200.

use std::sync::Arc;

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use super::state::AppState;
use crate::components::theme::THEME_COOKIE;

/// Memory the cache may hold, in bytes of HTML (a bank page is 20–60 KB).
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// A page larger than this is served but not kept.
const LARGEST_PAGE: usize = 2 * 1024 * 1024;

/// One kept page.
pub struct Page {
    /// The HTML cut at each place the nonce appeared.
    pieces: Vec<Bytes>,
    etag: HeaderValue,
    content_type: HeaderValue,
}

impl Page {
    fn size(&self) -> u64 {
        self.pieces.iter().map(|p| p.len() as u64).sum::<u64>() + 64
    }

    fn body(&self, nonce: &str) -> Body {
        let mut html = Vec::with_capacity(self.size() as usize + nonce.len() * self.pieces.len());
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                html.extend_from_slice(nonce.as_bytes());
            }
            html.extend_from_slice(piece);
        }
        Body::from(html)
    }
}

#[derive(Clone)]
struct BySize;

impl quick_cache::Weighter<String, Arc<Page>> for BySize {
    fn weight(&self, _key: &String, page: &Arc<Page>) -> u64 {
        page.size()
    }
}

/// The kept pages, shared by every request.
pub struct PageCache {
    pages: quick_cache::sync::Cache<String, Arc<Page>, BySize>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            // The item estimate only sizes the table; the weight bounds it.
            pages: quick_cache::sync::Cache::with_weighter(4_096, CAPACITY_BYTES, BySize),
        }
    }
}

impl PageCache {
    /// Forgets every page (for a bank that changed under a running server).
    pub fn clear(&self) {
        self.pages.clear();
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// The key for a request that may be served from the cache, or `None`.
fn key(req: &Request, cookie_name: &str) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    let public = path == "/" || path == "/questions" || path.starts_with("/questions/");
    if !public || crate::accounts::session::token_from_headers(req.headers(), cookie_name).is_some()
    {
        return None;
    }
    let theme = cookie(req.headers(), THEME_COOKIE).unwrap_or("");
    let query = req.uri().query().unwrap_or("");
    Some(format!("{theme}\n{path}?{query}"))
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The middleware: serves kept pages, keeps new ones.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = key(&req, state.config.session_cookie_name()) else {
        return next.run(req).await;
    };
    let Some(nonce) = req
        .extensions()
        .get::<leptos::nonce::Nonce>()
        .map(ToString::to_string)
    else {
        return next.run(req).await;
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let page = match state.pages.pages.get(&key) {
        Some(page) => page,
        None => {
            let res = next.run(req).await;
            match keep(res, &nonce).await {
                Ok(page) => {
                    let page = Arc::new(page);
                    state.pages.pages.insert(key, Arc::clone(&page));
                    page
                }
                Err(res) => return res,
            }
        }
    };
    respond(&page, &nonce, if_none_match.as_ref())
}

/// Reads a fresh response into a `Page`, or hands it back untouched when
/// it must not be kept.
async fn keep(res: Response, nonce: &str) -> Result<Page, Response> {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if res.status() != StatusCode::OK
        || !html
        || res.headers().contains_key(header::SET_COOKIE)
        || res.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Err(res);
    }
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        // The render failed mid-stream: the page was never whole.
        Err(error) => {
            tracing::error!(%error, "page render failed mid-stream");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    if bytes.len() > LARGEST_PAGE {
        return Err(Response::from_parts(parts, Body::from(bytes)));
    }
    let mut pieces = Vec::new();
    let mut hash = Sha256::new();
    let mut rest = bytes.clone();
    while let Some(at) = find(&rest, nonce.as_bytes()) {
        pieces.push(rest.slice(..at));
        hash.update(&rest[..at]);
        hash.update(b"\0nonce\0");
        rest = rest.slice(at + nonce.len()..);
    }
    hash.update(&rest);
    pieces.push(rest);
    let digest = hash.finalize();
    let etag = digest[..12].iter().fold(String::from("\""), |mut s, b| {
        s.push_str(&format!("{b:02x}"));
        s
    }) + "\"";
    let etag = HeaderValue::from_str(&etag)
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8"));
    Ok(Page {
        pieces,
        etag,
        content_type,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `If-None-Match` names this ETag (or `*`), by weak comparison as RFC 9110
/// asks for this header.
fn matches(if_none_match: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let (Some(wanted), Ok(etag)) = (if_none_match.and_then(|v| v.to_str().ok()), etag.to_str())
    else {
        return false;
    };
    wanted
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

fn respond(page: &Page, nonce: &str, if_none_match: Option<&HeaderValue>) -> Response {
    let mut res = if matches(if_none_match, &page.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = Response::new(page.body(nonce));
        res.headers_mut()
            .insert(header::CONTENT_TYPE, page.content_type.clone());
        res
    };
    let headers = res.headers_mut();
    headers.insert(header::ETAG, page.etag.clone());
    // Revalidate every time (a 304 is cheap); a shared cache must keep
    // one copy per theme cookie and never give one to a logged-in person.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("cookie"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_forms() {
        let etag = HeaderValue::from_static("\"abc\"");
        let m = |v: &'static str| matches(Some(&HeaderValue::from_static(v)), &etag);
        assert!(m("\"abc\""));
        assert!(m("W/\"abc\""));
        assert!(m("\"x\", \"abc\""));
        assert!(m("*"));
        assert!(!m("\"abcd\""));
        assert!(!m("abc"));
        assert!(!matches(None, &etag));
    }

    #[test]
    fn a_kept_page_takes_each_responses_nonce() {
        let page = Page {
            pieces: vec![
                Bytes::from_static(b"<script nonce=\""),
                Bytes::from_static(b"\">x</script><link nonce=\""),
                Bytes::from_static(b"\">"),
            ],
            etag: HeaderValue::from_static("\"e\""),
            content_type: HeaderValue::from_static("text/html"),
        };
        let body =
            futures_util::FutureExt::now_or_never(axum::body::to_bytes(page.body("N1"), 1024));
        let Some(Ok(body)) = body else {
            panic!("body not ready");
        };
        assert_eq!(
            &body[..],
            b"<script nonce=\"N1\">x</script><link nonce=\"N1\">"
        );
    }
}
