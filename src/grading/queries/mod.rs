//! SQL for grading and the schedule. [`write`] is the one way a grade a
//! person gives their own answer is stored: the answer, its revision, the
//! dashboard rollups and the review card change together, in the caller's
//! transaction.

use jiff::tz::TimeZone;
use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, now_ms, Conn, Pool, WriteTx, POSTGRES};
// The other domains' queries this one calls, compiled for the same backend.
use super::{accounts, rollup};
use crate::accounts::days;
use crate::error::AppError;
use crate::grading::due::{day_number, due_label, today, when_label, Today};
use crate::grading::plan::{self, Area};
use crate::grading::schedule::{self, Card, Review, DAY_MS};
use crate::grading::types::*;
use crate::questions::types::Level;

mod cards;
mod planning;
mod progress;
mod queue;
mod settings;
mod write;

pub use cards::*;
pub use planning::*;
pub use progress::*;
pub use queue::*;
pub use settings::*;
pub use write::*;
