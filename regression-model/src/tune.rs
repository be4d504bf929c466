//! Grid search by k-fold cross-validation, in parallel across grid points
//! and folds (rayon). A grid parameter is a path into the pipeline config
//! and a list of values, e.g. `estimator.alpha=0.0005,0.001` or
//! `steps[12].tolerance=0.01,0.02`; the grid is the cartesian product of the
//! parameters, in the order given (the last one varies fastest).
//!
//! Every (point, fold) task is deterministic and results are gathered in
//! task order, so the numbers are identical for any thread count.

use serde::{Deserialize, Serialize};

use crate::config::{CheckedConfig, PipelineConfig};
use crate::cv::{FoldScore, Labelled, Summary, score_fold};
use crate::error::{Error, Result};
use crate::split::k_folds;

/// The most worker threads a tuning run starts, whatever it is asked for.
const MAX_THREADS: usize = 256;

/// The most grid points one run takes (each is `folds` fits).
const MAX_GRID_POINTS: usize = 10_000;

/// One `--grid path=v1,v2,...` parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct GridParam {
    /// Where the value goes in the config (`estimator.alpha`, `steps[2].tolerance`).
    pub path: String,
    /// The values to try.
    pub values: Vec<toml::Value>,
}

impl std::str::FromStr for GridParam {
    type Err = String;

