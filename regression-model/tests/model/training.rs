//! Training from a CSV reader (`train_csv`, rows stored by column) against
//! the row path (`read_training_file` then `train`): the same artifact, the
//! same errors.

use regression_model::{TrainOptions, read_training_file, train, train_csv};

use crate::helpers::{config, fixture, temp_dir};

const CONFIGS: [&str; 9] = [
    "generation-1",
    "generation-2",
    "generation-3",
    "generation-3-blend",
    "generation-3-forest",
    "generation-4",
    "generation-4-gbm",
    "generation-4-svr",
    "random-forest",
];

fn options(holdout: f64) -> TrainOptions {
    TrainOptions { holdout, seed: 3 }
}

#[test]
fn train_csv_gives_every_shipped_config_the_artifact_of_the_row_path() {
    let path = fixture("synthetic/train.csv");
    for name in CONFIGS {
        let checked = config(name);
        for holdout in [0.0, 0.2] {
            let (rows, sha) = read_training_file(&path, &checked).unwrap();
            let (expected, report) = train(&checked, &rows, &sha, options(holdout)).unwrap();
            let file = std::fs::File::open(&path).unwrap();
            let (model, columns_report) = train_csv(&checked, file, options(holdout)).unwrap();

            assert!(
                model.to_bytes().unwrap() == expected.to_bytes().unwrap(),
                "{name}, hold-out {holdout}"
            );
            assert_eq!(columns_report.holdout_metrics, report.holdout_metrics);
            assert_eq!(
                columns_report.holdout_rows_rejected,
                report.holdout_rows_rejected
            );
        }
    }
}

#[test]
fn train_csv_names_the_row_and_field_of_a_bad_cell_as_the_row_path_does() {
    let text = std::fs::read_to_string(fixture("synthetic/train.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "LotArea").unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut cells: Vec<&str> = lines[8].split(',').collect();
    cells[at] = "lots";
    lines[8] = cells.join(",");
    let dir = temp_dir();
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let checked = config("generation-3");

    let (rows, sha) = read_training_file(&path, &checked).unwrap();
    let expected = train(&checked, &rows, &sha, options(0.0)).unwrap_err();
    let error = train_csv(&checked, std::fs::File::open(&path).unwrap(), options(0.0));

    let error = error.expect_err("a bad cell fails training").to_string();
    assert_eq!(error, expected.to_string());
    assert!(error.contains("row 7: LotArea"), "{error}");
}
