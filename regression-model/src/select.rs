//! Feature selection that writes a new pipeline config, in two stages as
//! the course teaches:
//!
//! 1. **Filter**: among the config's features, drop constant, quasi-constant
//!    and duplicated columns ([`crate::analyze`]), then, for each correlated
//!    numeric pair (strongest first), the one less correlated with the log
//!    target (ties: the one listed later).
//! 2. **Embedded**: fit the remaining pipeline with a Lasso (the config's own
//!    alpha when its estimator is a Lasso, else `alpha`) on all rows, as the
//!    course's `SelectFromModel(Lasso)` does, and drop every feature all of
//!    whose columns got a zero coefficient (a one-hot feature stays when
//!    any of its columns is used; a feature also stays when a used column
//!    was computed from it).
//!
//! Steps are then restricted to the features left (a step left with no
//! column is removed).
//! Everything is deterministic: same config and data, same text.

use std::collections::BTreeSet;

use crate::analyze::{self, AnalyzeOptions, RawTable};
use crate::config::{CheckedConfig, PipelineConfig};
use crate::cv::Labelled;
use crate::error::{Error, Result};
use crate::estimator::{EstimatorConfig, FittedEstimator, Lasso};
use crate::input::InputRows;
use crate::pipeline::FittedPipeline;
use crate::plan::ColumnPlan;
use crate::transform::StepConfig;

/// Settings of a selection.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectOptions {
    /// Thresholds of the analysis that proposes removals.
    pub analysis: AnalyzeOptions,
    /// Lasso alpha when the config's estimator is not a Lasso (default 0.001,
    /// the course's).
    pub alpha: f64,
}

impl Default for SelectOptions {
    fn default() -> Self {
        SelectOptions {
            analysis: AnalyzeOptions::default(),
            alpha: 0.001,
        }
    }
}

/// A removed feature and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The removed feature.
    pub feature: String,
    /// Why it was removed.
    pub reason: String,
}

/// The selected config and the reasons for every removal.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The config with the remaining features.
    pub config: CheckedConfig,
    /// Every removed feature, in removal order.
    pub removed: Vec<Removal>,
    /// The Lasso alpha the selection fitted with.
    pub alpha: f64,
}

/// Selects features of `config` on labelled `data` (the same file read as
/// rows for fitting and as a table for the filter statistics).
///
/// # Errors
/// [`Error::Config`] for a blend (select a member instead) or when the
/// selection leaves no feature; training errors from the Lasso fit.
pub fn select(
    config: &CheckedConfig,
    table: &RawTable,
    data: &InputRows,
    options: &SelectOptions,
) -> Result<Selection> {
    let origin = config.config().name.clone();
    let fail = |message: String| Error::Config {
        origin: origin.clone(),
        message,
    };
    if !config.members().is_empty() {
        return Err(fail(
            "select works on one pipeline; run it on each blend member".into(),
        ));
    }
    let features: Vec<String> = config.config().features.clone();
    let mut removed = filter(&features, table, &options.analysis)?;
    let gone = |r: &[Removal], f: &str| r.iter().any(|x| x.feature == f);
    let kept: Vec<String> = features
        .iter()
        .filter(|f| !gone(&removed, f))
        .cloned()
        .collect();
    let filtered = restrict(config.config(), &kept).map_err(&fail)?;

    let alpha = match &config.config().estimator {
        EstimatorConfig::Lasso(lasso) => lasso.alpha,
        _ => options.alpha,
    };
    let lasso = EstimatorConfig::Lasso(Lasso {
        alpha,
        ..Lasso::default()
    });
    let probe = filtered.with_estimator(lasso).map_err(&fail)?;
    let labelled = Labelled::new(&probe, data)?;
    let records: Vec<_> = labelled.rows.iter().map(|r| &r.record).collect();
    let fitted = FittedPipeline::fit(&probe, &records, &labelled.targets)?;
    let FittedEstimator::Linear(linear) = &fitted.estimator else {
        return Err(fail("the Lasso probe did not fit a linear model".into()));
    };
    let plan = plan_of(&probe);
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut zeroed: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (name, w) in fitted.output_features.iter().zip(&linear.coefficients) {
        for source in plan.lineage(name) {
            if *w != 0.0 {
                used.insert(source);
            } else {
                zeroed.entry(source).or_default().push(name.clone());
            }
        }
    }
    for feature in &kept {
        if !used.contains(feature) {
            let columns = zeroed.get(feature).map_or(String::new(), |c| c.join(", "));
            removed.push(Removal {
                feature: feature.clone(),
                reason: format!("Lasso (alpha {alpha}) gave a zero coefficient to every column computed from it ({columns})"),
            });
        }
    }
    let kept: Vec<String> = kept.into_iter().filter(|f| used.contains(f)).collect();
    let mut selected = restrict(filtered.config(), &kept)
        .map_err(&fail)?
        .config()
        .clone();
    selected.name = format!("{}-selected", config.config().name);
    selected.description = format!(
        "{} (features selected by `regression-model select`)",
        config.config().description
    );
    Ok(Selection {
        config: selected.check().map_err(&fail)?,
        removed,
        alpha,
    })
}

