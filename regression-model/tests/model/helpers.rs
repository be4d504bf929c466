//! Shared test helpers: fixture paths, the real data (when present), and
//! small models trained on the synthetic fixture.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use regression_model::InputRows;
use regression_model::TrainOptions;
use regression_model::{PipelineConfig, TrainedModel};

pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Fixtures ship inside the crate (a link to the workspace's `fixtures/`).
pub fn fixture(relative: &str) -> PathBuf {
    crate_dir().join("fixtures").join(relative)
}

pub fn config_path(name: &str) -> PathBuf {
    crate_dir().join("config").join(format!("{name}.toml"))
}

pub fn config(name: &str) -> regression_model::CheckedConfig {
    PipelineConfig::from_file(&config_path(name)).expect("shipped config loads")
}

pub fn synthetic_train() -> &'static InputRows {
    static ROWS: OnceLock<InputRows> = OnceLock::new();
    ROWS.get_or_init(|| {
        regression_model::read_csv_file(&fixture("synthetic/train.csv"))
            .expect("synthetic train fixture")
    })
}

pub fn synthetic_test() -> &'static InputRows {
    static ROWS: OnceLock<InputRows> = OnceLock::new();
    ROWS.get_or_init(|| {
        regression_model::read_csv_file(&fixture("synthetic/test.csv"))
            .expect("synthetic test fixture")
    })
}

/// Trains `config` on the synthetic fixture with its default split.
pub fn train_synthetic(name: &str) -> TrainedModel {
    let checked = config(name);
    let split = checked.config().split;
    let options = TrainOptions {
        holdout: split.holdout,
        seed: split.seed,
    };
    regression_model::train(&checked, synthetic_train(), "synthetic", options)
        .expect("trains on the synthetic fixture")
        .0
}

/// The folder with the real Kaggle `train.csv`/`test.csv`: `$HOUSE_PRICES_DATA`
/// (relative paths from the workspace root) or `data/house-prices`. `None`
/// skips a test, except under `CI=true`, where the data is required.
pub fn real_data() -> Option<PathBuf> {
    let root = crate_dir().parent().expect("workspace root");
    let dir = match std::env::var_os("HOUSE_PRICES_DATA") {
        Some(dir) => root.join(dir),
        None => root.join("data/house-prices"),
    };
    if dir.join("train.csv").is_file() && dir.join("test.csv").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true requires the real data in {}: run scripts/fetch-dataset.sh",
            dir.display()
        );
    }
    eprintln!(
        "skipped: the real house-prices data is not in {} (run scripts/fetch-dataset.sh)",
        dir.display()
    );
    None
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Runs the `regression-model` binary in `dir` with warnings-only logging.
pub fn run_cli(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regression-model"))
        .args(args)
        .current_dir(dir)
        .env("REGRESSION_MODEL_LOG", "warn")
        .output()
        .expect("runs")
}

/// A process output stream as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A synthetic fixture's path as a command-line argument
/// (`synthetic_arg("train.csv")`).
pub fn synthetic_arg(file: &str) -> String {
    fixture(&format!("synthetic/{file}"))
        .to_str()
        .expect("fixture paths are UTF-8")
        .to_owned()
}
