//! Capture files: one version's predictions on a fixed slice of rows, as
//! CSV under a comment naming the version, and finding the capture a new
//! version is compared with. Comparing is the parent module's.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

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
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.into(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| Error::Write {
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
