//! Streaming `predict`: the binary's chunked, parallel output against the
//! whole-file path of the library on an input of several chunks with
//! rejected rows on and around chunk boundaries; NDJSON, gzip, stdin, and
//! shards whose outputs concatenate to the single process's.

use std::io::Write;
use std::process::{Command, Stdio};

use regression_model::{ErrorLimit, shipped_model};

use crate::helpers::{run_cli as run, temp_dir, text};

/// Rows of the test input: more than two chunks of the CLI's 1,024.
pub(crate) const ROWS: usize = 2_600;

/// A synthetic test-style CSV (unseen labels, unexpected NAs) with bad
/// rows planted on both sides of the chunk boundaries: a cell that is not
/// a number, a row one cell short, a row without an Id.
pub(crate) fn input_csv() -> String {
    let config = synth_data::GeneratorConfig {
        rows: ROWS,
        seed: 17,
        with_target: false,
        ..Default::default()
    };
    let mut bytes = Vec::new();
    synth_data::write_csv(&config, &mut bytes).expect("generates");
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let living = header.iter().position(|h| *h == "GrLivArea").unwrap();
    let edit = |line: &str, at: usize, to: &str| {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[at] = to;
        cells.join(",")
    };
    // Data row r is line r + 1.
    for row in [1023, 1025, 2047] {
        lines[row + 1] = edit(&lines[row + 1], living, "lots");
    }
    let short = lines[1024 + 1].rsplit_once(',').unwrap().0.to_owned();
    lines[1024 + 1] = short;
    lines[2048 + 1] = edit(&lines[2048 + 1], 0, "");
    lines.join("\n") + "\n"
}

/// What `predict` wrote before streaming: the library's whole-file path,
/// formatted as the command always formatted it, and the rejected rows.
fn whole_file_output(csv: &str) -> (String, Vec<String>) {
    let model = shipped_model().unwrap();
    let features = model.pipeline.features();
    let input = regression_model::read_csv_columns(csv.as_bytes(), Some(&features)).unwrap();
    let response = model.predict_input(&input, ErrorLimit::FirstPerRow);
    let mut out = String::from("Id,SalePrice\n");
    for p in &response.predictions {
        let id = p.id.map(|i| i.to_string()).unwrap_or_default();
        out.push_str(&format!("{id},{}\n", p.price));
    }
    let rejected = response
        .row_errors
        .errors
        .iter()
        .map(|e| format!("rejected row {}", e.row))
        .collect();
    (out, rejected)
}

pub(crate) fn rejected_rows(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("rejected row "))
        .map(|l| {
            l.split(" (Id")
                .next()
                .unwrap()
                .split(':')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn streaming_predict_writes_byte_for_byte_what_the_whole_file_path_wrote() {
    let dir = temp_dir();
    let csv = input_csv();
    std::fs::write(dir.path().join("in.csv"), &csv).unwrap();
    let (expected, expected_rejected) = whole_file_output(&csv);

    let output = run(
        &["predict", "--input", "in.csv", "--output", "out.csv"],
        dir.path(),
    );

    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(
        written == expected,
        "the streamed output differs from the whole-file path's"
    );
    assert!(
        written.contains("\n,"),
        "the row without an Id is priced, with an empty Id"
    );
    let stderr = text(&output.stderr);
    let rejected = rejected_rows(&stderr);
    assert_eq!(
        rejected, expected_rejected,
        "rejections in input order, numbered in the input"
    );
    for planted in [1023, 1024, 1025, 2047] {
        assert!(
            rejected.contains(&format!("rejected row {planted}")),
            "row {planted}: {stderr}"
        );
    }
    assert!(stderr.contains("rejected row 1024 (Id 1025): "), "{stderr}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().count() == 2,
        "no temporary file is left beside the output"
    );
}

/// The rows of `csv` as NDJSON, every cell a JSON string, with a blank
/// line here and there.
pub(crate) fn as_ndjson(csv: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut ndjson = String::new();
    for record in reader.records() {
        let record = record.unwrap();
        let object: serde_json::Map<String, serde_json::Value> = header
            .iter()
            .zip(record.iter())
            .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned())))
            .collect();
        ndjson.push_str(&serde_json::to_string(&object).unwrap());
        ndjson.push('\n');
        if ndjson.len().is_multiple_of(7) {
            ndjson.push('\n'); // blank lines are skipped, not rows
        }
    }
    ndjson
}

