//! Helpers shared by the integration tests.

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use rehearse::server::db::AsPool;
use rehearse::server::{config::Config, AppState};
use sqlx::SqlitePool;
use tower::ServiceExt;

pub fn state(pool: SqlitePool) -> AppState {
    state_with(pool, &[])
}

/// State with some settings changed, as `REHEARSE_*` variables would.
pub fn state_with(pool: SqlitePool, env: &[(&str, &str)]) -> AppState {
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
pub async fn app_with_config(pool: SqlitePool, env: &[(&str, &str)]) -> Router {
    rehearse::questions::sync_builtin_bank(&pool.db())
        .await
        .expect("bank syncs");
    rehearse::server::app(state_with(pool, env))
}

pub async fn app_with_bank(pool: SqlitePool) -> Router {
    rehearse::questions::sync_builtin_bank(&pool.db())
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
