//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::Arc;

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use rehearse::server::{config::Config, AppState};
use sqlx::SqlitePool;
use tower::ServiceExt;

pub fn state(pool: SqlitePool) -> AppState {
    let config = Config::from_lookup(|_| None).expect("default config is valid");
    AppState {
        leptos_options: LeptosOptions::builder().output_name("rehearse").build(),
        pool,
        config: Arc::new(config),
    }
}

pub async fn app_with_bank(pool: SqlitePool) -> Router {
    rehearse::questions::sync_builtin_bank(&pool).await.expect("bank syncs");
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
    let bytes = res.into_body().collect().await.expect("body reads").to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).header("host", "localhost").body(Body::empty()).expect("request")).await
}