/// Stage 1: the filter removals, in feature order.
fn filter(features: &[String], table: &RawTable, options: &AnalyzeOptions) -> Result<Vec<Removal>> {
    let sub = RawTable {
        rows: table.rows,
        columns: table
            .columns
            .iter()
            .filter(|c| features.contains(&c.name) || Some(&c.name) == options.target.as_ref())
            .cloned()
            .collect(),
        skipped_lines: table.skipped_lines.clone(),
    };
    let report = analyze::analyze(&sub, options)?;
    let redundancy = &report.redundancy;
    let mut removed: Vec<Removal> = Vec::new();
    for feature in features {
        let reason = if redundancy.constant.contains(feature) {
            Some("constant: one value in every row".to_owned())
        } else if let Some(q) = redundancy
            .quasi_constant
            .iter()
            .find(|q| &q.column == feature)
        {
            Some(format!(
                "quasi-constant: \"{}\" in {:.2}% of rows",
                q.value,
                100.0 * q.share
            ))
        } else {
            redundancy
                .duplicated
                .iter()
                .find(|d| &d.copy == feature)
                .map(|d| format!("duplicate of {} in every row", d.original))
        };
        if let Some(reason) = reason {
            removed.push(Removal {
                feature: feature.clone(),
                reason,
            });
        }
    }
    let target_r = |name: &str| {
        report
            .columns
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.target_correlation)
            .map_or(0.0, f64::abs)
    };
    let position = |name: &str| {
        features
            .iter()
            .position(|f| f == name)
            .unwrap_or(usize::MAX)
    };
    for pair in &redundancy.correlated {
        let gone = |f: &str| removed.iter().any(|r| r.feature == f);
        if gone(&pair.first) || gone(&pair.second) {
            continue;
        }
        let (a, b) = (pair.first.as_str(), pair.second.as_str());
        let (ra, rb) = (target_r(a), target_r(b));
        let drop_b = ra > rb || (ra == rb && position(a) < position(b));
        let (drop, keep, r_drop, r_keep) = if drop_b {
            (b, a, rb, ra)
        } else {
            (a, b, ra, rb)
        };
        removed.push(Removal {
            feature: drop.to_owned(),
            reason: format!(
                "correlated with {keep} (r = {:.3}); {keep} is closer to the log target (|r| {r_keep:.3} vs {r_drop:.3})",
                pair.r
            ),
        });
    }
    removed.sort_by_key(|r| position(&r.feature));
    Ok(removed)
}

/// The config with only `kept` features and its steps restricted to them.
fn restrict(config: &PipelineConfig, kept: &[String]) -> Result<CheckedConfig, String> {
    let mut out = config.clone();
    out.features = config
        .features
        .iter()
        .filter(|f| kept.contains(f))
        .cloned()
        .collect();
    let checked_features: Vec<_> = out
        .features
        .iter()
        .filter_map(|f| crate::schema::Column::from_name(f))
        .collect();
    let mut plan = ColumnPlan::from_features(&checked_features);
    let mut steps: Vec<StepConfig> = Vec::new();
    for step in &config.steps {
        if let Some(step) = step.restrict(&|name| plan.kind_of(name).is_ok()) {
            step.plan(&mut plan)?;
            steps.push(step);
        }
    }
    out.steps = steps;
    out.check()
}

fn plan_of(config: &CheckedConfig) -> ColumnPlan {
    let mut plan = ColumnPlan::from_features(config.features());
    for step in &config.config().steps {
        // The config was checked, so every step plans.
        let _ = step.plan(&mut plan);
    }
    plan
}

impl Selection {
    /// The new config as TOML, opened by a comment block that says where it
    /// comes from and why each feature left.
    pub fn to_toml(&self, source: &str, data: &str, rows: usize) -> Result<String, String> {
        let before = self.config.features().len() + self.removed.len();
        let mut text = format!(
            "# Written by `regression-model select` from {source} on {data} ({rows} rows).\n\
             # Filter selection (constant, quasi-constant, duplicated, correlated pairs),\n\
             # then embedded selection (Lasso, alpha {}: features whose columns all got a\n\
             # zero coefficient). Kept {} of {before} features. Removed:\n",
            self.alpha,
            self.config.features().len()
        );
        let width = self
            .removed
            .iter()
            .map(|r| r.feature.len())
            .max()
            .unwrap_or(0);
        for r in &self.removed {
            text += &format!("#   {:<width$}  {}\n", r.feature, r.reason);
        }
        if self.removed.is_empty() {
            text += "#   (none)\n";
        }
        text += "\n";
        text += &self.config.config().to_toml()?;
        Ok(text)
    }
}
