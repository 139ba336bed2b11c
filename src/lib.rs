#![recursion_limit = "256"]
//! Rehearse: self-hosted mock interviews for backend developers.

pub mod accounts;
pub mod app;
pub mod components;
pub mod dashboard;
pub mod error;
pub mod grading;
pub mod history;
pub mod pages;
pub mod platform;
pub mod questions;
pub mod sessions;
pub mod sets;
pub mod sharing;
pub mod teams;

#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: wakes up the islands in the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
