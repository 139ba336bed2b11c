//! Bounded blocking work: at most one job per core, and a clear "come back"
//! instead of an endless queue.

/// Password hashing takes 19 MiB and a core for tens of milliseconds, on
/// the blocking pool (up to 512 threads). Unbounded, a flood of logins or
/// registrations exhausts memory; so at most one hash per core runs at a
/// time, and a request that can't get a turn within `wait` is told to come
/// back (429 with Retry-After) instead of queueing without end.
pub struct Gate {
    what: &'static str,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
}

impl Gate {
    /// `what` names the work in log lines (`hashing` logs
    /// `hashing_saturated`).
    pub fn new(what: &'static str, permits: usize, wait: std::time::Duration) -> Self {
        Self {
            what,
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(permits.max(1))),
            wait,
        }
    }

    /// One permit per core, waiting up to two seconds for a turn.
    pub fn per_core(what: &'static str) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(what, cores, std::time::Duration::from_secs(2))
    }

    /// Runs `work` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        use crate::error::AppError;
        let permits = std::sync::Arc::clone(&self.permits);
        let permit = match tokio::time::timeout(self.wait, permits.acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(AppError::Internal),
            Err(_) => {
                tracing::warn!(
                    target: "security",
                    event = %format_args!("{}_saturated", self.what),
                    request_id = %super::request::request_id(),
                    "{} saturated: refused with 429",
                    self.what
                );
                return Err(AppError::RateLimited {
                    retry_after_secs: 1,
                });
            }
        };
        // The permit goes with the work: if the request is dropped while
        // the hash runs, the slot stays taken until the hash is done.
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|_| AppError::Internal)
    }

    /// The semaphore itself, so tests can hold every permit.
    pub fn semaphore(&self) -> &tokio::sync::Semaphore {
        &self.permits
    }
}
