//! JSON bodies: a list of records (or one record object), parsed field by
//! field so that a bad cell is a row problem, not a failed request.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{
    Field, InputRows, ParsedRow, RawCell, RowBuilder, Sent, UnknownFields, is_missing_marker,
};
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

/// One element of a JSON batch: a record, or something that is not one.
struct RowSeed<'w, 'u>(&'w Wanted, &'u mut UnknownFields);

impl<'de> DeserializeSeed<'de> for RowSeed<'_, '_> {
    type Value = ParsedRow;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<ParsedRow, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_, '_> {
    type Value = ParsedRow;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object of house fields")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ParsedRow, A::Error> {
        record_from_map(map, self.0, self.1)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ParsedRow, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ParsedRow::not_a_record(Sent::Nested))
    }
    fn visit_unit<E: de::Error>(self) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record(Sent::Nothing))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record(Sent::Boolean))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record(Sent::Number))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record(Sent::Number))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record(Sent::Number))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<ParsedRow, E> {
        Ok(ParsedRow::not_a_record(Sent::Text))
    }
}

/// The top level of a JSON body: a list of records, or a single record.
struct BatchSeed<'u>(Wanted, &'u mut UnknownFields);

impl<'de> DeserializeSeed<'de> for BatchSeed<'_> {
    type Value = Vec<ParsedRow>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BatchSeed<'_> {
    type Value = Vec<ParsedRow>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of house records (or one record object)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(row) = seq.next_element_seed(RowSeed(&self.0, &mut *self.1))? {
            rows.push(row);
        }
        Ok(rows)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(vec![record_from_map(map, &self.0, self.1)?])
    }
}

/// Parses a JSON list of records (or one record) into rows.
///
/// # Errors
/// [`Error::Json`] when the text is not JSON, or its top level is neither a
/// list nor an object. Problems inside records are kept per row instead,
/// and unknown keys once for the batch.
pub fn parse_json_batch(body: &[u8]) -> Result<InputRows> {
    parse_json(body, Wanted::ALL)
}

/// Like [`parse_json_batch`], keeping only the `wanted` input columns (a
/// model's [`crate::FittedPipeline::features`]): the values of the others
/// are skipped unread, as [`super::read_csv_columns`] does for CSV. Unknown
/// and repeated fields are still reported.
///
/// # Errors
/// As [`parse_json_batch`].
pub fn parse_json_batch_columns(body: &[u8], wanted: &[Column]) -> Result<InputRows> {
    parse_json(body, Wanted::only(wanted))
}

fn parse_json(body: &[u8], wanted: Wanted) -> Result<InputRows> {
    // One UTF-8 check of the whole body is much cheaper than serde_json's
    // check of every string in it (and the error is the same: not JSON).
    let text = std::str::from_utf8(body).map_err(|e| {
        Error::Json(format!(
            "the body is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let mut unknown = UnknownFields::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let rows = BatchSeed(wanted, &mut unknown)
        .deserialize(&mut deserializer)
        .and_then(|rows| deserializer.end().map(|()| rows))
        .map_err(|e| Error::Json(json_problem(&e)))?;
    Ok(InputRows {
        rows,
        target: None,
        unknown,
    })
}

/// What is wrong with a JSON text, and where, without serde's own message:
/// that quotes the text it stumbled on.
fn json_problem(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Syntax => "is not valid JSON",
        Category::Eof => "ends before its JSON is complete",
        Category::Data => "is JSON, but not a list of house records or one record object",
        Category::Io => "could not be read",
    };
    format!(
        "the body {what} (line {}, column {})",
        error.line(),
        error.column()
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys resolve the same whether they come in the Kaggle order (the
    /// fast path), shuffled, or under the course's aliases.
    #[test]
    fn field_order_and_aliases_do_not_change_the_record() {
        let ordered = r#"{"Id": 7, "MSSubClass": 20, "LotArea": 8450, "1stFlrSF": 856, "2ndFlrSF": 854, "SaleCondition": "Normal"}"#;
        let shuffled = r#"{"SaleCondition": "Normal", "SecondFlrSF": 854, "LotArea": 8450, "FirstFlrSF": 856, "MSSubClass": 20, "Id": 7}"#;
        let a = parse_json_batch(ordered.as_bytes()).unwrap().rows;
        let b = parse_json_batch(shuffled.as_bytes()).unwrap().rows;
        assert_eq!(a, b);
        assert_eq!(a[0].record.first_flr_sf, Some(856.0));
        assert_eq!(a[0].record.ms_sub_class.as_deref(), Some("20"));
        assert!(a[0].problems.is_empty());
    }

    #[test]
    fn an_unknown_key_after_a_known_one_is_reported_by_name() {
        let input = parse_json_batch(br#"[{"LotArea": 1, "LotAreaa": 2}]"#).unwrap();
        assert!(input.rows[0].problems.is_empty());
        assert_eq!(input.rows[0].record.lot_area, Some(1.0));
        assert_eq!(input.unknown.names(), ["LotAreaa"]);
    }

    #[test]
    fn unknown_keys_are_noted_once_per_batch_not_per_row() {
        let body = format!(
            "[{}]",
            vec![r#"{"LotArea": 1, "Colour": "red"}"#; 500].join(",")
        );
        let input = parse_json_batch(body.as_bytes()).unwrap();
        assert_eq!(input.rows.len(), 500);
        assert!(input.rows.iter().all(|r| r.problems.is_empty()));
        assert_eq!(input.unknown.names(), ["Colour"]);
        assert_eq!(input.unknown.count(), 1);
    }

    #[test]
    fn a_key_repeated_many_times_is_one_problem() {
        let body = format!("{{{}}}", vec![r#""LotArea": 1"#; 1000].join(","));
        let input = parse_json_batch(body.as_bytes()).unwrap();
        assert_eq!(input.rows[0].problems.len(), 1);
        assert_eq!(
            input.rows[0].problems[0].problem,
            super::super::Problem::Repeated
        );
    }

    #[test]
    fn json_errors_never_quote_the_body() {
        let Err(Error::Json(message)) = parse_json_batch(br#""secret-value""#) else {
            panic!("a string is not a batch");
        };
        assert!(!message.contains("secret"), "{message}");
        assert!(message.contains("line 1"), "{message}");
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_json_error() {
        assert!(matches!(
            parse_json_batch(b"[{\"Street\": \"\xff\"}]"),
            Err(Error::Json(_))
        ));
    }
}
