//! The artifact: round trip, every load failure, atomic save, one model per
//! folder, byte-for-byte reproducibility.

use regression_model::TrainOptions;
use regression_model::{TrainedModel, VersionPolicy};

use crate::helpers::{
    config, config_path, real_data, run_cli, synthetic_arg, synthetic_test, temp_dir, text,
    train_synthetic,
};

fn load_error(bytes: &[u8]) -> String {
    TrainedModel::from_bytes(bytes, "test.postcard", VersionPolicy::Exact)
        .unwrap_err()
        .to_string()
}

#[test]
fn save_then_load_gives_bit_identical_predictions() {
    let model = train_synthetic("generation-2");
    let dir = temp_dir();
    let path = dir.path().join(regression_model::artifact_file_name(
        regression_model::MODEL_VERSION,
    ));
    model.save(&path).unwrap();
    let loaded = TrainedModel::load(&path, VersionPolicy::Exact).unwrap();
    let before = model.predict_rows(&synthetic_test().rows);
    let after = loaded.predict_rows(&synthetic_test().rows);
    assert!(!before.predictions.is_empty());
    let bits = |r: &regression_model::PredictionResponse| {
        r.predictions
            .iter()
            .map(|p| (p.row, p.price.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&before), bits(&after));
    assert_eq!(before.row_errors.errors, after.row_errors.errors);
    assert_eq!(loaded.metadata, model.metadata);
}

#[test]
fn a_truncated_artifact_is_refused_at_every_cut() {
    let bytes = train_synthetic("generation-2").to_bytes().unwrap();
    for cut in [0, 4, 8, 20, 53, 54, 100, bytes.len() / 2, bytes.len() - 1] {
        let message = load_error(&bytes[..cut]);
        assert!(
            message.contains("test.postcard")
                && (message.contains("truncated") || message.contains("magic")),
            "cut {cut}: {message}"
        );
    }
}

#[test]
fn a_flipped_byte_anywhere_in_the_body_fails_the_checksum() {
    let bytes = train_synthetic("generation-2").to_bytes().unwrap();
    for at in [54, 60, bytes.len() / 2, bytes.len() - 1] {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x40;
        assert!(
            load_error(&damaged).contains("checksum mismatch"),
            "byte {at}"
        );
    }
}

#[test]
fn wrong_magic_and_unknown_format_versions_are_refused() {
    let bytes = train_synthetic("generation-2").to_bytes().unwrap();
    let mut wrong_magic = bytes.clone();
    wrong_magic[0] = b'X';
    assert!(load_error(&wrong_magic).contains("wrong magic"));
    let mut future = bytes.clone();
    future[8] = 99;
    assert!(load_error(&future).contains("format version 99"));
    future[8] = 0;
    assert!(load_error(&future).contains("format version 0"));
    let mut trailing = bytes;
    trailing.push(0);
    assert!(load_error(&trailing).contains("unexpected bytes"));
}

/// An artifact of format version 1 (0.2.0's): the same layout without the
/// pipeline's input guard, which a simple pipeline writes last, and without
/// the metadata's training summary (written last too: `None` is one byte).
pub(crate) fn as_format_1(model: &TrainedModel) -> Vec<u8> {
    let mut metadata = model.metadata.clone();
    metadata.training_summary = None;
    let mut meta = postcard::to_stdvec(&metadata).unwrap();
    meta.pop();
    let pipeline = postcard::to_stdvec(&model.pipeline).unwrap();
    let guard = postcard::to_stdvec(&model.pipeline.guard()).unwrap();
    let pipeline = &pipeline[..pipeline.len() - guard.len()];
    let mut body = meta.clone();
    body.extend_from_slice(pipeline);
    let mut bytes = regression_model::MAGIC.to_vec();
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&(pipeline.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&regression_model::sha256(&body));
    bytes.extend_from_slice(&body);
    bytes
}

#[test]
fn a_format_1_artifact_still_loads_prices_as_before_and_flags_nothing() {
    let model = train_synthetic("generation-2");
    let old = as_format_1(&model);
    assert_eq!(regression_model::format_version(&old), Some(1));

    let loaded = TrainedModel::from_bytes(&old, "old.postcard", VersionPolicy::Exact).unwrap();

    assert_eq!(*loaded.pipeline.guard(), Default::default());
    let before = model.predict_rows(&synthetic_test().rows);
    let after = loaded.predict_rows(&synthetic_test().rows);
    let prices = |r: &regression_model::PredictionResponse| {
        (r.predictions.iter())
            .map(|p| (p.row, p.price.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(prices(&before), prices(&after));
    assert_eq!(before.row_errors.errors, after.row_errors.errors);
    assert!(
        before
            .predictions
            .iter()
            .any(|p| !p.extrapolated.is_empty())
    );
    assert!(after.predictions.iter().all(|p| p.extrapolated.is_empty()));
    // Written again, it is the current format.
    let rewritten = loaded.to_bytes().unwrap();
    assert_eq!(
        regression_model::format_version(&rewritten),
        Some(regression_model::FORMAT_VERSION)
    );
}

#[test]
fn a_model_of_another_version_loads_only_when_the_caller_allows_it() {
    let mut model = train_synthetic("generation-2");
    model.metadata.model_version = "0.0.1".into();
    let bytes = model.to_bytes().unwrap();
    assert!(load_error(&bytes).contains("holds model version 0.0.1"));
    assert!(TrainedModel::from_bytes(&bytes, "old", VersionPolicy::Any).is_ok());
}

#[test]
fn a_pipeline_that_disagrees_with_its_metadata_is_refused() {
    let mut model = train_synthetic("generation-2");
    model.metadata.output_features.pop();
    assert!(load_error(&model.to_bytes().unwrap()).contains("disagree"));
}

#[test]
fn a_failed_save_leaves_the_previous_artifact_readable() {
    let dir = temp_dir();
    let path = dir.path().join("model.postcard");
    let model = train_synthetic("generation-2");
    model.save(&path).unwrap();
    // Block the temporary file's name with a directory so the write fails.
    let blocker = dir
        .path()
        .join(format!(".model.postcard.tmp-{}", std::process::id()));
    std::fs::create_dir(&blocker).unwrap();
    assert!(train_synthetic("generation-1").save(&path).is_err());
    let loaded = TrainedModel::load(&path, VersionPolicy::Exact).unwrap();
    assert_eq!(loaded.metadata.config_name, "generation-2");
}

#[test]
fn saving_removes_artifacts_of_other_versions_from_the_folder() {
    let dir = temp_dir();
    let old = dir.path().join("regression_model_output_v0.0.1.postcard");
    let unrelated = dir.path().join("notes.txt");
    std::fs::write(&old, b"old model").unwrap();
    std::fs::write(&unrelated, b"keep me").unwrap();
    let path = dir.path().join(regression_model::artifact_file_name(
        regression_model::MODEL_VERSION,
    ));
    train_synthetic("generation-2").save(&path).unwrap();
    assert!(!old.exists() && unrelated.exists() && path.exists());
}

#[test]
fn training_into_a_bare_file_name_keeps_it_and_its_report() {
    // `--out <name>` in the working folder: the folder listing spells the
    // new file `./<name>`, which once read as another file and was removed.
    let dir = temp_dir();
    let name = regression_model::artifact_file_name(regression_model::MODEL_VERSION);
    let old = dir.path().join("regression_model_output_v0.0.1.postcard");
    std::fs::write(&old, b"old model").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"keep me").unwrap();

    let output = run_cli(
        &["train", "--data", &synthetic_arg("train.csv"), "--config"]
            .into_iter()
            .chain([
                config_path("generation-2").to_str().unwrap(),
                "--out",
                &name,
            ])
            .collect::<Vec<_>>(),
        dir.path(),
    );

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        dir.path().join(&name).exists(),
        "the new artifact was removed"
    );
    assert!(dir.path().join(format!("{name}.report.json")).exists());
    assert!(!old.exists() && dir.path().join("notes.txt").exists());
}

#[test]
fn saving_under_another_name_removes_no_artifact() {
    let dir = temp_dir();
    let shipped = dir.path().join("regression_model_output_v0.0.1.postcard");
    std::fs::write(&shipped, b"a model").unwrap();
    train_synthetic("generation-2")
        .save(&dir.path().join("custom.postcard"))
        .unwrap();
    assert!(
        shipped.exists(),
        "a conventionally named artifact was removed"
    );
}

#[test]
fn training_twice_gives_byte_identical_artifacts() {
    for name in ["generation-1", "generation-2", "random-forest"] {
        let a = train_synthetic(name).to_bytes().unwrap();
        let b = train_synthetic(name).to_bytes().unwrap();
        assert!(a == b, "{name}: two trainings differ");
    }
}

#[test]
fn the_shipped_artifact_is_embedded_and_verified() {
    let model = regression_model::shipped_model().expect("this crate version ships a model");
    assert_eq!(model.metadata.model_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        regression_model::shipped_bytes().unwrap(),
        std::fs::read(regression_model::shipped_artifact_path()).unwrap()
    );
    let response = regression_model::predict(
        &synthetic_test()
            .rows
            .iter()
            .map(|r| r.record.clone())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(response.version, env!("CARGO_PKG_VERSION"));
    assert!(!response.predictions.is_empty());
}

#[test]
fn retraining_on_the_real_data_reproduces_the_shipped_artifact_byte_for_byte() {
    let Some(data) = real_data() else { return };
    // An artifact of an older format cannot be reproduced by this build's
    // writer: the release that bumps the format retrains the shipped model.
    let shipped_format =
        regression_model::format_version(regression_model::shipped_bytes().unwrap());
    if shipped_format < Some(regression_model::FORMAT_VERSION) {
        eprintln!(
            "SKIPPED: the shipped artifact has format version {shipped_format:?}, this build writes {}; retrain it in the release",
            regression_model::FORMAT_VERSION
        );
        return;
    }
    let bytes = std::fs::read(data.join("train.csv")).unwrap();
    let rows = regression_model::read_csv(bytes.as_slice()).unwrap();
    let sha = regression_model::hex(&regression_model::sha256(&bytes));
    let shipped = regression_model::shipped_model().unwrap();
    // The shipped model records the config it was trained with.
    let checked = config(&shipped.metadata.config_name);
    let options = TrainOptions {
        holdout: shipped.metadata.holdout_fraction,
        seed: shipped.metadata.seed,
    };
    let (model, _) = regression_model::train(&checked, &rows, &sha, options).unwrap();
    assert!(
        model.to_bytes().unwrap() == regression_model::shipped_bytes().unwrap(),
        "retrained artifact differs from the shipped one"
    );
}
