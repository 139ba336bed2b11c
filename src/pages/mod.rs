//! One module per route. Pages render on the server; the interactive parts
//! are islands from `components` or from the page module itself.

pub mod account;
pub mod dashboard;
pub mod error;
pub mod history;
pub mod home;
pub mod keep;
pub mod login;
pub mod not_found;
pub mod practice;
pub mod question;
pub mod questions;
pub mod results;
pub mod sets;
pub mod spaced_review;
pub mod team;
