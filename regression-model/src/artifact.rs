//! The model artifact: one file per trained pipeline, named after the crate
//! version, that refuses to load unless it is exactly what was written.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `HPMODEL\0` |
//! | 2 | format version (3; versions 1, without the pipeline's input guard, and 2, without the training summary and the trees' cover, are still read) |
//! | 4 | metadata length `m` |
//! | 8 | pipeline length `p` |
//! | 32 | SHA-256 of the `m + p` bytes that follow |
//! | m | [`Metadata`], postcard |
//! | p | [`FittedPipeline`], postcard |
//!
//! postcard (not bincode: its crates.io line ends in a `compile_error!`
//! tombstone and 2.x is unmaintained, RUSTSEC-2025-0141) is compact, stable
//! and has no maps with random order, so the same model gives the same bytes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::drift::TrainingSummary;
use crate::error::{Error, Result};
use crate::input::InputRows;
use crate::metrics::Metrics;
use crate::pipeline::{ErrorLimit, FittedPipeline, Outcome, StoredPipeline};
use crate::row_errors::RowErrors;
use crate::schema::HouseRecord;

mod files;
mod header;
mod legacy;

pub use files::{MAX_ARTIFACT_BYTES, read_artifact};
use header::lengths;
pub use header::{format_version, read_metadata};

/// The eight bytes every artifact starts with.
pub const MAGIC: &[u8; 8] = b"HPMODEL\0";
/// The format this build writes. 2 added the pipeline's input guard
/// (fallbacks for missing values, the training range); 3 the training-data
/// summary drift monitoring compares served rows with, and each boosted
/// tree's node cover, which TreeSHAP explanations need.
pub const FORMAT_VERSION: u16 = 3;
/// The oldest format this build reads.
pub const OLDEST_FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 8 + 2 + 4 + 8 + 32;

/// The crate version, which is also the version of the model it ships.
pub const MODEL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What an artifact says about itself; readable without decoding the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The crate version that trained it (one crate version, one model).
    pub model_version: String,
    /// The config's `name`.
    pub config_name: String,
    /// The estimator's name (`lasso`, `gbm`, `blend`, ...).
    pub estimator: String,
    /// The pipeline config, as TOML.
    pub config_toml: String,
    /// Input columns the model reads, in order.
    pub input_features: Vec<String>,
    /// Columns the estimator sees, in order.
    pub output_features: Vec<String>,
    /// The seed of the hold-out split.
    pub seed: u64,
    /// The share of rows held out for `holdout_metrics`.
    pub holdout_fraction: f64,
    /// SHA-256 (hex) of the training data file.
    pub training_data_sha256: String,
    /// Labelled rows in the training file.
    pub rows_total: usize,
    /// Rows the pipeline was fitted on.
    pub rows_train: usize,
    /// Rows held out and scored.
    pub rows_holdout: usize,
    /// Scores on the held-out rows (`None` when nothing was held out).
    pub holdout_metrics: Option<Metrics>,
    /// The `regression-model` version that wrote the artifact.
    pub crate_version: String,
    /// The compiler that built it (`rustc -V`), for reproducing the bytes.
    pub rustc_version: String,
    /// What the training rows looked like, input by input, for drift
    /// monitoring ([`DriftMonitor`](crate::DriftMonitor)); `None` for an
    /// artifact of format 1 or 2, which did not store it.
    pub training_summary: Option<TrainingSummary>,
}

/// Whether a model trained by another crate version may be loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionPolicy {
    /// Only this crate's version (the default: one version, one model).
    Exact,
    /// Any version (inspecting old artifacts, differential tests).
    Any,
}

/// A verified, ready-to-use model.
#[derive(Debug)]
pub struct TrainedModel {
    /// What the artifact says about itself.
    pub metadata: Metadata,
    /// The fitted pipeline that predicts.
    pub pipeline: FittedPipeline,
}

/// Predictions with the version of the model that made them, and why rows
/// were rejected ([`RowErrors`], whose fields the JSON has at its top
/// level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionResponse {
    /// One price per accepted row, in row order.
    pub predictions: Vec<crate::pipeline::Prediction>,
    /// The version of the model that made them ([`Metadata::model_version`]).
    pub version: String,
    /// The rejected rows' errors and the input's unknown fields.
    #[serde(flatten)]
    pub row_errors: RowErrors,
}

impl TrainedModel {
    /// Predicts records; see [`FittedPipeline::predict`].
    pub fn predict(&self, records: &[HouseRecord]) -> PredictionResponse {
        self.respond(self.pipeline.predict(records))
    }

    /// Predicts parsed rows; see [`FittedPipeline::predict_rows`].
    pub fn predict_rows(&self, rows: &[crate::input::ParsedRow]) -> PredictionResponse {
        self.respond(self.pipeline.predict_rows(rows))
    }

    /// Predicts a parsed input under an error limit (see
    /// [`FittedPipeline::predict_rows_with`]), with its unknown fields.
    pub fn predict_input(&self, input: &InputRows, limit: ErrorLimit) -> PredictionResponse {
        let mut response = self.respond(self.pipeline.predict_rows_with(&input.rows, limit));
        response.row_errors = response.row_errors.with_unknown(&input.unknown);
        response
    }

