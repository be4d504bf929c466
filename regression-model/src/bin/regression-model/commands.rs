//! The CLI commands: argument types and the little I/O around library calls,
//! one file per group of commands; here what they share: finding the model.

use std::path::Path;

use anyhow::Result;
use regression_model::{TrainedModel, VersionPolicy};

mod evaluate;
mod explain;
mod inspect;
mod predict;
mod report;
mod rows;
mod score;
mod shard;
mod source;
mod train;

pub use evaluate::{EvaluateArgs, evaluate};
pub use explain::{ExplainArgs, explain};
pub use inspect::{CaptureArgs, capture, inspect};
pub use predict::{PredictArgs, predict};
pub use train::{TrainArgs, read_training, train};

pub(crate) fn load_model(path: Option<&Path>) -> Result<ModelRef> {
    Ok(match path {
        Some(path) => ModelRef::Owned(Box::new(TrainedModel::load(path, VersionPolicy::Any)?)),
        None => ModelRef::Shipped(regression_model::shipped_model()?),
    })
}

pub(crate) enum ModelRef {
    Owned(Box<TrainedModel>),
    Shipped(&'static TrainedModel),
}

impl std::ops::Deref for ModelRef {
    type Target = TrainedModel;
    fn deref(&self) -> &TrainedModel {
        match self {
            ModelRef::Owned(m) => m,
            ModelRef::Shipped(m) => m,
        }
    }
}
