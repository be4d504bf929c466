//! Shared test helpers: fixture paths, the real data (when present), and
//! small models trained on the synthetic fixture.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use regression_model::tune::{self, GridParam};
use regression_model::{CheckedConfig, InputRows, TrainOptions, TrainingReport};
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

pub fn config(name: &str) -> CheckedConfig {
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

/// Trains `checked` on the synthetic fixture (hold-out 0.1, seed 0) on a
/// pool of `threads` threads: the artifact's bytes, the synthetic test
/// rows' prices as bits, and the report.
pub fn train_on_threads(
    checked: &CheckedConfig,
    threads: usize,
) -> (Vec<u8>, Vec<u64>, TrainingReport) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        let options = TrainOptions {
            holdout: 0.1,
            seed: 0,
        };
        let (model, report) =
            regression_model::train(checked, synthetic_train(), "synthetic", options)
                .expect("trains on the synthetic fixture");
        let prices = model
            .predict_rows(&synthetic_test().rows)
            .predictions
            .iter()
            .map(|p| p.price.to_bits())
            .collect();
        (model.to_bytes().expect("serialises"), prices, report)
    })
}

/// Generation 4's stack, quick to fit in a debug build: the generation-2
/// Lasso instead of generation 3's, 3 inner folds, `trees` boosted trees.
pub fn quick_stack(trees: usize) -> CheckedConfig {
    let path = config_path("generation-4");
    let text = std::fs::read_to_string(&path)
        .expect("the config reads")
        .replace("generation-3.toml", "generation-2.toml")
        .replace("folds = 5", "folds = 3");
    let dir = path.parent().expect("a folder");
    let base = PipelineConfig::from_toml_in(&text, "stack", dir).expect("the stack loads");
    let grid: GridParam = format!("estimator.members[1].config.estimator.n_trees={trees}")
        .parse()
        .expect("a grid");
    tune::expand(&base, &[grid])
        .expect("expands")
        .remove(0)
        .config
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

/// Runs the CLI with `args` in `dir`, its data memory (heap and other
/// private writable mappings, the kernel's `RLIMIT_DATA`) limited to `mib`
/// MiB: an allocation past it fails, and the process aborts. (Its peak
/// memory cannot be read back instead: the kernel counts in a child's peak
/// the test process's own, which other tests make large.)
#[cfg(target_os = "linux")]
pub fn run_cli_in_mib(args: &[&str], dir: &Path, mib: u64) -> Output {
    use std::os::unix::process::CommandExt;

    let limit = libc::rlimit {
        rlim_cur: mib << 20,
        rlim_max: mib << 20,
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_regression-model"));
    command
        .args(args)
        .current_dir(dir)
        .env("REGRESSION_MODEL_LOG", "warn");
    // SAFETY: between fork and exec the closure only calls setrlimit, which
    // is async-signal-safe, on a value it owns.
    unsafe {
        command.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    command.output().expect("runs")
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

/// Trains `config` on the synthetic rows into `dir`, returning the artifact's path.
pub fn train_into(dir: &Path, config: &str) -> String {
    let out = dir.join("model.postcard");
    let output = run_cli(
        &[
            "train",
            "--data",
            &synthetic_arg("train.csv"),
            "--config",
            config_path(config).to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("RMSE"));
    out.to_str().unwrap().to_owned()
}