#[test]
fn ndjson_records_stream_to_the_same_prices_as_the_same_rows_in_csv() {
    let dir = temp_dir();
    let csv = input_csv();
    let ndjson = as_ndjson(&csv);
    std::fs::write(dir.path().join("in.ndjson"), &ndjson).unwrap();
    let (expected, _) = whole_file_output(&csv);

    let output = run(&["predict", "--input", "in.ndjson"], dir.path());

    assert!(output.status.success(), "{}", text(&output.stderr));
    // The CSV row one cell short (Id 1025) is a whole record in JSON,
    // without that column: it alone may be priced differently.
    let others = |text: &str| -> Vec<String> {
        (text.lines())
            .filter(|l| !l.starts_with("1025,"))
            .map(str::to_owned)
            .collect()
    };
    assert!(
        others(&text(&output.stdout)) == others(&expected),
        "the NDJSON prices differ from the CSV prices"
    );
    assert!(rejected_rows(&text(&output.stderr)).contains(&"rejected row 1023".to_owned()));
}

#[test]
fn gzip_input_from_stdin_and_gzip_output_hold_the_same_prices() {
    let dir = temp_dir();
    let csv = input_csv();
    let (expected, _) = whole_file_output(&csv);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(csv.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_regression-model"))
        .args([
            "predict",
            "--quiet",
            "--input",
            "-",
            "--output",
            "out.csv.gz",
        ])
        .current_dir(dir.path())
        .env("REGRESSION_MODEL_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&gz).unwrap();
    let output = child.wait_with_output().unwrap();

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        output.stdout.is_empty(),
        "nothing but the output file is written"
    );
    let compressed = std::fs::read(dir.path().join("out.csv.gz")).unwrap();
    let mut written = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut written,
    )
    .unwrap();
    assert!(
        written == expected,
        "the gzip output differs from the whole-file path's"
    );
}

#[test]
fn train_with_progress_reads_the_same_rows_and_file_hash_as_the_library() {
    let dir = temp_dir();
    let data = crate::helpers::fixture("synthetic/train.csv");
    let config = crate::helpers::config("generation-2");
    let out = dir.path().join("m.postcard");

    let output = run(
        &[
            "train",
            "--data",
            data.to_str().unwrap(),
            "--config",
            crate::helpers::config_path("generation-2")
                .to_str()
                .unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );

    assert!(output.status.success(), "{}", text(&output.stderr));
    let (rows, sha) = regression_model::read_training_file(&data, &config).unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("m.postcard.report.json")).unwrap())
            .unwrap();
    assert_eq!(report["training_data_sha256"], sha.as_str());
    let trained =
        regression_model::TrainedModel::load(&out, regression_model::VersionPolicy::Any).unwrap();
    let (library, _) = regression_model::train(
        &config,
        &rows,
        &sha,
        regression_model::TrainOptions {
            holdout: config.config().split.holdout,
            seed: config.config().split.seed,
        },
    )
    .unwrap();
    assert!(
        trained.to_bytes().unwrap() == library.to_bytes().unwrap(),
        "the CLI's reader gives the library's model"
    );
}

#[test]
fn strict_fails_after_writing_every_chunk_when_a_late_row_is_rejected() {
    let dir = temp_dir();
    let csv = input_csv();
    std::fs::write(dir.path().join("in.csv"), &csv).unwrap();
    let (expected, _) = whole_file_output(&csv);

    let output = run(
        &[
            "predict", "--strict", "--input", "in.csv", "--output", "out.csv",
        ],
        dir.path(),
    );

    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("error: --strict: "));
    let written = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(
        written == expected,
        "the prices are written, as before streaming"
    );
}
