//! Body parsing: row limits, formats, log lines.

use super::*;

const LIMITS: Limits = Limits {
    max_body_bytes: 1 << 20,
    max_rows: 10,
    max_explain_rows: 10,
    max_json_depth: 32,
    max_header_bytes: 1 << 14,
    body_timeout: std::time::Duration::from_secs(1),
};

fn body(format: Format, text: &str) -> Body {
    Body {
        format,
        bytes: web::Bytes::copy_from_slice(text.as_bytes()),
        json_header_length: None,
    }
}

#[test]
fn an_empty_list_is_no_rows_and_a_broken_list_is_malformed() {
    assert!(matches!(
        body(Format::Json, "[]").into_rows(&LIMITS, Column::ALL),
        Err(Error::NoRows)
    ));
    assert!(matches!(
        body(Format::Json, "[{").into_rows(&LIMITS, Column::ALL),
        Err(Error::MalformedJson(_))
    ));
}

#[test]
fn more_rows_than_the_limit_is_too_many() {
    let limits = Limits {
        max_rows: 2,
        ..LIMITS
    };
    let error = body(Format::Json, "[{}, {}, {}]")
        .into_rows(&limits, Column::ALL)
        .unwrap_err();
    assert!(matches!(error, Error::TooManyRows { rows: 3, limit: 2 }));
    let error = body(Format::Csv, "Id\n1\n2\n3\n")
        .into_rows(&limits, Column::ALL)
        .unwrap_err();
    assert!(matches!(error, Error::TooManyRows { rows: 3, limit: 2 }));
}

#[test]
fn a_csv_body_gives_one_row_per_line() {
    let rows = body(Format::Csv, "Id,GrLivArea\n1,1500\n2,NA\n")
        .into_rows(&LIMITS, Column::ALL)
        .unwrap();
    assert_eq!(rows.rows.len(), 2);
    assert_eq!(rows.rows[0].record.id, Some(1));
}

#[test]
fn log_lines_keep_line_breaks_escaped() {
    assert_eq!(
        body(Format::Csv, "a\nb\r\n").as_log_line().to_string(),
        "a\\nb\\r\\n"
    );
}

#[test]
fn log_lines_count_binary_tensor_data_without_writing_it() {
    let mut binary = body(Format::Json, "{\"inputs\": []}SECRETBYTES");
    binary.json_header_length = Some(14);
    assert_eq!(
        binary.as_log_line().to_string(),
        "{\"inputs\": []} <11 bytes of binary tensor data>"
    );
}
