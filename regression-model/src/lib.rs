#![doc = include_str!("../README.md")]
//!
//! # The crate
//!
//! Everything a user names is at the crate root: parse records from JSON
//! or CSV ([`read_csv_file`], [`parse_json_batch`], [`InputRows`] of
//! [`HouseRecord`]s), predict with the model embedded in this crate version
//! ([`shipped_model`], [`predict`]) or with an artifact you trained
//! ([`TrainedModel`]), read the outcome ([`PredictionResponse`],
//! [`FieldError`]) and evaluate it ([`Metrics`]). A pipeline is described by
//! a [`PipelineConfig`] written in TOML; with the `train` feature, `train`
//! fits one and [`TrainedModel::save`] writes its artifact.
//!
//! For model development (`research` feature): `analyze` reports on a data
//! file (and `plots` draws it), `select` writes a config with selected
//! features, `cv` cross-validates a config and `tune` searches a parameter
//! grid in parallel. [`differential`] compares two model versions'
//! predictions. `config/README.md` compares the generations.
//!
//! # Examples
//!
//! The examples read the small synthetic fixtures shipped in the package
//! (`fixtures/synthetic`, made by `crates/synth-data`), never real data.
//!
//! Predict a CSV file (Kaggle's `test.csv` layout) with the shipped model:
//!
//! ```
//! use regression_model::{read_csv_file, shipped_model};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/synthetic/test.csv");
//! let data = read_csv_file(std::path::Path::new(path))?;
//! let response = shipped_model()?.predict_rows(&data.rows);
//! // Every row is either predicted or rejected with its reasons.
//! let rejected: std::collections::BTreeSet<usize> = response.row_errors.errors.iter().map(|e| e.row).collect();
//! assert_eq!(response.predictions.len() + rejected.len(), data.rows.len());
//! for p in response.predictions.iter().take(3) {
//!     println!("{},{}", p.id.unwrap_or_default(), p.price);
//! }
//! # Ok::<(), regression_model::Error>(())
//! ```
//!
//! Train a pipeline from a config (`train` feature) and save the artifact:
//!
//! ```
//! # #[cfg(feature = "train")] {
//! use std::path::Path;
//!
//! use regression_model::{
//!     PipelineConfig, TrainOptions, TrainedModel, VersionPolicy, read_training_file, train,
//! };
//!
//! let root = Path::new(env!("CARGO_MANIFEST_DIR"));
//! let config = PipelineConfig::from_file(&root.join("config/generation-1.toml"))?;
//! let (data, sha256) = read_training_file(&root.join("fixtures/synthetic/train.csv"), &config)?;
//! let options = TrainOptions { holdout: 0.2, seed: 7 };
//! let (model, report) = train(&config, &data, &sha256, options)?;
//! assert_eq!(report.rows_train + report.rows_holdout, 400);
//!
//! let dir = std::env::temp_dir().join(format!("regression-model-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("model.postcard");
//! model.save(&path)?;
//! let loaded = TrainedModel::load(&path, VersionPolicy::Exact)?;
//! assert_eq!(loaded.to_bytes()?, model.to_bytes()?);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # }
//! # Ok::<(), regression_model::Error>(())
//! ```
//!
//! Load an artifact and verify it: the header, the checksum, the model
//! version and the pipeline's own consistency are checked, and a damaged
//! file is refused with the problem named:
//!
//! ```
//! use regression_model::{Error, TrainedModel, VersionPolicy, shipped_bytes};
//!
//! let bytes = shipped_bytes().expect("this build ships a model");
//! let model = TrainedModel::from_bytes(bytes, "shipped", VersionPolicy::Exact)?;
//! println!("{} ({}), {} features", model.metadata.config_name, model.metadata.estimator,
//!          model.metadata.output_features.len());
//!
//! let mut damaged = bytes.to_vec();
//! *damaged.last_mut().unwrap() ^= 1;
//! let Err(Error::Artifact { problem, .. }) = TrainedModel::from_bytes(&damaged, "copy", VersionPolicy::Exact) else {
//!     panic!("a damaged artifact must be refused");
//! };
//! assert!(problem.contains("checksum"), "{problem}");
//! # Ok::<(), regression_model::Error>(())
//! ```
//!
//! Evaluate a model on labelled rows (RMSE in dollars, R², RMSLE):
//!
//! ```
//! use regression_model::{Metrics, read_csv_file, shipped_model};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/synthetic/train.csv");
//! let data = read_csv_file(std::path::Path::new(path))?;
//! let targets = data.target.as_ref().expect("train.csv has SalePrice");
//! let response = shipped_model()?.predict_rows(&data.rows);
//! let (predicted, actual): (Vec<f64>, Vec<f64>) = response
//!     .predictions
//!     .iter()
//!     .filter_map(|p| targets[p.row].map(|t| (p.price, t)))
//!     .unzip();
//! let metrics = Metrics::compute(&predicted, &actual).expect("some rows are predicted");
//! println!("RMSE ${:.0}, R² {:.3}, RMSLE {:.4}", metrics.rmse, metrics.r2, metrics.rmsle);
//! assert!(metrics.rmse.is_finite() && metrics.rows == predicted.len());
//! # Ok::<(), regression_model::Error>(())
//! ```
//!
//! # What is public, and why
//!
//! Every type a user names is re-exported at the root, and the modules that
//! build them are private: moving or renaming an internal module is then not
//! a breaking change, and the API a release promises is the root's items. Six
//! modules stay public, each a family of options, reports and functions used
//! together: [`differential`] (capture one version's predictions and compare
//! another's, a check any consumer can run before upgrading) and the
//! model-development tools the CLI is built on, `cv` (`train` feature),
//! `analyze`, `plots`, `select` and `tune` (`research`). Flattening
//! their reports into the root would bury the prediction API under research
//! types that a predicting consumer does not even compile.

