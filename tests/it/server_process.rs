//! A real server process for tests that need one (the crash rounds, two
//! instances on one database): start it on a free port, wait until it is
//! healthy, and post forms to it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::{body::Bytes, Request};
use hyper_util::client::legacy::Client;

pub type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn start(db: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .env("REHEARSE_ADDR", format!("127.0.0.1:{port}"))
        .env("REHEARSE_DATABASE_URL", db)
        .env("REHEARSE_GUESTS_PER_HOUR", "1000000")
        .env("REHEARSE_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts")
}

pub async fn healthy(client: &HttpClient, base: &str) -> Duration {
    let started = Instant::now();
    loop {
        let req = Request::get(format!("{base}/healthz"))
            .body(Full::new(Bytes::new()))
            .expect("request");
        if let Ok(res) = client.request(req).await {
            if res.status() == 200 {
                return started.elapsed();
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server never came up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// POSTs a form to a server function: (status, cookie, body), or `None`
/// when the connection failed (the server is gone).
pub async fn post(
    client: &HttpClient,
    base: &str,
    endpoint: &str,
    cookie: Option<&str>,
    form: String,
) -> Option<(u16, Option<String>, String)> {
    let mut req = Request::post(format!("{base}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", base);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = client
        .request(req.body(Full::new(Bytes::from(form))).ok()?)
        .await
        .ok()?;
    let status = res.status().as_u16();
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let body = res.into_body().collect().await.ok()?.to_bytes();
    Some((status, cookie, String::from_utf8_lossy(&body).into_owned()))
}

pub fn enc(s: &str) -> String {
    rehearse::questions::types::encode_component(s)
}
