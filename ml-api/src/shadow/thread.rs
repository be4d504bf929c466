//! The shadow's thread: it takes the queued jobs, naps while the queue is
//! empty and parks when it stays empty, so the request path wakes it only
//! when it is parked or the queue is filling; it hands what the request
//! path allocated for a job back to be freed there; and it runs at the
//! lowest CPU priority.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use regression_model::ErrorLimit;

use super::{Comparisons, Job, Reparse};

/// How long the shadow thread naps between looks at an empty queue: one
/// scheduler tick of a `HZ=250` kernel. Jobs sent meanwhile wait at most
/// this long, and at 40,000 sampled requests a second about 160 of them
/// gather, well within the default `SHADOW_QUEUE`.
pub const LINGER: Duration = Duration::from_millis(4);

/// Empty naps (about 64 ms) before the thread parks until a send wakes it:
/// an idle service does not keep a thread waking 250 times a second.
pub const LINGER_ROUNDS: u32 = 16;

/// A parked thread looks at its queue this often even unwoken, so a wake-up
/// lost to a race between parking and a send delays jobs, never strands
/// them.
const PARKED_RECHECK: Duration = Duration::from_millis(100);

/// What the shadow thread and the request path share besides the queue.
#[derive(Debug)]
pub(super) struct Waiting {
    /// Jobs in the queue, to wake the thread when it is half full.
    pub(super) jobs: AtomicUsize,
    /// Set while the thread is parked until woken (not while it naps).
    pub(super) parked: AtomicBool,
    /// Scored jobs' leftovers, for the request path to free; at most the
    /// queue's length (its capacity, reserved once, is never grown).
    pub(super) spent: Mutex<Vec<Spent>>,
}

/// What the request path allocated for a job, back from the shadow thread.
/// Its body's bytes stay counted against `SHADOW_QUEUE_BYTES` until it is
/// freed: the bound is on what the shadow holds, queued or handed back.
pub(super) struct Spent {
    _reparse: Reparse,
    _champion_prices: Vec<Option<f64>>,
    bytes: usize,
}

impl std::fmt::Debug for Spent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Spent")
    }
}

impl Waiting {
    pub(super) fn new(queue: usize) -> Waiting {
        Waiting {
            jobs: AtomicUsize::new(0),
            parked: AtomicBool::new(false),
            spent: Mutex::new(Vec::with_capacity(queue)),
        }
    }

    /// Frees up to `most` leftovers on the calling (request) thread and
    /// uncounts their bytes. Only tries the lock: a request never waits
    /// for the shadow thread.
    pub(super) fn free_spent(&self, most: usize, queued: &AtomicUsize) {
        if let Ok(mut spent) = self.spent.try_lock() {
            let keep = spent.len().saturating_sub(most);
            let bytes: usize = spent[keep..].iter().map(|s| s.bytes).sum();
            spent.truncate(keep);
            queued.fetch_sub(bytes, Ordering::Relaxed);
        }
    }

    /// Hands a scored job's leftovers back, or frees them here when the
    /// list is full (no request came to take them).
    fn hand_back(&self, leftovers: Spent, queued: &AtomicUsize) {
        let bytes = leftovers.bytes;
        if let Ok(mut spent) = self.spent.lock()
            && spent.len() < spent.capacity()
        {
            spent.push(leftovers);
            return;
        }
        drop(leftovers);
        queued.fetch_sub(bytes, Ordering::Relaxed);
    }
}

/// Gives the shadow thread the lowest CPU priority (nice 19; Linux sets
/// it per thread): while the workers keep every CPU busy the shadow gets
/// almost none of it, its queue fills and sampled requests are dropped and
/// counted, rather than the champion's requests slowing down; on idle CPU
/// it runs at full speed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn yield_to_requests() {
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
fn yield_to_requests() {}

/// The shadow thread: takes the queued jobs, naps while the queue is empty
/// ([`LINGER`]), parks when it stays empty. Ends when the sender (the
/// server's state) is dropped.
pub(super) fn work(
    receiver: &Receiver<Job>,
    comparisons: &Comparisons,
    queued: &AtomicUsize,
    waiting: &Waiting,
) {
    yield_to_requests();
    let mut empty_naps = 0;
    loop {
        match receiver.try_recv() {
            Ok(job) => {
                empty_naps = 0;
                waiting.jobs.fetch_sub(1, Ordering::Relaxed);
                waiting.hand_back(score(job, comparisons), queued);
            }
            Err(TryRecvError::Disconnected) => return,
            Err(TryRecvError::Empty) if empty_naps < LINGER_ROUNDS => {
                empty_naps += 1;
                std::thread::park_timeout(LINGER);
            }
            Err(TryRecvError::Empty) => {
                waiting.parked.store(true, Ordering::SeqCst);
                // A job sent before the flag was seen would not wake us.
                if matches!(receiver.try_recv(), Err(TryRecvError::Empty)) {
                    std::thread::park_timeout(PARKED_RECHECK);
                }
                waiting.parked.store(false, Ordering::SeqCst);
                empty_naps = 0;
            }
        }
    }
}

/// Scores one job with the challenger and compares it with the champion;
/// returns what the request path allocated for it.
fn score(job: Job, comparisons: &Comparisons) -> Spent {
    let challenger_prices = match (job.reparse)(&job.challenger.features) {
        Ok(input) => {
            // Only prices are compared: no error needs keeping.
            let response = job
                .challenger
                .model
                .predict_input(&input, ErrorLimit::Total(0));
            let mut prices = vec![None; job.champion_prices.len()];
            for p in &response.predictions {
                if let Some(slot) = prices.get_mut(p.row) {
                    *slot = Some(p.price);
                }
            }
            prices
        }
        // The challenger refused the whole body: every row refused.
        Err(_) => vec![None; job.champion_prices.len()],
    };
    comparisons.observe(
        &job.champion,
        &job.challenger.name,
        &job.champion_prices,
        &challenger_prices,
    );
    Spent {
        _reparse: job.reparse,
        _champion_prices: job.champion_prices,
        bytes: job.bytes,
    }
}
