//! Every server function, called through the real router with random and
//! malformed arguments (wrong types, huge numbers, empty and 1 MB strings,
//! invalid UTF-8, repeated keys, unknown fields, JSON where a form is
//! expected): never a 5xx or a panic, always a JSON error body, and a
//! refused call changes nothing in the database. Fixed seed, bounded cases.

use crate::common::{account, app_with_bank, send};
use axum::{body::Body, http::Request};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rehearse::platform::db::AsPool;
use sqlx::SqlitePool;

const CASES: usize = 1_000;

/// Argument names our server functions take, so random bodies reach the
/// validation behind the decoder as well as the decoder itself.
const KEYS: &[&str] = &[
    "id",
    "position",
    "text",
    "rev",
    "editor",
    "base",
    "mode",
    "count",
    "levels[0]",
    "topics[0]",
    "question",
    "slug",
    "action",
    "grade",
    "key_points_hit[0]",
    "flagged",
    "note",
    "filter[q]",
    "filter[page]",
    "input[prompt]",
    "input[level]",
    "input[topic]",
    "input[key_points][0]",
    "title",
    "code",
    "name",
    "username",
    "password",
    "role",
    "next",
    "desired_retention",
    "new_per_day",
    "reviews_per_day",
    "per_question_minutes",
    "interview_on",
    "minutes_per_day",
    "index",
    "per_question_secs",
    "total_secs",
    "time_zone",
    "label",
    "expires_on",
    "max_candidates",
    "comment",
    "format",
    "body",
    "unknown_field",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("1e309".to_owned()),
        Just("NaN".to_owned()),
        Just("true".to_owned()),
        Just("practice".to_owned()),
        Just("01890000-0000-7000-8000-000000000000".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("x".repeat(1024 * 1024)),
        "[a-z0-9 _.-]{0,40}",
        any::<String>().prop_map(|s| s.chars().take(200).collect()),
    ]
}

#[derive(Debug, Clone)]
enum Body_ {
    Form(Vec<(String, String)>),
    Json(String),
    Bytes(Vec<u8>),
}

fn body() -> impl Strategy<Value = (Body_, &'static str)> {
    let key = proptest::sample::select(KEYS);
    let pairs = proptest::collection::vec((key, value()), 0..6).prop_map(|v| {
        v.into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Vec<_>>()
    });
    prop_oneof![
        6 => pairs.prop_map(|p| (Body_::Form(p), "application/x-www-form-urlencoded")),
        1 => "\\{\"[a-z]{1,8}\": ?(1|\"x\"|null|\\[\\])\\}"
            .prop_map(|j| (Body_::Json(j), "application/x-www-form-urlencoded")),
        1 => "\\{\"[a-z]{1,8}\": ?(1|\"x\"|null|\\[\\])\\}"
            .prop_map(|j| (Body_::Json(j), "application/json")),
        1 => proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| (Body_::Bytes([b"text=".as_slice(), &[0xff, 0xfe], &b].concat()), "application/x-www-form-urlencoded")),
        1 => Just((Body_::Bytes(b"a=1&a=2&a=3&id=&id=x".to_vec()), "text/plain")),
    ]
}

fn encode(b: &Body_) -> Vec<u8> {
    match b {
        Body_::Form(pairs) => pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", rehearse::questions::types::encode_component(v)))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes(),
        Body_::Json(j) => j.clone().into_bytes(),
        Body_::Bytes(b) => b.clone(),
    }
}

/// Bumps whenever any other connection commits a write.
async fn data_version(conn: &mut sqlx::SqliteConnection) -> i64 {
    sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await
        .expect("data_version")
}

