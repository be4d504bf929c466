//! What the shadow found, per (champion, challenger) pair: rows compared,
//! rows refused by one model but not the other, and a histogram of
//! |ln(price_champion) − ln(price_challenger)| (0.01 is about 1%). Written
//! as Prometheus series and as the JSON of `GET /v1/models/compare`.
//!
//! Pairs are keyed by model names, which come from `MODELS` (at most
//! `MAX_MODELS` of them), so the label set is bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use serde::Serialize;

/// Upper bounds of the |ln ratio| buckets; the last slot is `+Inf`.
pub const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Debug, Default, Clone)]
struct Pair {
    requests: u64,
    compared: u64,
    refused_by_champion_only: u64,
    refused_by_challenger_only: u64,
    refused_by_both: u64,
    sum: f64,
    max: f64,
    buckets: [u64; BUCKETS.len() + 1],
}

/// Every pair's counts.
#[derive(Debug, Default)]
pub struct Comparisons {
    pairs: Mutex<BTreeMap<(String, String), Pair>>,
}

/// One pair's counts as `GET /v1/models/compare` shows them.
#[derive(Debug, Clone, Serialize)]
pub struct PairSummary {
    pub champion: String,
    pub challenger: String,
    pub requests: u64,
    pub rows_compared: u64,
    pub rows_refused_by_champion_only: u64,
    pub rows_refused_by_challenger_only: u64,
    pub rows_refused_by_both: u64,
    /// |ln(price_champion) − ln(price_challenger)| over the rows compared.
    pub abs_log_diff: Spread,
}

#[derive(Debug, Clone, Serialize)]
pub struct Spread {
    pub mean: Option<f64>,
    pub max: Option<f64>,
    /// Cumulative counts: rows whose difference is at most `le`.
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    pub le: f64,
    pub rows: u64,
}

impl Comparisons {
    /// Compares one request's answers row by row (`None`: refused).
    pub fn observe(
        &self,
        champion: &str,
        challenger: &str,
        champion_prices: &[Option<f64>],
        challenger_prices: &[Option<f64>],
    ) {
        let mut pairs = self.pairs.lock().unwrap_or_else(|e| e.into_inner());
        let key = (champion.to_owned(), challenger.to_owned());
        let pair = pairs.entry(key).or_default();
        pair.requests += 1;
        for (a, b) in champion_prices.iter().zip(challenger_prices) {
            match (a, b) {
                (Some(a), Some(b)) if *a > 0.0 && *b > 0.0 => {
                    let diff = (a.ln() - b.ln()).abs();
                    let slot = BUCKETS
                        .iter()
                        .position(|bound| diff <= *bound)
                        .unwrap_or(BUCKETS.len());
                    pair.buckets[slot] += 1;
                    pair.compared += 1;
                    pair.sum += diff;
                    pair.max = pair.max.max(diff);
                }
                // A price of 0 or less cannot be served (smoke test); if
                // one ever came it is as good as refused.
                (Some(_), Some(_)) | (None, None) => pair.refused_by_both += 1,
                (None, Some(_)) => pair.refused_by_champion_only += 1,
                (Some(_), None) => pair.refused_by_challenger_only += 1,
            }
        }
    }

    /// Every pair seen, by champion then challenger name.
    pub fn summaries(&self) -> Vec<PairSummary> {
        let pairs = self.pairs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        pairs
            .into_iter()
            .map(|((champion, challenger), p)| {
                let mut cumulative = 0;
                let buckets = BUCKETS
                    .iter()
                    .zip(&p.buckets)
                    .map(|(le, n)| {
                        cumulative += n;
                        Bucket {
                            le: *le,
                            rows: cumulative,
                        }
                    })
                    .collect();
                let any = p.compared > 0;
                PairSummary {
                    champion,
                    challenger,
                    requests: p.requests,
                    rows_compared: p.compared,
                    rows_refused_by_champion_only: p.refused_by_champion_only,
                    rows_refused_by_challenger_only: p.refused_by_challenger_only,
                    rows_refused_by_both: p.refused_by_both,
                    abs_log_diff: Spread {
                        mean: any.then(|| p.sum / p.compared as f64),
                        max: any.then_some(p.max),
                        buckets,
                    },
                }
            })
            .collect()
    }

    /// The shadow's series, with their headers.
    pub fn render(&self, out: &mut String) {
        let pairs = self.pairs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let labels = |(a, b): &(String, String)| format!("champion=\"{a}\",challenger=\"{b}\"");
        let name = "ml_api_shadow_abs_log_price_diff";
        let _ = writeln!(
            out,
            "# HELP {name} |ln(price_champion) - ln(price_challenger)| of the rows both models priced.\n# TYPE {name} histogram"
        );
        for (key, p) in &pairs {
            let labels = labels(key);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(&p.buckets) {
                cumulative += n;
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", p.compared);
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", p.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", p.compared);
        }
        let name = "ml_api_shadow_rows_compared_total";
        let _ = writeln!(
            out,
            "# HELP {name} Rows priced by both the champion and the challenger.\n# TYPE {name} counter"
        );
        for (key, p) in &pairs {
            let _ = writeln!(out, "{name}{{{}}} {}", labels(key), p.compared);
        }
        let name = "ml_api_shadow_rows_refused_total";
        let _ = writeln!(
            out,
            "# HELP {name} Shadowed rows refused, by which model refused them (champion, challenger: by one only; both).\n# TYPE {name} counter"
        );
        for (key, p) in &pairs {
            let labels = labels(key);
            for (by, n) in [
                ("champion", p.refused_by_champion_only),
                ("challenger", p.refused_by_challenger_only),
                ("both", p.refused_by_both),
            ] {
                let _ = writeln!(out, "{name}{{{labels},refused_by=\"{by}\"}} {n}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_compared_only_where_both_models_priced_them() {
        let comparisons = Comparisons::default();
        comparisons.observe(
            "a",
            "b",
            &[Some(100.0), None, Some(100.0), None],
            &[Some(110.0), Some(1.0), None, None],
        );
        let summary = &comparisons.summaries()[0];
        assert_eq!(summary.rows_compared, 1);
        assert_eq!(summary.rows_refused_by_champion_only, 1);
        assert_eq!(summary.rows_refused_by_challenger_only, 1);
        assert_eq!(summary.rows_refused_by_both, 1);
        let diff = (110.0f64.ln() - 100.0f64.ln()).abs();
        assert_eq!(summary.abs_log_diff.max, Some(diff));
        // 0.0953 is past 0.05 and within 0.1.
        let within = |le: f64| {
            summary
                .abs_log_diff
                .buckets
                .iter()
                .find(|b| b.le == le)
                .unwrap()
                .rows
        };
        assert_eq!((within(0.05), within(0.1)), (0, 1));
        let mut text = String::new();
        comparisons.render(&mut text);
        assert!(text.contains(
            "ml_api_shadow_rows_refused_total{champion=\"a\",challenger=\"b\",refused_by=\"challenger\"} 1"
        ), "{text}");
    }
}
