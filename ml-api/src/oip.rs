//! The Open Inference Protocol (KServe v2) subset this service speaks: the
//! request and response types of `infer`, the model metadata document, and
//! the conversion from named column tensors to the model crate's rows.
//!
//! A request sends one tensor per input column (`name` = Kaggle column
//! name, `data` = one value per row, `null` for missing); all tensors have
//! the same length. The response has one `FP64` tensor, `price`, with one
//! value per row. A batch with any rejected row is answered with 400 and an
//! error naming the rows and fields, never with partial output: an FP64
//! tensor has no slot for "no value", and clients reshape outputs by
//! position, so a silently shorter tensor would misalign prices and rows.

use regression_model::input::{ParsedRow, RawCell};
use regression_model::schema::ColumnKind;
use regression_model::{Column, PredictionResponse};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::body::check_row_count;
use crate::error::{Error, clip};
use crate::state::LoadedModel;

/// The only model served here.
pub const MODEL_NAME: &str = "regression-model";

/// The `platform` field of the model metadata.
pub const PLATFORM: &str = "regression-model";

/// # Errors
/// [`Error::UnknownModel`] (404) for any other name.
pub fn check_name(name: &str) -> Result<(), Error> {
    if name == MODEL_NAME {
        Ok(())
    } else {
        Err(Error::UnknownModel(clip(name, 64)))
    }
}

/// `POST /v2/models/{name}/infer` body; unknown fields (`parameters`,
/// `outputs`) are accepted and ignored.
#[derive(Debug, Deserialize)]
pub struct InferRequest {
    #[serde(default)]
    pub id: Option<String>,
    pub inputs: Vec<InputTensor>,
}

#[derive(Debug, Deserialize)]
pub struct InputTensor {
    pub name: String,
    #[serde(default)]
    pub shape: Option<Vec<i64>>,
    #[serde(default)]
    pub datatype: Option<String>,
    pub data: Vec<RawCell>,
}

impl InferRequest {
    /// Parses an infer body.
    ///
    /// # Errors
    /// [`Error::MalformedJson`] for text that is not JSON or nests deeper
    /// than `max_json_depth`,
    /// [`Error::InvalidInferRequest`] for JSON that is not an infer request.
    pub fn parse(bytes: &[u8], max_json_depth: usize) -> Result<InferRequest, Error> {
        crate::scan::json(bytes, max_json_depth)?;
        serde_json::from_slice(bytes).map_err(|e| {
            let message = clip(&e.to_string(), 200);
            match e.classify() {
                serde_json::error::Category::Data => Error::InvalidInferRequest(message),
                _ => Error::MalformedJson(message),
            }
        })
    }

    /// Turns column tensors into rows, one per position.
    ///
    /// # Errors
    /// [`Error::InvalidInferRequest`] for no tensors, tensors of different
    /// lengths or a `shape` that disagrees with `data`; 422/413 for zero or
    /// too many rows.
    pub fn into_rows(self, max_rows: usize) -> Result<Vec<ParsedRow>, Error> {
        let Some(first) = self.inputs.first() else {
            return Err(Error::InvalidInferRequest(
                "`inputs` holds no tensor".into(),
            ));
        };
        let rows = first.data.len();
        let first_name = clip(&first.name, 40);
        for tensor in &self.inputs {
            let name = clip(&tensor.name, 40);
            if tensor.data.len() != rows {
                return Err(Error::InvalidInferRequest(format!(
                    "tensor `{name}` has {} values but `{first_name}` has {rows}: every input needs one value per row",
                    tensor.data.len()
                )));
            }
            // A product that overflows cannot be the row count either.
            if let Some(shape) = &tensor.shape
                && shape.iter().all(|d| *d >= 0)
                && shape
                    .iter()
                    .try_fold(1i64, |product, d| product.checked_mul(*d))
                    != Some(rows as i64)
            {
                return Err(Error::InvalidInferRequest(clip(
                    &format!("tensor `{name}` has shape {shape:?} but {rows} values"),
                    200,
                )));
            }
        }
        check_row_count(rows, max_rows)?;
        let (names, mut columns): (Vec<String>, Vec<_>) = self
            .inputs
            .into_iter()
            .map(|t| (t.name, t.data.into_iter()))
            .unzip();
        Ok((0..rows)
            .map(|_| {
                ParsedRow::from_cells(
                    names.iter().zip(columns.iter_mut()).map(|(name, cells)| {
                        (name.as_str(), cells.next().unwrap_or(RawCell::Missing))
                    }),
                )
            })
            .collect())
    }
}

