//! JSON bodies: a list of records (or one record object), parsed field by
//! field so that a bad cell is a row problem, not a failed request.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Field, ParsedRow, RawCell, RowBuilder, TARGET_COLUMN, is_missing_marker, shorten};
use crate::error::{Error, Result};
use crate::schema::{Column, HouseRecord};

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

impl Key {
    fn name(&self) -> &str {
        match self.field {
            Field::Id => "Id",
            Field::Target => TARGET_COLUMN,
            Field::Input(column) => column.name(),
            Field::Unknown => self.unknown.as_deref().unwrap_or(""),
        }
    }
}

/// Reads a key, trying first the column that usually comes next: clients
/// mostly send the fields in the Kaggle order, so most keys resolve with
/// one comparison instead of a search of the schema's names.
struct KeySeed {
    expected: Option<Column>,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        let field = match self.expected {
            Some(c) if c.name() == v || c.alias() == Some(v) => Field::Input(c),
            _ => Field::resolve(v),
        };
        let unknown = (field == Field::Unknown).then(|| shorten(v));
        Ok(Key { field, unknown })
    }
}

/// The column after `field` in the Kaggle order (the first after `Id`).
fn next_column(field: Field) -> Option<Column> {
    match field {
        Field::Id => Column::ALL.first().copied(),
        Field::Input(c) => Column::ALL.get(c as usize + 1).copied(),
        Field::Target | Field::Unknown => None,
    }
}

/// The input columns a reader keeps; the values of the others are skipped
/// unread (no allocation, no conversion, no problems reported for them).
#[derive(Debug, Clone, Copy)]
struct Wanted([bool; Column::ALL.len()]);

impl Wanted {
    const ALL: Wanted = Wanted([true; Column::ALL.len()]);

    fn only(columns: &[Column]) -> Wanted {
        let mut wanted = [false; Column::ALL.len()];
        columns.iter().for_each(|&c| wanted[c as usize] = true);
        Wanted(wanted)
    }

    fn skips(&self, field: Field) -> bool {
        matches!(field, Field::Input(c) if !self.0[c as usize])
    }
}

fn record_from_map<'de, A: MapAccess<'de>>(
    mut map: A,
    wanted: &Wanted,
) -> Result<ParsedRow, A::Error> {
    let mut row = RowBuilder::default();
    // The first key is usually `Id` (or, without one, the first column).
    let mut seed = KeySeed { expected: None };
    while let Some(key) = map.next_key_seed(seed)? {
        seed = KeySeed {
            expected: next_column(key.field),
        };
        if wanted.skips(key.field) {
            map.next_value::<IgnoredAny>()?;
            continue;
        }
        let cell: RawCell = map.next_value()?;
        row.add(key.name(), key.field, cell);
    }
    Ok(row.finish())
}

/// One element of a JSON batch: a record, or something that is not one.
struct RowSeed<'w>(&'w Wanted);

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ParsedRow;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<ParsedRow, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ParsedRow;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object of house fields")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ParsedRow, A::Error> {
        record_from_map(map, self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ParsedRow, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ParsedRow::not_a_record("an array"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record("null"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record("a string"))
    }
}

/// The top level of a JSON body: a list of records, or a single record.
struct BatchSeed(Wanted);

impl<'de> DeserializeSeed<'de> for BatchSeed {
    type Value = Vec<ParsedRow>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BatchSeed {
    type Value = Vec<ParsedRow>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of house records (or one record object)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(row) = seq.next_element_seed(RowSeed(&self.0))? {
            rows.push(row);
        }
        Ok(rows)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(vec![record_from_map(map, &self.0)?])
    }
}

/// Parses a JSON list of records (or one record) into rows.
///
/// # Errors
/// [`Error::Json`] when the text is not JSON, or its top level is neither a
/// list nor an object. Problems inside records are kept per row instead.
pub fn parse_json_batch(body: &[u8]) -> Result<Vec<ParsedRow>> {
    parse_json(body, Wanted::ALL)
}

/// Like [`parse_json_batch`], keeping only the `wanted` input columns (a
/// model's [`crate::FittedPipeline::features`]): the values of the others
/// are skipped unread, as [`super::read_csv_columns`] does for CSV. Unknown
/// and repeated fields are still reported.
///
/// # Errors
/// As [`parse_json_batch`].
pub fn parse_json_batch_columns(body: &[u8], wanted: &[Column]) -> Result<Vec<ParsedRow>> {
    parse_json(body, Wanted::only(wanted))
}

fn parse_json(body: &[u8], wanted: Wanted) -> Result<Vec<ParsedRow>> {
    // One UTF-8 check of the whole body is much cheaper than serde_json's
    // check of every string in it (and the error is the same: not JSON).
    let text = std::str::from_utf8(body)
        .map_err(|e| Error::Json(format!("the body is not UTF-8 text: {e}")))?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let rows = BatchSeed(wanted)
        .deserialize(&mut deserializer)
        .and_then(|rows| deserializer.end().map(|()| rows))
        .map_err(|e| Error::Json(e.to_string()))?;
    Ok(rows)
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
                let row = record_from_map(map, &Wanted::ALL)?;
                match row.problems.first() {
                    None => Ok(row.record),
                    Some(p) => Err(de::Error::custom(format!("{}: {}", p.field, p.message))),
                }
            }
        }
        deserializer.deserialize_map(RecordVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys resolve the same whether they come in the Kaggle order (the
    /// fast path), shuffled, or under the course's aliases.
    #[test]
    fn field_order_and_aliases_do_not_change_the_record() {
        let ordered = r#"{"Id": 7, "MSSubClass": 20, "LotArea": 8450, "1stFlrSF": 856, "2ndFlrSF": 854, "SaleCondition": "Normal"}"#;
        let shuffled = r#"{"SaleCondition": "Normal", "SecondFlrSF": 854, "LotArea": 8450, "FirstFlrSF": 856, "MSSubClass": 20, "Id": 7}"#;
        let a = parse_json_batch(ordered.as_bytes()).unwrap();
        let b = parse_json_batch(shuffled.as_bytes()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].record.first_flr_sf, Some(856.0));
        assert_eq!(a[0].record.ms_sub_class.as_deref(), Some("20"));
        assert!(a[0].problems.is_empty());
    }

    #[test]
    fn an_unknown_key_after_a_known_one_is_reported_by_name() {
        let rows = parse_json_batch(br#"[{"LotArea": 1, "LotAreaa": 2}]"#).unwrap();
        assert_eq!(rows[0].problems.len(), 1);
        assert_eq!(rows[0].problems[0].field, "LotAreaa");
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_json_error() {
        assert!(matches!(
            parse_json_batch(b"[{\"Street\": \"\xff\"}]"),
            Err(Error::Json(_))
        ));
    }
}
