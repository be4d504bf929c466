//! The first of two passes over an inference request: it reads the names,
//! counts each tensor's values and multiplies out each `shape`, keeping no
//! value, so every check on sizes runs before a single cell is built. A
//! request of 8 MiB of `0,` used to become four million cells (about
//! 130 MB) before its rows were counted.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};

use crate::body::check_row_count;
use crate::error::{Error, clip};

/// Longest tensor name repeated in an error message.
const NAME_CHARS: usize = 64;

/// Longest `id` an infer request may carry, in bytes. The answer echoes
/// the `id`, so without a limit a request holding a 7 MB `id` got a 7 MB
/// answer; 256 bytes hold any UUID, trace or job id.
pub const MAX_ID_BYTES: usize = 256;

/// An infer request without its values.
#[derive(Debug, Deserialize)]
pub struct Outline {
    #[serde(default)]
    pub id: Option<String>,
    pub inputs: Vec<TensorOutline>,
    /// The outputs asked for (only `price` exists), each maybe asked in binary.
    #[serde(default)]
    pub outputs: Option<Vec<RequestedOutput>>,
    #[serde(default)]
    pub parameters: Option<RequestParameters>,
}

/// The request's `parameters` this service reads (others are ignored).
#[derive(Debug, Default, Deserialize)]
pub struct RequestParameters {
    /// Every output in binary, unless an output says otherwise.
    #[serde(default)]
    pub binary_data_output: Option<bool>,
}

/// One entry of `outputs`.
#[derive(Debug, Deserialize)]
pub struct RequestedOutput {
    pub name: String,
    #[serde(default)]
    pub parameters: Option<OutputParameters>,
}

/// An output's `parameters` this service reads.
#[derive(Debug, Default, Deserialize)]
pub struct OutputParameters {
    #[serde(default)]
    pub binary_data: Option<bool>,
}

/// The protocol's tensor datatypes. A `datatype` is checked against them
/// whether the values come as JSON or binary, so a typo is not priced as if
/// it were right; which ones binary data can carry is `binary`'s to say.
const DATATYPES: &[&str] = &[
    "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
    "FP32", "FP64", "BF16", "BYTES",
];

/// One input tensor: its name, its shape multiplied out, its value count
/// (JSON `data`) or the size of its values in the binary section.
#[derive(Debug, Deserialize)]
pub struct TensorOutline {
    pub name: String,
    #[serde(default)]
    pub shape: Option<Shape>,
    /// Needed for binary data (it gives the element width); checked for
    /// type only with JSON data, like the rest of the protocol's fields.
    #[serde(default)]
    pub datatype: Option<String>,
    #[serde(default)]
    pub data: Option<Count>,
    #[serde(default)]
    pub parameters: Option<TensorParameters>,
}

/// A tensor's `parameters` this service reads.
#[derive(Debug, Default, Deserialize)]
pub struct TensorParameters {
    /// The binary tensor data extension: the tensor's values are this many
    /// bytes of the binary section, after the previous tensors' bytes.
    #[serde(default)]
    pub binary_data_size: Option<u64>,
}

impl TensorOutline {
    /// The byte count of the tensor's values in the binary section, if
    /// they are sent there.
    pub fn binary_data_size(&self) -> Option<u64> {
        self.parameters.as_ref()?.binary_data_size
    }
}

impl Outline {
    /// Checks that the tensors agree with each other and with their shapes,
    /// and returns the number of rows. `binary` holds the value count of
    /// each tensor sent in the binary section (`None` for JSON `data`).
    ///
    /// # Errors
    /// [`Error::InvalidInferRequest`] for no tensors, a name given twice,
    /// a tensor with no values, tensors of different lengths or a `shape`
    /// that disagrees with `data`; [`Error::NoRows`] (422) or
    /// [`Error::TooManyRows`] (413). Messages name the tensor and the
    /// rule, never a value.
    pub fn check(&self, binary: &[Option<usize>], max_rows: usize) -> Result<usize, Error> {
        let Some(first) = self.inputs.first() else {
            return Err(Error::InvalidInferRequest(
                "`inputs` holds no tensor".into(),
            ));
        };
        let values = |index: usize| -> Result<usize, Error> {
            let tensor = &self.inputs[index];
            match (tensor.data, binary.get(index).copied().flatten()) {
                (Some(Count(n)), None) | (None, Some(n)) => Ok(n),
                (Some(_), Some(_)) => Err(Error::InvalidInferRequest(format!(
                    "tensor `{}` has both `data` and a `binary_data_size`: send its values one way",
                    shown(&tensor.name)
                ))),
                (None, None) => Err(Error::InvalidInferRequest(format!(
                    "tensor `{}` has no `data` (nor a `binary_data_size` parameter)",
                    shown(&tensor.name)
                ))),
            }
        };
        let rows = values(0)?;
        let mut names = HashSet::with_capacity(self.inputs.len());
        for (index, tensor) in self.inputs.iter().enumerate() {
            let name = || shown(&tensor.name);
            let count = values(index)?;
            if !names.insert(tensor.name.as_str()) {
                return Err(Error::InvalidInferRequest(format!(
                    "tensor `{}` appears more than once in `inputs`: one tensor per input column",
                    name()
                )));
            }
            if count != rows {
                return Err(Error::InvalidInferRequest(format!(
                    "tensor `{}` has {count} values but `{}` has {rows}: every input needs one value per row",
                    name(),
                    shown(&first.name)
                )));
            }
            if let Some(datatype) = &tensor.datatype
                && !DATATYPES.contains(&datatype.as_str())
            {
                return Err(Error::InvalidInferRequest(format!(
                    "tensor `{}`: `{}` is not an Open Inference Protocol datatype ({})",
                    name(),
                    shown(datatype),
                    DATATYPES.join(", ")
                )));
            }
            if tensor.shape.is_some_and(|shape| !shape.admits(rows)) {
                return Err(Error::InvalidInferRequest(format!(
                    "tensor `{}`: the product of its `shape` must equal the number of values in its `data` ({rows})",
                    name()
                )));
            }
        }
        check_row_count(rows, max_rows)?;
        Ok(rows)
    }
}

