//! The model this crate version ships, embedded in the binary with
//! `include_bytes!` and decoded and verified once, on first use. Any crate
//! that depends on `regression-model = "X.Y"` gets exactly this model,
//! without touching the file system.

use std::sync::OnceLock;

use crate::artifact::{PredictionResponse, TrainedModel, VersionPolicy};
use crate::error::{Error, Result};
use crate::schema::HouseRecord;

#[cfg(shipped_model)]
const BYTES: Option<&[u8]> = Some(include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/trained_models/regression_model_output_v",
    env!("CARGO_PKG_VERSION"),
    ".postcard"
)));
#[cfg(not(shipped_model))]
const BYTES: Option<&[u8]> = None;

/// The embedded artifact's bytes, if this build has one.
pub fn shipped_bytes() -> Option<&'static [u8]> {
    BYTES
}

/// The shipped model, decoded and verified on first call.
///
/// # Errors
/// [`Error::Artifact`] if this build embeds no model (only while the first
/// model of a new crate is being trained) or the embedded one fails to load.
pub fn shipped_model() -> Result<&'static TrainedModel> {
    static MODEL: OnceLock<std::result::Result<TrainedModel, String>> = OnceLock::new();
    let origin = "(embedded model)";
    MODEL
        .get_or_init(|| match BYTES {
            Some(bytes) => {
                TrainedModel::from_bytes(bytes, origin, VersionPolicy::Exact).map_err(|e| match e {
                    Error::Artifact { problem, .. } => problem,
                    other => other.to_string(),
                })
            }
            None => Err(format!(
                "this build of regression-model {} embeds no trained model",
                crate::artifact::MODEL_VERSION
            )),
        })
        .as_ref()
        .map_err(|problem| Error::Artifact {
            path: origin.into(),
            problem: problem.clone(),
        })
}

/// Predicts with the shipped model: `{ predictions, version, errors }`.
///
/// ```
/// let record: regression_model::HouseRecord = serde_json::from_str(r#"{"Id": 1, "GrLivArea": 1500}"#).unwrap();
/// let response = regression_model::predict(&[record]).unwrap();
/// assert_eq!(response.version, env!("CARGO_PKG_VERSION"));
/// // Most inputs are missing, more than the model fills in (`max_imputed`),
/// // so this record is rejected with one error naming the missing fields.
/// assert!(response.predictions.is_empty());
/// assert_eq!(response.row_errors.errors.len(), 1);
/// assert!(response.row_errors.errors[0].message.contains("is missing, as are"));
/// // A value no house can have is refused, naming the field (use
/// // `input::parse_json_batch` to get every problem of a batch, per row).
/// let bad = serde_json::from_str::<regression_model::HouseRecord>(r#"{"GrLivArea": -5}"#);
/// assert!(bad.unwrap_err().to_string().contains("GrLivArea: must not be negative"));
/// ```
pub fn predict(records: &[HouseRecord]) -> Result<PredictionResponse> {
    Ok(shipped_model()?.predict(records))
}
