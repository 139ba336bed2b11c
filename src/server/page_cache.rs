//! Rendered bank pages for anonymous visitors, kept in memory.
//!
//! `/`, `/questions` (any search or filter) and `/questions/:slug` are the
//! same for every visitor without a session: they show the built-in bank,
//! which changes only when the server starts (`sync_builtin_bank` runs
//! before the first request, and this cache starts empty). So the first
//! render of a page is kept, keyed by path, query and theme cookie, and
//! later visitors get those bytes without a render or a query: as they
//! are, or brotli- or gzip-compressed once when the page was kept.
//!
//! Two things make a kept page safe to reuse:
//! - The CSP. Other pages allow their inline scripts by a fresh nonce per
//!   response, which would make every copy of a kept page different (and
//!   compress it per response). A kept page is sent instead with a policy
//!   that allows exactly its own inline scripts by their SHA-256 hashes
//!   (computed when it is kept); the nonce attributes its first render left
//!   in it match nothing in that policy and so allow nothing. Injected
//!   script text would have to hash to one of our own scripts to run.
//! - Revalidation. Each kept page has a strong ETag per encoding;
//!   `If-None-Match` with one of them gets `304 Not Modified` and no body.
//!   A 304 carries no CSP (`security_headers` leaves it out), so the
//!   browser keeps the policy stored with the body it already has.
//!
//! Personal pages are kept too, when the page asks for it (`keep_until`,
//! set by the dashboard and the history list): per person, keyed by their
//! `data_version`, which the database bumps in the same transaction as any
//! change to what their pages show (the `data_version` migration's
//! triggers), and only until the moment the page names (the dashboard's
//! next local midnight, when "today" moves). The person is looked up here,
//! once, and handed to the render (`KnownCaller`), so a kept page costs
//! one indexed query and a miss costs nothing extra. A copy kept under a
//! version is never served once the version moved on, whoever made the
//! change and through whichever instance. Those responses still say
//! `Cache-Control: no-store`, as every personal response does: kept on the
//! server, never in a browser or a proxy.
//!
//! Nothing else is kept: a response that sets a cookie, any status but
//! 200, a page that did not ask.

use std::{io::Write, sync::Arc};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::accounts::authz::{AuthUser, KnownCaller};
use crate::components::theme::THEME_COOKIE;
use crate::platform::AppState;

pub use crate::platform::request::KEEP_UNTIL;

/// Memory the cache may hold, in bytes (a bank page is 20–60 KB, and its
/// compressed copies a fifth of that).
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// Memory for people's own pages (a dashboard is ~40 KB plus one
/// compressed copy): the most recently used few hundred people.
const PERSONAL_CAPACITY_BYTES: u64 = 32 * 1024 * 1024;
/// However long a page asks for, a personal copy is rendered afresh at
/// least this often (ms).
const PERSONAL_MAX_AGE_MS: i64 = 60 * 60 * 1000;
/// A page larger than this is served but not kept.
const LARGEST_PAGE: usize = 2 * 1024 * 1024;
/// Compression when a page is kept: a few milliseconds, once per page
/// (11, brotli's best, would take tens, and a visitor asking for many
/// different searches would pay for each).
const BROTLI_QUALITY: u32 = 6;
/// How long a visitor waits for another's render of the same page before
/// rendering it too (a bank page renders in a few milliseconds).
const SINGLE_FLIGHT_WAIT: std::time::Duration = std::time::Duration::from_millis(500);
const GZIP_LEVEL: u32 = 6;

/// One representation of a kept page.
struct Variant {
    body: Bytes,
    etag: HeaderValue,
}

/// One kept page.
pub struct Page {
    plain: Variant,
    br: Option<Variant>,
    gzip: Option<Variant>,
    content_type: HeaderValue,
    /// The policy allowing this page's inline scripts by hash.
    csp: HeaderValue,
    /// Unix ms after which the copy is stale (personal pages only).
    valid_until: i64,
}

impl Page {
    fn size(&self) -> u64 {
        [Some(&self.plain), self.br.as_ref(), self.gzip.as_ref()]
            .into_iter()
            .flatten()
            .map(|v| v.body.len() as u64 + 64)
            .sum::<u64>()
            + self.csp.len() as u64
    }

