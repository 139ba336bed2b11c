//! Login throttling: a sliding window of recent failures per username and
//! per client address. Failures age out, so nobody is locked out for good,
//! and a success clears the username's record.

use std::{collections::HashMap, sync::Mutex, time::Duration};

/// Failures allowed per username within `WINDOW` before waiting.
pub const PER_USERNAME: usize = 5;
/// Failures allowed per client address within `WINDOW` (several users may
/// share an address, so this is looser).
pub const PER_ADDRESS: usize = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl LoginThrottle {
    /// `Err(seconds to wait)` when either key is over its limit at `now_ms`.
    pub fn check(&self, username: &str, address: &str, now_ms: i64) -> Result<(), u64> {
        let mut map = self.lock();
        let by_user = retry_after(&mut map, &user_key(username), PER_USERNAME, now_ms);
        let by_addr = retry_after(&mut map, &addr_key(address), PER_ADDRESS, now_ms);
        match by_user.max(by_addr) {
            0 => Ok(()),
            wait => Err(wait),
        }
    }

    pub fn record_failure(&self, username: &str, address: &str, now_ms: i64) {
        let mut map = self.lock();
        for key in [user_key(username), addr_key(address)] {
            map.entry(key).or_default().push(now_ms);
        }
        // Bound memory: forget keys whose failures have all aged out.
        if map.len() > 10_000 {
            let cutoff = now_ms - window_ms();
            map.retain(|_, times| times.iter().any(|t| *t > cutoff));
        }
    }

    pub fn record_success(&self, username: &str) {
        self.lock().remove(&user_key(username));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<i64>>> {
        // A poisoned lock only means another thread panicked mid-update of
        // a counter; the map is still usable.
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn window_ms() -> i64 {
    i64::try_from(WINDOW.as_millis()).unwrap_or(i64::MAX)
}

fn user_key(username: &str) -> String {
    format!("u:{}", username.to_lowercase())
}

fn addr_key(address: &str) -> String {
    format!("a:{address}")
}

/// Seconds until the key is under `limit` again, 0 if it already is.
fn retry_after(map: &mut HashMap<String, Vec<i64>>, key: &str, limit: usize, now_ms: i64) -> u64 {
    let Some(times) = map.get_mut(key) else {
        return 0;
    };
    let cutoff = now_ms - window_ms();
    times.retain(|t| *t > cutoff);
    if times.len() < limit {
        return 0;
    }
    // The oldest failure that keeps us at the limit must age out first.
    let oldest_relevant = times[times.len() - limit];
    let wait_ms = oldest_relevant + window_ms() - now_ms;
    u64::try_from(wait_ms.max(1000) / 1000).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn blocks_after_five_failures_then_recovers() {
        let t = LoginThrottle::default();
        for i in 0..PER_USERNAME as i64 {
            assert_eq!(t.check("ada", "1.1.1.1", i * MIN), Ok(()));
            t.record_failure("ada", "1.1.1.1", i * MIN);
        }
        let wait = t.check("ADA", "2.2.2.2", 5 * MIN).err();
        assert_eq!(
            wait,
            Some(10 * 60),
            "the first failure ages out 10 minutes later"
        );
        assert_eq!(t.check("ada", "2.2.2.2", 15 * MIN + 1), Ok(()));
        // Another user on the same address is not affected.
        assert_eq!(t.check("bob", "1.1.1.1", 5 * MIN), Ok(()));
    }

    #[test]
    fn an_address_trying_many_usernames_is_limited() {
        let t = LoginThrottle::default();
        for i in 0..PER_ADDRESS {
            t.record_failure(&format!("user{i}"), "9.9.9.9", 0);
        }
        assert!(t.check("someone-new", "9.9.9.9", 1000).is_err());
        assert!(t.check("someone-new", "8.8.8.8", 1000).is_ok());
    }

    #[test]
    fn success_clears_the_username() {
        let t = LoginThrottle::default();
        for _ in 0..PER_USERNAME {
            t.record_failure("ada", "1.1.1.1", 0);
        }
        t.record_success("ada");
        assert_eq!(t.check("ada", "3.3.3.3", 0), Ok(()));
    }
}
