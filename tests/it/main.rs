//! All integration tests in one binary: each test file would otherwise link
//! its own copy of the app and every dependency (slow to link, GBs on disk).

#[macro_use]
mod common;

mod accounts;
mod bank;
mod caching;
mod chaos;
mod dashboard;
mod database;
mod hardening;
mod history;
mod hostile;
mod instances;
mod postgres;
mod review;
mod router;
mod serial;
mod sessions;
mod sets;
mod sharing;
mod startup;
