//! The second pass over an inference request, run only once the outline
//! has passed its checks: it reads the values of the tensors the rows need
//! (the `Id` and the model's input columns), each into a list of exactly
//! the counted length, and skips the others' values unread. An unknown
//! tensor's values could change no price, so they are never built.

use std::fmt;

use regression_model::RawCell;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Reads the `data` of every tensor whose `keep` flag is set; the others
/// come back as `None`. `rows` is the checked length of every tensor.
pub struct Columns<'k> {
    pub keep: &'k [bool],
    pub rows: usize,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum RequestKey {
    Inputs,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum TensorKey {
    Data,
    #[serde(other)]
    Other,
}

impl<'de> DeserializeSeed<'de> for Columns<'_> {
    type Value = Vec<Option<Vec<RawCell>>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Columns<'_> {
    type Value = Vec<Option<Vec<RawCell>>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an inference request")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut columns = Vec::new();
        while let Some(key) = map.next_key::<RequestKey>()? {
            match key {
                RequestKey::Inputs => columns = map.next_value_seed(Tensors(&self))?,
                RequestKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(columns)
    }
}

/// The `inputs` list, tensor by tensor.
struct Tensors<'a, 'k>(&'a Columns<'k>);

impl<'de> DeserializeSeed<'de> for Tensors<'_, '_> {
    type Value = Vec<Option<Vec<RawCell>>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Tensors<'_, '_> {
    type Value = Vec<Option<Vec<RawCell>>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tensors")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut tensors = Vec::with_capacity(self.0.keep.len());
        loop {
            let keep = self.0.keep.get(tensors.len()).copied().unwrap_or(false);
            let tensor = Tensor {
                capacity: keep.then_some(self.0.rows),
            };
            match seq.next_element_seed(tensor)? {
                Some(data) => tensors.push(data),
                None => return Ok(tensors),
            }
        }
    }
}

/// One tensor: its `data` read into a list of `capacity` cells, or skipped.
struct Tensor {
    capacity: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for Tensor {
    type Value = Option<Vec<RawCell>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Tensor {
    type Value = Option<Vec<RawCell>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tensor")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut data = None;
        while let Some(key) = map.next_key::<TensorKey>()? {
            match (key, self.capacity) {
                (TensorKey::Data, Some(capacity)) => {
                    data = Some(map.next_value_seed(Cells { capacity })?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(data)
    }
}

/// A tensor's values, in a list allocated once at the counted length.
struct Cells {
    capacity: usize,
}

impl<'de> DeserializeSeed<'de> for Cells {
    type Value = Vec<RawCell>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Cells {
    type Value = Vec<RawCell>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut cells = Vec::with_capacity(self.capacity);
        while let Some(cell) = seq.next_element::<RawCell>()? {
            cells.push(cell);
        }
        Ok(cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, keep: &[bool], rows: usize) -> Vec<Option<Vec<RawCell>>> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Columns { keep, rows }
            .deserialize(&mut deserializer)
            .unwrap()
    }

    #[test]
    fn only_the_kept_tensors_values_are_read() {
        let columns = read(
            r#"{"id": "x", "inputs": [
                {"data": [1, null], "name": "Id"},
                {"name": "Nope", "data": ["a", "b"], "shape": [2]}
            ], "parameters": {}}"#,
            &[true, false],
            2,
        );
        assert_eq!(
            columns,
            vec![Some(vec![RawCell::Number(1.0), RawCell::Missing]), None]
        );
    }

    #[test]
    fn a_kept_tensor_is_allocated_once_at_the_counted_length() {
        let columns = read(r#"{"inputs": [{"data": [1, 2, 3]}]}"#, &[true], 3);
        let cells = columns[0].as_ref().unwrap();
        assert_eq!((cells.len(), cells.capacity()), (3, 3));
    }
}
