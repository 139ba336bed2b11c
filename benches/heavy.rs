//! `make bench`: what heavy work by a few people does to everyone else.
//!
//! Starts the release server on a fresh database and measures, over HTTP,
//! two things everybody depends on: `/healthz` and another person's
//! autosave, each probed one request at a time. First alone, then while
//! the heavy scripts of the security review run beside them:
//! - guests submitting 20,000-character answers whose code is the shape
//!   that made the highlighter take seconds (`"a_ "` repeated, tagged
//!   `rst`) and long Rust code;
//! - a recruiter importing a 70 KB file of 7 questions with heavy code;
//! - the recruiter reading a heavy candidate's report and the answers CSV.
//!
//! Prints p50, p99 and max of each probe, and how much heavy work was done
//! meanwhile. The review found `/healthz` at 1.8 s and a save at 1.64 s
//! (and a 500 after 5 s during an import) before rendering moved off the
//! write turn and the async workers.

use std::{
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use rehearse::questions::types::Level;
use rehearse::sets::transfer::{self, SetHeader, Transfer, TransferQuestion};
use rehearse::sets::types::{QuestionInput, Source};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// How long each phase's probes run.
const PHASE: Duration = Duration::from_secs(8);

struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A browser-like caller: keeps its session cookie, sends our Origin.
#[derive(Clone)]
struct Caller {
    client: HttpClient,
    base: String,
    cookie: Option<String>,
}

struct Reply {
    status: u16,
    body: Bytes,
}

impl Caller {
    fn new(client: &HttpClient, base: &str) -> Self {
        Self {
            client: client.clone(),
            base: base.to_owned(),
            cookie: None,
        }
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: &str,
        body: String,
    ) -> Result<Reply, BoxError> {
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("content-type", content_type);
        if let Some(cookie) = &self.cookie {
            req = req.header("cookie", cookie);
        }
        let res = self
            .client
            .request(req.body(Full::new(Bytes::from(body)))?)
            .await?;
        for value in res.headers().get_all("set-cookie") {
            if let Some(pair) = value.to_str().ok().and_then(|v| v.split(';').next()) {
                if pair.starts_with("rehearse_session=") {
                    self.cookie = Some(pair.to_owned());
                }
            }
        }
        let status = res.status().as_u16();
        let body = res.into_body().collect().await?.to_bytes();
        Ok(Reply { status, body })
    }

    async fn form(&mut self, endpoint: &str, pairs: &[(&str, &str)]) -> Result<Reply, BoxError> {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let reply = self
            .send(
                "POST",
                &format!("/api/{endpoint}"),
                "application/x-www-form-urlencoded",
                body,
            )
            .await?;
        Ok(reply)
    }

    async fn get(&mut self, path: &str) -> Result<Reply, BoxError> {
        self.send("GET", path, "text/plain", String::new()).await
    }
}

fn encode(text: &str) -> String {
    rehearse::questions::types::encode_component(text)
}

fn json<T: serde::de::DeserializeOwned>(reply: &Reply) -> Result<T, BoxError> {
    Ok(serde_json::from_slice(&reply.body)?)
}

fn ok(reply: Reply, what: &str) -> Result<Reply, BoxError> {
    if reply.status == 200 {
        Ok(reply)
    } else {
        Err(format!(
            "{what}: HTTP {}: {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        )
        .into())
    }
}

/// The answer that took ~2.3 s per render before: a code block tagged
/// `rst` holding `"a_ "` repeated, then long Rust code, 20,000 characters.
fn heavy_answer() -> String {
    let mut text = format!("```rst\n{}\n```\n\n```rust\n", "a_ ".repeat(3_000));
    while text.len() < 19_900 {
        text.push_str("let value = compute(\"a string\", 42); // note <b>\n");
    }
    text.push_str("```\n");
    text
}

/// A 70 KB import: 7 questions whose reference answers are heavy code.
fn heavy_import() -> String {
    let mut answer = format!("```rst\n{}\n```\n\n```rust\n", "a_ ".repeat(1_200));
    while answer.len() < 9_800 {
        answer.push_str("fn f() { g(\"s\", 1) } // c\n");
    }
    answer.push_str("```\n");
    let question = |i: usize| TransferQuestion {
        source: Source::Own,
        slug: None,
        question: QuestionInput {
            prompt: format!("Heavy imported question {i}"),
            level: Some(Level::Advanced),
            topic: "architecture".into(),
            reference_answer: answer.clone(),
            key_points: vec!["one".into()],
            reviewer_note: String::new(),
        },
        per_question_secs: None,
    };
    transfer::to_json(&Transfer {
        set: Some(SetHeader {
            title: "Heavy import".into(),
            instructions: String::new(),
            mode: rehearse::sessions::types::Mode::Practice,
            per_question_secs: None,
            total_secs: None,
            shuffle: false,
            hide_reference: false,
            share_feedback: false,
        }),
        questions: (0..7).map(question).collect(),
    })
}

fn quantiles(mut ms: Vec<f64>) -> (f64, f64, f64, usize) {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99), at(1.0), ms.len())
}

