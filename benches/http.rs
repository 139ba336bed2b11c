//! `make bench`, under load: the release server against a bare axum
//! ceiling, both over loopback, loaded by `wrk` in the same run.
//!
//! Builds a database (the built-in bank; a user with 1,000 graded answers;
//! a user with 100,000), starts `target/release/rehearse` on it, fetches
//! each measured path once and hands those exact bytes to a bare axum
//! server (this same binary, started again with `REHEARSE_CEILING_DIR`)
//! that serves them from memory. Then, path by path, `wrk` loads the
//! ceiling and Rehearse alternately and one table is printed: req/s, p50,
//! p99 and the ratio to the ceiling. A last row is one kept-alive
//! connection fetching the stylesheet: a 40 ms Nagle stall would show
//! there as p50 ≈ 40 ms.

use std::{
    collections::HashMap,
    net::{SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

#[path = "support/answers.rs"]
mod answers;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use rehearse::platform::db::AsPool;
use rehearse::{
    accounts::session,
    platform::{config::Config, db as server_db},
    questions::sync_builtin_bank,
};

type BoxError = Box<dyn std::error::Error>;
type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

const CEILING_ENV: &str = "REHEARSE_CEILING_DIR";
const CONNECTIONS: u32 = 64;
const SECONDS: u32 = 5;

/// One measured request.
struct Row {
    label: String,
    path: String,
    cookie: Option<String>,
    accept_encoding: Option<&'static str>,
    connections: u32,
    /// The status the path answers with (the 404 page is measured too).
    status: u16,
    /// Every request asks for a different address (`&n=1`, `&n=2`, ...,
    /// which the page ignores), so no kept copy can answer: the cost of
    /// the first view after a change.
    fresh_each_time: bool,
    /// A server function, called as the island calls it: a form-encoded
    /// POST of this body. `REV` in it becomes a number that grows with
    /// every request (across runs too), so each autosave is a new write.
    post: Option<String>,
}

/// wrk's request generator for `fresh_each_time` rows.
const FRESH_EACH_TIME_LUA: &str = r#"
local n = 0
request = function()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "n=" .. n)
end
"#;

/// wrk's request generator for `post` rows (`START` and `BODY` filled in
/// per run).
const POST_LUA: &str = r#"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = START
local body = [[BODY]]
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, (string.gsub(body, "REV", tostring(n))))
end
"#;

