//! Inputs built to cost much more than their size: rows of one character,
//! lists of empty records, a cell of megabytes. The commands read them in
//! memory and stderr proportional to their bytes, or refuse them naming
//! the line.

use std::path::Path;

use crate::helpers::{config_path, run_cli as run, synthetic_arg, temp_dir, text};

/// Rows of the inputs below: more than two chunks of the CLI's 1,024, more
/// than the 100 rejections listed.
const ROWS: usize = 2_500;

/// The header of the synthetic test file, then `rows`.
fn csv_of(rows: &str) -> String {
    csv_with_header_of("test.csv", rows)
}

/// The header of the synthetic file `file`, then `rows`.
fn csv_with_header_of(file: &str, rows: &str) -> String {
    let test = std::fs::read_to_string(synthetic_arg(file)).unwrap();
    let header = test.lines().next().unwrap();
    format!("{header}\n{rows}")
}

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Checks that `stderr` lists rejected rows 0..100 and counts all `ROWS`.
fn assert_first_hundred_listed(stderr: &str) {
    let listed: Vec<&str> = (stderr.lines())
        .filter(|l| l.starts_with("rejected row "))
        .collect();
    assert_eq!(listed.len(), 100, "{stderr}");
    assert!(listed[99].starts_with("rejected row 99"), "{}", listed[99]);
    let summary = format!("rejected {ROWS} rows in all; only the first 100 are listed");
    assert_eq!(stderr.matches(&summary).count(), 1, "{stderr}");
    // 2,500 rejected rows used to write ~200 bytes each.
    assert!(stderr.len() < 30_000, "{} bytes of stderr", stderr.len());
}

#[test]
fn predict_lists_the_first_hundred_rejected_rows_of_any_format_and_counts_the_rest() {
    let dir = temp_dir();
    let inputs = [
        write(dir.path(), "short.csv", &csv_of(&"x\n".repeat(ROWS))),
        write(dir.path(), "empty.ndjson", &"{}\n".repeat(ROWS)),
        write(
            dir.path(),
            "empty.json",
            &format!("[{}]", vec!["{}"; ROWS].join(",")),
        ),
    ];
    for input in &inputs {
        let output = run(&["predict", "--input", input], dir.path());
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout), "Id,SalePrice\n");
        assert_first_hundred_listed(&text(&output.stderr));
    }
}