    fn variants(&self) -> impl Iterator<Item = &Variant> {
        [Some(&self.plain), self.br.as_ref(), self.gzip.as_ref()]
            .into_iter()
            .flatten()
    }
}

#[derive(Clone)]
struct BySize;

impl quick_cache::Weighter<String, Arc<Page>> for BySize {
    fn weight(&self, _key: &String, page: &Arc<Page>) -> u64 {
        page.size()
    }
}

/// The middleware's state: the app's, and the kept pages beside it (the
/// cache belongs to the top, so `AppState` does not carry it).
#[derive(Clone)]
pub struct Kept {
    pub state: AppState,
    pub pages: Arc<PageCache>,
}

/// The kept pages, shared by every request.
pub struct PageCache {
    pages: quick_cache::sync::Cache<String, Arc<Page>, BySize>,
    personal: quick_cache::sync::Cache<String, Arc<Page>, BySize>,
    /// Public pages rendered because they were not kept (misses).
    renders: std::sync::atomic::AtomicU64,
    /// The inline scripts the app itself emits, by hash: a kept page's
    /// policy allows these and nothing else.
    known_scripts: std::collections::HashSet<String>,
}

impl PageCache {
    /// An empty cache that knows the app's own inline scripts: `page.js`
    /// and the islands loader, rendered once here (its text names the
    /// build's hashed files, so it is the same on every page).
    pub fn new(options: &leptos::config::LeptosOptions) -> Self {
        use leptos::prelude::*;
        let options = options.clone();
        let loader = Owner::new().with(|| {
            view! { <leptos::hydration::HydrationScripts options islands=true/> }.to_html()
        });
        let mut known: std::collections::HashSet<String> = script_hashes(loader.as_bytes())
            .split(' ')
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect();
        known.insert(hash_source(
            crate::components::page_script::PAGE_JS.as_bytes(),
        ));
        // What Leptos's server rendering appends to a page whose resources
        // carry nothing to hand over (`hydration_context`'s `ssr.rs`): our
        // pages load their data on the server, so these are all they get. A
        // page that did hand data over would differ, and not be kept.
        for leptos_own in [
            "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
            "__INCOMPLETE_CHUNKS=[];",
        ] {
            known.insert(hash_source(leptos_own.as_bytes()));
        }
        Self {
            known_scripts: known,
            ..Self::default()
        }
    }

    /// How many public pages were rendered for want of a kept copy.
    pub fn renders(&self) -> u64 {
        self.renders.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            // The item estimate only sizes the table; the weight bounds it.
            pages: quick_cache::sync::Cache::with_weighter(4_096, CAPACITY_BYTES, BySize),
            personal: quick_cache::sync::Cache::with_weighter(
                1_024,
                PERSONAL_CAPACITY_BYTES,
                BySize,
            ),
            renders: std::sync::atomic::AtomicU64::new(0),
            known_scripts: std::collections::HashSet::new(),
        }
    }
}

/// Which compressed copies to make when a page is kept.
#[derive(Clone, Copy)]
enum Copies {
    /// Both: a public page is asked for by every kind of client.
    All,
    /// Only the one this client takes: a person mostly uses one browser.
    For(Option<&'static str>),
}

impl Copies {
    fn wants(self, encoding: &str) -> bool {
        match self {
            Self::All => true,
            Self::For(chosen) => chosen == Some(encoding),
        }
    }
}

/// The encoding a response to these request headers will use.
fn preferred_encoding(request: &HeaderMap) -> Option<&'static str> {
    use super::assets::accepts;
    if accepts(request, "br") {
        Some("br")
    } else if accepts(request, "gzip") {
        Some("gzip")
    } else {
        None
    }
}

/// The pages every visitor without a session sees alike.
fn is_public(path: &str) -> bool {
    path == "/" || path == "/questions" || path.starts_with("/questions/")
}

/// What makes one rendering of a page differ from another for the same
/// viewer: the theme cookie, the path and the query.
fn page_key(req: &Request) -> String {
    let theme = crate::platform::net::cookies(req.headers(), THEME_COOKIE)
        .next()
        .unwrap_or("");
    let query = req.uri().query().unwrap_or("");
    format!("{theme}\n{}?{query}", req.uri().path())
}

