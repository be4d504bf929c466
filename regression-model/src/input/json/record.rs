//! One JSON record, read field by field: its keys resolved to columns (the
//! next Kaggle column tried first), its cells kept raw for the row builder,
//! and the columns a reader does not want skipped unread. Batches of
//! records are the parent module's.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::input::{Field, ParsedRow, RawCell, RowBuilder, UnknownFields, is_missing_marker};
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

/// Reads a key and resolves it to its field, trying first the column
/// that usually comes next: clients mostly send the fields in the Kaggle
/// order, so most keys resolve with one comparison instead of a search of
/// the schema's names. An unknown key is noted in the batch's
/// [`UnknownFields`] right here, so it is never copied.
struct KeySeed<'u> {
    expected: Option<Column>,
    unknown: &'u mut UnknownFields,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Field;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Field;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
        let field = match self.expected {
            Some(c) if c.name() == v || c.alias() == Some(v) => Field::Input(c),
            _ => Field::resolve(v),
        };
        if field == Field::Unknown {
            self.unknown.note(v);
        }
        Ok(field)
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
pub(super) struct Wanted([bool; Column::ALL.len()]);

impl Wanted {
    pub(super) const ALL: Wanted = Wanted([true; Column::ALL.len()]);

    pub(super) fn only(columns: &[Column]) -> Wanted {
        let mut wanted = [false; Column::ALL.len()];
        columns.iter().for_each(|&c| wanted[c as usize] = true);
        Wanted(wanted)
    }

    fn skips(&self, field: Field) -> bool {
        matches!(field, Field::Input(c) if !self.0[c as usize])
    }
}

pub(super) fn record_from_map<'de, A: MapAccess<'de>>(
    mut map: A,
    wanted: &Wanted,
    unknown: &mut UnknownFields,
) -> Result<ParsedRow, A::Error> {
    let mut row = RowBuilder::default();
    // The first key is usually `Id` (or, without one, the first column).
    let mut expected = None;
    while let Some(field) = map.next_key_seed(KeySeed {
        expected,
        unknown: &mut *unknown,
    })? {
        expected = next_column(field);
        if wanted.skips(field) || field == Field::Unknown {
            map.next_value::<IgnoredAny>()?;
            continue;
        }
        let cell: RawCell = map.next_value()?;
        row.add(field, cell);
    }
    Ok(row.finish())
}

/// Records deserialize from JSON with serde, failing on the first problem
/// (use [`super::parse_json_batch`] to collect every problem of a batch instead).
impl<'de> Deserialize<'de> for HouseRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = HouseRecord;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of house fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HouseRecord, A::Error> {
                let mut unknown = UnknownFields::default();
                let row = record_from_map(map, &Wanted::ALL, &mut unknown)?;
                if let Some(name) = unknown.names().first() {
                    return Err(de::Error::custom(format!(
                        "{name}: unknown field: not one of the 79 house-prices inputs"
                    )));
                }
                match row.problems.first() {
                    None => Ok(row.record),
                    Some(p) => Err(de::Error::custom(format!("{}: {}", p.field, p.problem))),
                }
            }
        }
        deserializer.deserialize_map(RecordVisitor)
    }
}