fn main() -> Result<(), BoxError> {
    if let Ok(dir) = std::env::var(CEILING_ENV) {
        return ceiling(Path::new(&dir));
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> Result<(), BoxError> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `HTTP_BENCH_SERVER` names another build of the server (one that keeps
    // its symbols, for `perf`).
    let binary = std::env::var_os("HTTP_BENCH_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/rehearse"));
    if !binary.exists() || !root.join("target/site/pkg").exists() {
        return Err("no release build: run `make build-release` (make bench does)".into());
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        return Err("wrk is not installed: `make bench` installs it".into());
    }
    let dir = std::env::temp_dir().join(format!("rehearse-http-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db_url = format!("sqlite://{}/bench.db", dir.display());

    // The database: the bank, a user with 1,000 answers (`bench1`) and one
    // with 100,000 (`bench0`), each logged in once.
    let pool = server_db::sqlite::connect(&db_url).await?;
    sync_builtin_bank(&pool.db()).await?;
    let now = rehearse::platform::now_ms();
    let started = Instant::now();
    let heavy = answers::generate(
        &pool.db(),
        now,
        answers::Spec {
            users: 2,
            heavy_sessions: 10_000,
            other_sessions: 100,
        },
    )
    .await?;
    rehearse::grading::db::rebuild_all(&pool.db()).await?;
    // Generated users are guests created at time 0: the server's start-up
    // housekeeping would delete them as long unseen.
    sqlx::query("UPDATE users SET is_guest = 0")
        .execute(&pool)
        .await?;
    let light: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE username = 'bench1'")
        .fetch_one(&pool)
        .await?;
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM questions WHERE source = 'builtin' AND parent_id IS NULL ORDER BY id LIMIT 1 OFFSET 40",
    )
    .fetch_one(&pool)
    .await?;
    let cookie_name = Config::from_lookup(|_| None)?
        .session_cookie_name()
        .to_owned();
    let light_cookie = format!(
        "{cookie_name}={}",
        session::create(&pool.db(), light).await?
    );
    let heavy_cookie = format!(
        "{cookie_name}={}",
        session::create(&pool.db(), heavy).await?
    );
    let running = rehearse::sessions::db::create(
        &pool.db(),
        light,
        &rehearse::sessions::db::NewSession {
            mode: rehearse::sessions::types::Mode::Practice,
            levels: Vec::new(),
            topics: Vec::new(),
            count: 5,
            per_question_secs: None,
            total_secs: None,
            only: None,
        },
        now,
    )
    .await?
    .ok_or("no question to start a session with")?;
    sqlx::query("PRAGMA optimize").execute(&pool).await?;
    pool.close().await;
    println!(
        "HTTP load benchmark: the bank, users with 1,000 and 100,000 answers (built in {:.1} s); wrk -t1 -c{CONNECTIONS} -d{SECONDS}s per row, ceiling and Rehearse alternately",
        started.elapsed().as_secs_f64()
    );

    let addr = free_port()?;
    let mut server = Guard(
        Command::new(&binary)
            .env("REHEARSE_DATABASE_URL", &db_url)
            .env("REHEARSE_ADDR", addr.to_string())
            .env("REHEARSE_LOG", "warn")
            .env("LEPTOS_SITE_ROOT", root.join("target/site"))
            .env("LEPTOS_OUTPUT_NAME", "rehearse")
            .stdout(Stdio::null())
            .spawn()?,
    );
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    let base = format!("http://{addr}");
    wait_until_up(&client, &base).await?;

    // The stylesheet's and script's names (hashed in a release build) as
    // the pages link them.
    let home = fetch(&client, &format!("{base}/"), None, None, None).await?;
    let home_html = String::from_utf8_lossy(&home.body).into_owned();
    let css = linked(&home_html, ".css").ok_or("no stylesheet linked from /")?;
    let js = linked(&home_html, ".js").ok_or("no script linked from /")?;

    let anon = |label: &str, path: &str| Row {
        label: label.to_owned(),
        path: path.to_owned(),
        cookie: None,
        accept_encoding: None,
        connections: CONNECTIONS,
        status: 200,
        fresh_each_time: false,
        post: None,
    };
    let personal = |label: &str, path: &str, cookie: &str| Row {
        cookie: Some(cookie.to_owned()),
        ..anon(label, path)
    };
    let rows = vec![
        anon("/healthz", "/healthz"),
        Row {
            status: 404,
            ..anon("404 page", "/no-such-page")
        },
        anon("/ (anonymous)", "/"),
        anon("/questions", "/questions"),
        anon("/questions?q=cache", "/questions?q=cache"),
        anon("/questions?q=data (broad)", "/questions?q=data"),
        anon("/questions/:slug", &format!("/questions/{slug}")),
        Row {
            accept_encoding: Some("br, gzip"),
            ..anon("/questions, br", "/questions")
        },
        personal(
            "/questions?q=data, logged in",
            "/questions?q=data",
            &light_cookie,
        ),
        Row {
            fresh_each_time: true,
            ..personal("  rendered each time", "/questions?q=data", &light_cookie)
        },
        personal("/dashboard, 1k answers", "/dashboard", &light_cookie),
        Row {
            fresh_each_time: true,
            ..personal("  rendered each time", "/dashboard", &light_cookie)
        },
        personal("/history, 1k answers", "/history", &light_cookie),
        Row {
            fresh_each_time: true,
            ..personal("  rendered each time", "/history", &light_cookie)
        },
        personal(
            "/practice/:id (runner)",
            &format!("/practice/{running}"),
            &light_cookie,
        ),
        Row {
            post: Some(format!("id={running}")),
            ..personal("  its state (JSON)", "/api/sessions/state", &light_cookie)
        },
        Row {
            post: Some(format!(
                "id={running}&position=0&rev=REV&editor=bench&base=0&text={}",
                "An+answer+of+about+a+thousand+characters+being+typed+".repeat(20)
            )),
            ..personal("  autosave (a write)", "/api/sessions/save", &light_cookie)
        },
        personal("/dashboard, 100k answers", "/dashboard", &heavy_cookie),
        Row {
            fresh_each_time: true,
            ..personal("  rendered each time", "/dashboard", &heavy_cookie)
        },
        anon("stylesheet", &css),
        Row {
            accept_encoding: Some("br, gzip"),
            ..anon("stylesheet, br", &css)
        },
        anon("script", &js),
        Row {
            connections: 1,
            ..anon("stylesheet, one connection", &css)
        },
    ];
    // `HTTP_BENCH_ONLY=runner,404` measures only the rows whose label holds
    // one of those texts (to profile one path with `perf record -p`).
    let only = std::env::var("HTTP_BENCH_ONLY").unwrap_or_default();
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|row| only.split(',').any(|part| row.label.contains(part)))
        .collect();

    // Every response captured once, for the ceiling to serve.
    let captured = dir.join("ceiling");
    std::fs::create_dir_all(&captured)?;
    for (i, row) in rows.iter().enumerate() {
        let got = fetch(
            &client,
            &format!("{base}{}", row.path),
            row.cookie.as_deref(),
            row.accept_encoding,
            row.post
                .as_deref()
                .map(|body| body.replace("REV", "1"))
                .as_deref(),
        )
        .await?;
        if got.status != row.status {
            let text = String::from_utf8_lossy(&got.body);
            let said = text
                .split("<main")
                .nth(1)
                .unwrap_or(&text)
                .chars()
                .take(600)
                .collect::<String>();
            return Err(format!(
                "{} answered {} (expected {}): {said}",
                row.path, got.status, row.status
            )
            .into());
        }
        std::fs::write(captured.join(format!("{i}.body")), &got.body)?;
        std::fs::write(
            captured.join(format!("{i}.head")),
            format!(
                "{}\n{}\n{}",
                got.status, got.content_type, got.content_encoding
            ),
        )?;
    }
    let ceiling_addr = free_port()?;
    let mut ceiling_server = Guard(
        Command::new(std::env::current_exe()?)
            .env(CEILING_ENV, &captured)
            .env("REHEARSE_CEILING_ADDR", ceiling_addr.to_string())
            .spawn()?,
    );
    let ceiling_base = format!("http://{ceiling_addr}");
    let fresh_script = dir.join("fresh_each_time.lua");
    std::fs::write(&fresh_script, FRESH_EACH_TIME_LUA)?;
    wait_until_up(&client, &ceiling_base).await?;

    println!(
        "  {:<30} {:>11} {:>9} {:>9}   {:>11} {:>9} {:>9}   {:>7}",
        "path", "req/s", "p50", "p99", "ceiling r/s", "p50", "p99", "ratio"
    );
    let post_script = dir.join("post.lua");
    let mut runs = 0_u32;
    let mut post = |body: &str| -> Result<PathBuf, BoxError> {
        runs += 1;
        let start = (u64::from(runs) * 10_000_000).to_string();
        let lua = POST_LUA.replace("START", &start).replace("BODY", body);
        std::fs::write(&post_script, lua)?;
        Ok(post_script.clone())
    };
    for (i, row) in rows.iter().enumerate() {
        // A short warm-up, then the ceiling and Rehearse back to back.
        let mut script = || -> Result<Option<PathBuf>, BoxError> {
            Ok(match &row.post {
                Some(body) => Some(post(body)?),
                None => row.fresh_each_time.then(|| fresh_script.clone()),
            })
        };
        wrk(&format!("{base}{}", row.path), row, 1, script()?.as_deref())?;
        let top = wrk(
            &format!("{ceiling_base}/{i}"),
            row,
            SECONDS,
            script()?.as_deref(),
        )?;
        let ours = wrk(
            &format!("{base}{}", row.path),
            row,
            SECONDS,
            script()?.as_deref(),
        )?;
        println!(
            "  {:<30} {:>11.0} {:>9} {:>9}   {:>11.0} {:>9} {:>9}   {:>6.1}%{}",
            row.label,
            ours.rps,
            ms(ours.p50),
            ms(ours.p99),
            top.rps,
            ms(top.p50),
            ms(top.p99),
            100.0 * ours.rps / top.rps.max(1.0),
            if ours.errors > 0 && row.status == 200 {
                format!("  ({} non-2xx)", ours.errors)
            } else {
                String::new()
            }
        );
    }
    ceiling_server.stop();
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The bare axum ceiling: the captured responses, from memory, on the
/// same kind of kept-alive connections (TCP_NODELAY set).
fn ceiling(dir: &Path) -> Result<(), BoxError> {
    use axum::{
        extract::{Path as UrlPath, State},
        http::{header, HeaderValue, StatusCode},
        response::{IntoResponse, Response},
        serve::ListenerExt,
    };
    type Captured = (StatusCode, Vec<(header::HeaderName, HeaderValue)>, Bytes);
    let mut responses: HashMap<String, Captured> = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let (Some(stem), Some("body")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let head = std::fs::read_to_string(path.with_extension("head"))?;
        let mut lines = head.lines();
        let status = StatusCode::from_u16(lines.next().unwrap_or("200").parse()?)?;
        let mut headers = Vec::new();
        for (name, value) in [header::CONTENT_TYPE, header::CONTENT_ENCODING]
            .into_iter()
            .zip(lines)
        {
            if !value.is_empty() {
                headers.push((name, HeaderValue::from_str(value)?));
            }
        }
        responses.insert(
            stem.to_owned(),
            (status, headers, Bytes::from(std::fs::read(&path)?)),
        );
    }
    let responses = std::sync::Arc::new(responses);
    let addr: SocketAddr = std::env::var("REHEARSE_CEILING_ADDR")?.parse()?;
    let app =
        axum::Router::new()
            .route("/healthz", axum::routing::get(|| async { "ok" }))
            .route(
                "/{i}",
                axum::routing::any(
                    |State(all): State<std::sync::Arc<HashMap<_, _>>>,
                     UrlPath(i): UrlPath<String>| async move {
                        let found: Option<&Captured> = all.get(&i);
                        match found {
                            Some((status, headers, body)) => {
                                let mut res = Response::new(axum::body::Body::from(body.clone()));
                                *res.status_mut() = *status;
                                for (name, value) in headers {
                                    res.headers_mut().insert(name.clone(), value.clone());
                                }
                                res
                            }
                            None => StatusCode::NOT_FOUND.into_response(),
                        }
                    },
                ),
            )
            .with_state(responses);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(addr).await?.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            axum::serve(listener, app).await
        })?;
    Ok(())
}

