//! SQL for teams: memberships, invitations and the activity log. Every
//! change to who is in a team bumps the `data_version` of the people it
//! touches (its triggers do), so no kept page shows them a team they left.

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, Conn, Pool};
use crate::error::AppError;
use crate::platform::secret::{code_hash, new_code};
use crate::teams::db::{Acting, Action, Event};
use crate::teams::types::*;

mod activity;
mod invites;
mod members;

pub use activity::*;
pub use invites::*;
pub use members::*;
