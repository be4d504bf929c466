//! `explain`, `evaluate` and `capture` read their input a chunk at a time:
//! on an input of several chunks, with rejected rows on and around the
//! chunk boundaries, they give what the library gives on the whole file.

use regression_model::differential::read_capture;
use regression_model::{ErrorLimit, InputRows, Metrics, shipped_model};

use crate::helpers::{run_cli as run, temp_dir, text};
use crate::stream::{as_ndjson, input_csv, rejected_rows};

fn whole(csv: &str) -> InputRows {
    let features = shipped_model().unwrap().pipeline.features();
    regression_model::read_csv_columns(csv.as_bytes(), Some(&features)).unwrap()
}

#[test]
fn explain_writes_what_the_library_explains_on_the_whole_file() {
    let dir = temp_dir();
    let csv = input_csv();
    std::fs::write(dir.path().join("in.csv"), &csv).unwrap();
    std::fs::write(dir.path().join("in.ndjson"), as_ndjson(&csv)).unwrap();
    let expected = shipped_model()
        .unwrap()
        .explain_input(&whole(&csv), ErrorLimit::FirstPerRow)
        .unwrap();
    let lines: Vec<String> = (expected.explanations.iter())
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    let rejected: Vec<String> = (expected.row_errors.errors.iter())
        .map(|e| format!("rejected row {}", e.row))
        .collect();
    assert!(rejected.contains(&"rejected row 2047".to_owned()));

    let output = run(&["explain", "--input", "in.csv"], dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written: Vec<String> = text(&output.stdout).lines().map(str::to_owned).collect();
    assert!(
        written == lines,
        "explanations differ from the whole file's"
    );
    assert_eq!(rejected_rows(&text(&output.stderr)), rejected);

    // The same rows as NDJSON, but the one a cell short in CSV (Id 1025).
    let output = run(&["explain", "--input", "in.ndjson"], dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let others = |lines: &[String]| -> Vec<String> {
        (lines.iter())
            .filter(|l| !l.contains("\"id\":1025,"))
            .cloned()
            .collect()
    };
    let written: Vec<String> = text(&output.stdout).lines().map(str::to_owned).collect();
    assert!(
        others(&written) == others(&lines),
        "NDJSON differs from CSV"
    );
}

#[test]
fn capture_predicts_its_slice_across_chunks_numbered_in_the_whole_file() {
    let dir = temp_dir();
    let csv = input_csv();
    std::fs::write(dir.path().join("in.csv"), &csv).unwrap();
    let rows = whole(&csv).rows;
    let model = shipped_model().unwrap();
    let expected = model.predict_rows(&rows[1000..2100]);

    let args = [
        "capture", "--data", "in.csv", "--from", "1000", "--to", "2100",
    ];
    let output = run(&[&args[..], &["--out", "c.csv"]].concat(), dir.path());

    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let captured = read_capture(&dir.path().join("c.csv")).unwrap();
    assert_eq!(captured.predictions.len(), expected.predictions.len());
    for (c, p) in captured.predictions.iter().zip(&expected.predictions) {
        assert_eq!((c.row, c.id), (p.row + 1000, p.id));
        assert_eq!(c.price.to_bits(), p.price.to_bits(), "row {}", c.row);
    }
    for planted in [1023, 1024, 1025, 2047] {
        assert!(
            stderr.contains(&format!("rejected row {planted}")),
            "{stderr}"
        );
    }

    let args = [
        "capture", "--data", "in.csv", "--from", "2000", "--to", "2601",
    ];
    let output = run(&[&args[..], &["--out", "d.csv"]].concat(), dir.path());
    let stderr = text(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("does not fit the 2600 rows"), "{stderr}");
    assert!(!dir.path().join("d.csv").exists());
}

#[test]
fn evaluate_scores_every_chunk_as_the_whole_file() {
    let dir = temp_dir();
    let config = synth_data::GeneratorConfig {
        rows: 2_600,
        seed: 23,
        with_target: true,
        ..Default::default()
    };
    let mut csv = Vec::new();
    synth_data::write_csv(&config, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    std::fs::write(dir.path().join("train.csv"), &csv).unwrap();
    let input = whole(&csv);
    let target = input.target.unwrap();
    let (predicted, actual): (Vec<f64>, Vec<f64>) = (shipped_model().unwrap())
        .predict_rows(&input.rows)
        .predictions
        .iter()
        .filter_map(|p| target[p.row].map(|t| (p.price, t)))
        .unzip();
    let m = Metrics::compute(&predicted, &actual).unwrap();

    let output = run(&["evaluate", "--data", "train.csv"], dir.path());

    assert!(output.status.success(), "{}", text(&output.stderr));
    let expected = format!(
        "{} of 2600 rows predicted\nRMSE   ${:.2}\nR2     {:.4}\nRMSLE  {:.4}\n",
        m.rows, m.rmse, m.r2, m.rmsle
    );
    let stdout = text(&output.stdout);
    assert!(
        stdout.ends_with(&expected),
        "{stdout}\nexpected\n{expected}"
    );
}
