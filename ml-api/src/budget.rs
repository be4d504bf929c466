//! The one budget of request-body bytes buffered at once, shared by every
//! connection of every worker (`MAX_INFLIGHT_BODY_BYTES`). Each connection
//! may buffer up to `MAX_BODY_BYTES`, so without it a thousand slow uploads
//! could hold gigabytes; with it, a body is only buffered once its bytes are
//! reserved, and a client past the budget is told to come back (503
//! `overloaded` with `Retry-After`) before anything more is allocated for
//! it. Bodies reserve as their bytes arrive (`body.rs`), not what their
//! `Content-Length` announces, so only bytes actually sent can spend it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;

/// Seconds a refused client is asked to wait: long enough for the bodies
/// in flight to be parsed (milliseconds each), short enough not to matter.
pub const RETRY_AFTER_SECS: u64 = 1;

/// Bytes reserved for request bodies, against a fixed limit. Cheap to
/// clone: every clone shares one counter.
#[derive(Debug, Clone)]
pub struct BodyBudget(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    limit: usize,
    reserved: AtomicUsize,
}

impl BodyBudget {
    pub fn new(limit: usize) -> BodyBudget {
        BodyBudget(Arc::new(Shared {
            limit,
            reserved: AtomicUsize::new(0),
        }))
    }

    pub fn limit(&self) -> usize {
        self.0.limit
    }

    /// Bytes reserved right now, by all permits together.
    pub fn reserved(&self) -> usize {
        self.0.reserved.load(Ordering::Relaxed)
    }

    /// Reserves `bytes` for one body, if they fit beside the others.
    ///
    /// # Errors
    /// [`Error::Overloaded`] when they do not; nothing is reserved then.
    pub fn reserve(&self, bytes: usize) -> Result<BodyPermit, Error> {
        self.take(bytes)?;
        Ok(BodyPermit {
            budget: self.clone(),
            bytes,
        })
    }

    fn take(&self, bytes: usize) -> Result<(), Error> {
        let limit = self.0.limit;
        self.0
            .reserved
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |reserved| {
                reserved.checked_add(bytes).filter(|total| *total <= limit)
            })
            .map(|_| ())
            .map_err(|_| Error::Overloaded {
                limit,
                retry_after_secs: RETRY_AFTER_SECS,
            })
    }
}

/// Bytes of the budget held by one body; given back when it is dropped
/// (with the buffer it pays for: see `body.rs`).
#[derive(Debug)]
pub struct BodyPermit {
    budget: BodyBudget,
    bytes: usize,
}

impl BodyPermit {
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Raises this permit to `bytes` in all (a body whose next bytes arrived).
    ///
    /// # Errors
    /// [`Error::Overloaded`] when the budget has no room; the permit keeps
    /// what it had.
    pub fn grow_to(&mut self, bytes: usize) -> Result<(), Error> {
        if let Some(more) = bytes.checked_sub(self.bytes).filter(|n| *n > 0) {
            self.budget.take(more)?;
            self.bytes = bytes;
        }
        Ok(())
    }
}

impl Drop for BodyPermit {
    fn drop(&mut self) {
        self.budget
            .0
            .reserved
            .fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_past_the_limit_are_refused_and_dropped_ones_give_their_bytes_back() {
        let budget = BodyBudget::new(100);
        let first = budget.reserve(60).unwrap();
        assert!(matches!(
            budget.reserve(41),
            Err(Error::Overloaded { limit: 100, .. })
        ));
        let second = budget.reserve(40).unwrap();
        assert_eq!(budget.reserved(), 100);
        drop(first);
        assert_eq!(budget.reserved(), 40);
        drop(second);
        assert_eq!(budget.reserved(), 0);
    }

    #[test]
    fn a_permit_grows_only_while_the_budget_has_room() {
        let budget = BodyBudget::new(100);
        let mut permit = budget.reserve(10).unwrap();
        permit.grow_to(80).unwrap();
        assert!(permit.grow_to(101).is_err());
        assert_eq!((permit.bytes(), budget.reserved()), (80, 80));
        permit.grow_to(50).unwrap();
        assert_eq!(permit.bytes(), 80, "a permit never shrinks");
        drop(permit);
        assert_eq!(budget.reserved(), 0);
    }

    #[test]
    fn concurrent_reservations_never_exceed_the_limit() {
        let budget = BodyBudget::new(1000);
        let peak = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..2000 {
                        if let Ok(permit) = budget.reserve(300) {
                            peak.fetch_max(budget.reserved(), Ordering::Relaxed);
                            drop(permit);
                        }
                    }
                });
            }
        });
        assert!(peak.load(Ordering::Relaxed) <= 1000);
        assert_eq!(budget.reserved(), 0);
    }
}
