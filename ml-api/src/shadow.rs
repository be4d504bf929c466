//! Shadow scoring: a share (`SHADOW_SAMPLE`) of the champion's requests is
//! scored again by the challenger, on one thread of its own, and the two
//! answers are compared row by row ([`compare`]).
//!
//! The request path only decides (by the request id, no lock), copies the
//! champion's prices and hands the body (a reference-counted buffer, not a
//! copy) to a bounded queue with `try_send`: when the queue holds
//! `SHADOW_QUEUE` requests or `SHADOW_QUEUE_BYTES` body bytes the request is
//! dropped and counted, never waited for. The challenger parses the body
//! itself, with its own columns, so the champion's parse is the same as
//! without a shadow, and nothing the challenger does can delay or fail the
//! champion's response. The thread runs at the lowest CPU priority and
//! never scores for long at a stretch ([`worker`]), so while the workers
//! are busy its queue fills and sampled requests are dropped (and counted)
//! instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};

use regression_model::{Column, InputRows, PredictionResponse};

use crate::configuration::ShadowSettings;
use crate::error::Error;
use crate::model::LoadedModel;
use crate::models::Target;

pub mod compare;
mod worker;

pub use compare::{Comparisons, PairSummary};

/// Parses a body for the challenger, with the challenger's columns.
pub type Reparse = Box<dyn FnOnce(&[Column]) -> Result<InputRows, Error> + Send>;

/// One request waiting for the challenger.
struct Job {
    champion: Arc<str>,
    challenger: Arc<LoadedModel>,
    reparse: Reparse,
    bytes: usize,
    /// The champion's answer per row: its price, or `None` when refused.
    champion_prices: Vec<Option<f64>>,
}

/// The shadow: its setting, its queue and what it has compared.
#[derive(Debug)]
pub struct Shadow {
    sample: f64,
    queue: usize,
    queue_bytes: usize,
    sender: Option<SyncSender<Job>>,
    queued_bytes: Arc<AtomicUsize>,
    enqueued: AtomicU64,
    dropped: AtomicU64,
    comparisons: Arc<Comparisons>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Job({} vs {})", self.champion, self.challenger.name)
    }
}

impl Shadow {
    /// A shadow with `settings`; with a share above 0 it starts its thread.
    ///
    /// # Errors
    /// The I/O error when the thread cannot be started.
    pub fn start(settings: ShadowSettings) -> std::io::Result<Shadow> {
        let mut shadow = Shadow::off();
        shadow.sample = settings.sample;
        shadow.queue = settings.queue;
        shadow.queue_bytes = settings.queue_bytes;
        if settings.sample > 0.0 {
            let (sender, receiver) = sync_channel(settings.queue);
            let comparisons = shadow.comparisons.clone();
            let queued = shadow.queued_bytes.clone();
            std::thread::Builder::new()
                .name("ml-api-shadow".into())
                .spawn(move || worker::work(&receiver, &comparisons, &queued))?;
            shadow.sender = Some(sender);
        }
        Ok(shadow)
    }

    /// No shadow scoring (`SHADOW_SAMPLE=0`).
    pub fn off() -> Shadow {
        let defaults = ShadowSettings::default();
        Shadow {
            sample: 0.0,
            queue: defaults.queue,
            queue_bytes: defaults.queue_bytes,
            sender: None,
            queued_bytes: Arc::default(),
            enqueued: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            comparisons: Arc::default(),
        }
    }

    /// The challenger that shadows this request, if any: the target is
    /// the champion, there is a challenger, and `draw` (a number in
    /// `[0, 1)` drawn for the request) falls within the sampled share.
    pub fn challenger_for(&self, target: &Target, draw: f64) -> Option<Arc<LoadedModel>> {
        if self.sender.is_some() && draw < self.sample {
            target.shadow.clone()
        } else {
            None
        }
    }

