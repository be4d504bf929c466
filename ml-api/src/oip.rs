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
//!
//! Tensors may also come in the binary tensor data extension ([`binary`]):
//! `tritonclient`'s default. The answer is binary too when the request asks
//! (`parameters.binary_data_output`, or `binary_data` on the `price`
//! output), and JSON otherwise.

pub mod binary;
mod body;
mod columns;
mod outline;
mod reply;

pub use body::InferBody;
pub use outline::MAX_ID_BYTES;
pub use reply::reply;

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

/// The protocol extensions this service supports, for `GET /v2`.
pub const EXTENSIONS: [&str; 1] = [binary::EXTENSION];

/// The name of the one output tensor.
pub const OUTPUT: &str = "price";

/// # Errors
/// [`Error::UnknownModel`] (404) for any other name.
pub fn check_name(name: &str) -> Result<(), Error> {
    if name == MODEL_NAME {
        Ok(())
    } else {
        Err(Error::UnknownModel(clip(name, 64)))
    }
}

/// `POST /v2/models/{name}/infer`, read in two passes (see `outline`
/// and `columns`): [`InferRequest::parse`] reads the outline, and
/// [`InferRequest::into_rows`] checks it before it reads a single value.
/// Unknown fields are accepted and ignored.
#[derive(Debug)]
pub struct InferRequest<'a> {
    pub id: Option<String>,
    /// Whether the answer's `price` tensor goes in the binary extension.
    pub binary_output: bool,
    outline: Outline,
    /// The JSON part of the body (all of it without the binary extension).
    json: &'a [u8],
    /// The raw tensor bytes after the JSON header (empty without them).
    binary: &'a [u8],
}

impl<'a> InferRequest<'a> {
    /// Reads a JSON infer body's outline: names, shapes and value counts.
    ///
    /// # Errors
    /// [`Error::MalformedJson`] for text that is not JSON or nests deeper
    /// than `max_json_depth`,
    /// [`Error::InvalidInferRequest`] for JSON that is not an infer request.
    pub fn parse(bytes: &'a [u8], max_json_depth: usize) -> Result<InferRequest<'a>, Error> {
        InferRequest::parse_parts(bytes, None, max_json_depth)
    }

    /// [`InferRequest::parse`] for a body that may use the binary tensor
    /// data extension: `json_length` is its `Inference-Header-Content-Length`.
    ///
    /// # Errors
    /// As [`InferRequest::parse`], and [`Error::InvalidInferRequest`] for a
    /// header length past the end of the body, or tensors that give a
    /// `binary_data_size` when the request has no such header.
    pub fn parse_parts(
        bytes: &'a [u8],
        json_length: Option<usize>,
        max_json_depth: usize,
    ) -> Result<InferRequest<'a>, Error> {
        let (json, binary) = match json_length {
            None => (bytes, &[][..]),
            Some(length) => bytes.split_at_checked(length).ok_or_else(|| {
                Error::InvalidInferRequest(format!(
                    "Inference-Header-Content-Length is past the end of the body ({} bytes)",
                    bytes.len()
                ))
            })?,
        };
        crate::scan::json(json, max_json_depth)?;
        let outline: Outline =
            serde_json::from_slice(json).map_err(|e| outline::parse_error(&e))?;
        if json_length.is_none()
            && let Some(tensor) = outline
                .inputs
                .iter()
                .find(|t| t.binary_data_size().is_some())
        {
            return Err(Error::InvalidInferRequest(format!(
                "tensor `{}` gives a binary_data_size, but the request has no Inference-Header-Content-Length header",
                outline::shown(&tensor.name)
            )));
        }
        Ok(InferRequest {
            id: outline.checked_id()?,
            binary_output: outline.binary_output()?,
            outline,
            json,
            binary,
        })
    }

    /// Turns column tensors into rows, one per position, once the tensors'
    /// lengths and shapes (and binary sizes) have been checked. Only the
    /// `Id` and input columns' values are read; a tensor of another name
    /// refuses the request before any value is read.
    ///
    /// # Errors
    /// [`Error::InvalidInferRequest`] for no tensors, a name given twice,
    /// tensors of different lengths, a `shape` that disagrees with
    /// `data`, or binary sizes that disagree with the datatype, the shape
    /// or the bytes sent; 422/413 for zero or too many rows.
    pub fn into_rows(self, max_rows: usize) -> Result<InputRows, Error> {
        let located = binary::locate(&self.outline.inputs, self.binary)?;
        let counts: Vec<Option<usize>> = located
            .iter()
            .map(|l| l.as_ref().map(|l| l.count))
            .collect();
        let rows = self.outline.check(&counts, max_rows)?;
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
        // JSON `data` first (binary tensors have none), then binary values.
        let json_keep: Vec<bool> = keep
            .iter()
            .zip(&located)
            .map(|(k, l)| *k && l.is_none())
            .collect();
        let mut deserializer = serde_json::Deserializer::from_slice(self.json);
        let mut data = Columns {
            keep: &json_keep,
            rows,
        }
        .deserialize(&mut deserializer)
        .map_err(|e| outline::parse_error(&e))?;
        data.resize_with(fields.len(), || None);
        for (index, place) in located.iter().enumerate() {
            if let (true, Some(place)) = (keep[index], place) {
                let name = &self.outline.inputs[index].name;
                data[index] = Some(binary::cells(name, place, self.binary)?);
            }
        }
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
        crate::memory::rows_parsed(rows.len());
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
        if !response.row_errors.rejected.is_empty() {
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
                name: OUTPUT,
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
        "outputs": [{ "name": OUTPUT, "datatype": "FP64", "shape": [-1] }],
    })
}

#[cfg(test)]
mod tests;
