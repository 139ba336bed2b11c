//! The database: SQLite (the embedded default) or PostgreSQL, chosen at
//! start-up from the URL, with both compiled in.
//!
//! Each domain's queries are written once, in its `queries.rs`, against the
//! names `Pool`, `Conn`, `WriteTx`, `begin_write` and `begin_read`. That file
//! is compiled twice, as `sqlite::<domain>` and `postgres::<domain>`, where
//! those names are the concrete sqlx types of each backend; the few queries
//! whose SQL differs choose by `POSTGRES`. The rest of the app calls the
//! domain's `db` module, whose functions take a [`Pool`] and send each call
//! to the backend in use ([`dispatch!`]). Why this shape: `sqlx::Any` cannot
//! carry UUIDs, and code generic over `sqlx::Database` needs a bound for
//! every type it binds, at every function; compiled twice, each copy is
//! plain concrete sqlx, checked by the compiler for both backends.

pub mod postgres;
pub mod sqlite;

/// A pool on the backend the URL named.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl From<sqlx::SqlitePool> for Pool {
    fn from(pool: sqlx::SqlitePool) -> Self {
        Self::Sqlite(pool)
    }
}

impl From<sqlx::PgPool> for Pool {
    fn from(pool: sqlx::PgPool) -> Self {
        Self::Postgres(pool)
    }
}

/// `pool.db()`: a concrete pool as a [`Pool`] (tests and benches, which
/// set up data with plain SQL on a concrete pool, then call the app).
pub trait AsPool {
    fn db(&self) -> Pool;
}

impl AsPool for sqlx::SqlitePool {
    fn db(&self) -> Pool {
        Pool::Sqlite(self.clone())
    }
}

impl AsPool for sqlx::PgPool {
    fn db(&self) -> Pool {
        Pool::Postgres(self.clone())
    }
}

impl AsPool for Pool {
    fn db(&self) -> Pool {
        self.clone()
    }
}

impl Pool {
    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }

    /// Which backend, for logs and the health check.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// One round trip to the database (the health check).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
            Self::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
        }
    }
}

/// Whether a database URL names PostgreSQL.
pub fn is_postgres(database_url: &str) -> bool {
    database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")
}

/// The URL with its password (if any) hidden, for messages and logs.
pub fn redacted(database_url: &str) -> String {
    let Some((scheme, rest)) = database_url.split_once("://") else {
        return database_url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return database_url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => database_url.to_owned(),
    }
}

/// Opens the database the URL names (`sqlite://…` or `postgres://…`) and
/// applies every migration. Fails fast: a server that can't migrate must
/// not start.
pub async fn connect(database_url: &str) -> Result<Pool, sqlx::Error> {
    Ok(if is_postgres(database_url) {
        Pool::Postgres(postgres::connect(database_url).await?)
    } else {
        Pool::Sqlite(sqlite::connect(database_url).await?)
    })
}

/// Every domain's queries, compiled as modules of the backend that invokes
/// this (`sqlite.rs` and `postgres.rs`): the one list of them. A domain's
/// queries name the other domains' they call in a `use super::{..}` line.
macro_rules! domain_queries {
    () => {
        #[path = "../../accounts/queries/mod.rs"]
        pub mod accounts;
        #[path = "../../dashboard/queries.rs"]
        pub mod dashboard;
        #[path = "../../grading/queries/mod.rs"]
        pub mod grading;
        #[path = "../../history/queries.rs"]
        pub mod history;
        #[path = "../../questions/queries/mod.rs"]
        pub mod questions;
        #[path = "../../grading/rollup.rs"]
        pub mod rollup;
        #[path = "../../sessions/queries/mod.rs"]
        pub mod sessions;
        #[path = "../../sets/queries/mod.rs"]
        pub mod sets;
        #[path = "../../sharing/queries/mod.rs"]
        pub mod sharing;
        #[path = "../../teams/queries/mod.rs"]
        pub mod teams;
    };
}
pub(crate) use domain_queries;

// The same files, never compiled (`cfg(any())` is always false), for
// `cargo fmt`, which does not look inside macros; `scripts/layers.py
// --check` fails if this list and `domain_queries!` differ.
#[cfg(any())]
#[path = "../../accounts/queries/mod.rs"]
mod accounts_formatted;
#[cfg(any())]
#[path = "../../dashboard/queries.rs"]
mod dashboard_formatted;
#[cfg(any())]
#[path = "../../grading/queries/mod.rs"]
mod grading_formatted;
#[cfg(any())]
#[path = "../../history/queries.rs"]
mod history_formatted;
#[cfg(any())]
#[path = "../../questions/queries/mod.rs"]
mod questions_formatted;
#[cfg(any())]
#[path = "../../grading/rollup.rs"]
mod rollup_formatted;
#[cfg(any())]
#[path = "../../sessions/queries/mod.rs"]
mod sessions_formatted;
#[cfg(any())]
#[path = "../../sets/queries/mod.rs"]
mod sets_formatted;
#[cfg(any())]
#[path = "../../sharing/queries/mod.rs"]
mod sharing_formatted;
#[cfg(any())]
#[path = "../../teams/queries/mod.rs"]
mod teams_formatted;

/// Writes, for each listed function of a domain's queries, a function of
/// the same name taking a [`Pool`] that calls the backend in use.
macro_rules! dispatch {
    ($domain:ident;
     $( $(#[$meta:meta])* $vis:vis async fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty ; )*) => {
        $(
            $(#[$meta])*
            $vis async fn $name(pool: &$crate::platform::db::Pool, $($arg: $ty),*) -> $ret {
                match pool {
                    $crate::platform::db::Pool::Sqlite(pool) =>
                        $crate::platform::db::sqlite::$domain::$name(pool, $($arg),*).await,
                    $crate::platform::db::Pool::Postgres(pool) =>
                        $crate::platform::db::postgres::$domain::$name(pool, $($arg),*).await,
                }
            }
        )*
    };
}
pub(crate) use dispatch;

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn urls_lose_their_password_in_messages() {
        assert_eq!(
            redacted("postgres://app:s3cret@db.internal:5432/rehearse"),
            "postgres://app:***@db.internal:5432/rehearse"
        );
        assert_eq!(
            redacted("postgres://app@db/rehearse"),
            "postgres://app@db/rehearse"
        );
        assert_eq!(
            redacted("sqlite://data/rehearse.db"),
            "sqlite://data/rehearse.db"
        );
    }
}
