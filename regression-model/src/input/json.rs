//! JSON bodies: a list of records (or one record object), parsed field by
//! field so that a bad cell is a row problem, not a failed request.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Field, ParsedRow, RawCell, TARGET_COLUMN, is_missing_marker, shorten};
use crate::error::{Error, Result};
use crate::schema::HouseRecord;

impl<'de> Deserialize<'de> for RawCell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CellVisitor;
        impl<'de> Visitor<'de> for CellVisitor {
            type Value = RawCell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, a string or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawCell, E> {
                Ok(RawCell::Missing)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawCell, E> {
                Ok(RawCell::Missing)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawCell, E> {
                Ok(RawCell::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawCell, E> {
                Ok(RawCell::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCell, E> {
                Ok(RawCell::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawCell, E> {
                Ok(RawCell::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCell, E> {
                Ok(if is_missing_marker(v) {
                    RawCell::Missing
                } else {
                    RawCell::Text(v.to_owned())
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawCell, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawCell::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCell, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawCell::Nested)
            }
        }
        deserializer.deserialize_any(CellVisitor)
    }
}

/// A JSON key, resolved to its field as it is read (no allocation unless
/// the key is unknown and must be quoted back).
struct Key {
    field: Field,
    unknown: Option<String>,
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        match self.field {
            Field::Id => "Id",
            Field::Target => TARGET_COLUMN,
            Field::Input(column) => column.name(),
            Field::Unknown => self.unknown.as_deref().unwrap_or(""),
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                let field = Field::resolve(v);
                let unknown = (field == Field::Unknown).then(|| shorten(v));
                Ok(Key { field, unknown })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

fn record_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<ParsedRow, A::Error> {
    let mut pairs: Vec<(Key, RawCell)> = Vec::with_capacity(80);
    while let Some(pair) = map.next_entry::<Key, RawCell>()? {
        pairs.push(pair);
    }
    Ok(ParsedRow::from_fields(pairs.into_iter().map(
        |(key, cell)| {
            let field = key.field;
            (key, field, cell)
        },
    )))
}

/// One element of a JSON batch: a record, or something that is not one.
struct JsonRow(ParsedRow);

impl<'de> Deserialize<'de> for JsonRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = JsonRow;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of house fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonRow, A::Error> {
                Ok(JsonRow(record_from_map(map)?))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonRow, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JsonRow(ParsedRow::not_a_record("an array")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("null")))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a boolean")))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a number")))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a number")))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a number")))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a string")))
            }
        }
        deserializer.deserialize_any(RowVisitor)
    }
}

/// The top level of a JSON body: a list of records, or a single record.
struct JsonBatch(Vec<ParsedRow>);

impl<'de> Deserialize<'de> for JsonBatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BatchVisitor;
        impl<'de> Visitor<'de> for BatchVisitor {
            type Value = JsonBatch;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of house records (or one record object)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonBatch, A::Error> {
                let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(JsonRow(row)) = seq.next_element()? {
                    rows.push(row);
                }
                Ok(JsonBatch(rows))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonBatch, A::Error> {
                Ok(JsonBatch(vec![record_from_map(map)?]))
            }
        }
        deserializer.deserialize_any(BatchVisitor)
    }
}

/// Parses a JSON list of records (or one record) into rows.
///
/// # Errors
/// [`Error::Json`] when the text is not JSON, or its top level is neither a
/// list nor an object. Problems inside records are kept per row instead.
pub fn parse_json_batch(body: &[u8]) -> Result<Vec<ParsedRow>> {
    serde_json::from_slice::<JsonBatch>(body)
        .map(|batch| batch.0)
        .map_err(|e| Error::Json(e.to_string()))
}

/// Records deserialize from JSON with serde, failing on the first problem
/// (use [`parse_json_batch`] to collect every problem of a batch instead).
impl<'de> Deserialize<'de> for HouseRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = HouseRecord;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of house fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HouseRecord, A::Error> {
                let row = record_from_map(map)?;
                match row.problems.first() {
                    None => Ok(row.record),
                    Some(p) => Err(de::Error::custom(format!("{}: {}", p.field, p.message))),
                }
            }
        }
        deserializer.deserialize_map(RecordVisitor)
    }
}
