//! The differential test of the release flow: the current model against the
//! previous version's captured predictions on test.csv rows 99..600.

use regression_model::differential::{accepted_for, baseline_for, compare, read_capture};

use crate::helpers::{fixture, real_data};

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
