//! The soak's figures and verdict, as Markdown.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::{Args, Reload, Tally};

pub struct Report {
    pub markdown: String,
    pub passed: bool,
    pub failures: Vec<String>,
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

/// Answers whose model version contradicts the reload times: before the
/// first reload began only A may answer, between the first's end and the
/// second's start only B, after the second's end only A.
fn stale_answers(tally: &Tally, reloads: &[Reload], versions: [&String; 2]) -> usize {
    let [a, b] = versions;
    let (Some(first), Some(second)) = (reloads.first(), reloads.get(1)) else {
        return 0;
    };
    tally
        .samples
        .iter()
        .filter(|s| {
            let Some(version) = &s.version else {
                return false;
            };
            let must = if s.ended < first.begun {
                Some(a)
            } else if s.started > first.done && s.ended < second.begun {
                Some(b)
            } else if s.started > second.done {
                Some(a)
            } else {
                None
            };
            must.is_some_and(|m| m != version)
        })
        .count()
}

pub fn write(
    args: &Args,
    tally: &Tally,
    reloads: &[Reload],
    versions: [&String; 2],
    (rss_before, rss_after): (u64, u64),
    shadow: Option<&str>,
) -> Report {
    let total = tally.samples.len();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_version: BTreeMap<String, usize> = BTreeMap::new();
    for s in &tally.samples {
        *by_status.entry(s.status).or_default() += 1;
        *by_kind.entry(format!("{:?}", s.kind)).or_default() += 1;
        if let Some(v) = &s.version {
            *by_version.entry(v.clone()).or_default() += 1;
        }
    }
    let mut all: Vec<u32> = tally.samples.iter().map(|s| s.micros).collect();
    all.sort_unstable();
    let mut predictions: Vec<u32> = tally
        .samples
        .iter()
        .filter(|s| s.kind.is_prediction())
        .map(|s| s.micros)
        .collect();
    predictions.sort_unstable();
    let server_errors: usize = by_status.range(500..).map(|(_, n)| n).sum();
    let stale = stale_answers(tally, reloads, versions);
    let growth = if rss_before == 0 {
        f64::INFINITY
    } else {
        (rss_after as f64 - rss_before as f64) / rss_before as f64 * 100.0
    };
    let mut failures = Vec::new();
    if server_errors > 0 {
        failures.push(format!("{server_errors} answers with a 5xx"));
    }
    if !tally.dropped.is_empty() {
        failures.push(format!(
            "{} dropped connections: {:?}",
            tally.dropped.len(),
            &tally.dropped[..tally.dropped.len().min(5)]
        ));
    }
    if !tally.wrong.is_empty() {
        failures.push(format!(
            "{} wrong answers: {:?}",
            tally.wrong.len(),
            &tally.wrong[..tally.wrong.len().min(5)]
        ));
    }
    if stale > 0 {
        failures.push(format!(
            "{stale} answers from the wrong model for their time"
        ));
    }
    if reloads.iter().any(|r| !r.ok) || reloads.len() != 2 {
        failures.push(format!("reloads failed: {reloads:?}"));
    }
    if growth >= 10.0 {
        failures.push(format!("RSS grew {growth:.1}% (limit 10%)"));
    }
    let passed = failures.is_empty();

    let mut md = String::new();
    let seconds = args.seconds as f64;
    let _ = writeln!(md, "| figure | value |\n|---|---|");
    let _ = writeln!(
        md,
        "| duration (after {} s warm-up) | {} s |",
        args.warmup, args.seconds
    );
    let _ = writeln!(md, "| connections | {} |", args.connections);
    let _ = writeln!(
        md,
        "| requests answered | {total} ({:.0}/s) |",
        total as f64 / seconds
    );
    let _ = writeln!(md, "| dropped connections | {} |", tally.dropped.len());
    let _ = writeln!(
        md,
        "| wrong answers (status or price) | {} |",
        tally.wrong.len()
    );
    let _ = writeln!(
        md,
        "| answers from the wrong model for their time | {stale} |"
    );
    let _ = writeln!(md, "| 5xx | {server_errors} |");
    let statuses: Vec<String> = by_status.iter().map(|(s, n)| format!("{s}: {n}")).collect();
    let _ = writeln!(md, "| by status | {} |", statuses.join(", "));
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    let _ = writeln!(md, "| by kind | {} |", kinds.join(", "));
    let models: Vec<String> = by_version
        .iter()
        .map(|(v, n)| format!("{v}: {n}"))
        .collect();
    let _ = writeln!(
        md,
        "| checked predictions by model version | {} |",
        models.join(", ")
    );
    let _ = writeln!(
        md,
        "| latency, all (ms) | p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2} |",
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0),
        percentile(&all, 100.0)
    );
    let _ = writeln!(
        md,
        "| latency, predictions (ms) | p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2} |",
        percentile(&predictions, 50.0),
        percentile(&predictions, 90.0),
        percentile(&predictions, 99.0),
        percentile(&predictions, 100.0)
    );
    let _ = writeln!(
        md,
        "| server RSS before / after | {:.1} MiB / {:.1} MiB ({growth:+.1}%) |",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
    for r in reloads {
        let _ = writeln!(
            md,
            "| swap: {} to {} | at {:.1} s, done in {:.1} ms, {} |",
            r.how,
            r.to_version,
            r.begun,
            (r.done - r.begun) * 1000.0,
            if r.ok { "ok" } else { "FAILED" }
        );
    }
    if let Some(shadow) = shadow {
        let _ = writeln!(md, "| shadow (GET /v1/models/compare) | {shadow} |");
    }
    let _ = writeln!(
        md,
        "| verdict | {} |",
        if passed { "passed" } else { "FAILED" }
    );
    Report {
        markdown: md,
        passed,
        failures,
    }
}
