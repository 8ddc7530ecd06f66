//! A circuit breaker for Redis calls: after a run of failures it stops asking Redis for a
//! while, so a dead or paused server costs callers nothing instead of a timeout each.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls are refused until the cool-down ends.
    Open,
    /// One probe call is in flight; its outcome closes or re-opens the breaker.
    HalfOpen,
}

#[derive(Debug)]
struct Inner {
    state: BreakerState,
    failures: u32,
    opened_at: Option<Instant>,
    probe_at: Option<Instant>,
    opened_total: u64,
}

/// Consecutive-failure breaker with a single half-open probe.
#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    cool_down: Duration,
    inner: Mutex<Inner>,
}

impl Breaker {
    pub fn new(threshold: u32, cool_down: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cool_down,
            inner: Mutex::new(Inner {
                state: BreakerState::Closed,
                failures: 0,
                opened_at: None,
                probe_at: None,
                opened_total: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means a panic elsewhere; the counters are still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a call may go to Redis now. In the open state, the first call after the
    /// cool-down becomes the probe; a probe that never reported (its caller went away) is
    /// replaced after another cool-down.
    pub fn allow(&self) -> bool {
        let mut s = self.lock();
        let now = Instant::now();
        let due = match s.state {
            BreakerState::Closed => return true,
            BreakerState::HalfOpen => s.probe_at,
            BreakerState::Open => s.opened_at,
        };
        if due.is_some_and(|t| now.duration_since(t) >= self.cool_down) {
            s.state = BreakerState::HalfOpen;
            s.probe_at = Some(now);
            true
        } else {
            false
        }
    }

    pub fn on_success(&self) {
        let mut s = self.lock();
        s.failures = 0;
        s.state = BreakerState::Closed;
        s.opened_at = None;
    }

    pub fn on_failure(&self) {
        let mut s = self.lock();
        s.failures = s.failures.saturating_add(1);
        let reopen = s.state == BreakerState::HalfOpen;
        if reopen || (s.state == BreakerState::Closed && s.failures >= self.threshold) {
            if s.state == BreakerState::Closed {
                s.opened_total += 1;
                metrics::counter!("pms_cache_breaker_opened_total").increment(1);
            }
            s.state = BreakerState::Open;
            s.opened_at = Some(Instant::now());
        }
    }

    pub fn state(&self) -> BreakerState {
        self.lock().state
    }

    /// How many times the breaker went from closed to open.
    pub fn opened_total(&self) -> u64 {
        self.lock().opened_total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_and_probes_after_cool_down() {
        let b = Breaker::new(3, Duration::from_millis(20));
        for _ in 0..2 {
            assert!(b.allow());
            b.on_failure();
        }
        assert_eq!(b.state(), BreakerState::Closed);
        b.on_failure();
        assert_eq!(b.state(), BreakerState::Open);
        assert!(!b.allow());
        std::thread::sleep(Duration::from_millis(30));
        assert!(b.allow(), "the probe goes through");
        assert!(!b.allow(), "only one probe at a time");
        std::thread::sleep(Duration::from_millis(30));
        assert!(b.allow(), "a probe that never reported is replaced");
        b.on_failure();
        assert_eq!(b.state(), BreakerState::Open);
        std::thread::sleep(Duration::from_millis(30));
        assert!(b.allow());
        b.on_success();
        assert_eq!(b.state(), BreakerState::Closed);
        assert_eq!(b.opened_total(), 1);
    }
}
