use super::super::record_limit::MAX_RECORD_BYTES;
use super::super::{FieldProblem, Problem, TrainingColumns};
use super::*;

const HEADER: &str = "Id,LotArea,Street,SalePrice\n";

/// The line and message of a whole-file read that failed.
fn csv_failure(result: Result<impl std::fmt::Debug>) -> (u64, String) {
    match result {
        Err(Error::Csv { line, message }) => (line, message),
        other => panic!("expected a CSV error, got {other:?}"),
    }
}

#[test]
fn rows_of_the_wrong_width_are_row_problems_up_to_the_bound() {
    let text = format!(
        "{HEADER}1,8450,Pave,208500\n{}",
        "x\n".repeat(MAX_MISSHAPEN_ROWS)
    );
    let rows = read_csv(text.as_bytes()).unwrap();
    assert_eq!(rows.rows.len(), MAX_MISSHAPEN_ROWS + 1);
    assert!(rows.rows[0].problems.is_empty());
    let last = &rows.rows[MAX_MISSHAPEN_ROWS].problems;
    assert!(last.contains(&FieldProblem::record(Problem::CellCount {
        cells: 1,
        width: 4
    })));
}

#[test]
fn a_file_of_one_character_rows_fails_at_the_first_row_past_the_bound() {
    // The audit's file: a header and a million rows of `x` (2 MB) took
    // 1.7 KB of memory per row. The read now stops at row 101 (line 102).
    let text = format!("{HEADER}{}", "x\n".repeat(1_000_000));
    let features = [Column::LotArea, Column::Street];
    let expected = MAX_MISSHAPEN_ROWS as u64 + 2;
    for result in [
        csv_failure(read_csv_columns(text.as_bytes(), None)),
        csv_failure(TrainingColumns::read_csv(text.as_bytes(), &features)),
    ] {
        let (line, message) = result;
        assert_eq!(line, expected, "{message}");
        assert!(
            message.contains("has 1 cells, the header has 4"),
            "{message}"
        );
        assert!(
            message.contains("the rows do not follow the header"),
            "{message}"
        );
    }
}

#[test]
fn a_cell_longer_than_any_record_fails_every_whole_file_read_naming_its_line() {
    // Training data had no limit: a 50 MB cell was read, stored and
    // written into the artifact.
    let cell = "C".repeat(MAX_RECORD_BYTES as usize + 1);
    let text = format!("{HEADER}1,8450,Pave,208500\n2,9600,{cell},181500\n3,1,Pave,1\n");
    let features = [Column::LotArea, Column::Street];
    for (line, message) in [
        csv_failure(read_csv(text.as_bytes())),
        csv_failure(TrainingColumns::read_csv(text.as_bytes(), &features)),
    ] {
        assert_eq!(line, 3);
        assert!(message.contains("longer than"), "{message}");
    }
}

#[test]
fn a_quoted_field_left_open_fails_a_whole_file_read_at_the_line_it_opened_on() {
    let mut text = format!("{HEADER}1,8450,Pave,208500\n2,9600,\"");
    while text.len() as u64 <= MAX_RECORD_BYTES + 64 {
        text.push_str("aaaa\n");
    }
    let (line, message) = csv_failure(read_csv(text.as_bytes()));
    assert_eq!(line, 3, "{message}");
    assert!(message.contains("a quoted field left open"), "{message}");
}
