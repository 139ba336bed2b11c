//! SQL for question sets and a team's own questions. Every function that
//! changes a set or a question takes the team acting and checks it in the
//! same statement or transaction as the change, and logs it there too.

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, Conn, Pool, POSTGRES};
// The other domains' queries this one calls, compiled for the same backend.
use super::teams;
use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::types::Mode;
use crate::sets::db::{Imported, Viewer, SET_EDITED_ELSEWHERE};
use crate::sets::transfer::{SetHeader, Transfer, TransferQuestion};
use crate::sets::types::*;
use crate::teams::db::{Action, Event};
use crate::teams::types::TeamRole;

macro_rules! own_question_select {
    () => {
        "SELECT q.slug, q.prompt, q.level, t.slug AS topic_slug, t.name AS topic_name,
                q.reference_answer, q.answer_html, q.key_points, q.reviewer_note, q.archived,
                q.revision,
                (SELECT count(DISTINCT i.set_id) FROM question_set_items i
                 JOIN question_sets s ON s.id = i.set_id
                 WHERE i.question_id = q.id AND s.archived = FALSE) AS used_in_sets
         FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.source = 'author' AND q.team_id = $1 "
    };
}

/// The activity line for something done to a set, named by its title.
fn set_event<'a>(by: Viewer, action: Action, set: Uuid, title: &'a str, at: i64) -> Event<'a> {
    Event {
        team: by.team,
        actor: by.id,
        action,
        set: Some(set),
        subject: title,
        thing: "",
        at,
    }
}

mod editing;
mod import;
mod own_questions;
mod versions;

pub use editing::*;
pub use import::*;
pub use own_questions::*;
pub use versions::*;
