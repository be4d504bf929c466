//! Where a prediction request's time goes, by model:
//! `ml_api_stage_duration_seconds{model_version, stage}` with the stages
//! `validate` (the body's shape and limits, checked before parsing: JSON
//! depth, record count; v1 bodies), `parse` (text to rows), `predict` (the
//! model: row checks, transforms, estimator) and `serialise` (the answer
//! to JSON).
//!
//! The v1 parser checks and parses inside one call; it marks the end of
//! its checks with [`mark_validated`] on the thread that runs it, and the
//! caller reads the mark with [`take_validated`] right after the call, on
//! the same thread and with no `await` in between, so requests sharing a
//! worker cannot see each other's mark.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Bucket bounds, in seconds: a one-record parse takes microseconds.
const BUCKETS: [f64; 12] = [
    0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.005, 0.025, 0.1,
    1.0,
];

/// A stage of a prediction request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Validate,
    Parse,
    Predict,
    Serialise,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Validate => "validate",
            Stage::Parse => "parse",
            Stage::Predict => "predict",
            Stage::Serialise => "serialise",
        }
    }
}

thread_local! {
    static VALIDATED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Notes that the body's checks are done (called by the v1 parser).
pub fn mark_validated() {
    VALIDATED.with(|v| v.set(Some(Instant::now())));
}

/// The mark left by [`mark_validated`] on this thread, cleared.
pub fn take_validated() -> Option<Instant> {
    VALIDATED.with(Cell::take)
}

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len() + 1],
}

/// Stage histograms by (model, stage).
#[derive(Debug, Default)]
pub struct StageTimes(Mutex<BTreeMap<(Arc<str>, Stage), Series>>);

impl StageTimes {
    /// Records the stages of one request under one lock.
    pub fn observe(&self, model: &Arc<str>, stages: &[(Stage, Duration)]) {
        let mut series = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for (stage, elapsed) in stages {
            let seconds = elapsed.as_secs_f64();
            let slot = BUCKETS
                .iter()
                .position(|bound| seconds <= *bound)
                .unwrap_or(BUCKETS.len());
            let s = series.entry((model.clone(), *stage)).or_default();
            s.count += 1;
            s.sum += seconds;
            s.buckets[slot] += 1;
        }
    }

    pub fn render(&self, out: &mut String) {
        let name = "ml_api_stage_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Time spent in each stage of a prediction request (validate, parse, predict, serialise), by model.\n# TYPE {name} histogram"
        );
        let series = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for ((model, stage), s) in series {
            let labels = format!(
                "model_version=\"{}\",stage=\"{}\"",
                super::escape(&model),
                stage.label()
            );
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(&s.buckets) {
                cumulative += n;
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", s.count);
        }
    }
}
