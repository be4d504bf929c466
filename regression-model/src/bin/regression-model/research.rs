//! The research commands `tune` (cross-validated grid search) and `select`
//! (feature selection that writes a new config); `analyze` is in analyze.rs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use regression_model::PipelineConfig;
use regression_model::analyze::{AnalyzeOptions, RawTable};
use regression_model::cv::Labelled;
use regression_model::select::{self, SelectOptions};
use regression_model::tune::{self, GridParam, GridPoint, TuneReport};

use crate::progress::Progress;

#[derive(Args)]
pub struct TuneArgs {
    /// Pipeline config to tune.
    #[arg(long)]
    config: PathBuf,
    /// Labelled CSV (Kaggle train.csv layout).
    #[arg(long)]
    data: PathBuf,
    /// A grid parameter, `<path>=<v1>,<v2>,...`, e.g. `estimator.alpha=0.0005,0.001`
    /// or `steps[3].tolerance=0.01,0.05`; repeat for a cartesian product.
    #[arg(long = "grid", value_name = "PATH=VALUES")]
    grid: Vec<GridParam>,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Seed of the fold shuffle.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: every core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Print the full report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write every out-of-fold prediction as CSV
    /// (`point,fold,Id,SalePrice,predicted`), for residual studies and
    /// scores over a subset of rows (`scripts/cv-subset.py`).
    #[arg(long, value_name = "CSV")]
    oof: Option<PathBuf>,
}

pub fn tune(args: TuneArgs) -> Result<ExitCode> {
    let config = PipelineConfig::from_file(&args.config)?;
    let points = tune::expand(&config, &args.grid)?;
    let (data, _) = crate::commands::read_training(&args.data, &config)?;
    let labelled = Labelled::new(&config, &data)?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let started = Instant::now();
    let report = tune_shown(&points, &labelled, args.folds, args.seed, threads)?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &args.oof {
        write_out_of_fold(path, &report, &labelled)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_tune(&report);
    }
    eprintln!(
        "tune: {} points x {} folds on {} rows, {threads} threads: {seconds:.2} s wall",
        report.points.len(),
        report.folds,
        report.rows
    );
    Ok(ExitCode::SUCCESS)
}

/// [`tune::tune`] with a progress bar (or log lines) over its
/// `points × folds` fits, which the worker threads report as they finish.
pub fn tune_shown(
    points: &[GridPoint],
    data: &Labelled,
    folds: usize,
    seed: u64,
    threads: usize,
) -> regression_model::Result<TuneReport> {
    let total = (points.len() * folds) as u64;
    let progress = Mutex::new(Progress::steps("tune", total, "folds fitted"));
    let done = AtomicU64::new(0);
    let fitted = || {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Ok(mut progress) = progress.lock() {
            progress.update(n, n);
        }
    };
    let report = tune::tune_with(points, data, folds, seed, threads, &fitted);
    if let Ok(progress) = progress.into_inner() {
        progress.finish();
    }
    report
}

/// One line per out-of-fold prediction: grid point (from 1, as printed),
/// fold, the row's `Id` (empty when it has none), its price and the
/// prediction (shortest round-trip text, so a script recomputes the
/// metrics exactly).
fn write_out_of_fold(path: &Path, report: &TuneReport, data: &Labelled) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "point,fold,Id,SalePrice,predicted")?;
    for (p, point) in report.points.iter().enumerate() {
        for fold in &point.folds {
            for &(row, price) in &fold.predictions {
                let id = data.rows[row]
                    .record
                    .id
                    .map_or(String::new(), |i| i.to_string());
                let target = data.targets[row];
                writeln!(out, "{},{},{id},{target},{price}", p + 1, fold.fold)?;
            }
        }
    }
    out.flush()
}

fn print_tune(report: &TuneReport) {
    println!(
        "{}: {}-fold cross-validation (seed {}) on {} rows",
        report.config, report.folds, report.seed, report.rows
    );
    println!(
        "{:>5}  {:<40} {:>20} {:>18} {:>8} {:>8} {:>9}",
        "point", "settings", "RMSE ($)", "RMSLE", "R2", "rejected", "fit s"
    );
    for (index, point) in report.points.iter().enumerate() {
        let s = &point.summary;
        println!(
            "{:>5}  {:<40} {:>20} {:>18} {:>8.4} {:>8} {:>9.4}",
            index + 1,
            point.settings,
            format!("{:.0} ± {:.0}", s.rmse_mean, s.rmse_sd),
            format!("{:.5} ± {:.5}", s.rmsle_mean, s.rmsle_sd),
            s.r2_mean,
            s.rejected,
            s.fit_seconds_mean
        );
    }
    let best = &report.points[report.best];
    println!(
        "best: point {} ({}): RMSLE {:.5} ± {:.5}, RMSE ${:.0} ± {:.0}",
        report.best + 1,
        best.settings,
        best.summary.rmsle_mean,
        best.summary.rmsle_sd,
        best.summary.rmse_mean,
        best.summary.rmse_sd
    );
}

#[derive(Args)]
pub struct SelectArgs {
    /// The pipeline config to select features for (one pipeline, not a blend).
    #[arg(long)]
    config: PathBuf,
    /// Labelled CSV.
    #[arg(long)]
    data: PathBuf,
    /// Where to write the new config.
    #[arg(long)]
    out: PathBuf,
    /// Lasso alpha of the embedded selection when the config's estimator is
    /// not a Lasso (a Lasso config uses its own alpha).
    #[arg(long, default_value_t = 0.001)]
    alpha: f64,
    /// Share of the most frequent value from which a feature is
    /// quasi-constant, in (0, 1].
    #[arg(long, default_value_t = 0.99, value_parser = crate::analyze::quasi_constant_share)]
    quasi_constant: f64,
    /// |Pearson r| above which two numeric features count as correlated, in [0, 1].
    #[arg(long, default_value_t = 0.8, value_parser = crate::analyze::correlation_threshold)]
    correlation: f64,
}

pub fn select(args: SelectArgs) -> Result<ExitCode> {
    let config = PipelineConfig::from_file(&args.config)?;
    let (data, _) = crate::commands::read_training(&args.data, &config)?;
    let table = RawTable::read_file(&args.data)?;
    let options = SelectOptions {
        analysis: AnalyzeOptions {
            quasi_constant_share: args.quasi_constant,
            correlation: args.correlation,
            ..AnalyzeOptions::default()
        },
        alpha: args.alpha,
    };
    let fitting = Progress::phase("select: fitting the Lasso probe");
    let selection = select::select(&config, &table, &data, &options);
    fitting.finish();
    let selection = selection?;
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let text = selection
        .to_toml(&name(&args.config), &name(&args.data), table.rows)
        .map_err(anyhow::Error::msg)?;
    std::fs::write(&args.out, text)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "kept {} of {} features; wrote {}",
        selection.config.features().len(),
        selection.config.features().len() + selection.removed.len(),
        args.out.display()
    );
    for r in &selection.removed {
        println!("  removed {:<14} {}", r.feature, r.reason);
    }
    Ok(ExitCode::SUCCESS)
}