/// The middleware: serves kept pages, keeps new ones.
pub async fn serve(State(kept): State<Kept>, req: Request, next: Next) -> Response {
    let (state, pages) = (&kept.state, &*kept.pages);
    if req.method() != Method::GET || req.uri().path().starts_with("/api/") {
        return without_keep_header(next.run(req).await);
    }
    let token = crate::accounts::session::token_from_headers(
        req.headers(),
        state.config.session_cookie_name(),
    );
    match token {
        Some(token) => personal(state, pages, token, req, next).await,
        None if is_public(req.uri().path()) => anonymous(state, pages, req, next).await,
        None => without_keep_header(next.run(req).await),
    }
}

/// A bank page for a visitor without a session: the one kept copy.
async fn anonymous(_state: &AppState, pages: &PageCache, req: Request, next: Next) -> Response {
    let key = page_key(&req);
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let accept = req.headers().clone();
    // Single flight: of many visitors missing the same page at once, one
    // renders it and the others wait for that copy (64 of them used to
    // render it 64 times, p99 1.9 s).
    // A page that can't be kept (a 404, an error) hands the turn to one
    // waiter at a time: past `SINGLE_FLIGHT_WAIT`, a waiter renders for
    // itself rather than queue behind them.
    let waited = tokio::time::timeout(
        SINGLE_FLIGHT_WAIT,
        pages.pages.get_value_or_guard_async(&key),
    )
    .await;
    let guard = match waited {
        Ok(Ok(page)) => return respond(&page, &accept, if_none_match.as_ref(), "no-cache"),
        Ok(Err(guard)) => Some(guard),
        Err(_) => None,
    };
    pages
        .renders
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let res = next.run(req).await;
    let page = match keep(res, Copies::All, i64::MAX, &pages.known_scripts).await {
        Ok(page) => Arc::new(page),
        Err(res) => return res,
    };
    match guard {
        Some(guard) => {
            let _ = guard.insert(Arc::clone(&page));
        }
        None => pages.pages.insert(key, Arc::clone(&page)),
    }
    respond(&page, &accept, if_none_match.as_ref(), "no-cache")
}

/// A page request with a session cookie: the caller is looked up once
/// here, then their kept copy is served, or the page is rendered (with
/// the caller handed on) and kept if it asks to be.
async fn personal(
    state: &AppState,
    pages: &PageCache,
    token: String,
    mut req: Request,
    next: Next,
) -> Response {
    let now = crate::platform::now_ms();
    // A failed lookup is left to the render, which reports it.
    let Ok(caller) = crate::accounts::session::lookup(&state.pool, &token, now).await else {
        return without_keep_header(next.run(req).await);
    };
    let caller = caller.map(AuthUser::from);
    req.extensions_mut().insert(KnownCaller(caller.clone()));
    let Some(user) = caller else {
        return without_keep_header(next.run(req).await);
    };
    let key = format!("{}\n{}\n{}", user.id, user.data_version, page_key(&req));
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let accept = req.headers().clone();
    if let Some(page) = pages.personal.get(&key) {
        if page.valid_until > now {
            return respond(&page, &accept, if_none_match.as_ref(), "no-store");
        }
    }
    let res = next.run(req).await;
    let Some(until) = res
        .headers()
        .get(&KEEP_UNTIL)
        .and_then(|v| v.to_str().ok()?.parse::<i64>().ok())
    else {
        return without_keep_header(res);
    };
    let until = until.min(now.saturating_add(PERSONAL_MAX_AGE_MS));
    let copies = Copies::For(preferred_encoding(&accept));
    match keep(res, copies, until, &pages.known_scripts).await {
        Ok(page) => {
            let page = Arc::new(page);
            pages.personal.insert(key, Arc::clone(&page));
            respond(&page, &accept, if_none_match.as_ref(), "no-store")
        }
        Err(res) => res,
    }
}

fn without_keep_header(mut res: Response) -> Response {
    res.headers_mut().remove(&KEEP_UNTIL);
    res
}

