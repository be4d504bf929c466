//! Predicts a CSV file (Kaggle's `test.csv` layout) with the model this
//! crate version ships, printing `Id,SalePrice` and then, on stderr, why
//! each rejected row was rejected and which inputs of a priced row were
//! filled in because they were missing. What a crate that depends on
//! `regression-model` with its default features does.
//!
//! ```sh
//! cargo run -p regression-model --example predict_csv -- fixtures/synthetic/test.csv
//! ```

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use regression_model::{read_csv_file, shipped_model};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: predict_csv FILE.csv");
        return ExitCode::from(2);
    };
    let stdout = std::io::stdout();
    match run(Path::new(&path), &mut stdout.lock(), &mut std::io::stderr()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("predict_csv: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the predictions to `out` and one line per rejected row's problem
/// to `log`.
fn run(
    path: &Path,
    out: &mut impl Write,
    log: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let data = read_csv_file(path)?;
    let response = shipped_model()?.predict_rows(&data.rows);
    writeln!(out, "Id,SalePrice")?;
    for p in &response.predictions {
        writeln!(
            out,
            "{},{}",
            p.id.map(|i| i.to_string()).unwrap_or_default(),
            p.price
        )?;
    }
    for e in &response.row_errors.errors {
        writeln!(log, "row {}: {}: {}", e.row, e.field, e.message)?;
    }
    for p in response
        .predictions
        .iter()
        .filter(|p| !p.imputed.is_empty())
    {
        let names: Vec<&str> = p.imputed.iter().map(|c| c.name()).collect();
        writeln!(log, "row {}: imputed {}", p.row, names.join(", "))?;
    }
    writeln!(
        log,
        "model {}: predicted {} of {} rows",
        response.version,
        response.predictions.len(),
        data.rows.len()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicts_the_synthetic_test_file_and_explains_every_rejection() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/synthetic/test.csv");
        let (mut out, mut log) = (Vec::new(), Vec::new());

        run(&path, &mut out, &mut log).unwrap();

        let out = String::from_utf8(out).unwrap();
        let log = String::from_utf8(log).unwrap();
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some("Id,SalePrice"));
        let predicted: Vec<(i64, f64)> = lines
            .map(|l| {
                let (id, price) = l.split_once(',').unwrap();
                (id.parse().unwrap(), price.parse().unwrap())
            })
            .collect();
        assert!(predicted.len() > 60, "{} rows predicted", predicted.len());
        assert!(
            predicted
                .iter()
                .all(|(id, price)| (1001..=1120).contains(id) && *price > 0.0)
        );
        let summary = log.lines().last().unwrap();
        assert_eq!(
            summary,
            format!(
                "model {}: predicted {} of 120 rows",
                regression_model::MODEL_VERSION,
                predicted.len()
            )
        );
        // The fixture plants unseen labels and missing values: every row it
        // rejects has at least one line naming the problem, and the rows
        // priced from filled-in inputs say which.
        let rejected = 120 - predicted.len();
        let imputed = log.lines().filter(|l| l.contains(": imputed ")).count();
        assert!(imputed > 0, "{log}");
        assert!(log.lines().count() > rejected + imputed, "{log}");
    }

    #[test]
    fn a_missing_file_is_an_error_naming_the_file() {
        let (mut out, mut log) = (Vec::new(), Vec::new());
        let error = run(Path::new("no/such/file.csv"), &mut out, &mut log).unwrap_err();
        assert!(error.to_string().contains("no/such/file.csv"), "{error}");
    }
}
