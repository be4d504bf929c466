//! Trains a pipeline config on a labelled CSV, prints its hold-out metrics
//! and writes the artifact: what `regression-model train` does, through the
//! library (`train` feature).
//!
//! ```sh
//! cargo run -p regression-model --features train --example train_config -- \
//!     regression-model/config/generation-1.toml fixtures/synthetic/train.csv /tmp/model.postcard
//! ```

use std::path::Path;
use std::process::ExitCode;

use regression_model::{PipelineConfig, TrainedModel, VersionPolicy};
use regression_model::{TrainOptions, read_training_file, train};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [config, data, out] = args.as_slice() else {
        eprintln!("usage: train_config CONFIG.toml TRAIN.csv OUT.postcard");
        return ExitCode::from(2);
    };
    match run(Path::new(config), Path::new(data), Path::new(out)) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("train_config: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Trains with a 20% hold-out (seed 0), saves to `out`, reloads it to check
/// what was written, and returns a one-line summary.
fn run(config: &Path, data: &Path, out: &Path) -> Result<String, regression_model::Error> {
    let config = PipelineConfig::from_file(config)?;
    let (rows, sha256) = read_training_file(data, &config)?;
    let options = TrainOptions {
        holdout: 0.2,
        seed: 0,
    };
    let (model, report) = train(&config, &rows, &sha256, options)?;
    model.save(out)?;
    let saved = TrainedModel::load(out, VersionPolicy::Exact)?;
    let metrics = match &saved.metadata.holdout_metrics {
        Some(m) => format!("hold-out RMSE ${:.0}, RMSLE {:.4}", m.rmse, m.rmsle),
        None => "no hold-out".to_owned(),
    };
    Ok(format!(
        "{} ({}) on {} rows: {metrics}; wrote {}",
        report.config,
        report.estimator,
        report.rows_train,
        out.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trains_generation_1_on_the_synthetic_data_and_writes_a_loadable_artifact() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("model.postcard");

        let summary = run(
            &root.join("config/generation-1.toml"),
            &root.join("fixtures/synthetic/train.csv"),
            &out,
        )
        .unwrap();

        assert!(
            summary.contains("on 320 rows: hold-out RMSE $"),
            "{summary}"
        );
        let model = TrainedModel::load(&out, VersionPolicy::Exact).unwrap();
        assert_eq!(model.metadata.rows_holdout, 80);
    }

    #[test]
    fn a_missing_config_is_an_error_naming_the_file() {
        let error = run(
            Path::new("no/such/config.toml"),
            Path::new("train.csv"),
            Path::new("out.postcard"),
        )
        .unwrap_err();
        assert!(error.to_string().contains("no/such/config.toml"), "{error}");
    }
}