/// Reads a fresh response into a `Page`, or hands it back untouched when
/// it must not be kept.
async fn keep(
    res: Response,
    copies: Copies,
    valid_until: i64,
    known: &std::collections::HashSet<String>,
) -> Result<Page, Response> {
    let res = without_keep_header(res);
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
    // Only a page whose every inline script is one of the app's own is
    // kept: a script that got into the page some other way (an injection)
    // would otherwise be allowed by its hash. Such a page is sent as it
    // is, under the per-response nonce, which its script does not carry.
    let hashes = script_hashes(&bytes);
    if let Some(unknown) = hashes
        .split(' ')
        .find(|h| !h.is_empty() && !known.contains(*h))
    {
        tracing::warn!(
            script = unknown,
            "a page holds an inline script the app did not emit; not kept"
        );
        return Err(Response::from_parts(parts, Body::from(bytes)));
    }
    let policy = content_security_policy(&hashes);
    let Ok(csp) = HeaderValue::from_str(&policy) else {
        return Err(Response::from_parts(parts, Body::from(bytes)));
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8"));
    let digest = Sha256::digest(&bytes);
    let tag = |suffix: &str| {
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        HeaderValue::from_str(&format!("\"{hex}{suffix}\"")).ok()
    };
    let variant = |body: Option<Vec<u8>>, suffix: &str| {
        Some(Variant {
            body: body?.into(),
            etag: tag(suffix)?,
        })
    };
    let Some(plain) = variant(Some(bytes.to_vec()), "") else {
        return Err(Response::from_parts(parts, Body::from(bytes)));
    };
    Ok(Page {
        br: variant(copies.wants("br").then(|| brotli(&bytes)).flatten(), "-br"),
        gzip: variant(copies.wants("gzip").then(|| gzip(&bytes)).flatten(), "-gz"),
        plain,
        content_type,
        csp,
        valid_until,
    })
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, 22);
        writer.write_all(bytes).ok()?;
        writer.flush().ok()?;
    }
    Some(out)
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

/// `'sha256-…'` for the text of each inline `<script>` (one without `src`)
/// in the page: exactly the scripts the page's policy lets run.
pub fn script_hashes(html: &[u8]) -> String {
    let mut hashes: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = find(rest, b"<script") {
        rest = &rest[start..];
        let Some(tag_end) = find(rest, b">") else {
            break;
        };
        let tag = &rest[..tag_end];
        let body_start = tag_end + 1;
        let Some(len) = find(&rest[body_start..], b"</script>") else {
            break;
        };
        if find(tag, b" src=").is_none() {
            let source = hash_source(&rest[body_start..body_start + len]);
            if !hashes.contains(&source) {
                hashes.push(source);
            }
        }
        rest = &rest[body_start + len..];
    }
    hashes.join(" ")
}

/// A script's text as a CSP source: `'sha256-…'`.
fn hash_source(script: &[u8]) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    format!("'sha256-{hash}'")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `If-None-Match` names one of the page's ETags (or `*`), by weak
/// comparison as RFC 9110 asks for this header.
fn matches(if_none_match: Option<&HeaderValue>, page: &Page) -> bool {
    let Some(wanted) = if_none_match.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    wanted.split(',').map(str::trim).any(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == "*" || page.variants().any(|v| v.etag.as_bytes() == tag.as_bytes())
    })
}

fn respond(
    page: &Page,
    request: &HeaderMap,
    if_none_match: Option<&HeaderValue>,
    cache_control: &'static str,
) -> Response {
    use super::assets::accepts;
    let (variant, encoding) = match (&page.br, &page.gzip) {
        (Some(br), _) if accepts(request, "br") => (br, Some("br")),
        (_, Some(gz)) if accepts(request, "gzip") => (gz, Some("gzip")),
        _ => (&page.plain, None),
    };
    let mut res = if matches(if_none_match, page) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = Response::new(Body::from(variant.body.clone()));
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, page.content_type.clone());
        headers.insert(header::CONTENT_SECURITY_POLICY, page.csp.clone());
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        res
    };
    let headers = res.headers_mut();
    headers.insert(header::ETAG, variant.etag.clone());
    // Revalidate every time (a 304 is cheap); a shared cache must keep
    // one copy per theme cookie and encoding and never give one to a
    // logged-in person; a personal page is never stored (`no-store`).
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("cookie, accept-encoding"),
    );
    res
}

/// The one policy, with the sources that allow inline scripts: this
/// response's nonce, or a kept page's script hashes (`page_cache`).
pub(super) fn content_security_policy(inline_scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {inline_scripts} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
#[path = "page_cache_tests.rs"]
mod tests;