/// Probes `/healthz` and an autosave, one request at a time each, for
/// `PHASE`; returns their latencies in ms.
async fn probe(
    client: &HttpClient,
    base: &str,
    saver: &Caller,
    session: &str,
    rev: &AtomicU64,
) -> Result<(Vec<f64>, Vec<f64>), BoxError> {
    let health = {
        let mut c = Caller::new(client, base);
        tokio::spawn(async move {
            let mut times = Vec::new();
            let end = Instant::now() + PHASE;
            while Instant::now() < end {
                let t = Instant::now();
                let r = c.get("/healthz").await?;
                if r.status != 200 {
                    return Err::<_, BoxError>(format!("/healthz: HTTP {}", r.status).into());
                }
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok(times)
        })
    };
    let mut saver = saver.clone();
    let mut saves = Vec::new();
    let end = Instant::now() + PHASE;
    while Instant::now() < end {
        let n = rev.fetch_add(1, Ordering::Relaxed).to_string();
        let text = format!("Draft number {n}, typed by someone else.");
        let t = Instant::now();
        let r = saver
            .form(
                "sessions/save",
                &[
                    ("id", session),
                    ("position", "0"),
                    ("text", &text),
                    ("rev", &n),
                    ("editor", "probe"),
                ],
            )
            .await?;
        ok(r, "autosave")?;
        saves.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let health = health.await??;
    Ok((health, saves))
}

fn main() -> Result<(), BoxError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> Result<(), BoxError> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = root.join("target/release/rehearse");
    if !binary.exists() || !root.join("target/site/pkg").exists() {
        return Err("no release build: run `make build-release` (make bench does)".into());
    }
    let dir = std::env::temp_dir().join(format!("rehearse-heavy-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let addr = TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let _server = Guard(
        Command::new(&binary)
            .env(
                "REHEARSE_DATABASE_URL",
                format!("sqlite://{}/heavy.db", dir.display()),
            )
            .env("REHEARSE_ADDR", addr.to_string())
            .env("REHEARSE_LOG", "error")
            .env("REHEARSE_GUESTS_PER_HOUR", "100000")
            .env("REHEARSE_REGISTRATIONS_PER_HOUR", "100000")
            .env("LEPTOS_SITE_ROOT", root.join("target/site"))
            .env("LEPTOS_OUTPUT_NAME", "rehearse")
            .stdout(Stdio::null())
            .spawn()?,
    );
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    let base = format!("http://{addr}");
    let up = Instant::now();
    while Caller::new(&client, &base)
        .get("/healthz")
        .await
        .map_or(true, |r| r.status != 200)
    {
        if up.elapsed() > Duration::from_secs(60) {
            return Err("the server did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The person whose saves are probed.
    let start = [
        ("mode", "practice"),
        ("count", "1"),
        ("per_question_secs", "0"),
        ("total_secs", "0"),
    ];
    let mut saver = Caller::new(&client, &base);
    let session: String = json(&ok(saver.form("sessions/start", &start).await?, "start")?)?;

    // A recruiter with a shared set; one candidate answers it heavily.
    let mut recruiter = Caller::new(&client, &base);
    ok(
        recruiter
            .form(
                "accounts/register",
                &[
                    ("username", "heavybench"),
                    ("password", "quiet harbour lantern"),
                    ("role", "recruiter"),
                    ("next", "/"),
                ],
            )
            .await?,
        "register",
    )?;
    let set: String = json(&ok(
        recruiter.form("sets/create", &[("title", "Round")]).await?,
        "set",
    )?)?;
    ok(
        recruiter
            .form(
                "sets/save",
                &[
                    ("id", &set),
                    ("rev", "1"),
                    ("draft[title]", "Round"),
                    ("draft[mode]", "practice"),
                    ("draft[items][0][slug]", "db-what-is-an-index"),
                ],
            )
            .await?,
        "save set",
    )?;
    ok(
        recruiter
            .form("sharing/create", &[("set_id", &set)])
            .await?,
        "link",
    )?;
    let links: Vec<rehearse::sharing::types::LinkInfo> = json(&ok(
        recruiter.form("sharing/links", &[("set_id", &set)]).await?,
        "links",
    )?)?;
    let heavy = heavy_answer();
    let mut candidate = Caller::new(&client, &base);
    let run: String = json(&ok(
        candidate
            .form(
                "sharing/start",
                &[("code", &links[0].code), ("display_name", "Heavy")],
            )
            .await?,
        "candidate start",
    )?)?;
    ok(
        candidate
            .form(
                "sessions/submit",
                &[("id", &run), ("position", "0"), ("text", &heavy)],
            )
            .await?,
        "candidate submit",
    )?;
    let rows: Vec<rehearse::sharing::types::ResultRow> = json(&ok(
        recruiter
            .form("sharing/results", &[("set_id", &set)])
            .await?,
        "results",
    )?)?;
    let attempt = rows[0].attempt_id.clone();

    let rev = AtomicU64::new(1);
    let (health_alone, saves_alone) = probe(&client, &base, &saver, &session, &rev).await?;

    // The heavy scripts, for as long as the probes run.
    let stop = Arc::new(AtomicBool::new(false));
    let submits = Arc::new(AtomicU64::new(0));
    let imports = Arc::new(AtomicU64::new(0));
    let reads = Arc::new(AtomicU64::new(0));
    let mut load = Vec::new();
    for _ in 0..2 {
        let (client, base, heavy) = (client.clone(), base.clone(), heavy.clone());
        let (stop, submits) = (Arc::clone(&stop), Arc::clone(&submits));
        load.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let mut guest = Caller::new(&client, &base);
                let id: String = json(&ok(guest.form("sessions/start", &start).await?, "start")?)?;
                ok(
                    guest
                        .form(
                            "sessions/submit",
                            &[("id", &id), ("position", "0"), ("text", &heavy)],
                        )
                        .await?,
                    "heavy submit",
                )?;
                // The runner's state after a submit: the answer as stored.
                ok(guest.form("sessions/state", &[("id", &id)]).await?, "state")?;
                submits.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, BoxError>(())
        }));
    }
    {
        let (mut recruiter, stop, imports) =
            (recruiter.clone(), Arc::clone(&stop), Arc::clone(&imports));
        let file = heavy_import();
        load.push(tokio::spawn(async move {
            let body = serde_json::json!({ "format": "json", "content": file, "commit": true });
            while !stop.load(Ordering::Relaxed) {
                let r = recruiter
                    .send(
                        "POST",
                        "/api/sets/import",
                        "application/json",
                        body.to_string(),
                    )
                    .await?;
                ok(r, "import")?;
                imports.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, BoxError>(())
        }));
    }
    {
        let (mut recruiter, stop, reads) =
            (recruiter.clone(), Arc::clone(&stop), Arc::clone(&reads));
        let (set, attempt) = (set.clone(), attempt.clone());
        load.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                ok(
                    recruiter
                        .form(
                            "sharing/report",
                            &[("set_id", &set), ("attempt_id", &attempt)],
                        )
                        .await?,
                    "report",
                )?;
                ok(
                    recruiter
                        .get(&format!("/sets/{set}/results/export/answers"))
                        .await?,
                    "CSV",
                )?;
                reads.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, BoxError>(())
        }));
    }
    let during = probe(&client, &base, &saver, &session, &rev).await;
    stop.store(true, Ordering::Relaxed);
    for task in load {
        task.await??;
    }
    let (health_busy, saves_busy) = during?;

    println!(
        "heavy-answer benchmark: probes one request at a time for {} s each, alone and beside the review's heavy scripts",
        PHASE.as_secs()
    );
    println!(
        "  heavy work meanwhile: {} submits of a 20,000-character answer (rst \"a_ \" code and Rust), {} imports of a 70 KB file (7 heavy questions), {} candidate reports + answers CSVs",
        submits.load(Ordering::Relaxed),
        imports.load(Ordering::Relaxed),
        reads.load(Ordering::Relaxed)
    );
    for (label, times) in [
        ("/healthz, alone", health_alone),
        ("/healthz, beside heavy work", health_busy),
        ("another person's autosave, alone", saves_alone),
        ("another person's autosave, beside heavy work", saves_busy),
    ] {
        let (p50, p99, max, n) = quantiles(times);
        println!("  {label:<46} p50 {p50:>7.2} ms   p99 {p99:>7.2} ms   max {max:>7.2} ms   ({n} requests)");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
