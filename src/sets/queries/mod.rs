//! SQL for question sets and authored questions. Every function that
//! changes a set or a question takes its owner and checks it in the same
//! statement or transaction as the change.

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, Conn, Pool, POSTGRES};
use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::types::Mode;
use crate::sets::db::{Imported, Viewer, SET_EDITED_ELSEWHERE};
use crate::sets::transfer::{SetHeader, Transfer, TransferQuestion};
use crate::sets::types::*;

macro_rules! own_question_select {
    () => {
        "SELECT q.slug, q.prompt, q.level, t.slug AS topic_slug, t.name AS topic_name,
                q.reference_answer, q.answer_html, q.key_points, q.reviewer_note, q.archived,
                q.revision,
                (SELECT count(DISTINCT i.set_id) FROM question_set_items i
                 JOIN question_sets s ON s.id = i.set_id
                 WHERE i.question_id = q.id AND s.archived = FALSE) AS used_in_sets
         FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.source = 'author' AND q.author_id = $1 "
    };
}

mod editing;
mod import;
mod own_questions;
mod versions;

pub use editing::*;
pub use import::*;
pub use own_questions::*;
pub use versions::*;
