//! Explaining with a fitted pipeline: a linear one or boosted trees
//! through the shared prediction path ([`FittedPipeline::process`]), a
//! blend or stack as the weighted sum of its members' explanations.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::trees::TreeExplainer;
use super::{ExplainOutcome, Explanation, LinearExplainer};
use crate::error::{Error, Result};
use crate::estimator::FittedEstimator;
use crate::frame::Frame;
use crate::input::{FieldProblem, ParsedRow};
use crate::pipeline::{ErrorLimit, FittedPipeline, combine_members};
use crate::schema::HouseRecord;

type Row<'r> = (usize, &'r HouseRecord, &'r [FieldProblem]);

impl FittedPipeline {
    /// Checks that this pipeline can be explained, and prepares what
    /// explaining needs, before any row is touched.
    ///
    /// # Errors
    /// [`Error::NotExplainable`] for a random forest, boosted trees read
    /// from an artifact older than format 3 (they store no node cover), a
    /// blend with such a member, or with a member whose target transform
    /// differs from the blend's.
    pub fn check_explainable(&self) -> Result<()> {
        match self.estimator.members() {
            Some(members) => {
                for member in members {
                    if member.pipeline.config.target_transform != self.config.target_transform {
                        return Err(Error::NotExplainable {
                            estimator: self.config.estimator.name().into(),
                            reason: "a member's target transform differs from the blend's".into(),
                        });
                    }
                    member.pipeline.check_explainable()?;
                }
                Ok(())
            }
            None => match &self.estimator {
                FittedEstimator::BoostedTrees(model) => self.tree_explainer(model).map(|_| ()),
                _ => self.linear_explainer().map(|_| ()),
            },
        }
    }

    /// Whether the estimator, or a blend member's, is made of trees, whose
    /// explanation (TreeSHAP: about `leaves × depth²` steps a tree) costs
    /// far more than their prediction (`depth` steps a tree), so a service
    /// may schedule it as a batch.
    pub fn has_trees(&self) -> bool {
        match self.estimator.members() {
            Some(members) => members.iter().any(|m| m.pipeline.has_trees()),
            None => matches!(
                self.estimator,
                FittedEstimator::BoostedTrees(_) | FittedEstimator::RandomForest(_)
            ),
        }
    }

    /// Explains parsed rows (every error kept); see
    /// [`FittedPipeline::explain_rows_with`].
    pub fn explain_rows(&self, rows: &[ParsedRow]) -> Result<ExplainOutcome> {
        self.explain_rows_with(rows, ErrorLimit::default())
    }

    /// Explains parsed rows: the rows prediction accepts get an
    /// [`Explanation`] with the price prediction gives, the others are
    /// rejected with the same reasons, under `limit`.
    ///
    /// # Errors
    /// [`Error::NotExplainable`] (see [`FittedPipeline::check_explainable`]),
    /// before any row is read.
    pub fn explain_rows_with(
        &self,
        rows: &[ParsedRow],
        limit: ErrorLimit,
    ) -> Result<ExplainOutcome> {
        self.check_explainable()?;
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i, &r.record, r.problems.as_slice()))
            .collect();
        self.explain_checked(rows, limit)
    }

    fn explain_checked(&self, rows: Vec<Row<'_>>, limit: ErrorLimit) -> Result<ExplainOutcome> {
        let transform = self.config.target_transform;
        if let Some(members) = self.estimator.members() {
            let explained = members
                .iter()
                .map(|m| m.pipeline.explain_checked(rows.clone(), limit))
                .collect::<Result<Vec<_>>>()?;
            let outcomes = explained.iter().map(ExplainOutcome::to_outcome).collect();
            let combined = combine_members(members, outcomes, transform, limit);
            let total: f64 = members.iter().map(|m| m.weight).sum();
            let mut by_member: Vec<BTreeMap<usize, &Explanation>> = explained
                .iter()
                .map(|e| e.explanations.iter().map(|x| (x.row, x)).collect())
                .collect();
            let mut explanations = Vec::with_capacity(combined.predictions.len());
            for prediction in combined.predictions {
                let mut base = 0.0;
                let mut values: BTreeMap<Cow<'static, str>, f64> = BTreeMap::new();
                for (member, rows) in members.iter().zip(&mut by_member) {
                    // Every member predicted a row the blend predicts.
                    let Some(member_row) = rows.remove(&prediction.row) else {
                        continue;
                    };
                    let share = member.weight / total;
                    base += share * member_row.base_value;
                    for c in &member_row.contributions {
                        *values.entry(c.column.clone()).or_default() += share * c.value;
                    }
                }
                explanations.push(Explanation::new(prediction, base, values, transform));
            }
            return Ok(ExplainOutcome {
                explanations,
                errors: combined.errors,
                error_count: combined.error_count,
                rejected: combined.rejected,
            });
        }
        if let FittedEstimator::BoostedTrees(model) = &self.estimator {
            let explainer = self.tree_explainer(model)?;
            let estimate = |_: &FittedPipeline, frame: &Frame<'_>| {
                let x = frame.to_matrix("estimator")?;
                let outputs = model.predict(&x)?;
                let values = explainer.contributions(model, &x);
                Ok(outputs.into_iter().zip(values).collect())
            };
            let (explanations, rejections) =
                self.process(rows, limit, true, estimate, |p, values| {
                    Explanation::new(p, explainer.base, explainer.named(values), transform)
                });
            return Ok(ExplainOutcome::new(explanations, rejections));
        }
        let explainer = self.linear_explainer()?;
        let estimate = |pipeline: &FittedPipeline, frame: &Frame<'_>| {
            let outputs = pipeline.estimate(frame)?;
            let values = explainer.contributions(frame, &pipeline.output_features)?;
            Ok(outputs.into_iter().zip(values).collect())
        };
        let (explanations, rejections) = self.process(rows, limit, true, estimate, |p, values| {
            Explanation::new(p, explainer.intercept, explainer.named(values), transform)
        });
        Ok(ExplainOutcome::new(explanations, rejections))
    }

    /// The explanation of boosted trees, prepared for one call (tracing the
    /// lineage costs little next to TreeSHAP itself).
    fn tree_explainer(&self, model: &crate::estimator::BoostedTrees) -> Result<TreeExplainer> {
        TreeExplainer::new(&self.features(), &self.steps, &self.output_features, model)
    }

    /// The prepared explanation of a linear pipeline, built on first use.
    pub(crate) fn linear_explainer(&self) -> Result<&LinearExplainer> {
        let FittedEstimator::Linear(model) = &self.estimator else {
            let reason = match self.estimator {
                FittedEstimator::Quadratic(_) => {
                    "kernel ridge is not explained: its pairwise column products have no one-column-at-a-time reading yet"
                }
                FittedEstimator::Kernel(_) => {
                    "an SVR's RBF kernel couples every column, so no column has a contribution of its own"
                }
                _ => {
                    "random forests are not explained: smartcore's trees do not store the training rows behind every node, which exact TreeSHAP needs"
                }
            };
            return Err(Error::NotExplainable {
                estimator: self.config.estimator.name().into(),
                reason: reason.into(),
            });
        };
        if let Some(explainer) = self.prepared.explainer.get() {
            return Ok(explainer);
        }
        let built =
            LinearExplainer::new(&self.features(), &self.steps, &self.output_features, model)?;
        Ok(self.prepared.explainer.get_or_init(|| built))
    }
}
