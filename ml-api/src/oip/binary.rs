//! The binary tensor data extension (announced as `binary_tensor_data` in
//! `GET /v2`): a body of `Inference-Header-Content-Length` bytes of JSON,
//! then the raw little-endian values of the tensors whose `parameters`
//! give a `binary_data_size`, one after another in `inputs` order. It is
//! `tritonclient`'s default for numpy inputs and outputs.
//!
//! Every size is checked against the datatype, the `shape` and the bytes
//! actually sent before a single value is decoded ([`locate`]), so a
//! request that lies about its size costs a walk over its own bytes at
//! most. Only then are the values the rows need decoded ([`cells`]).

use std::ops::Range;

use regression_model::RawCell;

use super::outline::{TensorOutline, shown};
use crate::error::Error;

/// The extension's name in the server metadata.
pub const EXTENSION: &str = "binary_tensor_data";

/// The header that gives the JSON part's length, in requests and responses.
pub const HEADER: &str = "inference-header-content-length";

/// How one element of a datatype is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    Fixed(Fixed),
    /// Each element is a 4-byte little-endian length, then that many bytes.
    Bytes,
}

/// A fixed-width element; the widths are in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    Bool,
    Signed(usize),
    Unsigned(usize),
    Float(usize),
}

impl Element {
    /// The element of an OIP datatype; `None` for one this service cannot
    /// read (`FP16`, `BF16`) or that does not exist.
    pub fn of(datatype: &str) -> Option<Element> {
        Some(Element::Fixed(match datatype {
            "BOOL" => Fixed::Bool,
            "INT8" => Fixed::Signed(1),
            "INT16" => Fixed::Signed(2),
            "INT32" => Fixed::Signed(4),
            "INT64" => Fixed::Signed(8),
            "UINT8" => Fixed::Unsigned(1),
            "UINT16" => Fixed::Unsigned(2),
            "UINT32" => Fixed::Unsigned(4),
            "UINT64" => Fixed::Unsigned(8),
            "FP32" => Fixed::Float(4),
            "FP64" => Fixed::Float(8),
            "BYTES" => return Some(Element::Bytes),
            _ => return None,
        }))
    }
}

impl Fixed {
    fn width(self) -> usize {
        match self {
            Fixed::Bool => 1,
            Fixed::Signed(w) | Fixed::Unsigned(w) | Fixed::Float(w) => w,
        }
    }
}

/// Where a tensor's values are in the binary section, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub element: Element,
    pub range: Range<usize>,
    pub count: usize,
}

fn invalid(message: String) -> Error {
    Error::InvalidInferRequest(message)
}

/// Splits the binary section among the tensors that give a
/// `binary_data_size`, in order, checking for each its datatype, that its
/// `shape` is fixed, that the size is the shape's element count times the
/// element width (for `BYTES`: that the length prefixes tile the size
/// exactly, with as many elements as the shape says), and that the sizes
/// add up to the section's length. Nothing is decoded.
///
/// # Errors
/// [`Error::InvalidInferRequest`] naming the tensor and the rule broken.
pub fn locate(tensors: &[TensorOutline], binary: &[u8]) -> Result<Vec<Option<Located>>, Error> {
    let mut offset = 0usize;
    let mut located = Vec::with_capacity(tensors.len());
    for tensor in tensors {
        let Some(size) = tensor.binary_data_size() else {
            located.push(None);
            continue;
        };
        let name = || shown(&tensor.name);
        let datatype = tensor.datatype.as_deref().ok_or_else(|| {
            invalid(format!(
                "tensor `{}` sends binary data without a `datatype`",
                name()
            ))
        })?;
        let element = Element::of(datatype).ok_or_else(|| {
            invalid(format!(
                "tensor `{}`: datatype `{}` cannot be read as binary data (use FP64, FP32, INT*, UINT*, BOOL or BYTES)",
                name(),
                shown(datatype)
            ))
        })?;
        let count = tensor
            .shape
            .filter(|s| !s.wildcard)
            .and_then(|s| s.product)
            .and_then(|p| usize::try_from(p).ok())
            .ok_or_else(|| {
                invalid(format!(
                    "tensor `{}` sends binary data: it needs a `shape` of non-negative dimensions whose product fits in 64 bits",
                    name()
                ))
            })?;
        let end = usize::try_from(size)
            .ok()
            .and_then(|s| offset.checked_add(s))
            .filter(|end| *end <= binary.len())
            .ok_or_else(|| {
                invalid(format!(
                    "tensor `{}`: its binary_data_size runs past the end of the body ({} bytes of binary data follow the JSON header)",
                    name(),
                    binary.len()
                ))
            })?;
        let range = offset..end;
        match element {
            Element::Fixed(fixed) => {
                let width = fixed.width();
                if count.checked_mul(width) != Some(range.len()) {
                    return Err(invalid(format!(
                        "tensor `{}`: its binary_data_size must be the product of its `shape` times {width} (bytes per {datatype} value)",
                        name(),
                    )));
                }
            }
            Element::Bytes => {
                let strings = count_strings(&binary[range.clone()], count).ok_or_else(|| {
                    invalid(format!(
                        "tensor `{}`: its binary_data_size bytes must hold exactly as many length-prefixed BYTES elements as its `shape` says",
                        name()
                    ))
                })?;
                debug_assert_eq!(strings, count);
            }
        }
        located.push(Some(Located {
            element,
            range,
            count,
        }));
        offset = end;
    }
    if offset != binary.len() {
        return Err(invalid(format!(
            "{} bytes of binary data follow the JSON header, but the tensors' binary_data_size add up to another count",
            binary.len()
        )));
    }
    Ok(located)
}

