//! Timing helpers shared by the benchmarks.

use std::time::Instant;

/// Runs `f` a few times to warm caches, then `runs` times timed; returns
/// the times in milliseconds, sorted.
pub async fn time_it<F, Fut, T>(runs: usize, mut f: F) -> Vec<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    for _ in 0..10 {
        std::hint::black_box(f().await);
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f().await);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times
}

/// One line: p50, p95 and max of sorted times.
#[allow(dead_code)] // the backends benchmark prints a table instead
pub fn report(label: &str, sorted_ms: &[f64]) {
    let pct = |p: f64| sorted_ms[((sorted_ms.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "  {label:<42} p50 {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms",
        pct(0.50),
        pct(0.95),
        pct(1.0)
    );
}
