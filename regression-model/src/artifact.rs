//! The model artifact: one file per trained pipeline, named after the crate
//! version, that refuses to load unless it is exactly what was written.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `HPMODEL\0` |
//! | 2 | format version |
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

use crate::error::{Error, Result};
use crate::input::InputRows;
use crate::metrics::Metrics;
use crate::pipeline::{ErrorLimit, FittedPipeline, Outcome, RejectedRow, StoredPipeline};
use crate::schema::HouseRecord;

pub const MAGIC: &[u8; 8] = b"HPMODEL\0";
/// The version of the byte layout above; a reader refuses any other.
pub const FORMAT_VERSION: u16 = 1;
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
/// were rejected: the errors an [`ErrorLimit`] kept, how many there were in
/// all, and the input's unknown field names (reported once each; they
/// reject no row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionResponse {
    /// One price per accepted row, in row order.
    pub predictions: Vec<crate::pipeline::Prediction>,
    /// The version of the model that made them ([`Metadata::model_version`]).
    pub version: String,
    /// Why rows were rejected, as far as the [`ErrorLimit`] kept them.
    pub errors: Vec<crate::error::FieldError>,
    /// Every error found, kept in `errors` or not.
    #[serde(default)]
    pub error_count: usize,
    /// `error_count > errors.len()`: the limit cut the list.
    #[serde(default)]
    pub errors_truncated: bool,
    /// The first unknown field names, escaped and clipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_fields: Vec<String>,
    /// How many distinct unknown field names the input held.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unknown_field_count: usize,
    /// Every rejected row with its number of errors (not serialised: a
    /// client has `errors` and `error_count`).
    #[serde(skip)]
    pub rejected: Vec<RejectedRow>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
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
        response.unknown_fields = input.unknown.names().to_vec();
        response.unknown_field_count = input.unknown.count();
        response
    }

    fn respond(&self, outcome: Outcome) -> PredictionResponse {
        PredictionResponse {
            errors_truncated: outcome.errors_truncated(),
            predictions: outcome.predictions,
            version: self.metadata.model_version.clone(),
            errors: outcome.errors,
            error_count: outcome.error_count,
            unknown_fields: Vec::new(),
            unknown_field_count: 0,
            rejected: outcome.rejected,
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
        let stored: StoredPipeline = postcard::from_bytes(&bytes[HEADER_LEN + meta_len..])
            .map_err(|e| fail(format!("pipeline block does not decode: {e}")))?;
        let pipeline = FittedPipeline::try_from(stored)
            .map_err(|m| fail(format!("pipeline fails its consistency check: {m}")))?;
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
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        TrainedModel::from_bytes(&bytes, &path.display().to_string(), policy)
    }

    /// Writes the artifact atomically (temp file in the same folder, fsync,
    /// rename), then removes artifacts of other versions in that folder, so a
    /// folder holds one model. A failed write leaves the old file untouched.
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes()?;
        write_atomically(path, &bytes)?;
        remove_other_versions(path);
        Ok(())
    }
}

/// The checked header fields: metadata and pipeline block lengths.
fn lengths(bytes: &[u8]) -> (usize, usize) {
    let meta = u32::from_le_bytes(bytes[10..14].try_into().expect("4 bytes")) as usize;
    let pipeline = u64::from_le_bytes(bytes[14..22].try_into().expect("8 bytes")) as usize;
    (meta, pipeline)
}

/// Checks the header and checksum and decodes only the metadata block.
pub fn read_metadata(bytes: &[u8], origin: &str) -> Result<Metadata> {
    let fail = |problem: String| Error::Artifact {
        path: origin.to_owned(),
        problem,
    };
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(fail(
            "not a regression-model artifact (wrong magic bytes)".into(),
        ));
    }
    if bytes.len() < HEADER_LEN {
        return Err(fail(format!(
            "truncated: {} bytes, shorter than the {HEADER_LEN}-byte header",
            bytes.len()
        )));
    }
    let format = u16::from_le_bytes([bytes[8], bytes[9]]);
    if format != FORMAT_VERSION {
        return Err(fail(format!(
            "format version {format} is not supported (this build reads version {FORMAT_VERSION})"
        )));
    }
    let (meta_len, pipeline_len) = lengths(bytes);
    let expected = (HEADER_LEN as u64)
        .saturating_add(meta_len as u64)
        .saturating_add(pipeline_len as u64);
    if (bytes.len() as u64) < expected {
        return Err(fail(format!(
            "truncated: {} bytes, the header announces {expected}",
            bytes.len()
        )));
    }
    if bytes.len() as u64 > expected {
        return Err(fail(format!(
            "{} unexpected bytes after the end of the model",
            bytes.len() as u64 - expected
        )));
    }
    let body = &bytes[HEADER_LEN..];
    if sha256(body) != bytes[22..54] {
        return Err(fail(
            "checksum mismatch: the file is damaged or was modified".into(),
        ));
    }
    postcard::from_bytes(&body[..meta_len])
        .map_err(|e| fail(format!("metadata block does not decode: {e}")))
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

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("artifact"),
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Removes `regression_model_output_v*.postcard` files other than `kept`.
fn remove_other_versions(kept: &Path) {
    let dir = kept
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_artifact = name.starts_with("regression_model_output_v")
            && (name.ends_with(".postcard") || name.ends_with(".postcard.report.json"));
        if is_artifact && !entry.path().starts_with(kept) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => log::info!("removed older artifact {}", entry.path().display()),
                Err(e) => log::warn!(
                    "could not remove older artifact {}: {e}",
                    entry.path().display()
                ),
            }
        }
    }
}
