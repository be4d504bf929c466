//! JSON bodies: a list of records (or one record object), parsed field by
//! field so that a bad cell is a row problem, not a failed request.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

mod chunked;
mod record;

pub use chunked::parse_json_chunks;
use record::{Wanted, record_from_map};

use super::{InputRows, ParsedRow, Sent, UnknownFields};
use crate::error::{Error, Result};
use crate::schema::Column;

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

/// Parses a JSON list of records (or one record) into rows.
///
/// # Errors
/// [`Error::Json`] when the text is not JSON, or its top level is neither a
/// list nor an object. Problems inside records are kept per row instead,
/// and unknown keys once for the batch.
pub fn parse_json_batch(body: &[u8]) -> Result<InputRows> {
    parse_json(body, None)
}

/// Like [`parse_json_batch`], keeping only the `wanted` input columns (a
/// model's [`crate::FittedPipeline::features`]): the values of the others
/// are skipped unread, as [`super::read_csv_columns`] does for CSV. Unknown
/// and repeated fields are still reported.
///
/// # Errors
/// As [`parse_json_batch`].
pub fn parse_json_batch_columns(body: &[u8], wanted: &[Column]) -> Result<InputRows> {
    parse_json(body, Some(wanted))
}

/// The body as text: one UTF-8 check of the whole body is much cheaper
/// than serde_json's check of every string in it (and the error is the
/// same: not JSON).
fn body_text(body: &[u8]) -> Result<&str> {
    std::str::from_utf8(body).map_err(|e| {
        Error::Json(format!(
            "the body is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// A batch is the chunked parse with one chunk (none for an empty list).
fn parse_json(body: &[u8], wanted: Option<&[Column]>) -> Result<InputRows> {
    let mut whole = InputRows::default();
    parse_json_chunks::<Error>(body, wanted, usize::MAX, |rows| {
        whole = rows;
        Ok(())
    })?;
    Ok(whole)
}

/// Parses NDJSON text, one record per line (`first_line` numbers the first
/// line, for messages); blank lines are skipped and are no row. A line that
/// is JSON but not an object is a row problem, as in a batch.
///
/// # Errors
/// [`Error::Json`] naming the line when one is not UTF-8 or not JSON: like
/// bad CSV quoting, it leaves no way to tell where the next record starts.
pub(super) fn parse_ndjson(text: &[u8], first_line: u64, wanted: &[Column]) -> Result<InputRows> {
    let wanted = Wanted::only(wanted);
    let mut unknown = UnknownFields::default();
    let mut rows = Vec::new();
    for (n, line) in (first_line..).zip(text.split(|&b| b == b'\n')) {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = std::str::from_utf8(line)
            .map_err(|_| Error::Json(format!("NDJSON line {n} is not UTF-8 text")))?;
        let mut deserializer = serde_json::Deserializer::from_str(line);
        let row = RowSeed(&wanted, &mut unknown)
            .deserialize(&mut deserializer)
            .and_then(|row| deserializer.end().map(|()| row))
            .map_err(|e| {
                Error::Json(format!(
                    "NDJSON line {n}, column {}: the line {}",
                    e.column(),
                    what_is_wrong(&e)
                ))
            })?;
        rows.push(row);
    }
    Ok(InputRows {
        rows,
        target: None,
        unknown,
    })
}

/// What is wrong with a JSON text, and where, without serde's own message:
/// that quotes the text it stumbled on.
fn json_problem(error: &serde_json::Error) -> String {
    format!(
        "the body {} (line {}, column {})",
        what_is_wrong(error),
        error.line(),
        error.column()
    )
}

fn what_is_wrong(error: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax => "is not valid JSON",
        Category::Eof => "ends before its JSON is complete",
        Category::Data => "is JSON, but not a list of house records or one record object",
        Category::Io => "could not be read",
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
