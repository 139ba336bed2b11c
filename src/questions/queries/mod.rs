//! SQL for the bank pages and the built-in bank's sync, written once and
//! compiled for each backend (see `platform/db`).

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, Pool, WriteTx, POSTGRES};
use crate::questions::bank::{
    follow_up_slug, follow_ups_json, BankQuestion, BankTopic, SyncReport,
};
use crate::questions::db::Scope;
use crate::questions::search::{fts_query, plain_snippet, ts_query};
use crate::questions::types::*;

macro_rules! filtered {
    (sqlite) => {
        filtered!("q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH $3)")
    };
    (postgres) => {
        filtered!("q.search @@ to_tsquery('simple', $3)")
    };
    ($text:literal) => {
        concat!(
            "
    FROM questions q
    JOIN topics t ON t.id = q.topic_id
    WHERE q.archived = FALSE
      AND (($6 AND q.source = 'builtin' AND q.parent_id IS NULL) OR (q.source = 'author' AND q.team_id = $7))
      AND ($1 = '[]' OR q.level IN (SELECT value FROM json_each($1)))
      AND ($2 = '[]' OR t.slug IN (SELECT value FROM json_each($2)))
      AND ($3 IS NULL OR ",
            $text,
            ") "
        )
    };
}

/// `head`, the filter for this backend, then `tail`.
macro_rules! with_filter {
    ($head:expr, $tail:expr) => {
        if POSTGRES {
            concat!($head, filtered!(postgres), $tail)
        } else {
            concat!($head, filtered!(sqlite), $tail)
        }
    };
}

mod search;
mod sync;

pub use search::*;
pub use sync::*;
