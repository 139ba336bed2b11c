//! SQL for share links, candidates' attempts, results and reviews.

use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::sessions::{close_by_recruiter, insert_set_session, FrozenItem, SetRun};

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, Conn, Pool};
// The other domains' queries this one calls, compiled for the same backend.
use super::{sessions, sets, teams};
use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::db::CLOSED_BY_RECRUITER;
use crate::sessions::types::{score_percent, Mode};
use crate::sets::db::Viewer;
use crate::sets::types::stored_secs;
use crate::sharing::db::{AnswerLine, ReviewerMarks};
use crate::sharing::types::*;
use crate::teams::db::{Action, Event};
use crate::teams::types::TeamRole;

macro_rules! link_select {
    () => {
        "SELECT l.id, l.set_id, l.set_version, l.code, l.label, l.expires_at, l.max_candidates,
                l.state, (SELECT count(*) FROM candidate_attempts a WHERE a.link_id = l.id) AS taken
         FROM share_links l "
    };
}

mod attempts;
mod links;
mod marks;
mod results;

pub use attempts::*;
pub use links::*;
pub use marks::*;
pub use results::*;
