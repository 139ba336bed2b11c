//! The one piece of shared server state.

use std::sync::Arc;

use crate::platform::db::Pool;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::config::Config;
use crate::error::AppError;
use crate::platform::gate::Gate;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    pub config: Arc<Config>,
    /// Bounds how many password hashes run at once.
    pub hashing: Arc<Gate>,
    /// Bounds how many data exports stream at once (each holds a database
    /// connection while the client downloads).
    pub exports: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: Pool, config: Config) -> Self {
        Self {
            leptos_options,
            pool,
            config: Arc::new(config),
            hashing: Arc::new(Gate::per_core("hashing")),
            exports: Arc::new(tokio::sync::Semaphore::new(2)),
        }
    }
}

/// The state inside a server function or a component rendering on the server.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        // At start-up the router renders the app once, outside any request
        // (with an empty request URL), to list its routes: components asking
        // for data then is expected. Inside a request it would be a bug.
        let discovering = leptos::prelude::use_context::<leptos_router::location::RequestUrl>()
            .is_some_and(|url| url.as_ref().is_empty());
        if discovering {
            tracing::debug!("no AppState while listing routes");
        } else {
            tracing::error!("AppState missing from the Leptos context");
        }
        AppError::Internal
    })
}

/// The pool, for server functions that need nothing else.
pub fn pool() -> Result<Pool, AppError> {
    app_state().map(|s| s.pool)
}
