use super::*;
use crate::input::{parse_json_batch, read_csv_columns};

const CSV: &str =
    "Id,LotArea,Street,Extra\n1,8450,Pave,x\n2,,Grvl,y\n3,abc,Pave\n4,9600,NA,z\n\n5,-1,Pave,w\n";

fn all_rows<R: Read>(chunks: ChunkReader<R>) -> (Vec<usize>, InputRows) {
    let mut firsts = Vec::new();
    let mut all = InputRows::default();
    for chunk in chunks {
        let chunk = chunk.unwrap();
        firsts.push(chunk.first_row());
        let rows = chunk.parse().unwrap();
        assert_eq!(rows.rows.len(), chunk.len());
        all.rows.extend(rows.rows);
    }
    (firsts, all)
}

#[test]
fn csv_chunks_parse_to_the_whole_file_rows_whatever_the_chunk_size() {
    let wanted = [Column::LotArea];
    let whole = read_csv_columns(CSV.as_bytes(), Some(&wanted)).unwrap();
    for size in [1, 2, 3, 5, 100] {
        let chunks = ChunkReader::csv(CSV.as_bytes(), Some(&wanted), size).unwrap();
        assert_eq!(chunks.unknown().names(), ["Extra"]);
        let (firsts, all) = all_rows(chunks);
        assert_eq!(all.rows, whole.rows, "chunks of {size}");
        let expected: Vec<usize> = (0..whole.rows.len()).step_by(size).collect();
        assert_eq!(firsts, expected, "chunks of {size}");
    }
}

#[test]
fn ndjson_chunks_parse_to_the_rows_of_the_same_records_as_a_list() {
    let lines = [
        r#"{"Id": 1, "LotArea": 8450, "Colour": "red"}"#,
        r#"{"Id": 2, "LotArea": "abc"}"#,
        "",
        r#"[1, 2]"#,
        r#"{"Id": 4, "LotArea": -1}"#,
    ];
    let list = parse_json_batch(
        format!(
            "[{}]",
            lines
                .iter()
                .filter(|l| !l.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(",")
        )
        .as_bytes(),
    )
    .unwrap();
    let text = lines.join("\n");
    for size in [1, 2, 10] {
        let (firsts, all) = all_rows(ChunkReader::ndjson(text.as_bytes(), None, size));
        assert_eq!(all.rows, list.rows, "chunks of {size}");
        assert_eq!(firsts.len(), 4_usize.div_ceil(size));
    }
    let chunk = ChunkReader::ndjson(text.as_bytes(), None, 10)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(chunk.parse().unwrap().unknown.names(), ["Colour"]);
}

#[test]
fn an_ndjson_line_that_is_not_json_is_an_error_naming_the_line() {
    let text = "{\"Id\": 1}\n\n{\"Id\": 2, \"LotArea\": secret}\n";
    let chunk = ChunkReader::ndjson(text.as_bytes(), None, 10)
        .next()
        .unwrap()
        .unwrap();
    let Err(Error::Json(message)) = chunk.parse() else {
        panic!("a line that is not JSON fails the chunk");
    };
    assert!(message.starts_with("NDJSON line 3, column "), "{message}");
    assert!(!message.contains("secret"), "{message}");
}

#[test]
fn an_ndjson_line_longer_than_any_record_is_refused_before_it_is_read_whole() {
    let text = format!(
        "{{\"Id\": 1}}\n{}\n",
        " ".repeat(MAX_RECORD_BYTES as usize + 10)
    );
    let result: Result<Vec<RawChunk>> = ChunkReader::ndjson(text.as_bytes(), None, 10).collect();
    let Err(Error::Json(message)) = result else {
        panic!("an endless line is refused");
    };
    assert!(
        message.contains("NDJSON line 2 is longer than"),
        "{message}"
    );
}

#[test]
fn a_csv_line_longer_than_any_record_fails_naming_its_line() {
    let text = format!(
        "Id,Street\n1,Pave\n2,{}\n",
        "x".repeat(MAX_RECORD_BYTES as usize)
    );
    let result: Result<Vec<RawChunk>> = ChunkReader::csv(text.as_bytes(), None, 10)
        .unwrap()
        .collect();
    let Err(Error::Csv { line, message }) = result else {
        panic!("an endless line is refused");
    };
    assert_eq!(line, 3);
    assert!(message.contains("longer than"), "{message}");
}

#[test]
fn a_quoted_field_left_open_fails_the_stream_at_the_line_it_opened_on() {
    // The audit's repro: short lines inside one open quote were read into
    // one record until memory ran out; the stream now stops after 1 MiB.
    let mut text = b"Id,Street\n1,Pave\n2,\"".to_vec();
    while text.len() as u64 <= MAX_RECORD_BYTES + 64 {
        text.extend_from_slice(b"aaaa\n");
    }
    let result: Result<Vec<RawChunk>> = ChunkReader::csv(&text[..], None, 10).unwrap().collect();
    let Err(Error::Csv { line, message }) = result else {
        panic!("an open quote is refused");
    };
    assert_eq!(line, 3);
    assert!(message.contains("a quoted field left open"), "{message}");
}

#[test]
fn a_csv_record_that_is_not_utf8_fails_its_chunk_with_its_line() {
    let bytes = b"Id,Street\n1,Pave\n2,\xff\n";
    let chunks = ChunkReader::csv(&bytes[..], None, 10).unwrap();
    let Err(Error::Csv { line, .. }) = chunks.into_iter().next().unwrap().unwrap().parse() else {
        panic!("invalid UTF-8 is refused");
    };
    assert_eq!(line, 3);
}
