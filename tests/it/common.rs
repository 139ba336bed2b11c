//! Helpers shared by the integration tests.

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use rehearse::platform::db::{AsPool, Pool};
use rehearse::platform::{config::Config, AppState};
use sqlx::SqlitePool;
use tower::ServiceExt;

pub fn state(pool: impl AsPool) -> AppState {
    state_with(pool, &[])
}

/// State with some settings changed, as `REHEARSE_*` variables would.
pub fn state_with(pool: impl AsPool, env: &[(&str, &str)]) -> AppState {
    let config = Config::from_lookup(|name| {
        env.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    })
    .expect("test config is valid");
    AppState::new(
        LeptosOptions::builder().output_name("rehearse").build(),
        pool.db(),
        config,
    )
}

/// The app with the bank loaded and some settings changed.
pub async fn app_with_config(pool: impl TestDb, env: &[(&str, &str)]) -> Router {
    let pool = pool.into_pool().await;
    rehearse::questions::sync_builtin_bank(&pool)
        .await
        .expect("bank syncs");
    rehearse::server::app(state_with(pool, env))
}

pub async fn app_with_bank(pool: impl TestDb) -> Router {
    let pool = pool.into_pool().await;
    rehearse::questions::sync_builtin_bank(&pool)
        .await
        .expect("bank syncs");
    rehearse::server::app(state(pool))
}

pub struct Reply {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.expect("router never fails");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(
        app,
        Request::get(uri)
            .header("host", "localhost")
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

/// A browser-like client: keeps the session cookie between calls and sends
/// our own Origin on every POST.
pub struct Client {
    pub app: Router,
    pub cookie: Option<String>,
}

impl Client {
    pub fn new(app: &Router) -> Self {
        Self {
            app: app.clone(),
            cookie: None,
        }
    }

    /// Calls a server function with form-encoded arguments.
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.call_from(endpoint, form, "http://localhost").await
    }

    pub async fn call_from(
        &mut self,
        endpoint: &str,
        form: &[(&str, &str)],
        origin: &str,
    ) -> Reply {
        self.call_with(endpoint, form, origin, |r| r).await
    }

    /// Calls a server function, letting `edit` add headers or extensions
    /// (a client address, forwarding headers) before it is sent.
    pub async fn call_with(
        &mut self,
        endpoint: &str,
        form: &[(&str, &str)],
        origin: &str,
        edit: impl FnOnce(Request<Body>) -> Request<Body>,
    ) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", rehearse::questions::types::encode_component(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header("host", "localhost")
            .header("origin", origin)
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c.clone());
        }
        let reply = send(
            &self.app,
            edit(req.body(Body::from(body)).expect("request")),
        )
        .await;
        self.absorb(&reply);
        reply
    }

    /// Calls a server function that takes JSON.
    pub async fn call_json(&mut self, endpoint: &str, body: &serde_json::Value) -> Reply {
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("accept", "application/json")
            .header("content-type", "application/json");
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c.clone());
        }
        let reply = send(
            &self.app,
            req.body(Body::from(body.to_string())).expect("request"),
        )
        .await;
        self.absorb(&reply);
        reply
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        let mut req = Request::get(uri).header("host", "localhost");
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c.clone());
        }
        let reply = send(&self.app, req.body(Body::empty()).expect("request")).await;
        self.absorb(&reply);
        reply
    }

    fn absorb(&mut self, reply: &Reply) {
        for value in reply.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default().to_owned();
            if pair.starts_with("rehearse_session=") {
                self.cookie = if text.contains("Max-Age=0") {
                    None
                } else {
                    Some(pair)
                };
            }
        }
    }

    /// Starts an untimed one-question practice session (on `question`'s
    /// slug, or a drawn question) and returns its id.
    pub async fn start_practice(&mut self, question: Option<&str>) -> String {
        let mut form = vec![
            ("mode", "practice"),
            ("count", "1"),
            ("per_question_secs", "0"),
            ("total_secs", "0"),
        ];
        if let Some(slug) = question {
            form.push(("question", slug));
        }
        let r = self.call("sessions/start", &form).await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("a session id")
    }

    pub async fn register(&mut self, username: &str, password: &str) -> Reply {
        self.call(
            "accounts/register",
            &[
                ("username", username),
                ("password", password),
                ("role", "candidate"),
                ("next", "/"),
            ],
        )
        .await
    }
}

/// Registers `name` with `role` ("candidate" or "recruiter") and returns
/// the logged-in client.
pub async fn account(app: &Router, name: &str, role: &str) -> Client {
    let mut c = Client::new(app);
    let r = c
        .call(
            "accounts/register",
            &[
                ("username", name),
                ("password", "tidy orange kettle"),
                ("role", role),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    c
}

/// Runs the same sqlx expression on the pool the test's app uses, whichever
/// backend it is: `$p` is the concrete pool, and `backend` names that
/// backend's module (`rehearse::platform::db::sqlite` or `::postgres`).
macro_rules! on {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            rehearse::platform::db::Pool::Sqlite($p) => {
                #[allow(unused_imports)]
                use rehearse::platform::db::sqlite as backend;
                $body
            }
            rehearse::platform::db::Pool::Postgres($p) => {
                #[allow(unused_imports)]
                use rehearse::platform::db::postgres as backend;
                $body
            }
        }
    };
}