    /// Values are TOML values (`0.001`, `10`, `true`, `"log"`); anything that
    /// is not one is taken as a string.
    fn from_str(text: &str) -> Result<GridParam, String> {
        let (path, values) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}`: expected <path>=<value>[,<value>...]"))?;
        let values: Vec<toml::Value> = values
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                toml::from_str::<toml::Table>(&format!("v = {v}"))
                    .ok()
                    .and_then(|mut t| t.remove("v"))
                    .unwrap_or_else(|| toml::Value::String(v.to_owned()))
            })
            .collect();
        if path.trim().is_empty() || values.is_empty() {
            return Err(format!("`{text}`: expected <path>=<value>[,<value>...]"));
        }
        Ok(GridParam {
            path: path.trim().to_owned(),
            values,
        })
    }
}

/// One point of the grid: its settings and the config they give.
#[derive(Debug, Clone)]
pub struct GridPoint {
    /// `(path, value)` for each grid parameter.
    pub settings: Vec<(String, toml::Value)>,
    /// The base config with those values, checked.
    pub config: CheckedConfig,
}

/// Expands the grid over `base`; with no parameters, the one point `base`.
///
/// # Errors
/// [`Error::Config`] for a path that leads nowhere or a value the config
/// check refuses, naming the setting.
pub fn expand(base: &CheckedConfig, params: &[GridParam]) -> Result<Vec<GridPoint>> {
    let origin = format!("grid over {}", base.config().name);
    let fail = |message: String| Error::Config {
        origin: origin.clone(),
        message,
    };
    for (i, param) in params.iter().enumerate() {
        if params[..i].iter().any(|p| p.path == param.path) {
            // The later values would silently overwrite the earlier ones.
            return Err(fail(format!(
                "{} is given twice; list its values once, comma-separated",
                param.path
            )));
        }
    }
    let points = params
        .iter()
        .try_fold(1usize, |n, p| n.checked_mul(p.values.len()))
        .filter(|&n| n <= MAX_GRID_POINTS);
    if points.is_none() {
        return Err(fail(format!(
            "the grid has more than {MAX_GRID_POINTS} points; tune fewer settings at once"
        )));
    }
    let mut combos: Vec<Vec<(String, toml::Value)>> = vec![Vec::new()];
    for param in params {
        combos = combos
            .into_iter()
            .flat_map(|combo| {
                param.values.iter().map(move |v| {
                    let mut next = combo.clone();
                    next.push((param.path.clone(), v.clone()));
                    next
                })
            })
            .collect();
    }
    let root = toml::Value::try_from(base.config()).map_err(|e| fail(e.to_string()))?;
    combos
        .into_iter()
        .map(|settings| {
            let mut value = root.clone();
            for (path, v) in &settings {
                set_path(&mut value, path, v.clone()).map_err(|m| fail(format!("{path}: {m}")))?;
            }
            let described = describe(&settings);
            let config: PipelineConfig = value
                .try_into()
                .map_err(|e: toml::de::Error| fail(format!("{described}: {}", e.message())))?;
            let config = config
                .check()
                .map_err(|m| fail(format!("{described}: {m}")))?;
            Ok(GridPoint { settings, config })
        })
        .collect()
}

/// `a=1, b=2` for messages and tables.
pub fn describe(settings: &[(String, toml::Value)]) -> String {
    if settings.is_empty() {
        return "(config as given)".into();
    }
    settings
        .iter()
        .map(|(p, v)| format!("{p}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets `a.b[2].c` in a TOML value; the last key may be new.
fn set_path(root: &mut toml::Value, path: &str, value: toml::Value) -> Result<(), String> {
    let mut keys: Vec<(&str, Vec<usize>)> = Vec::new();
    for segment in path.split('.') {
        let (name, rest) = segment.split_once('[').unwrap_or((segment, ""));
        let indices = rest
            .split('[')
            .filter(|s| !s.is_empty())
            .map(|s| s.trim_end_matches(']').parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| format!("`{segment}` has an index that is not a number"))?;
        keys.push((name, indices));
    }
    let last = keys.len() - 1;
    let mut at = root;
    for (depth, (name, indices)) in keys.into_iter().enumerate() {
        let table = at
            .as_table_mut()
            .ok_or_else(|| format!("`{name}` is not inside a table"))?;
        if depth == last && indices.is_empty() {
            table.insert(name.to_owned(), value);
            return Ok(());
        }
        at = table
            .get_mut(name)
            .ok_or_else(|| format!("the config has no `{name}`"))?;
        for index in indices {
            let len = at.as_array().map_or(0, Vec::len);
            at = at
                .as_array_mut()
                .and_then(|a| a.get_mut(index))
                .ok_or_else(|| format!("`{name}[{index}]` does not exist ({len} entries)"))?;
        }
    }
    *at = value;
    Ok(())
}

/// The cross-validated result of one grid point.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PointResult {
    /// The settings, as one line (`estimator.alpha=0.001`).
    pub settings: String,
    /// Its cross-validated scores.
    pub summary: Summary,
    /// Each fold's score.
    pub folds: Vec<FoldScore>,
}

/// A whole grid search.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TuneReport {
    /// The base config's name.
    pub config: String,
    /// Labelled rows cross-validated on.
    pub rows: usize,
    /// Folds per point.
    pub folds: usize,
    /// Seed of the folds.
    pub seed: u64,
    /// Threads the points ran on.
    pub threads: usize,
    /// Every grid point's result, in grid order.
    pub points: Vec<PointResult>,
    /// Index into `points` of the lowest mean RMSLE (first on ties).
    pub best: usize,
}

/// Cross-validates every grid point on `k` folds, on `threads` threads.
///
/// # Errors
/// [`Error::TrainingData`] for fewer rows than folds, `k < 2`, or a fold that
/// cannot be fitted or predicts nothing; [`Error::Estimator`] if the thread
/// pool cannot be built.
pub fn tune(
    points: &[GridPoint],
    data: &Labelled,
    k: usize,
    seed: u64,
    threads: usize,
) -> Result<TuneReport> {
    tune_with(points, data, k, seed, threads, &|| {})
}

/// [`tune`], calling `fitted` once after each of the `points.len() × k`
/// fold fits, from whichever thread ran it: a grid takes minutes, and a
/// caller can show how far it is (the command line's progress bar) without
/// the crate knowing how it is shown. The report does not depend on it.
///
/// # Errors
/// As [`tune`].
pub fn tune_with(
    points: &[GridPoint],
    data: &Labelled,
    k: usize,
    seed: u64,
    threads: usize,
    fitted: &(dyn Fn() + Sync),
) -> Result<TuneReport> {
    use rayon::prelude::*;
    if k < 2 || data.len() < k {
        return Err(Error::TrainingData(format!(
            "{k}-fold cross-validation needs k >= 2 and at least k rows, got {} rows",
            data.len()
        )));
    }
    let folds = k_folds(data.len(), k, seed);
    let tasks: Vec<(usize, usize)> = (0..points.len())
        .flat_map(|p| (0..k).map(move |f| (p, f)))
        .collect();
    // More threads than fits would idle (results do not depend on the
    // count), and each costs a stack: `--threads 100000` must not start them.
    let threads = threads.clamp(1, tasks.len().min(MAX_THREADS));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Estimator(format!("cannot start {threads} threads: {e}")))?;
    let scores: Vec<Result<FoldScore>> = pool.install(|| {
        tasks
            .par_iter()
            .map(|&(p, f)| {
                let score = score_fold(&points[p].config, data, &folds, f);
                fitted();
                score
            })
            .collect()
    });
    let mut scores = scores.into_iter();
    let mut results = Vec::with_capacity(points.len());
    for point in points {
        let folds: Vec<FoldScore> = scores.by_ref().take(k).collect::<Result<_>>()?;
        results.push(PointResult {
            settings: describe(&point.settings),
            summary: Summary::of(&folds)?,
            folds,
        });
    }
    let best = (0..results.len())
        .min_by(|&a, &b| {
            let key = |i: usize| results[i].summary.rmsle_mean;
            key(a).total_cmp(&key(b)).then(a.cmp(&b))
        })
        .unwrap_or(0);
    Ok(TuneReport {
        config: points
            .first()
            .map(|p| p.config.config().name.clone())
            .unwrap_or_default(),
        rows: data.len(),
        folds: k,
        seed,
        threads: threads.max(1),
        points: results,
        best,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_values_parse_as_toml_values_or_strings() {
        let param: GridParam = "estimator.alpha=0.001, 1e-4,10,log".parse().unwrap();
        assert_eq!(param.path, "estimator.alpha");
        assert_eq!(
            param.values,
            vec![
                toml::Value::Float(0.001),
                toml::Value::Float(1e-4),
                toml::Value::Integer(10),
                toml::Value::String("log".into()),
            ]
        );
        assert!("alpha".parse::<GridParam>().is_err());
        assert!("alpha=".parse::<GridParam>().is_err());
    }

    #[test]
    fn set_path_walks_tables_and_arrays_and_may_add_a_last_key() {
        let mut value: toml::Value =
            toml::from_str("[e]\na = 1\n[[s]]\nt = 1\n[[s]]\nt = 2").unwrap();
        set_path(&mut value, "e.a", toml::Value::Integer(5)).unwrap();
        set_path(&mut value, "s[1].t", toml::Value::Integer(7)).unwrap();
        set_path(&mut value, "e.new", toml::Value::Boolean(true)).unwrap();
        assert_eq!(value["e"]["a"].as_integer(), Some(5));
        assert_eq!(value["s"][1]["t"].as_integer(), Some(7));
        assert_eq!(value["e"]["new"].as_bool(), Some(true));
        assert!(set_path(&mut value, "s[9].t", toml::Value::Integer(1)).is_err());
        assert!(set_path(&mut value, "x.y", toml::Value::Integer(1)).is_err());
    }
}
