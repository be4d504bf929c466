//! The research tools on the synthetic fixture: cross-validated tuning, the
//! blend, the training-only outlier filter, generation 3.

use regression_model::cv::Labelled;
use regression_model::tune::{self, GridParam};
use regression_model::{FittedPipeline, PipelineConfig};
use regression_model::{TrainedModel, VersionPolicy};

use crate::helpers::{config, crate_dir, synthetic_test, synthetic_train, temp_dir};

fn blend_text(first: f64, second: f64) -> String {
    format!(
        r#"
        name = "blend-test"
        [estimator]
        model = "blend"
        members = [
            {{ weight = {first}, config = "generation-1.toml" }},
            {{ weight = {second}, config = "generation-2.toml" }},
        ]
        "#
    )
}

fn blend(first: f64, second: f64) -> regression_model::CheckedConfig {
    PipelineConfig::from_toml_in(
        &blend_text(first, second),
        "blend",
        &crate_dir().join("config"),
    )
    .expect("blend config loads")
}

#[test]
fn tune_gives_identical_results_with_one_and_two_threads() {
    let base = config("generation-2");
    let grid: Vec<GridParam> = vec!["estimator.alpha=0.0005,0.001,0.005".parse().unwrap()];
    let points = tune::expand(&base, &grid).unwrap();
    let data = Labelled::new(&base, synthetic_train()).unwrap();
    let one = tune::tune(&points, &data, 5, 7, 1).unwrap();
    let fits = std::sync::atomic::AtomicUsize::new(0);
    let count = || {
        fits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let two = tune::tune_with(&points, &data, 5, 7, 2, &count).unwrap();
    assert_eq!(fits.into_inner(), 3 * 5, "one call per fold fit");
    let bits = |r: &tune::TuneReport| -> Vec<(u64, u64, usize)> {
        r.points
            .iter()
            .flat_map(|p| &p.folds)
            .map(|f| {
                let m = f.metrics.unwrap();
                (m.rmse.to_bits(), m.rmsle.to_bits(), f.rejected)
            })
            .collect()
    };
    assert_eq!(bits(&one).len(), 15);
    assert_eq!(bits(&one), bits(&two));
    assert_eq!(one.best, two.best);
    let fold_predictions = |r: &tune::TuneReport| r.points[0].folds[0].predictions.clone();
    assert_eq!(fold_predictions(&one), fold_predictions(&two));
}

#[test]
fn tune_refuses_a_grid_path_that_leads_nowhere_or_a_value_the_config_refuses() {
    let base = config("generation-2");
    for bad in [
        "estimator.alpha=-1",
        "steps[99].tolerance=0.1",
        "nothing.here=1",
    ] {
        let grid = vec![bad.parse::<GridParam>().unwrap()];
        assert!(tune::expand(&base, &grid).is_err(), "{bad}");
    }
    let twice: Vec<GridParam> = ["estimator.alpha=1", "estimator.alpha=2"]
        .iter()
        .map(|g| g.parse().unwrap())
        .collect();
    let message = tune::expand(&base, &twice).unwrap_err().to_string();
    assert!(
        message.contains("estimator.alpha is given twice"),
        "{message}"
    );
    let values = (1..=101)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let huge: Vec<GridParam> = ["estimator.alpha", "estimator.tol"]
        .iter()
        .map(|path| format!("{path}={values}").parse().unwrap())
        .collect();
    let message = tune::expand(&base, &huge).unwrap_err().to_string();
    assert!(message.contains("more than 10000 points"), "{message}");
}

#[test]
fn a_blend_predicts_the_weighted_geometric_mean_of_its_members() {
    let checked = blend(1.0, 3.0);
    let data = Labelled::new(&checked, synthetic_train()).unwrap();
    let records: Vec<_> = data.rows.iter().map(|r| &r.record).collect();
    let fitted = FittedPipeline::fit(&checked, &records, &data.targets).unwrap();
    let members = fitted.members().expect("a blend fits to a blend");
    let rows = &synthetic_test().rows;
    let blended = fitted.predict_rows(rows);
    let first = members[0].pipeline.predict_rows(rows);
    let second = members[1].pipeline.predict_rows(rows);
    assert!(blended.predictions.len() > 50);
    for p in &blended.predictions {
        let price = |o: &regression_model::Outcome| {
            o.predictions.iter().find(|q| q.row == p.row).unwrap().price
        };
        let expected = (0.25 * price(&first).ln() + 0.75 * price(&second).ln()).exp();
        assert!(
            (p.price - expected).abs() < 1e-6 * expected,
            "row {}",
            p.row
        );
    }
    // A row rejected by either member is rejected by the blend, with the reason.
    for e in first.errors.iter().chain(&second.errors) {
        assert!(blended.predictions.iter().all(|p| p.row != e.row));
        assert!(blended.errors.contains(e));
    }
}

#[test]
fn a_blend_is_one_artifact_that_loads_and_predicts_identically() {
    let checked = blend(0.5, 0.5);
    let options = regression_model::TrainOptions {
        holdout: 0.1,
        seed: 0,
    };
    let (model, _) =
        regression_model::train(&checked, synthetic_train(), "synthetic", options).unwrap();
    let dir = temp_dir();
    let path = dir.path().join("blend.postcard");
    model.save(&path).unwrap();
    let loaded = TrainedModel::load(&path, VersionPolicy::Exact).unwrap();
    let before = model.predict_rows(&synthetic_test().rows);
    let after = loaded.predict_rows(&synthetic_test().rows);
    assert_eq!(before, after);
    assert!(loaded.metadata.config_toml.contains("generation-2"));
}

#[test]
fn a_blend_member_given_as_a_path_must_be_readable() {
    let error = PipelineConfig::from_toml_in(&blend_text(1.0, 1.0), "blend", temp_dir().path())
        .unwrap_err()
        .to_string();
    assert!(error.contains("generation-1.toml"), "{error}");
    let zero =
        PipelineConfig::from_toml_in(&blend_text(0.0, 1.0), "blend", &crate_dir().join("config"))
            .unwrap_err()
            .to_string();
    assert!(zero.contains("weight"), "{zero}");
}

#[test]
fn the_outlier_filter_drops_training_rows_but_never_rows_being_predicted() {
    let text = std::fs::read_to_string(crate_dir().join("config/generation-2.toml"))
        .unwrap()
        .replace(
            "[[steps]]\nstep = \"impute_categorical\"\nvariables = [\"FireplaceQu\"]",
            "[[steps]]\nstep = \"drop_outliers\"\nvariables = [\"GrLivArea\"]\nmethod = \"range\"\nmax = 1500\n\n[[steps]]\nstep = \"impute_categorical\"\nvariables = [\"FireplaceQu\"]",
        );
    let checked = PipelineConfig::from_toml(&text, "filtered").unwrap();
    assert_eq!(
        checked.config().step_kinds().next().unwrap(),
        "drop_outliers"
    );
    let data = Labelled::new(&checked, synthetic_train()).unwrap();
    let records: Vec<_> = data.rows.iter().map(|r| &r.record).collect();
    let fitted = FittedPipeline::fit(&checked, &records, &data.targets).unwrap();
    let large: Vec<_> = synthetic_train()
        .rows
        .iter()
        .filter(|r| r.record.gr_liv_area.is_some_and(|a| a > 1500.0))
        .cloned()
        .collect();
    assert!(large.len() > 20);
    let outcome = fitted.predict_rows(&large);
    assert_eq!(
        outcome.predictions.len(),
        large.len(),
        "{:?}",
        outcome.errors
    );
}

#[test]
fn generation_3_blend_trains_and_predicts_every_synthetic_test_row_it_can_read() {
    let checked = config("generation-3-blend");
    assert_eq!(checked.members().len(), 2);
    let options = regression_model::TrainOptions {
        holdout: 0.1,
        seed: 0,
    };
    let (model, report) =
        regression_model::train(&checked, synthetic_train(), "synthetic", options).unwrap();
    assert!(report.holdout_metrics.unwrap().r2 > 0.7);
    let response = model.predict_rows(&synthetic_test().rows);
    // Only labels never seen in training (outside a quality map, or without a
    // Rare group in the forest member) and values missing where training had
    // none (the fixture plants such rows) reject a row.
    for e in &response.row_errors.errors {
        assert!(
            e.message.contains("unknown label")
                || e.message.contains("not seen in training")
                || e.message.contains("too rare")
                || e.message.contains("no imputer"),
            "{e}"
        );
    }
    assert!(
        response.predictions.len() >= 100,
        "{}",
        response.predictions.len()
    );
}

#[test]
fn analyze_finds_the_redundancy_the_generator_planted() {
    use regression_model::analyze::{self, AnalyzeOptions, RawTable};
    let table = RawTable::read_file(&crate::helpers::fixture("synthetic/train.csv")).unwrap();
    let report = analyze::analyze(&table, &AnalyzeOptions::default()).unwrap();
    let found = &report.redundancy;
    let planted = synth_data::PLANTED;
    for column in planted.constant {
        assert!(
            found.constant.iter().any(|c| c == column),
            "{column}: {found:?}"
        );
    }
    for column in planted.quasi_constant {
        let q = found.quasi_constant.iter().find(|q| q.column == *column);
        assert!(q.is_some_and(|q| q.share < 1.0), "{column}: {found:?}");
    }
    for (copy, original) in planted.duplicated {
        assert!(
            found
                .duplicated
                .iter()
                .any(|d| d.copy == *copy && d.original == *original),
            "{copy}: {found:?}"
        );
    }
    for (a, b) in planted.correlated {
        let pair = found
            .correlated
            .iter()
            .find(|c| (c.first == *a && c.second == *b) || (c.first == *b && c.second == *a));
        assert!(
            pair.is_some_and(|p| p.r > planted.min_correlation),
            "{a} ~ {b}: {found:?}"
        );
    }
    let id_analysed = report
        .columns
        .iter()
        .any(|c| c.name == "Id" || c.name == "SalePrice");
    assert!(!id_analysed);
}

#[test]
fn select_is_deterministic_and_removes_the_planted_redundancy_with_reasons() {
    use regression_model::analyze::RawTable;
    use regression_model::select::{self, SelectOptions};
    let checked = config("generation-3");
    let table = RawTable::read_file(&crate::helpers::fixture("synthetic/train.csv")).unwrap();
    let run = || {
        let selection = select::select(
            &checked,
            &table,
            synthetic_train(),
            &SelectOptions::default(),
        )
        .unwrap();
        let text = selection
            .to_toml("generation-3.toml", "train.csv", 400)
            .unwrap();
        (selection, text)
    };
    let (selection, text) = run();
    assert_eq!(text, run().1, "two selections differ");
    let removed = |f: &str| selection.removed.iter().find(|r| r.feature == f);
    assert!(removed("Street").unwrap().reason.contains("quasi-constant"));
    assert!(
        removed("Exterior2nd")
            .unwrap()
            .reason
            .contains("duplicate of Exterior1st")
    );
    for (a, b) in synth_data::PLANTED.correlated {
        let gone: Vec<_> = [a, b]
            .into_iter()
            .filter(|f| removed(f).is_some())
            .collect();
        assert!(!gone.is_empty(), "{a} ~ {b}: neither removed");
    }
    for r in &selection.removed {
        assert!(
            text.contains(&format!("#   {}", r.feature)),
            "{}",
            r.feature
        );
        assert!(!selection.config.config().features.contains(&r.feature));
    }
    // The written file is a valid config that trains.
    let reloaded = PipelineConfig::from_toml(&text, "selected").unwrap();
    assert_eq!(reloaded.config().name, "generation-3-selected");
    let data = Labelled::new(&reloaded, synthetic_train()).unwrap();
    let records: Vec<_> = data.rows.iter().map(|r| &r.record).collect();
    FittedPipeline::fit(&reloaded, &records, &data.targets).unwrap();
}
