//! The CLI commands: argument types and the little I/O around library calls,
//! one file per group of commands; here what they share, finding the model
//! and reading input rows.

use std::path::Path;

use anyhow::{Context, Result};
use regression_model::InputRows;
use regression_model::{TrainedModel, VersionPolicy};

mod explain;
mod inspect;
mod predict;
mod report;
mod score;
mod shard;
mod source;
mod train;

pub use explain::{ExplainArgs, explain};
pub use inspect::{CaptureArgs, capture, inspect};
pub use predict::{EvaluateArgs, PredictArgs, evaluate, predict};
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

/// Reads JSON records or a CSV file; CSV keeps only the columns the model reads.
pub(crate) fn read_rows(path: &Path, model: &TrainedModel) -> Result<InputRows> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(regression_model::parse_json_batch(&bytes)
            .with_context(|| format!("{}", path.display()))?)
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let features = model.pipeline.features();
        Ok(
            regression_model::read_csv_columns(std::io::BufReader::new(file), Some(&features))
                .with_context(|| format!("{}", path.display()))?,
        )
    }
}