// A predict-only build leaves the helpers and imports that only fitting uses
// unused; rather than a `cfg` on each, the lints are off in that build only.
// The builds with `train` (every test and `clippy --all-targets` build) still
// report them.
#![cfg_attr(not(feature = "train"), allow(dead_code, unused_imports))]
#![warn(missing_docs)]

#[cfg(feature = "research")]
pub mod analyze;
mod artifact;
mod config;
#[cfg(feature = "train")]
pub mod cv;
pub mod differential;
mod drift;
mod error;
mod estimator;
mod explain;
mod frame;
mod input;
mod metrics;
mod pipeline;
mod plan;
#[cfg(feature = "research")]
pub mod plots;
mod row_errors;
mod schema;
#[cfg(feature = "research")]
pub mod select;
mod shipped;
#[cfg(feature = "train")]
mod split;
mod stats;
#[cfg(feature = "train")]
mod train;
mod transform;
#[cfg(feature = "research")]
pub mod tune;

pub use artifact::{
    FORMAT_VERSION, MAGIC, MAX_ARTIFACT_BYTES, MODEL_VERSION, Metadata, PredictionResponse,
    TrainedModel, VersionPolicy, artifact_file_name, format_version, hex, read_artifact,
    read_metadata, sha256, shipped_artifact_path,
};
pub use config::{CheckedConfig, OnMissing, PipelineConfig, SplitConfig, TargetTransform};
pub use drift::{
    DriftMonitor, DriftReport, DriftSettings, FieldDrift, LabelSummary, MAX_LABELS, NumericSummary,
    PSI_FLOOR, TrainingSummary,
};
pub use error::{Error, FieldError, Result};
pub use estimator::{OutOfFold, ParamError, Rule, StackingReport};
pub use explain::{Contribution, ExplainOutcome, Explanation, ExplanationResponse, FeatureWeight};
pub use input::{
    ChunkReader, Field, FieldProblem, InputRows, MAX_MISSHAPEN_ROWS, NAME_CHARS, ParsedRow,
    Problem, RawCell, RawChunk, RowBuilder, Sent, TARGET_COLUMN, UnknownFields, escape_clipped,
    parse_json_batch, parse_json_batch_columns, parse_json_chunks, read_csv, read_csv_columns,
    read_csv_file,
};
pub use metrics::Metrics;
pub use pipeline::{
    ErrorLimit, Fallback, FittedMember, FittedPipeline, InputGuard, LinearWeights, Outcome,
    Prediction, RejectedRow,
};
pub use row_errors::RowErrors;
pub use schema::{CellRef, Column, ColumnKind, HouseRecord};
pub use shipped::{predict, shipped_bytes, shipped_model};
#[cfg(feature = "train")]
pub use train::{TrainOptions, TrainingReport, read_training_file, train, train_csv};