struct Fetched {
    status: u16,
    content_type: String,
    content_encoding: String,
    body: Bytes,
}

async fn fetch(
    client: &HttpClient,
    url: &str,
    cookie: Option<&str>,
    accept_encoding: Option<&str>,
    post: Option<&str>,
) -> Result<Fetched, BoxError> {
    let mut req = match post {
        Some(_) => {
            hyper::Request::post(url).header("content-type", "application/x-www-form-urlencoded")
        }
        None => hyper::Request::get(url),
    };
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    if let Some(enc) = accept_encoding {
        req = req.header("accept-encoding", enc);
    }
    let body = Full::new(Bytes::from(post.unwrap_or_default().to_owned()));
    let res = client.request(req.body(body)?).await?;
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (content_type, content_encoding) = (header("content-type"), header("content-encoding"));
    let status = res.status().as_u16();
    let body = res.into_body().collect().await?.to_bytes();
    Ok(Fetched {
        status,
        content_type,
        content_encoding,
        body,
    })
}

async fn wait_until_up(client: &HttpClient, base: &str) -> Result<(), BoxError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(res) = fetch(client, &format!("{base}/healthz"), None, None, None).await {
            if res.status == 200 {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("{base} did not start within 60 s").into())
}

/// The first `/pkg/…` address ending in `ext` in a page.
fn linked(html: &str, ext: &str) -> Option<String> {
    html.match_indices("/pkg/").find_map(|(at, _)| {
        let rest = &html[at..];
        let end = rest.find('"')?;
        let path = &rest[..end];
        path.ends_with(ext).then(|| path.to_owned())
    })
}

