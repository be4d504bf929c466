//! A loaded guard must fit its config (tampered pipelines, which only the
//! crate itself can build).

use crate::artifact::{TrainedModel, VersionPolicy};
use crate::config::PipelineConfig;
use crate::train::{TrainOptions, train};

fn trained(name: &str) -> TrainedModel {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = PipelineConfig::from_file(&root.join(format!("config/{name}.toml"))).unwrap();
    let data = crate::input::read_csv_file(&root.join("fixtures/synthetic/train.csv")).unwrap();
    let options = TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    train(&config, &data, "synthetic", options).unwrap().0
}

#[test]
fn an_artifact_whose_fallbacks_do_not_fit_its_config_is_refused() {
    let generation_3 = trained("generation-3");
    let mut lacking = trained("generation-3");
    lacking.pipeline.guard.fallbacks.pop();
    let mut extra = trained("generation-2");
    extra.pipeline.guard.fallbacks = generation_3.pipeline.guard.fallbacks.clone();

    for (model, expected) in [
        (lacking, "has no fallback"),
        (extra, "rejects missing values"),
    ] {
        let bytes = model.to_bytes().unwrap();
        let error = TrainedModel::from_bytes(&bytes, "odd", VersionPolicy::Exact)
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{error}");
    }
}
