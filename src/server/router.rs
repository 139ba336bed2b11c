//! The axum router: Leptos routes, server functions, static files, and the
//! middleware every request goes through.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
    CompressionLevel,
};

use crate::app::{shell, App};
use crate::platform::{config::Config, AppState};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Builds the whole application. Tests call this and drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let pages = Arc::new(super::page_cache::PageCache::new(&state.leptos_options));
    app_with(state, pages)
}

/// [`app`] with the page cache given (tests read its counters).
pub fn app_with(state: AppState, pages: Arc<super::page_cache::PageCache>) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_request_context(&state)
    };
    let config = Arc::clone(&state.config);

    #[allow(unused_mut)]
    let mut router = Router::new();
    // Only a binary built with the `test-clock` feature (the browser
    // tests' debug build) can mount it; `make run`'s release build can't.
    #[cfg(feature = "test-clock")]
    if config.test_clock {
        tracing::warn!("REHEARSE_TEST_CLOCK is set: POST /__test/clock moves the clock");
        router = router.route("/__test/clock", axum::routing::post(move_clock));
    }
    #[cfg(not(feature = "test-clock"))]
    if config.test_clock {
        tracing::warn!("REHEARSE_TEST_CLOCK is ignored: this build has no test clock");
    }
    router
        .route("/healthz", get(healthz))
        .route("/account/export", get(crate::accounts::export::download))
        .route("/sets/{id}/export/{format}", get(crate::sets::export::set))
        .route(
            "/sets/questions/export/{format}",
            get(crate::sets::export::questions),
        )
        .route(
            "/sets/{id}/results/export/{kind}",
            get(crate::sharing::export::results),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Any other path is the app's 404 page, rendered straight away:
        // leptos_axum's file-and-error handler would first look for a file
        // of that name on disk, on the blocking pool, for every unknown
        // address. The files there are served from memory (`assets`).
        .fallback(leptos_axum::render_app_async_with_context(context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        }))
        .layer(
            ServiceBuilder::new()
                // Our own id for every request: one a client sends could
                // be used to forge or confuse log lines.
                .layer(middleware::from_fn(drop_client_request_id))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                        let id = req
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!("request", method = %req.method(), uri = %loggable_uri(req.uri()), id)
                    }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                // Pages are compressed as they are sent: brotli's default
                // (quality 11) costs milliseconds per page; 4 is about as
                // fast as gzip and still smaller. Built assets come
                // precompressed at the highest level and pass through.
                .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    config.request_timeout,
                ))
                .layer(middleware::from_fn_with_state(
                    config.body_limit_bytes,
                    limit_body,
                ))
                // axum's own 2 MB cap on extracted bodies would turn an
                // import into a 500; `limit_body` above is the one limit.
                .layer(axum::extract::DefaultBodyLimit::disable())
                .layer(middleware::from_fn_with_state(
                    Arc::clone(&config),
                    security_headers,
                ))
                .layer(middleware::from_fn_with_state(
                    Arc::clone(&config),
                    same_origin_writes,
                ))
                .layer(middleware::from_fn_with_state(
                    super::page_cache::Kept {
                        state: state.clone(),
                        pages,
                    },
                    super::page_cache::serve,
                ))
                .layer(middleware::from_fn(server_fn_error_status)),
        )
        // The built files are merged after the layers above, so they skip
        // them: a fresh CSP nonce, a request id, a trace span, compression
        // and the body checks all cost time and mean nothing for an
        // immutable file read from memory (`assets` sets its own headers).
        .merge(super::assets::router(&state.leptos_options))
        .with_state(state)
}

/// The request's address as logs show it: a share code is as good as an
/// invitation, so `/s/<code>` is logged as `/s/…`.
fn loggable_uri(uri: &http::Uri) -> std::borrow::Cow<'_, str> {
    let path = uri.path();
    if path.starts_with("/s/") {
        return std::borrow::Cow::Borrowed("/s/…");
    }
    // Team invitations: the code in the path, or in a query that carries
    // it (`/team?invited=…`, `/register?next=/join/…`).
    if path.starts_with("/join/") {
        return std::borrow::Cow::Borrowed("/join/…");
    }
    match uri.query() {
        Some(q) if q.contains("invited=") || q.contains("join") => {
            std::borrow::Cow::Owned(format!("{path}?…"))
        }
        _ => std::borrow::Cow::Owned(uri.to_string()),
    }
}

async fn drop_client_request_id(mut req: Request, next: Next) -> Response {
    req.headers_mut().remove(REQUEST_ID);
    next.run(req).await
}

/// What every page render and server function can reach through context.
fn provide_request_context(state: &AppState) {
    provide_context(state.clone());
    // The CSP nonce was chosen by `security_headers`; hand it to the
    // hydration script so its inline loader is allowed to run.
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        if let Some(nonce) = parts.extensions.get::<leptos::nonce::Nonce>() {
            provide_context(nonce.clone());
        }
        // Always provided, never left to be found further up (see
        // `CallerOnce`).
        use crate::accounts::authz::{CallerOnce, KnownCaller};
        provide_context(if parts.uri.path().starts_with("/api/") {
            CallerOnce::never()
        } else if let Some(KnownCaller(caller)) = parts.extensions.get::<KnownCaller>() {
            CallerOnce::known(caller.clone())
        } else {
            CallerOnce::for_render()
        });
    }
}

