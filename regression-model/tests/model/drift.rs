//! Drift monitoring: a model trained now carries its training summary
//! (format 3) through the artifact; older artifacts load without one; a
//! monitor fed a stream from `synth-data` with one input shifted flags that
//! input, and only it.

use regression_model::{
    Column, DriftMonitor, DriftReport, DriftSettings, InputRows, TrainOptions, TrainedModel,
    VersionPolicy,
};
use synth_data::GeneratorConfig;

use crate::helpers::{config, fixture};

fn generate(config: GeneratorConfig) -> InputRows {
    let mut csv = Vec::new();
    synth_data::write_csv(&config, &mut csv).unwrap();
    regression_model::read_csv(&csv[..]).unwrap()
}

/// Generation 2 (it reads GrLivArea) trained on 3,000 synthetic rows.
fn model() -> TrainedModel {
    let data = generate(GeneratorConfig::train(3_000, 11));
    let options = TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let (model, _) =
        regression_model::train(&config("generation-2"), &data, "synthetic", options).unwrap();
    // Through the artifact: the summary is stored and read back.
    let bytes = model.to_bytes().unwrap();
    let loaded = TrainedModel::from_bytes(&bytes, "model", VersionPolicy::Exact).unwrap();
    assert_eq!(loaded.metadata, model.metadata);
    loaded
}

fn monitor(model: &TrainedModel, rows: &InputRows, shift: f64) -> DriftReport {
    let settings = DriftSettings {
        window: 3_000,
        blocks: 10,
    };
    let mut monitor = DriftMonitor::for_model(model, settings).unwrap().unwrap();
    for row in &rows.rows {
        let mut record = row.record.clone();
        record.gr_liv_area = record.gr_liv_area.map(|v| v * shift);
        monitor.observe(&record);
    }
    monitor.report()
}

fn largest_psi_but(report: &DriftReport, skipped: Option<Column>) -> (Column, f64) {
    report
        .fields
        .iter()
        .filter(|f| Some(f.field) != skipped)
        .map(|f| (f.field, f.psi.unwrap()))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap()
}

#[test]
fn a_psi_above_0_2_flags_the_shifted_input_and_only_it() {
    let model = model();
    let summary = model.metadata.training_summary.as_ref().unwrap();
    assert_eq!(summary.rows, 3_000);
    assert_eq!(
        summary.columns().count(),
        model.metadata.input_features.len()
    );
    let stream = generate(GeneratorConfig::train(3_000, 12));

    let same = monitor(&model, &stream, 1.0);
    assert_eq!(same.rows_in_window, 3_000);
    let (column, psi) = largest_psi_but(&same, None);
    assert!(psi < 0.1, "no shift, yet {column} has a PSI of {psi}");

    let shifted = monitor(&model, &stream, 1.5);
    let area = shifted
        .fields
        .iter()
        .find(|f| f.field == Column::GrLivArea)
        .unwrap();
    assert!(area.psi.unwrap() > 0.2, "{area:?}");
    let (column, psi) = largest_psi_but(&shifted, Some(Column::GrLivArea));
    assert!(
        psi < 0.1,
        "only GrLivArea moved, yet {column} has a PSI of {psi}"
    );
    // Rare labels can miss 3,000 training rows and turn up in serving: a
    // few, never more than a handful per input.
    assert!(shifted.fields.iter().all(|f| f.unseen_labels < 10));
}

#[test]
fn labels_never_seen_in_training_are_counted_per_input() {
    let model = model();
    // Test style injects labels training never has (synth_data::UNSEEN_LABELS).
    let stream = generate(GeneratorConfig {
        unseen_label_rate: 0.05,
        ..GeneratorConfig::test(2_000, 13)
    });
    let report = monitor(&model, &stream, 1.0);
    let read = |name: &str| Column::from_name(name).unwrap();
    for field in &report.fields {
        let injected = synth_data::UNSEEN_LABELS
            .iter()
            .any(|u| read(u.column) == field.field);
        // 5% of 2,000 rows injected; otherwise only a rare label that the
        // 3,000 training rows happened to miss.
        if injected {
            assert!(field.unseen_labels > 50, "{field:?}");
        } else {
            assert!(field.unseen_labels < 10, "{field:?}");
        }
    }
    let injected_and_read = report.fields.iter().filter(|f| f.unseen_labels > 0).count();
    assert!(
        injected_and_read > 0,
        "generation 2 reads no injected column"
    );
}

#[test]
fn artifacts_of_formats_1_and_2_load_and_report_no_training_summary() {
    let format_2 = std::fs::read(fixture("artifacts/format-2-gbm.postcard")).unwrap();
    let format_2 = TrainedModel::from_bytes(&format_2, "format 2", VersionPolicy::Any).unwrap();
    let mut models = vec![format_2];
    // Format 1 (0.2.0's artifact), written from a model trained now.
    let format_1 = crate::artifact::as_format_1(&crate::helpers::train_synthetic("generation-2"));
    assert_eq!(regression_model::format_version(&format_1), Some(1));
    models.push(TrainedModel::from_bytes(&format_1, "format 1", VersionPolicy::Exact).unwrap());
    for model in models {
        assert_eq!(model.metadata.training_summary, None);
        let monitor = DriftMonitor::for_model(&model, DriftSettings::default()).unwrap();
        assert!(monitor.is_none());
    }
}

#[test]
fn a_training_summary_that_does_not_fit_the_model_is_refused_on_load() {
    let model = crate::helpers::train_synthetic("generation-2");
    let load = |model: &TrainedModel| {
        let bytes = model.to_bytes().unwrap();
        match TrainedModel::from_bytes(&bytes, "forged", VersionPolicy::Exact) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    };
    assert_eq!(load(&model), "", "the model as trained loads");

    let mut forged = crate::helpers::train_synthetic("generation-2");
    let summary = forged.metadata.training_summary.as_mut().unwrap();
    summary.numeric[0].edges.reverse();
    assert!(
        load(&forged).contains("training summary"),
        "{}",
        load(&forged)
    );

    let mut forged = crate::helpers::train_synthetic("generation-2");
    let summary = forged.metadata.training_summary.as_mut().unwrap();
    summary.rows += 1;
    assert!(load(&forged).contains("do not"), "{}", load(&forged));

    let mut forged = crate::helpers::train_synthetic("generation-2");
    let summary = forged.metadata.training_summary.as_mut().unwrap();
    summary.categorical[0].column = Column::PoolQc;
    let problem = load(&forged);
    assert!(problem.contains("PoolQC"), "{problem}");
}

#[test]
fn the_shipped_model_carries_a_training_summary_for_every_input_it_reads() {
    let model = regression_model::shipped_model().unwrap();
    let monitor = DriftMonitor::for_model(model, DriftSettings::default()).unwrap();
    assert!(monitor.is_some(), "the shipped artifact has no summary");
    let summary = model.metadata.training_summary.as_ref().unwrap();
    assert!(summary.rows > 1000 && summary.rows <= model.metadata.rows_train as u64);
    assert!(!summary.numeric.is_empty() && !summary.categorical.is_empty());
}