    /// Queues a served request for the challenger, or drops it when the
    /// queue is full; never blocks.
    pub fn submit(
        &self,
        champion: &LoadedModel,
        challenger: Arc<LoadedModel>,
        bytes: usize,
        reparse: Reparse,
        response: &PredictionResponse,
        rows: usize,
    ) {
        let Some(sender) = &self.sender else { return };
        let queued = self.queued_bytes.fetch_add(bytes, Ordering::Relaxed);
        if queued + bytes > self.queue_bytes {
            self.queued_bytes.fetch_sub(bytes, Ordering::Relaxed);
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let mut champion_prices = vec![None; rows];
        for p in &response.predictions {
            if let Some(slot) = champion_prices.get_mut(p.row) {
                *slot = Some(p.price);
            }
        }
        let job = Job {
            champion: champion.name.clone(),
            challenger,
            reparse,
            bytes,
            champion_prices,
        };
        match sender.try_send(job) {
            Ok(()) => {
                self.enqueued.fetch_add(1, Ordering::Relaxed);
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.queued_bytes.fetch_sub(bytes, Ordering::Relaxed);
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn sample(&self) -> f64 {
        self.sample
    }

    /// (queued so far, dropped so far, capacity in requests, in bytes).
    pub fn queue_counts(&self) -> (u64, u64, usize, usize) {
        (
            self.enqueued.load(Ordering::Relaxed),
            self.dropped.load(Ordering::Relaxed),
            self.queue,
            self.queue_bytes,
        )
    }

    pub fn comparisons(&self) -> &Comparisons {
        &self.comparisons
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::model::{ModelSource, verify};

    fn shipped(name: &str) -> Arc<LoadedModel> {
        let bytes = regression_model::shipped_bytes().unwrap();
        let model = verify(bytes, "shipped", ModelSource::Shipped).unwrap();
        Arc::new(model.named(Some(name)))
    }

    fn reparse(rows: InputRows) -> Reparse {
        Box::new(move |_| Ok(rows))
    }

    /// A shadow of every request, with `settings`' queue.
    fn sampling_all(settings: ShadowSettings) -> Shadow {
        Shadow::start(ShadowSettings {
            sample: 1.0,
            ..settings
        })
        .unwrap()
    }

    /// Two copies of the shipped model, the smoke rows and model a's
    /// answer to them.
    struct Smoke {
        a: Arc<LoadedModel>,
        b: Arc<LoadedModel>,
        rows: InputRows,
        response: PredictionResponse,
    }

    fn smoke() -> Smoke {
        let (a, b) = (shipped("a"), shipped("b"));
        let rows = regression_model::read_csv(crate::model::SMOKE_ROWS.as_bytes()).unwrap();
        let response = a.model.predict_rows(&rows.rows);
        Smoke {
            a,
            b,
            rows,
            response,
        }
    }

    #[test]
    fn a_body_larger_than_the_queue_bytes_is_dropped_and_counted_without_waiting() {
        let shadow = sampling_all(ShadowSettings {
            queue: 4,
            queue_bytes: 1 << 16,
            ..ShadowSettings::default()
        });
        let Smoke {
            a,
            b,
            rows,
            response,
        } = smoke();
        let n = rows.rows.len();

        shadow.submit(
            &a,
            b.clone(),
            (1 << 16) + 1,
            reparse(rows.clone()),
            &response,
            n,
        );
        shadow.submit(&a, b, 1000, reparse(rows), &response, n);

        let (queued, dropped, _, _) = shadow.queue_counts();
        assert_eq!((queued, dropped), (1, 1));
        wait_until(Duration::from_secs(10), || {
            !shadow.comparisons().summaries().is_empty()
        });
        let pair = &shadow.comparisons().summaries()[0];
        // The same model on both sides: every priced row agrees exactly.
        assert_eq!(pair.rows_compared as usize, response.predictions.len());
        assert_eq!(pair.abs_log_diff.max, Some(0.0));
    }

    #[test]
    fn a_backlog_longer_than_a_burst_is_scored_in_full_across_pauses() {
        let jobs = 300;
        let shadow = sampling_all(ShadowSettings {
            queue: jobs,
            queue_bytes: 1 << 20,
            ..ShadowSettings::default()
        });
        let Smoke {
            a,
            b,
            rows,
            response,
        } = smoke();
        let n = rows.rows.len();

        // Far more work than one burst: the thread pauses many times.
        for _ in 0..jobs {
            shadow.submit(&a, b.clone(), 100, reparse(rows.clone()), &response, n);
        }

        assert_eq!(shadow.queue_counts().1, 0, "nothing dropped");
        let expected = (jobs * response.predictions.len()) as u64;
        let compared = || {
            let summaries = shadow.comparisons().summaries();
            summaries.first().map_or(0, |pair| pair.rows_compared)
        };
        wait_until(Duration::from_secs(30), || compared() >= expected);
        assert_eq!(compared(), expected);
    }

    /// Polls `done` every 5 ms until it holds or `limit` has passed (the
    /// shadow thread works in the background).
    fn wait_until(limit: Duration, done: impl Fn() -> bool) {
        let started = Instant::now();
        while !done() && started.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