/// `days=N`: the server's clock runs N days ahead from now on (tests only;
/// built only with the `test-clock` feature, mounted only when
/// `REHEARSE_TEST_CLOCK` is set).
#[cfg(feature = "test-clock")]
async fn move_clock(axum::Form(form): axum::Form<ClockForm>) -> Response {
    if !(0.0..=3650.0).contains(&form.days) {
        return (StatusCode::BAD_REQUEST, "days is 0 to 3650").into_response();
    }
    crate::platform::clock::set_clock_offset((form.days * 86_400_000.0) as i64);
    tracing::warn!(days = form.days, "test clock moved");
    (StatusCode::OK, "ok").into_response()
}

#[cfg(feature = "test-clock")]
#[derive(serde::Deserialize)]
struct ClockForm {
    days: f64,
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.pool.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// The one place a server function's error gets its HTTP status.
///
/// The framework answers every server-function error with 500 and the
/// error, JSON-encoded, as the body (ours, or one it raised before our code
/// ran, such as arguments that do not decode). The body says which
/// `AppError` it is, so the status is `AppError::status_code`'s: 401, 403,
/// 404, 409, 422 (a malformed request is the caller's mistake), 429 with
/// `Retry-After`, and 500 only for `Internal`. A plain HTML form post is
/// answered with a redirect back to the form, not a 500, and is left alone.
async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Error bodies are a few hundred bytes; anything odd stays a 500.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
        if let crate::error::AppError::RateLimited { retry_after_secs } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Caps every request body, server functions included: a declared length
/// over the limit is refused at once, and a body that streams past it fails
/// when read, before any handler sees the excess.
async fn limit_body(State(limit): State<usize>, req: Request, next: Next) -> Response {
    // Imports carry a whole file (up to 2 MB, a little more once escaped
    // as JSON); every other request keeps the general limit.
    let limit = if req.uri().path() == "/api/sets/import" {
        limit.max(crate::sets::IMPORT_BODY_LIMIT)
    } else {
        limit
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        // Closing with the body unread would make the kernel reset the
        // connection, and the client would never see this answer. As
        // nginx's lingering close does: answer, then read and discard what
        // the client still sends (bounded), then close.
        // (No `Connection: close`: hyper would stop reading at once.) A
        // client that asked `Expect: 100-continue` has sent nothing yet and
        // waits to be told: reading would invite the upload.
        if !req.headers().contains_key(header::EXPECT) {
            tokio::spawn(linger(req.into_body()));
        }
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

/// The most a refused body is read (and discarded) for, in bytes and time.
const LINGER_BYTES: usize = 16 * 1024 * 1024;
const LINGER_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads and drops a refused request's body until it ends, or
/// `LINGER_BYTES` or `LINGER_TIME` are reached (the connection closes then).
async fn linger(body: Body) {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut read = 0usize;
    let drained = tokio::time::timeout(LINGER_TIME, async {
        while let Some(Ok(frame)) = body.frame().await {
            read += frame.data_ref().map_or(0, |d| d.len());
            if read > LINGER_BYTES {
                break;
            }
        }
    })
    .await;
    tracing::debug!(
        read,
        timed_out = drained.is_err(),
        "discarded a refused request body"
    );
}

/// Security headers on every response, with a fresh CSP nonce per request.
async fn security_headers(
    State(config): State<Arc<Config>>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let personal = shows_personal_data(&req, &config);
    let mut res = next.run(req).await;
    // A page or reply for someone logged in (or being logged in) must not
    // be kept by a shared cache or the browser's back-forward store.
    let sets_cookie = res.headers().contains_key(header::SET_COOKIE);
    if (personal || sets_cookie) && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if config.secure_cookies {
        // Only over HTTPS, which secure cookies say this deployment uses.
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // A 304 has no body for a policy to govern, and a browser merges its
    // headers into the stored response: a new nonce there would no longer
    // match the stored page's scripts (see `page_cache`).
    // A kept page brings its own policy, allowing its scripts by hash.
    let csp = (res.status() != StatusCode::NOT_MODIFIED
        && !res.headers().contains_key(header::CONTENT_SECURITY_POLICY))
    .then(|| super::page_cache::content_security_policy(&format!("'nonce-{nonce}'")));
    let headers = res.headers_mut();
    if let Some(Ok(value)) = csp.map(|csp| HeaderValue::from_str(&csp)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Server functions, the data export, and any page requested with a
/// session cookie may show a person's own data. Built assets never do.
fn shows_personal_data(req: &Request, config: &Config) -> bool {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.ico" {
        return false;
    }
    path.starts_with("/api/")
        || path == "/account/export"
        || crate::accounts::session::token_from_headers(req.headers(), config.session_cookie_name())
            .is_some()
}

/// Leptos server functions do no CSRF checking of their own. Every request
/// that can change state must come from our own pages: a browser always sends
/// `Origin` on cross-site POSTs, so a foreign or missing-but-cross-site origin
/// is refused before any handler runs.
async fn same_origin_writes(
    State(config): State<Arc<Config>>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    if is_same_origin(&parts, &config) {
        next.run(Request::from_parts(parts, body)).await
    } else {
        tracing::warn!(
            target: "security",
            event = "cross_origin_write_refused",
            request_id = ?parts.headers.get(REQUEST_ID),
            path = %parts.uri.path(),
            origin = ?parts.headers.get(header::ORIGIN),
        );
        (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
    }
}

/// `Origin` must name this site exactly: scheme, host and port. The scheme
/// is ours (https when secure cookies are on), or what a trusted proxy
/// says the client used.
fn is_same_origin(parts: &http::request::Parts, config: &Config) -> bool {
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|h| h.to_str().ok());
    match (origin, crate::platform::net::client_origin(parts, config)) {
        (Some(origin), Some(ours)) => origin.eq_ignore_ascii_case(&ours),
        // No Origin header: only non-browser clients (curl, tests) and
        // same-origin navigations in old browsers do this. Fall back on
        // Fetch Metadata, which every current browser sends.
        (None, _) => !matches!(
            parts
                .headers
                .get("sec-fetch-site")
                .and_then(|h| h.to_str().ok()),
            Some("cross-site" | "same-site")
        ),
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{loggable_uri, server_fn_error_status};
    use crate::error::AppError;
    use axum::{
        body::Body,
        http::{header, Request, StatusCode},
        response::IntoResponse,
        Router,
    };
    use tower::ServiceExt;

    /// What the framework sends for an error: 500, the error header, the
    /// error as JSON (`status` lets a test send a redirect instead).
    fn framework_reply(error: &AppError, status: StatusCode) -> axum::response::Response {
        let body = serde_json::to_string(error).unwrap_or_default();
        (
            status,
            [(
                leptos::server_fn::error::SERVER_FN_ERROR_HEADER,
                "/api/x".to_owned(),
            )],
            body,
        )
            .into_response()
    }

    async fn status_through_middleware(
        error: AppError,
        status: StatusCode,
    ) -> (StatusCode, Option<String>) {
        let app = Router::new()
            .route(
                "/api/x",
                axum::routing::post(move || {
                    let error = error.clone();
                    async move { framework_reply(&error, status) }
                }),
            )
            .layer(axum::middleware::from_fn(server_fn_error_status));
        let req = Request::post("/api/x").body(Body::empty());
        let Ok(req) = req else {
            return (StatusCode::IM_A_TEAPOT, None);
        };
        match app.oneshot(req).await {
            Ok(res) => (
                res.status(),
                res.headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            ),
            Err(never) => match never {},
        }
    }

    #[tokio::test]
    async fn every_server_function_error_gets_its_status_in_one_place() {
        let cases = [
            (AppError::Unauthorized, 401),
            (AppError::Forbidden, 403),
            (AppError::NotFound("That session".into()), 404),
            (AppError::Conflict("Taken.".into()), 409),
            (AppError::invalid("name", "Too long."), 422),
            (
                AppError::RateLimited {
                    retry_after_secs: 7,
                },
                429,
            ),
            (AppError::Internal, 500),
        ];
        for (error, want) in cases {
            let limited = matches!(error, AppError::RateLimited { .. });
            let (status, retry) =
                status_through_middleware(error, StatusCode::INTERNAL_SERVER_ERROR).await;
            assert_eq!(status.as_u16(), want);
            assert_eq!(retry.as_deref(), limited.then_some("7"));
        }
        // A plain form post's redirect back to the form is left alone.
        let (status, _) =
            status_through_middleware(AppError::Unauthorized, StatusCode::FOUND).await;
        assert_eq!(status, StatusCode::FOUND);
    }

    #[test]
    fn share_codes_never_reach_the_log() {
        let uri: http::Uri = "/s/AbCdEfGhIjKlMnOpQrStUvWx?x=1"
            .parse()
            .unwrap_or_default();
        assert_eq!(loggable_uri(&uri), "/s/…");
        for invite in [
            "/join/AbCdEfGhIjKlMnOpQrStUvWx",
            "/team?invited=AbCdEfGhIjKlMnOpQrStUvWx",
            "/register?next=%2Fjoin%2FAbCdEfGhIjKlMnOpQrStUvWx",
        ] {
            let uri: http::Uri = invite.parse().unwrap_or_default();
            assert!(!loggable_uri(&uri).contains("AbCdEf"), "{invite}");
        }
        let uri: http::Uri = "/questions?q=cache".parse().unwrap_or_default();
        assert_eq!(loggable_uri(&uri), "/questions?q=cache");
    }
}