/// What a test hands the app: its own SQLite pool (`app_pool` picks the
/// backend), or the pool a test already chose and also reads.
pub trait TestDb {
    fn into_pool(self) -> impl std::future::Future<Output = Pool>;
}

impl TestDb for SqlitePool {
    async fn into_pool(self) -> Pool {
        app_pool(self).await
    }
}

impl TestDb for Pool {
    async fn into_pool(self) -> Pool {
        self
    }
}

/// The database the app under test uses: the test's own SQLite pool or,
/// with `REHEARSE_TEST_BACKEND=postgres`, a new database on the test
/// PostgreSQL server (`pg`). `make test` runs the suite both ways.
pub async fn app_pool(sqlite: SqlitePool) -> Pool {
    if on_postgres() {
        // The server's errors (a query PostgreSQL refuses) in the output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_ansi(false)
            .with_env_filter("warn")
            .try_init();
        pg::fresh().await.db()
    } else {
        production_settings(sqlite).await.db()
    }
}

/// The test's SQLite file opened as the server opens its own (WAL, busy
/// timeout, foreign keys). `sqlx::test` opens it in rollback-journal mode,
/// where a connection that read and wants to write and a writer waiting for
/// readers to leave deadlock, and SQLite answers "database is locked" at
/// once rather than wait: CI saw it in `fifty_concurrent_sessions_lose_nothing`.
async fn production_settings(sqlite: SqlitePool) -> SqlitePool {
    use rehearse::platform::db::sqlite;
    let file = sqlite.connect_options().get_filename().to_owned();
    let url = format!("sqlite://{}", file.display());
    let options = sqlite::options(&url).expect("test database url");
    sqlite::connect_with(options)
        .await
        .expect("test database opens with the server's settings")
}

pub fn on_postgres() -> bool {
    std::env::var("REHEARSE_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// A PostgreSQL server for the tests: `REHEARSE_TEST_POSTGRES_URL`, or a
/// private cluster (`scripts/postgres.sh`) that stops when this process
/// ends. Each test gets its own empty database, copied from a migrated
/// template (as each SQLite test gets a new migrated file).
pub mod pg {
    use std::sync::OnceLock;

    use sqlx::{Connection, Executor, PgPool};

    struct Server {
        url: String,
        template: String,
    }

    static SERVER: OnceLock<Server> = OnceLock::new();

    fn server() -> &'static Server {
        // Set up once, on a thread and runtime of its own: each test has its
        // own runtime, which may end before the others.
        SERVER.get_or_init(|| {
            std::thread::spawn(|| {
                let url =
                    std::env::var("REHEARSE_TEST_POSTGRES_URL").unwrap_or_else(|_| start_private());
                let template = format!("rehearse_template_{}", uuid::Uuid::new_v4().simple());
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async {
                    let mut admin = sqlx::PgConnection::connect(&url)
                        .await
                        .expect("connects to PostgreSQL");
                    admin
                        .execute(format!("CREATE DATABASE {template}").as_str())
                        .await
                        .expect("creates the template");
                    let pool =
                        rehearse::platform::db::postgres::connect(&database_url(&url, &template))
                            .await
                            .expect("the PostgreSQL migrations apply");
                    pool.close().await;
                });
                Server { url, template }
            })
            .join()
            .expect("PostgreSQL set-up")
        })
    }

    fn start_private() -> String {
        let dir = std::env::temp_dir().join(format!("rehearse-pg-{}", uuid::Uuid::new_v4()));
        let out = std::process::Command::new("scripts/postgres.sh")
            .arg("start")
            .arg(&dir)
            .arg(std::process::id().to_string())
            .output()
            .expect("scripts/postgres.sh runs");
        assert!(
            out.status.success(),
            "could not start PostgreSQL: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The URL of database `name` on the server at `server`.
    pub fn database_url(server: &str, name: &str) -> String {
        let (base, _) = server.rsplit_once('/').expect("a URL with a database");
        format!("{base}/{name}")
    }

    /// A new database of its own, migrated and empty.
    pub async fn fresh() -> PgPool {
        rehearse::platform::db::postgres::connect(&fresh_url().await)
            .await
            .expect("connects to the new database")
    }

    /// The URL of a new database with no tables at all (for migration
    /// tests, which apply the migrations themselves).
    pub async fn empty_url() -> String {
        new_database(None).await
    }

    /// The URL of a new database of its own, migrated and empty.
    pub async fn fresh_url() -> String {
        new_database(Some(&server().template)).await
    }

    /// A new database on the test server, copied from `template` if given.
    async fn new_database(template: Option<&str>) -> String {
        let server = server();
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&server.url)
            .await
            .expect("connects to PostgreSQL");
        let create = match template {
            Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
            None => format!("CREATE DATABASE {name}"),
        };
        admin
            .execute(create.as_str())
            .await
            .expect("creates a database");
        let _ = admin.close().await;
        database_url(&server.url, &name)
    }
}
