//! A fitted blend: each member a whole fitted pipeline with its weight, and
//! how their predictions combine (the configuration is
//! `estimator::blend`).
//!
//! Predictions are averaged in the blend's target space: with the default
//! `target_transform = "log"` the blend is the weighted geometric mean of the
//! members' prices, `exp(Σ wᵢ·ln pᵢ / Σ wᵢ)`. A row is predicted when every
//! member predicts it; otherwise it carries the members' reasons.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ErrorLimit, FittedPipeline, Outcome, Prediction, RejectedRow, Rejections};
use crate::config::TargetTransform;
use crate::error::FieldError;

/// A fitted member: its weight and its whole fitted pipeline (read back
/// through the verified pipeline's `Deserialize`).
#[derive(Debug, Serialize)]
pub struct FittedMember {
    /// Its weight in the blend (a stack's weights sum to 1).
    pub weight: f64,
    /// The member's whole fitted pipeline.
    pub pipeline: FittedPipeline,
}

/// Combines the members' outcomes for the same rows (one outcome per member,
/// in member order). A row one member rejects is rejected with that
/// member's reasons (the first member's, when several reject it).
pub(crate) fn combine(
    members: &[FittedMember],
    outcomes: Vec<Outcome>,
    transform: TargetTransform,
    limit: ErrorLimit,
) -> Outcome {
    let total: f64 = members.iter().map(|m| m.weight).sum();
    let mut by_row: BTreeMap<usize, (Option<i64>, f64, usize)> = BTreeMap::new();
    let mut rejected: BTreeMap<usize, (RejectedRow, Vec<FieldError>)> = BTreeMap::new();
    for (member, outcome) in members.iter().zip(outcomes) {
        for p in outcome.predictions {
            let entry = by_row.entry(p.row).or_insert((p.id, 0.0, 0));
            entry.1 += member.weight / total * transform.forward(p.price);
            entry.2 += 1;
        }
        // Both lists are in row order, and every kept error's row is rejected.
        let mut errors = outcome.errors.into_iter().peekable();
        for row in outcome.rejected {
            let mut reasons = Vec::new();
            while let Some(e) = errors.next_if(|e| e.row <= row.row) {
                if e.row == row.row {
                    reasons.push(e);
                }
            }
            rejected.entry(row.row).or_insert((row, reasons));
        }
    }
    let mut predictions = Vec::with_capacity(by_row.len());
    for (row, (id, blended, count)) in by_row {
        if count < members.len() {
            continue;
        }
        let price = transform.inverse(blended);
        if price.is_finite() {
            predictions.push(Prediction { row, id, price });
        } else {
            let error = FieldError {
                row,
                field: "record".into(),
                message: "the blended price is not a finite number".into(),
            };
            rejected.insert(row, (RejectedRow { row, errors: 1 }, vec![error]));
        }
    }
    let mut rejections = Rejections::new(limit);
    for (row, reasons) in rejected.into_values() {
        rejections.merge_row(row, &reasons);
    }
    Outcome::new(predictions, rejections)
}
