//! `predict --shard i/n`: shards run as separate processes concatenate to
//! the single process's output, for CSV and NDJSON, and a shard that
//! cannot be cut at a record boundary fails rather than split a record.

use std::process::Output;

use crate::helpers::{run_cli as run, temp_dir, text};
use crate::stream::{ROWS, as_ndjson, input_csv, rejected_rows};

#[test]
fn shards_run_as_separate_processes_concatenate_to_the_single_process_output() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("in.csv"), input_csv()).unwrap();
    let whole = run(&["predict", "--input", "in.csv"], dir.path());
    assert!(whole.status.success(), "{}", text(&whole.stderr));

    for n in [2, 3, 7] {
        let mut joined = Vec::new();
        let mut rejected = 0;
        for i in 0..n {
            let shard = format!("{i}/{n}");
            let part = run(
                &["predict", "--input", "in.csv", "--shard", &shard],
                dir.path(),
            );
            assert!(
                part.status.success(),
                "shard {shard}: {}",
                text(&part.stderr)
            );
            joined.extend_from_slice(&part.stdout);
            rejected += rejected_rows(&text(&part.stderr)).len();
        }
        assert!(
            joined == whole.stdout,
            "{n} shards do not concatenate to the whole output"
        );
        assert_eq!(rejected, rejected_rows(&text(&whole.stderr)).len());
    }
}

#[test]
fn more_shards_than_rows_leave_some_parts_empty_and_still_concatenate() {
    let dir = temp_dir();
    let csv: String = input_csv()
        .lines()
        .take(4)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("in.csv"), &csv).unwrap();
    let whole = run(&["predict", "--input", "in.csv"], dir.path());
    let joined: Vec<u8> = (0..9)
        .flat_map(|i| {
            run(
                &["predict", "--input", "in.csv", "--shard", &format!("{i}/9")],
                dir.path(),
            )
            .stdout
        })
        .collect();
    assert_eq!(text(&joined), text(&whole.stdout));
}

#[test]
fn a_shard_of_a_file_with_a_line_break_inside_a_quoted_field_fails() {
    let dir = temp_dir();
    let mut csv = input_csv();
    // A label with a line break: legal CSV, but --shard cuts at line breaks.
    csv = csv.replacen(",Normal\n", ",\"Nor\nmal\"\n", 1);
    std::fs::write(dir.path().join("in.csv"), &csv).unwrap();

    let outcomes: Vec<Output> = (0..2)
        .map(|i| {
            run(
                &[
                    "predict",
                    "--input",
                    "in.csv",
                    "--shard",
                    &format!("{i}/2"),
                    "--output",
                    &format!("part-{i}.csv"),
                ],
                dir.path(),
            )
        })
        .collect();

    let failed: Vec<&Output> = outcomes.iter().filter(|o| !o.status.success()).collect();
    assert_eq!(failed.len(), 1, "the part holding the record fails");
    assert!(
        text(&failed[0].stderr).contains("quoted field holds a line break"),
        "{}",
        text(&failed[0].stderr)
    );
    let parts = (0..2)
        .filter(|i| dir.path().join(format!("part-{i}.csv")).exists())
        .count();
    assert_eq!(parts, 1, "the failed part leaves no output file");
}

#[test]
fn a_bad_shard_or_a_sharded_stdin_is_refused_with_the_reason() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("in.csv"), "Id,LotArea\n1,2\n").unwrap();
    let bad = run(
        &["predict", "--input", "in.csv", "--shard", "3/3"],
        dir.path(),
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("0 <= i < n"),
        "{}",
        text(&bad.stderr)
    );
    let stdin = run(&["predict", "--input", "-", "--shard", "0/2"], dir.path());
    assert!(
        text(&stdin.stderr).contains("--shard needs a file"),
        "{}",
        text(&stdin.stderr)
    );
}

#[test]
fn ndjson_shards_named_by_format_concatenate_to_the_single_process_output() {
    let dir = temp_dir();
    // No extension: the format comes from --format.
    std::fs::write(dir.path().join("records"), as_ndjson(&input_csv())).unwrap();
    let whole = run(
        &["predict", "--format", "ndjson", "--input", "records"],
        dir.path(),
    );
    assert!(whole.status.success(), "{}", text(&whole.stderr));

    let joined: Vec<u8> = (0..3)
        .flat_map(|i| {
            let shard = format!("{i}/3");
            let args = [
                "predict", "--format", "ndjson", "--input", "records", "--shard", &shard,
            ];
            let part = run(&args, dir.path());
            assert!(
                part.status.success(),
                "shard {shard}: {}",
                text(&part.stderr)
            );
            part.stdout
        })
        .collect();

    assert!(
        joined == whole.stdout,
        "NDJSON shards do not concatenate to the whole output"
    );
    assert!(text(&whole.stdout).lines().count() > ROWS / 2);
}
