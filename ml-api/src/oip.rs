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

mod columns;
mod outline;

use regression_model::ColumnKind;
use regression_model::{Column, PredictionResponse};
use regression_model::{
    Field, InputRows, NAME_CHARS, ParsedRow, RawCell, RowBuilder, escape_clipped,
};
use serde::Serialize;
use serde::de::DeserializeSeed;
use serde_json::{Value, json};

use crate::error::{Error, clip};
use crate::model::LoadedModel;
use columns::Columns;
use outline::Outline;

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

/// `POST /v2/models/{name}/infer`, read in two passes (see [`outline`]
/// and [`columns`]): [`InferRequest::parse`] reads the outline, and
/// [`InferRequest::into_rows`] checks it before it reads a single value.
/// Unknown fields (`parameters`, `outputs`) are accepted and ignored.
#[derive(Debug)]
pub struct InferRequest<'a> {
    pub id: Option<String>,
    outline: Outline,
    bytes: &'a [u8],
}

impl<'a> InferRequest<'a> {
    /// Reads an infer body's outline: names, shapes and value counts.
    ///
    /// # Errors
    /// [`Error::MalformedJson`] for text that is not JSON or nests deeper
    /// than `max_json_depth`,
    /// [`Error::InvalidInferRequest`] for JSON that is not an infer request.
    pub fn parse(bytes: &'a [u8], max_json_depth: usize) -> Result<InferRequest<'a>, Error> {
        crate::scan::json(bytes, max_json_depth)?;
        let outline: Outline =
            serde_json::from_slice(bytes).map_err(|e| outline::parse_error(&e))?;
        Ok(InferRequest {
            id: outline.id.clone(),
            outline,
            bytes,
        })
    }

    /// Turns column tensors into rows, one per position, once the tensors'
    /// lengths and shapes have been checked. Only the `Id` and input
    /// columns' values are read; a tensor of another name is reported once,
    /// in row 0, instead of once per row.
    ///
    /// # Errors
    /// [`Error::InvalidInferRequest`] for no tensors, a name given twice,
    /// tensors of different lengths or a `shape` that disagrees with
    /// `data`; 422/413 for zero or too many rows.
    pub fn into_rows(self, max_rows: usize) -> Result<InputRows, Error> {
        let rows = self.outline.check(max_rows)?;
        let fields: Vec<Field> = self
            .outline
            .inputs
            .iter()
            .map(|t| Field::resolve(&t.name))
            .collect();
        // A tensor names a column: one that is not an input is a mistake in
        // the request as a whole, refused before a single value is read.
        if let Some((tensor, _)) = self
            .outline
            .inputs
            .iter()
            .zip(&fields)
            .find(|(_, f)| **f == Field::Unknown)
        {
            return Err(Error::InvalidInferRequest(format!(
                "input tensor `{}` is not one of the model's inputs",
                escape_clipped(&tensor.name, NAME_CHARS)
            )));
        }
        let keep: Vec<bool> = fields
            .iter()
            .map(|f| matches!(f, Field::Id | Field::Input(_)))
            .collect();
        let mut deserializer = serde_json::Deserializer::from_slice(self.bytes);
        let data = Columns { keep: &keep, rows }
            .deserialize(&mut deserializer)
            .map_err(|e| outline::parse_error(&e))?;
        let mut columns: Vec<_> = fields
            .into_iter()
            .zip(data)
            .filter_map(|(field, cells)| Some((field, cells?.into_iter())))
            .collect();
        let rows = (0..rows)
            .map(|_| {
                let mut row = RowBuilder::default();
                for (field, cells) in &mut columns {
                    row.add(*field, cells.next().unwrap_or(RawCell::Missing));
                }
                row.finish()
            })
            .collect::<Vec<ParsedRow>>();
        Ok(InputRows {
            rows,
            ..InputRows::default()
        })
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
        if !response.rejected.is_empty() {
            return Err(Error::RejectedRows {
                rows,
                response: Box::new(response),
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
        let rows = request.into_rows(10).unwrap().rows;
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
    fn an_unknown_tensor_refuses_the_request_naming_it_clipped() {
        let name = format!("Nope{}", "x".repeat(500));
        let body = format!(
            r#"{{"inputs": [
                {{"name": "Id", "data": [1, 2, 3]}},
                {{"name": "{name}", "data": [{{"deep": [1]}}, "x", 7]}}
            ]}}"#
        );
        let request = InferRequest::parse(body.as_bytes(), 32).unwrap();
        let Err(Error::InvalidInferRequest(message)) = request.into_rows(10) else {
            panic!("an unknown tensor is refused");
        };
        assert!(message.contains("`Nopexxx"), "{message}");
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn other_model_names_are_unknown() {
        assert!(check_name(MODEL_NAME).is_ok());
        assert!(matches!(check_name("resnet"), Err(Error::UnknownModel(_))));
    }
}
