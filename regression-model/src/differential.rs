//! Differential testing between model versions: the predictions one version
//! made on a fixed slice of the test data are captured in `fixtures/`, and a
//! new version's predictions on the same rows must stay within a relative
//! tolerance (5% by default, as in the course) of them.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::pipeline::Prediction;

/// One captured prediction: the data row it was made for, its `Id`, the price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Captured {
    /// The data row it was made for.
    pub row: usize,
    /// The row's `Id`, if it has one.
    pub id: Option<i64>,
    /// The predicted price.
    pub price: f64,
}

/// A captured file: the version that made it and its predictions.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    /// The model version that made the predictions.
    pub version: String,
    /// Its predictions, in row order.
    pub predictions: Vec<Captured>,
}

/// Writes a capture: a comment line naming the version, then `row,Id,SalePrice`.
pub fn write_capture(
    path: &Path,
    version: &str,
    source: &str,
    predictions: &[Captured],
) -> Result<()> {
    let mut text = format!("# model {version} predictions on {source}\nrow,Id,SalePrice\n");
    for p in predictions {
        text += &format!(
            "{},{},{}\n",
            p.row,
            p.id.map(|i| i.to_string()).unwrap_or_default(),
            p.price
        );
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.into(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })
}

/// Reads a capture written by [`write_capture`].
pub fn read_capture(path: &Path) -> Result<Capture> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    let bad = |line: usize, what: &str| Error::Csv {
        line: line as u64 + 1,
        message: format!("{}: {what}", path.display()),
    };
    let mut lines = text.lines().enumerate();
    let version = lines
        .next()
        .and_then(|(_, l)| l.strip_prefix("# model "))
        .and_then(|l| l.split_whitespace().next())
        .ok_or_else(|| bad(0, "expected a `# model <version> ...` first line"))?
        .to_owned();
    if lines.next().map(|(_, l)| l) != Some("row,Id,SalePrice") {
        return Err(bad(1, "expected the header row,Id,SalePrice"));
    }
    let mut predictions = Vec::new();
    for (n, line) in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let [row, id, price] = cells[..] else {
            return Err(bad(n, "expected 3 cells"));
        };
        predictions.push(Captured {
            row: row.parse().map_err(|_| bad(n, "row is not a number"))?,
            id: if id.is_empty() {
                None
            } else {
                Some(id.parse().map_err(|_| bad(n, "Id is not an integer"))?)
            },
            price: price
                .parse()
                .map_err(|_| bad(n, "SalePrice is not a number"))?,
        });
    }
    Ok(Capture {
        version,
        predictions,
    })
}

/// Finds the capture to compare a version with: the newest capture of an
/// older version in `dir`, or, for a crate's first version, its own.
pub fn baseline_for(dir: &Path, version: &str) -> Option<PathBuf> {
    let parse = |v: &str| {
        v.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    let current = parse(version);
    let mut candidates: Vec<(Vec<u64>, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let v = name
                .strip_prefix("predictions-v")?
                .strip_suffix(".csv")?
                .to_owned();
            Some((parse(&v), e.path()))
        })
        .filter(|(v, _)| *v <= current)
        .collect();
    candidates.sort();
    let older = candidates.iter().rev().find(|(v, _)| *v < current);
    older.or(candidates.last()).map(|(_, p)| p.clone())
}

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
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    };
    let file: File = toml::from_str(&text).map_err(|e| Error::Config {
        origin: path.display().to_string(),
        message: e.to_string(),
    })?;
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
