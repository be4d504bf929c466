//! The blend ("model stacking" in the course, with fixed weights): a
//! weighted average of the predictions of several complete pipelines, each
//! with its own features, steps and estimator, fitted on the same training
//! rows and persisted inside one artifact.
//!
//! Predictions are averaged in the blend's target space: with the default
//! `target_transform = "log"` the blend is the weighted geometric mean of the
//! members' prices, `exp(Σ wᵢ·ln pᵢ / Σ wᵢ)`. A row is predicted when every
//! member predicts it; otherwise it carries the members' reasons.
//!
//! ```toml
//! name = "blend"
//! target_transform = "log"
//!
//! [estimator]
//! model = "blend"
//! members = [
//!     { weight = 0.7, config = "lasso.toml" },   # path, relative to this file
//!     { weight = 0.3, config = "forest.toml" },
//! ]
//! ```
//!
//! A member's `config` is a path (resolved when the file is loaded and
//! inlined, so an artifact never depends on other files) or an inline table
//! holding a whole pipeline config. A member cannot itself be a blend; its
//! `split` is ignored (the blend is split once).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::config::{PipelineConfig, TargetTransform};
use crate::error::FieldError;
use crate::pipeline::{FittedPipeline, Outcome, Prediction};

/// The `model = "blend"` estimator: its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blend {
    pub members: Vec<BlendMember>,
}

/// One weighted member pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlendMember {
    /// Relative weight (> 0); weights are normalised to sum to 1.
    pub weight: f64,
    pub config: MemberConfig,
}

/// A member's pipeline config: a file not read yet, or the config itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MemberConfig {
    Path(String),
    Inline(Box<PipelineConfig>),
}

impl<'de> Deserialize<'de> for MemberConfig {
    /// A string is a path, a table a config; decoding through a TOML value
    /// keeps the inner config's own error messages (an untagged enum would
    /// replace them with "did not match any variant").
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::String(path) => Ok(MemberConfig::Path(path)),
            table @ toml::Value::Table(_) => table
                .try_into::<PipelineConfig>()
                .map(|c| MemberConfig::Inline(Box::new(c)))
                .map_err(|e| serde::de::Error::custom(e.to_string().trim_end())),
            other => Err(serde::de::Error::custom(format!(
                "a blend member's `config` is a file path or a table, got {}",
                other.type_str()
            ))),
        }
    }
}

impl Blend {
    /// Checks the weights; the member configs are checked by
    /// [`PipelineConfig::check`], which sees them whole.
    pub fn check(&self) -> Result<(), String> {
        if self.members.is_empty() {
            return Err("blend has no members".into());
        }
        for (index, member) in self.members.iter().enumerate() {
            if !(member.weight.is_finite() && member.weight > 0.0) {
                return Err(format!(
                    "blend member {} has weight {}; weights must be finite numbers > 0",
                    index + 1,
                    member.weight
                ));
            }
        }
        Ok(())
    }
}

/// A fitted member: its weight and its whole fitted pipeline.
#[derive(Debug, Serialize, Deserialize)]
pub struct FittedMember {
    pub weight: f64,
    pub pipeline: FittedPipeline,
}

/// Combines the members' outcomes for the same rows (one outcome per member,
/// in member order).
pub(crate) fn combine(
    members: &[FittedMember],
    outcomes: Vec<Outcome>,
    transform: TargetTransform,
) -> Outcome {
    let total: f64 = members.iter().map(|m| m.weight).sum();
    let mut by_row: BTreeMap<usize, (Option<i64>, f64, usize)> = BTreeMap::new();
    let mut errors: Vec<FieldError> = Vec::new();
    for (member, outcome) in members.iter().zip(outcomes) {
        for p in outcome.predictions {
            let entry = by_row.entry(p.row).or_insert((p.id, 0.0, 0));
            entry.1 += member.weight / total * transform.forward(p.price);
            entry.2 += 1;
        }
        for e in outcome.errors {
            if !errors.contains(&e) {
                errors.push(e);
            }
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
            errors.push(FieldError {
                row,
                field: "record".into(),
                message: "the blended price is not a finite number".into(),
            });
        }
    }
    errors.sort_by_key(|e| e.row);
    Outcome {
        predictions,
        errors,
    }
}
