//! The log's byte budget: a token bucket that refills at
//! `LOG_MAX_BYTES_PER_SEC` and holds one second of it (at least one
//! full-size line). Over any `t` seconds the sink gets at most
//! `capacity + rate × t` bytes of lines, however many requests log.
//! Whole lines are admitted or dropped, never parts of one.

use std::sync::Mutex;
use std::time::Instant;

/// Bytes a second with a burst allowance; see the module docs.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    capacity: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    tokens: f64,
    refilled: Instant,
}

impl TokenBucket {
    /// A full bucket refilling at `bytes_per_sec`, holding
    /// `max(bytes_per_sec, burst)` bytes.
    pub fn new(bytes_per_sec: u64, burst: usize, now: Instant) -> TokenBucket {
        let rate = bytes_per_sec as f64;
        let capacity = rate.max(burst as f64);
        TokenBucket {
            rate,
            capacity,
            state: Mutex::new(State {
                tokens: capacity,
                refilled: now,
            }),
        }
    }

    /// Takes `bytes` tokens if there are that many; `false` means the
    /// line must be dropped.
    pub fn take(&self, bytes: usize, now: Instant) -> bool {
        self.with_refilled(now, |tokens| {
            let enough = *tokens >= bytes as f64;
            if enough {
                *tokens -= bytes as f64;
            }
            enough
        })
    }

    /// Whether `bytes` tokens are there, taking none: past the budget, a
    /// line that cannot be admitted need not be formatted.
    pub fn has(&self, bytes: usize, now: Instant) -> bool {
        self.with_refilled(now, |tokens| *tokens >= bytes as f64)
    }

    fn with_refilled<T>(&self, now: Instant, f: impl FnOnce(&mut f64) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        // Another thread may have refilled at a later instant already.
        let elapsed = now.saturating_duration_since(state.refilled);
        if !elapsed.is_zero() {
            state.tokens = (state.tokens + elapsed.as_secs_f64() * self.rate).min(self.capacity);
            state.refilled = now;
        }
        f(&mut state.tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_full_bucket_admits_one_second_of_bytes_then_drops() {
        let start = Instant::now();
        let bucket = TokenBucket::new(10_000, 1_000, start);
        let admitted = (0..20).filter(|_| bucket.take(1_000, start)).count();
        assert_eq!(admitted, 10);
    }

    #[test]
    fn the_bucket_refills_at_the_rate_and_no_further_than_its_capacity() {
        let start = Instant::now();
        let bucket = TokenBucket::new(10_000, 1_000, start);
        assert!(bucket.take(10_000, start));
        assert!(!bucket.take(1, start));
        let half = start + Duration::from_millis(500);
        assert!(bucket.take(5_000, half));
        assert!(!bucket.take(1, half));
        let much_later = half + Duration::from_secs(3600);
        assert!(bucket.take(10_000, much_later));
        assert!(!bucket.take(1, much_later));
    }

    #[test]
    fn a_full_size_line_fits_even_when_the_rate_is_lower() {
        let start = Instant::now();
        let bucket = TokenBucket::new(1_024, 16_384, start);
        assert!(bucket.take(16_384, start));
        assert!(!bucket.take(1, start));
    }

    #[test]
    fn looking_takes_nothing() {
        let start = Instant::now();
        let bucket = TokenBucket::new(1_000, 0, start);
        assert!(bucket.has(1_000, start) && bucket.has(1_000, start));
        assert!(!bucket.has(1_001, start));
        assert!(bucket.take(1_000, start));
        assert!(!bucket.has(1, start));
    }

    #[test]
    fn a_line_is_admitted_whole_or_not_at_all() {
        let start = Instant::now();
        let bucket = TokenBucket::new(1_000, 0, start);
        assert!(!bucket.take(1_001, start));
        assert!(bucket.take(1_000, start));
    }

    #[test]
    fn an_earlier_instant_from_another_thread_does_not_refill() {
        let start = Instant::now();
        let bucket = TokenBucket::new(1_000, 0, start + Duration::from_secs(1));
        assert!(bucket.take(1_000, start));
        assert!(!bucket.take(1, start));
    }
}
