//! Defaults that both the server's configuration and the pages (in both
//! builds) need.

/// How long a guest is kept after their last visit, unless configured.
pub const DEFAULT_GUEST_RETENTION_DAYS: u32 = 30;
