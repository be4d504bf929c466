//! The differential test of the release flow: the current model against the
//! previous version's captured predictions on test.csv rows 99..600; and
//! `capture`, which makes those files.

use regression_model::differential::{accepted_for, baseline_for, compare, read_capture};

use crate::helpers::{fixture, real_data, run_cli, temp_dir, text};

/// Relative tolerance: `DIFFERENTIAL_TOLERANCE`, else the one a release
/// review accepted for this version (`fixtures/differential/accepted.toml`),
/// else 5% as in the course.
fn tolerance() -> f64 {
    if let Some(t) = std::env::var("DIFFERENTIAL_TOLERANCE")
        .ok()
        .and_then(|t| t.parse().ok())
    {
        return t;
    }
    let version = env!("CARGO_PKG_VERSION");
    match accepted_for(&fixture("differential"), version).expect("accepted.toml parses") {
        Some(accepted) => {
            eprintln!(
                "release {version} accepted a tolerance of {}: {}",
                accepted.tolerance, accepted.reason
            );
            accepted.tolerance
        }
        None => 0.05,
    }
}

#[test]
fn the_model_stays_within_tolerance_of_the_previous_versions_captured_predictions() {
    let Some(data) = real_data() else { return };
    let version = env!("CARGO_PKG_VERSION");
    let baseline = baseline_for(&fixture("differential"), version)
        .expect("a captured baseline in fixtures/differential (regression-model capture)");
    let previous = read_capture(&baseline).unwrap();
    let test = regression_model::read_csv_file(&data.join("test.csv")).unwrap();
    let (from, to) = (99, 600);
    let mut response = regression_model::shipped_model()
        .unwrap()
        .predict_rows(&test.rows[from..to]);
    response.predictions.iter_mut().for_each(|p| p.row += from);
    let comparison = compare(&previous.predictions, &response.predictions, tolerance());
    eprintln!(
        "model {version} vs captured {}: {} rows compared, {} moved",
        previous.version,
        comparison.compared,
        comparison.moved.len()
    );
    assert!(comparison.compared > 400);
    assert!(
        comparison.passed(),
        "rows that moved more than {:.0}% or are newly rejected: {:?}",
        tolerance() * 100.0,
        comparison
    );
}

#[test]
fn capture_says_which_rows_of_its_slice_it_refused() {
    let dir = temp_dir();
    let csv = std::fs::read_to_string(fixture("synthetic/test.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    let living = (lines[0].split(','))
        .position(|h| h == "GrLivArea")
        .unwrap();
    let mut cells: Vec<&str> = lines[3].split(',').collect();
    cells[living] = "lots";
    lines[3] = cells.join(",");
    std::fs::write(dir.path().join("in.csv"), lines.join("\n") + "\n").unwrap();

    let args = ["capture", "--data", "in.csv", "--from", "1", "--to", "5"];
    let output = run_cli(&[&args[..], &["--out", "c.csv"]].concat(), dir.path());

    assert!(output.status.success(), "{}", text(&output.stderr));
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(stdout.contains("captured 3 predictions"), "{stdout}");
    assert!(stdout.contains("1 rows of the slice refused"), "{stdout}");
    assert!(
        stderr.contains("rejected row 2") && stderr.contains("GrLivArea"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(dir.path().join("c.csv")).unwrap();
    assert_eq!(written.lines().count(), 2 + 3, "{written}");
}
