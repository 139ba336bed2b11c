//! The clock: every timestamp in the schema comes from here.

/// How far the test clock is moved ahead (only `/__test/clock`, which
/// exists only when `REHEARSE_TEST_CLOCK` is set, changes it).
static CLOCK_OFFSET_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Milliseconds since the Unix epoch: the one timestamp format in the schema.
pub fn now_ms() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
        .saturating_add(CLOCK_OFFSET_MS.load(std::sync::atomic::Ordering::Relaxed))
}

/// Moves the clock `ms` ahead of the real one (tests only, see above).
pub fn set_clock_offset(ms: i64) {
    CLOCK_OFFSET_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
}
