//! All integration tests in one binary: each test file would otherwise link
//! its own copy of the app and every dependency (slow to link, GBs on disk).
//!
//! The tests at the top level run on the backend `REHEARSE_TEST_BACKEND`
//! names (SQLite unless it says `postgres`). Two groups are set apart, and
//! `make unit` / `make unit-postgres` select them by these names alone:
//! - `once::` runs on SQLite only, whatever the backend: tests of SQLite
//!   itself (its files, locks, PRAGMAs, start-up), hostile input at the
//!   HTTP edge (independent of the backend), and the schema parity test,
//!   which opens both backends itself.
//! - `alone::` runs after everything else, by itself: the crash rounds
//!   (`chaos`) start their own server processes and would starve the
//!   concurrency tests on 2 cores, and `serial` measures one request
//!   delaying another, which other tests beside it would disturb.

#[macro_use]
mod common;
mod fixtures;

mod accounts;
mod bank;
mod caching;
mod dashboard;
mod hardening;
mod history;
mod instances;
mod router;
mod server_process;
mod sessions;
mod sets;
mod sharing;
mod spaced_review;
mod teams;

mod once {
    mod database;
    mod hostile;
    mod postgres;
    mod startup;
}

mod alone {
    mod chaos;
    mod serial;
}