/// Counts the length-prefixed elements of `bytes` if they tile it exactly
/// and there are `expected` of them; stops at the first one too many.
fn count_strings(mut bytes: &[u8], expected: usize) -> Option<usize> {
    let mut count = 0;
    while !bytes.is_empty() {
        if count == expected {
            return None;
        }
        let (prefix, rest) = bytes.split_first_chunk::<4>()?;
        let length = usize::try_from(u32::from_le_bytes(*prefix)).ok()?;
        bytes = rest.get(length..)?;
        count += 1;
    }
    (count == expected).then_some(count)
}

/// Decodes a located tensor's values into cells, as its JSON `data` would
/// give them: numbers as numbers, `BOOL` as booleans, `BYTES` as text.
/// Binary data has no `null`: a NaN, and an empty `BYTES` element (like
/// an empty CSV cell), is a missing value.
///
/// # Errors
/// [`Error::InvalidInferRequest`] for a `BYTES` element that is not UTF-8.
pub fn cells(name: &str, located: &Located, binary: &[u8]) -> Result<Vec<RawCell>, Error> {
    let bytes = &binary[located.range.clone()];
    let mut cells = Vec::with_capacity(located.count);
    match located.element {
        Element::Bytes => {
            let mut rest = bytes;
            while let Some((prefix, tail)) = rest.split_first_chunk::<4>() {
                let length = u32::from_le_bytes(*prefix) as usize;
                // `locate` checked that the prefixes tile the bytes.
                let (Some(text), Some(tail)) = (tail.get(..length), tail.get(length..)) else {
                    return Err(Error::Internal("a BYTES tensor was not located".into()));
                };
                let text = std::str::from_utf8(text).map_err(|_| {
                    invalid(format!(
                        "tensor `{}`: element {} is not UTF-8 text",
                        shown(name),
                        cells.len()
                    ))
                })?;
                cells.push(if text.is_empty() {
                    RawCell::Missing
                } else {
                    RawCell::Text(text.to_owned())
                });
                rest = tail;
            }
        }
        Element::Fixed(fixed) => {
            cells.extend(
                bytes
                    .chunks_exact(fixed.width())
                    .map(|chunk| number(fixed, chunk)),
            );
        }
    }
    Ok(cells)
}

/// One fixed-width element (`chunk` holds exactly its bytes).
fn number(fixed: Fixed, chunk: &[u8]) -> RawCell {
    let mut wide = [0u8; 8];
    wide[..chunk.len()].copy_from_slice(chunk);
    let value = match fixed {
        Fixed::Bool => return RawCell::Bool(wide[0] != 0),
        Fixed::Float(4) => f64::from(f32::from_le_bytes([wide[0], wide[1], wide[2], wide[3]])),
        Fixed::Float(_) => f64::from_le_bytes(wide),
        Fixed::Unsigned(_) => u64::from_le_bytes(wide) as f64,
        Fixed::Signed(width) => {
            // Sign-extend from the element's width.
            let shift = 64 - 8 * width as u32;
            ((i64::from_le_bytes(wide) << shift) >> shift) as f64
        }
    };
    if value.is_nan() {
        RawCell::Missing
    } else {
        RawCell::Number(value)
    }
}

/// The binary form of a `price` tensor: its values, little-endian.
pub fn encode_prices(prices: &[f64]) -> Vec<u8> {
    prices.iter().flat_map(|p| p.to_le_bytes()).collect()
}

#[cfg(test)]
mod tests;
