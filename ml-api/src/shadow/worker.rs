//! The shadow thread: takes jobs off the queue, scores them with the
//! challenger and compares the prices.
//!
//! It must never hold a CPU the workers need for long. Measured on two
//! cores at saturation (one-record bodies, 16 connections; BENCHMARKS §5):
//! a thread that drained its queue whenever it got a CPU held it for
//! milliseconds at a time, and the champion's p99 went from 0.8 ms to
//! 1.2–89 ms, though the thread ran at nice 19. Once running, a thread
//! keeps its CPU until it blocks or the scheduler's slice ends, whatever
//! its priority. So it scores for at most [`BURST`] at a stretch, then
//! sleeps [`PAUSE`]: the p99 came back to within 0.1 ms of one model's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use regression_model::ErrorLimit;

use super::{Comparisons, Job};

/// The longest the thread scores without giving up its CPU: a few
/// one-record jobs or chunks of a large one (only a body's parse is never
/// split).
pub const BURST: Duration = Duration::from_micros(250);

/// Rows of a job scored between two looks at the clock: well under
/// [`BURST`] for every shipped generation.
const CHUNK: usize = 16;

/// How long the thread sleeps after a full burst. With [`BURST`] it
/// bounds a backlogged shadow to a fifth of one CPU; a shadow that keeps
/// up empties its queue and blocks before its burst ends, and never
/// pauses. The trade-off, measured (BENCHMARKS §5): the champion's p99 at
/// saturation rose by 0.01–0.05 ms with a 1 ms pause, 0.06–0.07 ms with
/// 500 µs and up to 0.3 ms with 250 µs; the shorter pauses shadow more of
/// a busy server's traffic (one client at 10k requests/s: a quarter of
/// the sampled requests dropped with 1 ms, none with 500 µs). The tail
/// is the promise, so 1 ms.
pub const PAUSE: Duration = Duration::from_millis(1);

/// When the thread's current stretch of scoring began, and whether it has
/// run for its burst.
#[derive(Debug)]
struct Stretch {
    began: Instant,
    burst: Duration,
}

impl Stretch {
    fn new(burst: Duration) -> Stretch {
        Stretch {
            began: Instant::now(),
            burst,
        }
    }

    /// The thread has just woken (from the queue or from a pause).
    fn restart(&mut self, now: Instant) {
        self.began = now;
    }

    /// Sleeps for [`PAUSE`] if the burst is spent, and starts a new one.
    fn pace(&mut self) {
        if self.spent(Instant::now()) {
            std::thread::sleep(PAUSE);
            self.restart(Instant::now());
        }
    }

    /// Whether, at `now`, the thread has scored for its whole burst since
    /// it woke.
    fn spent(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.began) >= self.burst
    }
}

/// The shadow thread's loop. Ends when the sender (the server's state) is
/// dropped.
pub fn work(receiver: &Receiver<Job>, comparisons: &Comparisons, queued: &AtomicUsize) {
    lowest_priority();
    let mut stretch = Stretch::new(BURST);
    loop {
        let job = match receiver.try_recv() {
            Ok(job) => job,
            Err(TryRecvError::Empty) => match receiver.recv() {
                Ok(job) => {
                    stretch.restart(Instant::now());
                    job
                }
                Err(_) => return,
            },
            Err(TryRecvError::Disconnected) => return,
        };
        stretch.pace();
        queued.fetch_sub(job.bytes, Ordering::Relaxed);
        score(job, comparisons, &mut stretch);
    }
}

/// Scores one job with the challenger, [`CHUNK`] rows at a time so that a
/// large body keeps to the burst too, and records the comparison.
fn score(job: Job, comparisons: &Comparisons, stretch: &mut Stretch) {
    let mut prices = vec![None; job.champion_prices.len()];
    // A body the challenger refuses as a whole leaves every row refused.
    if let Ok(input) = (job.reparse)(&job.challenger.features) {
        for (i, rows) in input.rows.chunks(CHUNK).enumerate() {
            if i > 0 {
                stretch.pace();
            }
            // Only prices are compared: no error message needs writing.
            let outcome = job
                .challenger
                .model
                .pipeline
                .predict_rows_with(rows, ErrorLimit::Total(0));
            for p in &outcome.predictions {
                if let Some(slot) = prices.get_mut(i * CHUNK + p.row) {
                    *slot = Some(p.price);
                }
            }
        }
    }
    comparisons.observe(
        &job.champion,
        &job.challenger.name,
        &job.champion_prices,
        &prices,
    );
}

/// Gives the shadow thread the lowest CPU priority (nice 19; Linux sets
/// it per thread): while the workers keep every CPU busy the shadow gets
/// little of it, its queue fills and sampled requests are dropped and
/// counted, rather than the champion's requests slowing down.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn lowest_priority() {
    // SAFETY: plain system calls on this thread's own id.
    let done = unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19)
    };
    if done != 0 {
        log::warn!(
            "the shadow thread keeps the workers' CPU priority: {}",
            std::io::Error::last_os_error()
        );
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn lowest_priority() {}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{ModelSource, verify};

    /// 120 synthetic houses: several chunks.
    const HOUSES: &str = include_str!("../../../regression-model/fixtures/synthetic/test.csv");

    #[test]
    fn a_job_of_several_chunks_is_compared_row_for_row() {
        let bytes = regression_model::shipped_bytes().unwrap();
        let model = Arc::new(verify(bytes, "shipped", ModelSource::Shipped).unwrap());
        let input = regression_model::read_csv(HOUSES.as_bytes()).unwrap();
        let rows = input.rows.len();
        assert!(rows > 3 * CHUNK);
        let mut champion_prices = vec![None; rows];
        for p in model.model.predict_rows(&input.rows).predictions {
            champion_prices[p.row] = Some(p.price);
        }
        let priced = champion_prices.iter().flatten().count();
        let job = Job {
            champion: "shipped".into(),
            challenger: model.clone(),
            reparse: Box::new(move |_| Ok(input)),
            bytes: HOUSES.len(),
            champion_prices,
        };
        let comparisons = Comparisons::default();

        score(job, &comparisons, &mut Stretch::new(BURST));

        // The same model on both sides: a row scored in a later chunk but
        // filed under the wrong row would differ.
        let pair = &comparisons.summaries()[0];
        assert_eq!(pair.rows_compared as usize, priced);
        assert_eq!(pair.abs_log_diff.max, Some(0.0));
    }

    #[test]
    fn a_stretch_is_spent_once_its_burst_has_passed_and_fresh_after_a_restart() {
        let mut stretch = Stretch::new(BURST);
        let woke = stretch.began;
        assert!(!stretch.spent(woke + BURST - Duration::from_micros(1)));
        assert!(stretch.spent(woke + BURST));
        // A clock read before the stretch began is not a spent stretch.
        stretch.restart(woke + BURST);
        assert!(!stretch.spent(woke));
        assert!(!stretch.spent(woke + BURST));
        assert!(stretch.spent(woke + BURST * 2));
    }
}