#[test]
fn explain_lists_the_first_hundred_rejected_rows_and_counts_the_rest() {
    let dir = temp_dir();
    let width = csv_of("").matches(',').count();
    let empty_rows = format!("{}\n", ",".repeat(width)).repeat(ROWS);
    let input = write(dir.path(), "empty.csv", &csv_of(&empty_rows));
    let output = run(&["explain", "--input", &input], dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_first_hundred_listed(&text(&output.stderr));
}

#[test]
fn commands_that_read_a_file_in_chunks_reject_each_row_that_does_not_follow_its_header() {
    let dir = temp_dir();
    let labelled = csv_with_header_of("train.csv", &"x\n".repeat(ROWS));
    let input = write(dir.path(), "short.csv", &labelled);

    let explained = run(&["explain", "--input", &input], dir.path());
    assert!(explained.status.success(), "{}", text(&explained.stderr));
    assert_first_hundred_listed(&text(&explained.stderr));

    let captured = run(&["capture", "--data", &input, "--out", "c.csv"], dir.path());
    let stderr = text(&captured.stderr);
    assert!(captured.status.success(), "{stderr}");
    // Rows 99..600, as numbered in the whole file.
    let listed: Vec<&str> = (stderr.lines())
        .filter(|l| l.starts_with("rejected row "))
        .collect();
    assert_eq!(listed.len(), 100, "{stderr}");
    assert!(listed[0].starts_with("rejected row 99:"), "{}", listed[0]);
    assert!(stderr.contains("rejected 501 rows in all"), "{stderr}");
    assert!(text(&captured.stdout).contains("captured 0 predictions"));

    let evaluated = run(&["evaluate", "--data", &input], dir.path());
    let stderr = text(&evaluated.stderr);
    assert!(!evaluated.status.success(), "{stderr}");
    assert!(stderr.contains("no row could be evaluated"), "{stderr}");
}

/// `explain`, `evaluate` and `capture` read their input a chunk at a time:
/// 8 MB of empty rows, or 400 KB of `{}` records, took 340 MB each when
/// they read it whole (~1.7 KB per parsed row); now 12 MB (release build,
/// the whole process). In 64 MiB of data memory the whole reads aborted.
#[cfg(target_os = "linux")]
#[test]
fn commands_that_read_a_file_in_chunks_hold_one_chunk_in_memory() {
    use crate::helpers::run_cli_in_mib;

    let dir = temp_dir();
    let rows = 100_000;
    let width = csv_of("").matches(',').count();
    let empty = format!("{}\n", ",".repeat(width)).repeat(rows);
    let csv = write(dir.path(), "empty.csv", &csv_of(&empty));
    let labelled = format!("{},\n", ",".repeat(width)).repeat(rows);
    let labelled = write(
        dir.path(),
        "labelled.csv",
        &csv_with_header_of("train.csv", &labelled),
    );
    let records = vec!["{}"; rows].join(",");
    let json = write(dir.path(), "empty.json", &format!("[{records}]"));
    let to = (rows - 1).to_string();
    for (args, done) in [
        (
            vec!["explain", "--input", &csv],
            "rejected 100000 rows in all",
        ),
        (
            vec!["explain", "--input", &json],
            "rejected 100000 rows in all",
        ),
        (
            vec!["capture", "--data", &csv, "--to", &to, "--out", "c.csv"],
            "rejected 99900 rows in all",
        ),
        (
            vec!["evaluate", "--data", &labelled],
            "no row could be evaluated",
        ),
    ] {
        let output = run_cli_in_mib(&args, dir.path(), 64);
        let stderr = text(&output.stderr);
        assert!(output.status.code().is_some(), "{args:?}: killed: {stderr}");
        assert!(stderr.contains(done), "{args:?}: {stderr}");
    }
}

#[test]
fn commands_that_read_a_whole_file_refuse_one_of_rows_that_do_not_follow_its_header() {
    // 1,000,000 such rows (2 MB) took 1.8-4.7 GB; the read stops at the
    // 101st, on line 102.
    let dir = temp_dir();
    let labelled = csv_with_header_of("train.csv", &"x\n".repeat(ROWS));
    let input = write(dir.path(), "short.csv", &labelled);
    let config = config_path("generation-1");
    let config = config.to_str().unwrap();
    for args in [
        vec!["analyze", "--data", &input],
        vec![
            "select", "--config", config, "--data", &input, "--out", "s.toml",
        ],
        vec![
            "train",
            "--config",
            config,
            "--data",
            &input,
            "--out",
            "m.postcard",
        ],
    ] {
        let output = run(&args, dir.path());
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains("line 102") && stderr.contains("has 1 cells"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("the rows do not follow the header"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn train_refuses_a_cell_longer_than_any_record_naming_its_line() {
    // A 50 MB MSZoning cell was read, fitted and written into the artifact.
    let dir = temp_dir();
    let train = std::fs::read_to_string(synthetic_arg("train.csv")).unwrap();
    let mut lines: Vec<String> = train.lines().map(str::to_owned).collect();
    let zoning = lines[0].split(',').position(|h| h == "MSZoning").unwrap();
    let mut cells: Vec<String> = lines[3].split(',').map(str::to_owned).collect();
    cells[zoning] = "RL".repeat(600_000);
    lines[3] = cells.join(",");
    let input = write(dir.path(), "train.csv", &(lines.join("\n") + "\n"));
    let config = config_path("generation-1");
    let args = [
        "train",
        "--config",
        config.to_str().unwrap(),
        "--data",
        &input,
        "--out",
        "m.postcard",
    ];
    let output = run(&args, dir.path());
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("line 4: starts a record longer than"),
        "{stderr}"
    );
    assert!(!dir.path().join("m.postcard").exists());
}