fn free_port() -> Result<SocketAddr, BoxError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

struct Measured {
    rps: f64,
    p50: f64,
    p99: f64,
    errors: u64,
}

/// Runs wrk (one thread: the other core is the server's) and reads its
/// summary: requests/s, the 50th and 99th latency percentiles in ms, and
/// how many answers were not 2xx/3xx.
fn wrk(url: &str, row: &Row, seconds: u32, script: Option<&Path>) -> Result<Measured, BoxError> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t1", "--latency", "--timeout", "10s"])
        .arg(format!("-c{}", row.connections))
        .arg(format!("-d{seconds}s"));
    if let Some(script) = script {
        cmd.arg("-s").arg(script);
    }
    if let Some(cookie) = &row.cookie {
        cmd.arg("-H").arg(format!("Cookie: {cookie}"));
    }
    if let Some(enc) = row.accept_encoding {
        cmd.arg("-H").arg(format!("Accept-Encoding: {enc}"));
    }
    let out = cmd.arg(url).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|v| v.trim().to_owned())
    };
    let rps = field("Requests/sec:")
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or_else(|| format!("wrk printed no rate for {url}:\n{text}"))?;
    let p50 = field("50%")
        .and_then(|v| duration_ms(&v))
        .unwrap_or(f64::NAN);
    let p99 = field("99%")
        .and_then(|v| duration_ms(&v))
        .unwrap_or(f64::NAN);
    let errors = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(Measured {
        rps,
        p50,
        p99,
        errors,
    })
}

/// wrk's `1.23ms`, `456.00us`, `1.01s` in milliseconds.
fn duration_ms(v: &str) -> Option<f64> {
    let (num, scale) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    num.parse::<f64>().ok().map(|n| n * scale)
}

fn ms(v: f64) -> String {
    if v < 1.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// A child process stopped when the benchmark ends, however it ends.
struct Guard(Child);

impl Guard {
    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stop();
    }
}