#[sqlx::test]
async fn every_server_function_refuses_garbage_cleanly(pool: SqlitePool) {
    // SQLite's own: `PRAGMA data_version` watches for any write.
    let app = app_with_bank(pool.db()).await;
    let mut who = account(&app, "fuzzer", "recruiter").await;
    let cookie = who.cookie.clone().expect("logged in");
    // Warm up what a first request of a session writes (last seen).
    let _ = who.call("accounts/whoami", &[]).await;
    let mut endpoints: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .filter(|p| p.starts_with("/api/"))
        .collect();
    endpoints.sort();
    endpoints.dedup();
    assert!(endpoints.len() > 40, "{endpoints:?}");
    // Refusing these still records an attempt (throttling), by design.
    let records_attempts = ["/api/accounts/login", "/api/accounts/register"];
    let mut watcher = pool.acquire().await.expect("connection");
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = (
        proptest::sample::select(endpoints.clone()),
        body(),
        any::<bool>(),
    );
    let mut refused = 0;
    for _ in 0..CASES {
        let (endpoint, (b, content_type), logged_in) =
            strategy.new_tree(&mut runner).expect("case").current();
        let before = data_version(&mut watcher).await;
        let mut req = Request::post(&endpoint)
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("accept", "application/json")
            .header("content-type", content_type);
        if logged_in {
            req = req.header("cookie", cookie.clone());
        }
        let reply = send(&app, req.body(Body::from(encode(&b))).expect("request")).await;
        assert!(
            reply.status < 500,
            "{endpoint} {b:?}: {} {}",
            reply.status,
            reply.body
        );
        if reply.status >= 400 {
            refused += 1;
            if reply.status != 413 {
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(&reply.body);
                assert!(
                    parsed.is_ok(),
                    "{endpoint}: error body is not JSON: {}",
                    reply.body
                );
            }
            if !records_attempts.contains(&endpoint.as_str()) {
                let after = data_version(&mut watcher).await;
                assert_eq!(
                    before, after,
                    "{endpoint} {b:?} refused ({}) but wrote",
                    reply.status
                );
            }
        }
    }
    assert!(refused > CASES / 2, "most garbage is refused: {refused}");
}

/// What a path parameter holding a CR/LF pair and a header looks like.
const SPLIT: &str = "%0d%0aX-Evil:%201";

/// Every route's path with each parameter replaced by `value`.
fn every_path(value: &str) -> Vec<String> {
    let mut patterns: Vec<String> = leptos_axum::generate_route_list(rehearse::app::App)
        .into_iter()
        .map(|r| r.path().to_owned())
        .collect();
    // The plain axum routes beside the pages (`server/router.rs`).
    patterns.extend(
        [
            "/sets/{id}/export/{format}",
            "/sets/questions/export/{format}",
            "/sets/{id}/results/export/{kind}",
        ]
        .map(str::to_owned),
    );
    patterns
        .iter()
        .filter(|p| p.contains('{') || p.contains(':'))
        .map(|p| {
            p.split('/')
                .map(|segment| {
                    if segment.starts_with('{') || segment.starts_with(':') {
                        value
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// A CR/LF in any path parameter of any route, asked for as a browser
/// would (HTML), signed out and signed in: never a panic or a dropped
/// connection, never a header the client wrote, and every `Location` the
/// server answers with is header-safe.
#[sqlx::test]
async fn control_characters_in_every_path_parameter_are_answered(pool: SqlitePool) {
    let pool = crate::common::app_pool(pool).await;
    let app = app_with_bank(pool).await;
    let paths = every_path(SPLIT);
    assert!(paths.len() >= 10, "routes found: {paths:?}");
    let signed_in = account(&app, "crlf", "recruiter").await;
    for cookie in [None, signed_in.cookie.clone()] {
        for path in &paths {
            let mut req = Request::get(path.as_str())
                .header("host", "localhost")
                .header("accept", "text/html");
            if let Some(cookie) = &cookie {
                req = req.header("cookie", cookie.as_str());
            }
            let reply = send(&app, req.body(Body::empty()).expect("request")).await;
            assert!(
                reply.status < 500,
                "{path}: {} {}",
                reply.status,
                reply.body
            );
            assert!(reply.headers.get("x-evil").is_none(), "{path}: split");
            if let Some(location) = reply.headers.get("location") {
                let location = location.to_str().expect("ASCII location");
                assert!(
                    !location.contains(['\r', '\n', ' ']),
                    "{path}: Location {location:?}"
                );
            }
        }
    }
}