    fn respond(&self, outcome: Outcome) -> PredictionResponse {
        PredictionResponse {
            predictions: outcome.predictions,
            version: self.metadata.model_version.clone(),
            row_errors: RowErrors::new(outcome.errors, outcome.error_count, outcome.rejected),
        }
    }

    /// Encodes the artifact.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let encode = |e: postcard::Error| Error::Artifact {
            path: "(memory)".into(),
            problem: format!("cannot encode: {e}"),
        };
        let meta = postcard::to_stdvec(&self.metadata).map_err(encode)?;
        let pipeline = postcard::to_stdvec(&self.pipeline).map_err(encode)?;
        let mut body = Vec::with_capacity(meta.len() + pipeline.len());
        body.extend_from_slice(&meta);
        body.extend_from_slice(&pipeline);
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
        out.extend_from_slice(&(pipeline.len() as u64).to_le_bytes());
        out.extend_from_slice(&sha256(&body));
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decodes and verifies an artifact; `origin` names it in errors.
    ///
    /// # Errors
    /// [`Error::Artifact`] naming `origin` and the problem: wrong magic,
    /// unknown format version, truncated or oversized file, checksum
    /// mismatch, undecodable blocks, another model version (under
    /// [`VersionPolicy::Exact`]) or a pipeline that fails its own check.
    pub fn from_bytes(bytes: &[u8], origin: &str, policy: VersionPolicy) -> Result<TrainedModel> {
        let fail = |problem: String| Error::Artifact {
            path: origin.to_owned(),
            problem,
        };
        let metadata = read_metadata(bytes, origin)?;
        if policy == VersionPolicy::Exact && metadata.model_version != MODEL_VERSION {
            return Err(fail(format!(
                "holds model version {}, but this is regression-model {MODEL_VERSION} (load it with the version check off to inspect it)",
                metadata.model_version
            )));
        }
        let (meta_len, _) = lengths(bytes);
        // Decoded as stored, then verified (what `FittedPipeline`'s own
        // `Deserialize` does), in two steps so that the problem keeps its
        // message: postcard drops a custom error's text.
        let block = &bytes[HEADER_LEN + meta_len..];
        let stored =
            match format_version(bytes) {
                Some(1) => postcard::from_bytes::<legacy::PipelineV1>(block)
                    .map(legacy::PipelineV1::upgrade),
                Some(2) => postcard::from_bytes::<legacy::PipelineV2>(block)
                    .map(legacy::PipelineV2::upgrade),
                _ => postcard::from_bytes::<StoredPipeline>(block),
            };
        let stored = stored.map_err(|e| fail(format!("pipeline block does not decode: {e}")))?;
        let pipeline = FittedPipeline::try_from(stored)
            .map_err(|m| fail(format!("pipeline fails its consistency check: {m}")))?;
        if let Some(summary) = &metadata.training_summary
            && let Some(column) = summary
                .columns()
                .find(|c| !metadata.input_features.iter().any(|f| f == c.name()))
        {
            return Err(fail(format!(
                "the training summary has `{column}`, which the model does not read"
            )));
        }
        if pipeline.output_features != metadata.output_features
            || pipeline.config.to_toml().ok().as_ref() != Some(&metadata.config_toml)
        {
            return Err(fail(
                "metadata and pipeline disagree on the config or the feature list".into(),
            ));
        }
        Ok(TrainedModel { metadata, pipeline })
    }

    /// Reads and verifies an artifact file.
    pub fn load(path: &Path, policy: VersionPolicy) -> Result<TrainedModel> {
        let bytes = files::read_artifact(path)?;
        TrainedModel::from_bytes(&bytes, &path.display().to_string(), policy)
    }

    /// Writes the artifact atomically (temp file in the same folder, fsync,
    /// rename), then removes artifacts of other versions in that folder, so a
    /// folder holds one model. A failed write leaves the old file untouched.
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes()?;
        if bytes.len() as u64 > MAX_ARTIFACT_BYTES {
            // Written, it could never be loaded.
            return Err(Error::Artifact {
                path: path.display().to_string(),
                problem: format!(
                    "{} bytes, more than the {MAX_ARTIFACT_BYTES} an artifact may take; \
                     use fewer or shallower trees",
                    bytes.len()
                ),
            });
        }
        files::write_atomically(path, &bytes)?;
        files::remove_other_versions(path);
        Ok(())
    }
}

/// The conventional file name of this crate version's artifact.
pub fn artifact_file_name(version: &str) -> String {
    format!("regression_model_output_v{version}.postcard")
}

/// Where this crate keeps its shipped artifact, relative to the crate root.
pub fn shipped_artifact_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("trained_models")
        .join(artifact_file_name(MODEL_VERSION))
}

/// The SHA-256 digest of `bytes` (an artifact's checksum, a training file's fingerprint).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// `bytes` as lowercase hexadecimal, the form checksums are printed and compared in.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
