//! Reusable views shared by several pages.

pub mod auth_forms;
pub mod autosave;
pub mod debounce;
pub mod follow_ups;
pub mod hydration;
pub mod markdown;
pub mod marks;
pub mod nav;
pub mod navigate;
pub mod page_script;
pub mod question_editor;
pub mod regrade;
pub mod runner;
pub mod session_setup;
pub mod set_actions;
pub mod set_editor;
pub mod share_links;
pub mod spaced_review;
pub mod theme;
