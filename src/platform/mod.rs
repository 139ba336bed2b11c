//! The bottom of the app, imported by every domain and importing none:
//! the database (pools, backends, the dispatch to the one in use), the app
//! context (`AppState`, `pool()`), configuration, the clock, and what a
//! request says about its client. The top (`server/`) builds on it.
//! Only `defaults` reaches the browser build.

pub mod defaults;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod gate;
#[cfg(feature = "ssr")]
pub mod net;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
mod state;

#[cfg(feature = "ssr")]
pub use clock::now_ms;
#[cfg(feature = "ssr")]
pub use state::{app_state, pool, AppState};