impl Outline {
    /// The request's `id`, to echo in the answer.
    ///
    /// # Errors
    /// [`Error::InvalidInferRequest`] for an `id` over [`MAX_ID_BYTES`].
    pub fn checked_id(&self) -> Result<Option<String>, Error> {
        match &self.id {
            Some(id) if id.len() > MAX_ID_BYTES => Err(Error::InvalidInferRequest(format!(
                "`id` takes {} bytes, more than the limit of {MAX_ID_BYTES}; it is echoed in the answer, send a shorter one",
                id.len()
            ))),
            id => Ok(id.clone()),
        }
    }

    /// Whether the `price` output is to be sent in binary: an output's own
    /// `binary_data` parameter, else the request's `binary_data_output`,
    /// else not.
    ///
    /// # Errors
    /// [`Error::InvalidInferRequest`] for an output other than `price`.
    pub fn binary_output(&self) -> Result<bool, Error> {
        let mut binary = (self.parameters.as_ref())
            .and_then(|p| p.binary_data_output)
            .unwrap_or(false);
        for output in self.outputs.iter().flatten() {
            if output.name != super::OUTPUT {
                return Err(Error::InvalidInferRequest(format!(
                    "output `{}` does not exist: the model's one output is `{}`",
                    shown(&output.name),
                    super::OUTPUT
                )));
            }
            if let Some(asked) = output.parameters.as_ref().and_then(|p| p.binary_data) {
                binary = asked;
            }
        }
        Ok(binary)
    }
}

/// A parse error of an infer body, as a client sees it: serde's rule and
/// where it was broken, without the value it quotes (`invalid type:
/// string "…", expected i64` keeps `invalid type: string, expected i64`).
pub fn parse_error(e: &serde_json::Error) -> Error {
    if e.classify() != serde_json::error::Category::Data {
        // Syntax messages ("expected value", "trailing characters") quote nothing.
        return Error::MalformedJson(clip(&e.to_string(), 200));
    }
    let text = e.to_string();
    let text = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(t, _)| t);
    let rule = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|prefix| {
            let rest = text.strip_prefix(prefix)?;
            let (unexpected, expected) = rest.rsplit_once(", expected ")?;
            let kind = unexpected.split(['"', '`']).next().unwrap_or("").trim();
            Some(format!("{prefix}{kind}, expected {expected}"))
        })
        .or_else(|| {
            ["missing field `", "duplicate field `", "invalid length "]
                .iter()
                .any(|p| text.starts_with(p))
                .then(|| text.to_owned())
        })
        .unwrap_or_else(|| "a field holds a value of the wrong kind".to_owned());
    Error::InvalidInferRequest(clip(
        &format!("{rule} (line {}, column {})", e.line(), e.column()),
        200,
    ))
}

/// A tensor name as an error message shows it: escaped and clipped, so
/// that a client can find a typo but not make the message long.
pub fn shown(name: &str) -> String {
    clip(&name.escape_default().to_string(), NAME_CHARS)
}

/// The number of elements of a JSON list, counted without keeping them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Count, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut count = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                Ok(Count(count))
            }
        }
        deserializer.deserialize_seq(Counter)
    }
}

/// A `shape`, multiplied out as it is read: a list of a million
/// dimensions costs no memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// `None` when the product overflows (it then matches no data).
    pub product: Option<i64>,
    /// A `-1` dimension ("any") matches any number of values.
    pub wildcard: bool,
}

impl Shape {
    fn admits(self, values: usize) -> bool {
        self.wildcard || self.product == i64::try_from(values).ok()
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
        struct Multiplier;
        impl<'de> Visitor<'de> for Multiplier {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of integer dimensions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
                let mut shape = Shape {
                    product: Some(1),
                    wildcard: false,
                };
                while let Some(dimension) = seq.next_element::<i64>()? {
                    if dimension < -1 {
                        return Err(serde::de::Error::invalid_value(
                            serde::de::Unexpected::Signed(dimension),
                            &"a dimension of -1 (any) or at least 0",
                        ));
                    }
                    shape.wildcard |= dimension < 0;
                    shape.product = shape.product.and_then(|p| p.checked_mul(dimension));
                }
                Ok(shape)
            }
        }
        deserializer.deserialize_seq(Multiplier)
    }
}

#[cfg(test)]
mod tests;
