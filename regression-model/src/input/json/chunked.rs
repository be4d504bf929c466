//! A JSON list read a chunk of records at a time. The body is one value,
//! so it is held whole, but its rows never are: each row costs ~1.7 KB
//! however short its JSON, and a list of a million `{}` (3 MB) took 3.4 GB
//! as one batch; a chunk at a time it takes its bytes and one chunk.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::record::{Wanted, record_from_map};
use super::{RowSeed, body_text, json_problem};
use crate::error::Error;
use crate::input::{InputRows, ParsedRow, UnknownFields};
use crate::schema::Column;

/// Parses a JSON list of records (or one record), as
/// [`parse_json_batch_columns`](crate::parse_json_batch_columns) does, in
/// chunks of up to `rows_per_chunk` rows (at least 1) handed to `each` in
/// order. Rows are numbered from 0 in each chunk: a chunk's first row is
/// the count of rows handed over before it. Each chunk reports the unknown
/// names met in its own rows. `wanted` as for the batch reader (`None`:
/// every column).
///
/// # Errors
/// [`Error::Json`] as [`crate::parse_json_batch`] (the chunks before the
/// error were handed over), or the first error `each` returns, which stops
/// the parse.
pub fn parse_json_chunks<E: From<Error>>(
    body: &[u8],
    wanted: Option<&[Column]>,
    rows_per_chunk: usize,
    mut each: impl FnMut(InputRows) -> Result<(), E>,
) -> Result<(), E> {
    let text = body_text(body)?;
    let wanted = wanted.map_or(Wanted::ALL, Wanted::only);
    let mut failed = None;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = ChunkSeed {
        wanted: &wanted,
        rows_per_chunk: rows_per_chunk.max(1),
        each: &mut each,
        failed: &mut failed,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    match (parsed, failed) {
        (_, Some(stopped)) => Err(stopped),
        (Err(e), None) => Err(Error::Json(json_problem(&e)).into()),
        (Ok(()), None) => Ok(()),
    }
}

/// The top level of the body, handing rows over a chunk at a time; an
/// error of `each` is kept in `failed` and stops serde with a stand-in.
struct ChunkSeed<'s, F, E> {
    wanted: &'s Wanted,
    rows_per_chunk: usize,
    each: &'s mut F,
    failed: &'s mut Option<E>,
}

impl<F: FnMut(InputRows) -> Result<(), E>, E> ChunkSeed<'_, F, E> {
    fn hand_over<D: de::Error>(
        &mut self,
        rows: &mut Vec<ParsedRow>,
        unknown: &mut UnknownFields,
    ) -> Result<(), D> {
        let chunk = InputRows {
            rows: std::mem::take(rows),
            target: None,
            unknown: std::mem::take(unknown),
        };
        (self.each)(chunk).map_err(|e| {
            *self.failed = Some(e);
            D::custom("stopped by the chunk's reader")
        })
    }
}

impl<'de, F: FnMut(InputRows) -> Result<(), E>, E> DeserializeSeed<'de> for ChunkSeed<'_, F, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, F: FnMut(InputRows) -> Result<(), E>, E> Visitor<'de> for ChunkSeed<'_, F, E> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of house records (or one record object)")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        // Grown as rows come: a row takes ~1.7 KB, so room for a whole
        // chunk up front would cost a short body a thousand times its size.
        let mut rows = Vec::new();
        let mut unknown = UnknownFields::default();
        while let Some(row) = seq.next_element_seed(RowSeed(self.wanted, &mut unknown))? {
            rows.push(row);
            if rows.len() == self.rows_per_chunk {
                self.hand_over(&mut rows, &mut unknown)?;
            }
        }
        if !rows.is_empty() {
            self.hand_over(&mut rows, &mut unknown)?;
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let mut unknown = UnknownFields::default();
        let mut rows = vec![record_from_map(map, self.wanted, &mut unknown)?];
        self.hand_over(&mut rows, &mut unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_hold_the_rows_of_the_whole_batch_in_order() {
        let body = br#"[{"Id": 1, "LotArea": 5}, 3, {"Id": 2, "Colour": "red"}, {}, {"Id": 4}]"#;
        let whole = crate::parse_json_batch(body).unwrap();
        let mut chunks = Vec::new();
        parse_json_chunks::<Error>(body, None, 2, |c| {
            chunks.push(c);
            Ok(())
        })
        .unwrap();
        assert_eq!(
            chunks.iter().map(|c| c.rows.len()).collect::<Vec<_>>(),
            [2, 2, 1]
        );
        let rows: Vec<ParsedRow> = chunks.iter().flat_map(|c| c.rows.clone()).collect();
        assert_eq!(rows, whole.rows);
        assert_eq!(chunks[1].unknown.names(), ["Colour"]);
    }

    #[test]
    fn a_list_of_empty_records_is_handed_over_a_chunk_at_a_time() {
        // The audit's body: a million `{}` (3 MB) became 3.4 GB of rows.
        let body = format!("[{}]", vec!["{}"; 1_000_000].join(","));
        let (mut chunks, mut rows, mut largest) = (0, 0, 0);
        parse_json_chunks::<Error>(body.as_bytes(), None, 1024, |c| {
            (chunks, rows, largest) = (chunks + 1, rows + c.rows.len(), largest.max(c.rows.len()));
            Ok(())
        })
        .unwrap();
        assert_eq!((rows, largest, chunks), (1_000_000, 1024, 977));
    }

    #[test]
    fn an_error_of_the_reader_stops_the_parse_and_is_returned() {
        let body = format!("[{}]", ["{}"; 10].join(","));
        let mut seen = 0;
        let result = parse_json_chunks(body.as_bytes(), None, 3, |c| {
            seen += c.rows.len();
            Err(Error::Json("enough".into()))
        });
        assert!(matches!(result, Err(Error::Json(m)) if m == "enough"));
        assert_eq!(seen, 3);
    }

    #[test]
    fn one_record_is_one_chunk_and_bad_json_is_a_json_error() {
        let mut rows = 0;
        parse_json_chunks::<Error>(br#"{"Id": 1}"#, None, 5, |c| {
            rows += c.rows.len();
            Ok(())
        })
        .unwrap();
        assert_eq!(rows, 1);
        let result = parse_json_chunks::<Error>(b"[{}, nope]", None, 5, |_| Ok(()));
        assert!(matches!(result, Err(Error::Json(m)) if m.contains("is not valid JSON")));
    }
}