/// `infer`'s answer: one `price` tensor.
#[derive(Debug, Serialize)]
pub struct InferResponse {
    pub model_name: &'static str,
    pub model_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub outputs: [OutputTensor; 1],
}

#[derive(Debug, Serialize)]
pub struct OutputTensor {
    pub name: &'static str,
    pub datatype: &'static str,
    pub shape: [usize; 1],
    pub data: Vec<f64>,
}

impl InferResponse {
    /// # Errors
    /// [`Error::RejectedRows`] (400) when any row was rejected.
    pub fn new(
        id: Option<String>,
        rows: usize,
        response: PredictionResponse,
    ) -> Result<InferResponse, Error> {
        if !response.errors.is_empty() {
            return Err(Error::RejectedRows {
                rows,
                errors: response.errors,
            });
        }
        let data: Vec<f64> = response.predictions.iter().map(|p| p.price).collect();
        Ok(InferResponse {
            model_name: MODEL_NAME,
            model_version: response.version,
            id,
            outputs: [OutputTensor {
                name: "price",
                datatype: "FP64",
                shape: [data.len()],
                data,
            }],
        })
    }
}

/// `GET /v2/models/{name}`: one input tensor per feature the model reads.
pub fn model_metadata(loaded: &LoadedModel) -> Value {
    let inputs: Vec<Value> = loaded
        .model
        .metadata
        .input_features
        .iter()
        .map(|name| {
            let datatype = match Column::from_name(name).map(Column::kind) {
                Some(ColumnKind::Numeric) => "FP64",
                _ => "BYTES",
            };
            json!({ "name": name, "datatype": datatype, "shape": [-1] })
        })
        .collect();
    json!({
        "name": MODEL_NAME,
        "versions": [loaded.model.metadata.model_version],
        "platform": PLATFORM,
        "inputs": inputs,
        "outputs": [{ "name": "price", "datatype": "FP64", "shape": [-1] }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_tensors_become_rows_by_position() {
        let request = InferRequest::parse(
            br#"{"inputs": [
                {"name": "Id", "shape": [2], "datatype": "INT64", "data": [7, 8]},
                {"name": "MSZoning", "shape": [2], "datatype": "BYTES", "data": ["RL", null]}
            ]}"#,
            32,
        )
        .unwrap();
        let rows = request.into_rows(10).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].record.id, Some(8));
        assert_eq!(rows[0].record.ms_zoning.as_deref(), Some("RL"));
        assert_eq!(rows[1].record.ms_zoning, None);
    }

    #[test]
    fn tensors_of_different_lengths_are_an_invalid_request() {
        let request = InferRequest::parse(
            br#"{"inputs": [{"name": "Id", "data": [1, 2]}, {"name": "MSZoning", "data": ["RL"]}]}"#, 32)
        .unwrap();
        let error = request.into_rows(10).unwrap_err();
        assert!(matches!(error, Error::InvalidInferRequest(_)), "{error}");
    }

    #[test]
    fn a_shape_that_disagrees_with_the_data_is_an_invalid_request() {
        let request = InferRequest::parse(
            br#"{"inputs": [{"name": "Id", "shape": [3], "data": [1, 2]}]}"#,
            32,
        )
        .unwrap();
        assert!(matches!(
            request.into_rows(10),
            Err(Error::InvalidInferRequest(_))
        ));
    }

    #[test]
    fn a_shape_whose_product_overflows_is_an_invalid_request() {
        let request = InferRequest::parse(
            br#"{"inputs": [{"name": "Id", "shape": [4294967296, 4294967296], "data": [1]}]}"#,
            32,
        )
        .unwrap();
        assert!(matches!(
            request.into_rows(10),
            Err(Error::InvalidInferRequest(_))
        ));
    }

    #[test]
    fn other_model_names_are_unknown() {
        assert!(check_name(MODEL_NAME).is_ok());
        assert!(matches!(check_name("resnet"), Err(Error::UnknownModel(_))));
    }
}
