//! A form POST to a server function, shared by the benchmarks that drive
//! the app over HTTP.

use http_body_util::{BodyExt, Full};
use hyper::{body::Bytes, Request};
use hyper_util::client::legacy::Client;

pub type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// POSTs a form to a server function; returns the session cookie it set
/// (if any) and the body.
pub async fn post(
    client: &HttpClient,
    base: &str,
    endpoint: &str,
    cookie: Option<&str>,
    form: &str,
) -> Result<(Option<String>, String), Box<dyn std::error::Error + Send + Sync>> {
    let mut req = Request::post(format!("{base}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", base);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = client
        .request(req.body(Full::new(Bytes::from(form.to_owned())))?)
        .await?;
    let set_cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let body = res.into_body().collect().await?.to_bytes();
    Ok((set_cookie, String::from_utf8_lossy(&body).into_owned()))
}
