//! House-price regression: typed inputs, feature engineering, Lasso at
//! scikit-learn parity, and the trained model this crate version ships.
//!
//! The modules follow the data: [`input`] parses records into the
//! [`schema`], [`config`] describes a pipeline of [`transform`] steps and an
//! [`estimator`], [`pipeline`] fits and predicts, [`train`] runs a training
//! with its hold-out [`split`] and [`metrics`], and [`artifact`] persists it.
//! [`predict`] uses the model embedded in this crate version.
//!
//! For model development: [`analyze`] reports on a data file (and [`plots`]
//! draws it), [`select`] writes a config with selected features, [`cv`]
//! cross-validates a config and [`tune`] searches a parameter grid in
//! parallel. `config/README.md` compares the generations.

pub mod analyze;
pub mod artifact;
pub mod config;
pub mod cv;
pub mod differential;
pub mod error;
pub mod estimator;
pub mod frame;
pub mod input;
pub mod metrics;
pub mod pipeline;
mod plan;
pub mod plots;
pub mod schema;
pub mod select;
mod shipped;
pub mod split;
pub mod stats;
pub mod train;
pub mod transform;
pub mod tune;

pub use artifact::{MODEL_VERSION, PredictionResponse, TrainedModel, VersionPolicy};
pub use config::{CheckedConfig, PipelineConfig};
pub use error::{Error, FieldError, Result};
pub use pipeline::{FittedPipeline, Outcome, Prediction};
pub use schema::{Column, HouseRecord};
pub use shipped::{predict, shipped_bytes, shipped_model};
