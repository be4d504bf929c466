//! Differential testing between model versions: the predictions one version
//! made on a fixed slice of the test data are captured in `fixtures/`, and a
//! new version's predictions on the same rows must stay within a relative
//! tolerance (5% by default, as in the course) of them.

use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::pipeline::Prediction;

mod capture;

pub use capture::{Capture, Captured, baseline_for, read_capture, write_capture};

/// The tolerance a release review accepted for a deliberate model change,
/// recorded with its reason in `accepted.toml` beside the captures:
///
/// ```toml
/// [release."0.2.0"]
/// tolerance = 0.40
/// reason = "generation 3 replaces generation 2"
/// ```
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Accepted {
    /// The relative tolerance accepted for this release.
    pub tolerance: f64,
    /// Why the review accepted it.
    pub reason: String,
}

/// The accepted tolerance for `version` in `dir/accepted.toml`, if any.
pub fn accepted_for(dir: &Path, version: &str) -> Result<Option<Accepted>> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        release: std::collections::BTreeMap<String, Accepted>,
    }
    let path = dir.join("accepted.toml");
    if !path.exists() {
        return Ok(None);
    }
    let text = crate::config::read_config_text(&path)?;
    let file: File = toml::from_str(&text)
        .map_err(|e| crate::config::toml_error(&path.display().to_string(), &text, &e))?;
    Ok(file.release.get(version).cloned())
}

/// How the current predictions compare with a capture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Rows predicted both before and now.
    pub compared: usize,
    /// Rows whose price moved by more than the tolerance: (row, before, after).
    pub moved: Vec<(usize, f64, f64)>,
    /// Rows predicted before but rejected now, and the reverse.
    pub newly_rejected: Vec<usize>,
    /// Rows rejected before but predicted now (not a failure).
    pub newly_predicted: Vec<usize>,
}

impl Comparison {
    /// Whether nothing moved past the tolerance and no row is newly rejected.
    pub fn passed(&self) -> bool {
        self.moved.is_empty() && self.newly_rejected.is_empty()
    }
}

/// Compares `current` (rows numbered as in the capture) with `previous`.
pub fn compare(previous: &[Captured], current: &[Prediction], tolerance: f64) -> Comparison {
    let now: std::collections::BTreeMap<usize, f64> =
        current.iter().map(|p| (p.row, p.price)).collect();
    let before: std::collections::BTreeSet<usize> = previous.iter().map(|p| p.row).collect();
    let mut comparison = Comparison {
        compared: 0,
        moved: Vec::new(),
        newly_rejected: Vec::new(),
        newly_predicted: Vec::new(),
    };
    for p in previous {
        match now.get(&p.row) {
            Some(&price) => {
                comparison.compared += 1;
                if ((price - p.price) / p.price).abs() > tolerance {
                    comparison.moved.push((p.row, p.price, price));
                }
            }
            None => comparison.newly_rejected.push(p.row),
        }
    }
    comparison.newly_predicted = now
        .keys()
        .filter(|r| !before.contains(r))
        .copied()
        .collect();
    comparison
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(row: usize, price: f64) -> Captured {
        Captured {
            row,
            id: None,
            price,
        }
    }

    fn predicted(row: usize, price: f64) -> Prediction {
        Prediction {
            row,
            id: None,
            price,
            imputed: Vec::new(),
            extrapolated: Vec::new(),
        }
    }

    #[test]
    fn comparison_reports_rows_that_moved_beyond_the_tolerance() {
        let before = [captured(1, 100.0), captured(2, 100.0), captured(3, 100.0)];
        let after = [predicted(1, 104.0), predicted(2, 110.0), predicted(4, 50.0)];
        let c = compare(&before, &after, 0.05);
        assert_eq!(c.compared, 2);
        assert_eq!(c.moved, vec![(2, 100.0, 110.0)]);
        assert_eq!(c.newly_rejected, vec![3]);
        assert_eq!(c.newly_predicted, vec![4]);
        assert!(!c.passed());
    }

    #[test]
    fn a_capture_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("predictions-v1.2.3.csv");
        let rows = vec![
            Captured {
                row: 99,
                id: Some(1560),
                price: 123456.789,
            },
            captured(100, 1.5),
        ];
        write_capture(&path, "1.2.3", "test.csv rows 99..101", &rows).unwrap();
        assert_eq!(
            read_capture(&path).unwrap(),
            Capture {
                version: "1.2.3".into(),
                predictions: rows
            }
        );
    }

    #[test]
    fn an_accepted_tolerance_is_read_for_its_version_only() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(accepted_for(dir.path(), "0.2.0").unwrap(), None);
        std::fs::write(
            dir.path().join("accepted.toml"),
            "[release.\"0.2.0\"]\ntolerance = 0.4\nreason = \"new generation\"\n",
        )
        .unwrap();
        assert_eq!(
            accepted_for(dir.path(), "0.2.0")
                .unwrap()
                .unwrap()
                .tolerance,
            0.4
        );
        assert_eq!(accepted_for(dir.path(), "0.3.0").unwrap(), None);
        std::fs::write(
            dir.path().join("accepted.toml"),
            "[release.\"0.2.0\"]\ntolerance = \"lots\"",
        )
        .unwrap();
        assert!(accepted_for(dir.path(), "0.2.0").is_err());
    }

    #[test]
    fn the_baseline_is_the_newest_older_capture_or_the_versions_own() {
        let dir = tempfile::tempdir().unwrap();
        for v in ["0.1.0", "0.2.0", "0.10.0"] {
            std::fs::write(dir.path().join(format!("predictions-v{v}.csv")), "").unwrap();
        }
        let name = |v: &str| {
            baseline_for(dir.path(), v)
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        };
        assert_eq!(name("0.3.0"), "predictions-v0.2.0.csv");
        assert_eq!(name("0.10.0"), "predictions-v0.2.0.csv");
        assert_eq!(name("0.1.0"), "predictions-v0.1.0.csv");
    }
}
