//! When a busy worker gives its CPU away (`YIELD_INTERVAL_US`).
//!
//! The kernel takes the CPU from a thread that never blocks only at its
//! timer tick: every 4 ms on a `HZ=250` kernel such as the benchmark
//! machine's. A worker kept busy by a steady stream of requests therefore
//! holds its CPU for milliseconds while whatever else wants that CPU waits: a
//! client on the same machine (the load tool), a batch thread, a sidecar.
//! Their delay comes back as ours, since an actix worker owns its
//! connections for their whole life. On the 2-core benchmark machine, with
//! the load tool sharing the cores, one-record predictions had a median of
//! 0.2–0.4 ms but a p99 of 1.3–4 ms, and `/health` a p99 of 7–8 ms: two
//! ticks. A worker that has been on its CPU for nearly all of the last
//! 250 µs now yields it once: p99 0.5–0.8 ms for one record, 0.6–0.7 ms for
//! `/health`, at the same throughput (BENCHMARKS.md §5). When nothing else
//! wants the CPU, a yield returns at once.
//!
//! Pinning each worker to a CPU of its own was tried first: it took the p99
//! of the generation-2 model from 1.3–2.4 ms to 0.4–1.7 ms but did nothing
//! for the shipped model's 3.4–4 ms, and nothing on top of yielding.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Share of an interval a worker must have spent on its CPU to yield it:
/// below that it blocked meanwhile, and others had their turn.
const BUSY_SHARE: f64 = 0.9;

/// The `YIELD_INTERVAL_US` policy: a worker that has been on its CPU for at
/// least 90% of the last interval yields it once. Checked as each request
/// starts: a clock read (vDSO), and at most once an interval the thread's
/// CPU time (a system call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Yielder {
    interval: Duration,
}

/// Where the calling worker's current interval began: the wall clock and
/// the thread's CPU time then.
#[derive(Debug, Clone, Copy)]
struct Mark {
    wall: Instant,
    cpu: Duration,
}

impl Yielder {
    /// `None` for an interval of zero (never yield).
    pub fn every(interval: Duration) -> Option<Yielder> {
        (!interval.is_zero()).then_some(Yielder { interval })
    }

    pub fn interval(self) -> Duration {
        self.interval
    }

    /// Called by a worker as a request starts: yields the CPU if the worker
    /// has been busy for most of the interval just ended. Returns whether
    /// it yielded.
    pub fn yield_if_busy(self, now: Instant) -> bool {
        thread_local! {
            static MARK: Cell<Option<Mark>> = const { Cell::new(None) };
        }
        MARK.with(|mark| {
            let last = mark.get();
            if last.is_some_and(|m| now.saturating_duration_since(m.wall) < self.interval) {
                return false;
            }
            let Some(cpu) = this_thread_cpu_time() else {
                return false;
            };
            let busy = last.is_some_and(|m| self.is_busy(m, now, cpu));
            if busy {
                std::thread::yield_now();
            }
            let wall = if busy { Instant::now() } else { now };
            mark.set(Some(Mark { wall, cpu }));
            busy
        })
    }

    /// Whether the thread spent at least [`BUSY_SHARE`] of the time since
    /// `mark`, an interval or more, on its CPU.
    fn is_busy(self, mark: Mark, now: Instant, cpu: Duration) -> bool {
        let wall = now.saturating_duration_since(mark.wall);
        let used = cpu.saturating_sub(mark.cpu);
        wall >= self.interval && used.as_secs_f64() >= BUSY_SHARE * wall.as_secs_f64()
    }
}

/// CPU time the calling thread has used.
#[cfg(target_os = "linux")]
fn this_thread_cpu_time() -> Option<Duration> {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(ClockId::ThreadCPUTime);
    Some(Duration::new(
        u64::try_from(t.tv_sec).ok()?,
        u32::try_from(t.tv_nsec).ok()?,
    ))
}

/// Elsewhere a thread's CPU time is not read, so workers never yield.
#[cfg(not(target_os = "linux"))]
fn this_thread_cpu_time() -> Option<Duration> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn mark_at(wall: Instant, cpu: Duration) -> Mark {
        Mark { wall, cpu }
    }

    #[test]
    fn zero_means_never() {
        assert_eq!(Yielder::every(Duration::ZERO), None);
        assert_eq!(Yielder::every(MS).map(Yielder::interval), Some(MS));
    }

    #[test]
    fn busy_means_on_the_cpu_for_nine_tenths_of_an_interval_or_more() {
        let yielder = Yielder::every(MS).unwrap();
        let start = Instant::now();
        let mark = mark_at(start, Duration::from_millis(10));
        let cpu_after = |used: Duration| Duration::from_millis(10) + used;

        let spun = yielder.is_busy(mark, start + 2 * MS, cpu_after(2 * MS));
        let mostly = yielder.is_busy(mark, start + 2 * MS, cpu_after(MS * 19 / 10));
        let waited = yielder.is_busy(mark, start + 2 * MS, cpu_after(MS));
        let idle_long = yielder.is_busy(mark, start + 1000 * MS, cpu_after(2 * MS));
        let too_soon = yielder.is_busy(mark, start + MS / 2, cpu_after(MS / 2));

        assert!(spun && mostly);
        assert!(!waited, "half the time off the CPU: it blocked");
        assert!(!idle_long, "idle most of a long gap");
        assert!(!too_soon, "less than an interval");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_thread_spinning_through_an_interval_yields_and_an_idle_one_does_not() {
        let yielder = Yielder::every(Duration::from_micros(200)).unwrap();
        let spin = |time: Duration| {
            let until = Instant::now() + time;
            while Instant::now() < until {
                std::hint::spin_loop();
            }
        };
        std::thread::spawn(move || {
            // The first call only starts the interval.
            assert!(!yielder.yield_if_busy(Instant::now()));
            // Sleeping through it: blocked, so no yield.
            std::thread::sleep(Duration::from_millis(2));
            assert!(!yielder.yield_if_busy(Instant::now()));
            // Spinning through it: busy. A machine busy with other work can
            // take the CPU from the spinning thread for a while, so it gets a
            // few intervals to show it.
            let yielded = (0..50).any(|_| {
                spin(Duration::from_millis(1));
                yielder.yield_if_busy(Instant::now())
            });
            assert!(yielded, "spinning for 1 ms never counted as busy");
            // Within the interval that follows a yield, no check at all.
            assert!(!yielder.yield_if_busy(Instant::now()));
        })
        .join()
        .unwrap();
    }
}
