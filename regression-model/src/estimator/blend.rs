//! The blend's configuration ("model stacking" in the course, with fixed
//! weights): a weighted average of the predictions of several complete
//! pipelines, each with its own features, steps and estimator, fitted on the
//! same training rows and persisted inside one artifact. Fitting, combining
//! and checking the members happen at the pipeline level
//! (`pipeline/blend.rs`, `pipeline/members.rs`), since a member is a
//! pipeline.
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

use serde::{Deserialize, Deserializer, Serialize};

use super::params::{ParamError, Rule};
use super::stack::Stacking;
use crate::config::PipelineConfig;

/// The `model = "blend"` estimator: its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blend {
    pub members: Vec<BlendMember>,
    /// Learn the weights by stacking (see [`super::stack`]) instead of
    /// reading them from the members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stacking: Option<Stacking>,
}

/// One weighted member pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlendMember {
    /// Relative weight (> 0); weights are normalised to sum to 1. Absent
    /// when the blend learns its weights by stacking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
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
    pub fn check(&self) -> Result<(), ParamError> {
        if self.members.is_empty() {
            return Err(ParamError::NoBlendMembers);
        }
        if let Some(stacking) = &self.stacking {
            stacking.check(self.members.len())?;
        }
        for (index, member) in self.members.iter().enumerate() {
            let member_number = index + 1;
            match (member.weight, self.stacking.is_some()) {
                (Some(_), true) => {
                    return Err(ParamError::StackedMemberWeight {
                        member: member_number,
                    });
                }
                (None, false) => {
                    return Err(ParamError::MissingBlendWeight {
                        member: member_number,
                    });
                }
                (Some(weight), false) if !Rule::Positive.allows(weight) => {
                    return Err(ParamError::BlendWeight {
                        member: member_number,
                        weight,
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }
}
