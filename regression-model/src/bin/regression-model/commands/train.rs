//! `train`: fit a config on labelled data and write the artifact and its
//! report, never replacing a released version's model by accident.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use regression_model::{CheckedConfig, InputRows, PipelineConfig};
use regression_model::{TrainOptions, TrainedModel, TrainingReport};
use sha2::{Digest, Sha256};

use crate::progress::Progress;

#[derive(Args)]
pub struct TrainArgs {
    /// Labelled CSV (Kaggle train.csv layout).
    #[arg(long)]
    data: PathBuf,
    /// Pipeline config (default: the embedded generation-2 config).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Share of rows held out for evaluation; 0 trains on all rows
    /// (default: the config's `split.holdout`).
    #[arg(long)]
    holdout: Option<f64>,
    /// Seed of the hold-out split (default: the config's `split.seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Artifact to write (default: this crate's trained_models/ folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite an existing artifact of this same model version.
    #[arg(long)]
    force: bool,
}

pub fn train(args: TrainArgs) -> Result<ExitCode> {
    let config = match &args.config {
        Some(path) => PipelineConfig::from_file(path)?,
        None => PipelineConfig::default_config(),
    };
    let options = TrainOptions {
        holdout: args.holdout.unwrap_or(config.config().split.holdout),
        seed: args.seed.unwrap_or(config.config().split.seed),
    };
    let out = args
        .out
        .unwrap_or_else(regression_model::shipped_artifact_path);
    refuse_a_directory(&out)?;
    if !args.force {
        refuse_to_replace_this_version(&out)?;
    }
    let (model, report) = train_file(&args.data, &config, options)?;
    model.save(&out)?;
    let report_path = PathBuf::from(format!("{}.report.json", out.display()));
    std::fs::write(&report_path, serde_json::to_string_pretty(&report)? + "\n")
        .with_context(|| format!("cannot write {}", report_path.display()))?;
    println!(
        "trained {} (model {}) on {} rows, seed {}",
        report.config, report.model_version, report.rows_train, report.seed
    );
    if let Some(stack) = &report.stacking {
        println!(
            "stacking: weights {:?}, out-of-fold RMSLE {:.5} on {} rows ({} folds)",
            stack.weights, stack.out_of_fold.rmsle, stack.out_of_fold.rows, stack.out_of_fold.folds
        );
    }
    match report.holdout_metrics {
        Some(m) => println!(
            "hold-out ({} rows, {} rejected): RMSE ${:.2}  R2 {:.4}  RMSLE {:.4}",
            report.rows_holdout, report.holdout_rows_rejected, m.rmse, m.r2, m.rmsle
        ),
        None => println!("hold-out: none (trained on all rows); RMSE not measured"),
    }
    println!(
        "artifact: {}\nreport:   {}",
        out.display(),
        report_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `--out` names the artifact file: a directory is refused before the
/// minutes of training, not by the rename after them.
fn refuse_a_directory(out: &Path) -> Result<()> {
    if out.is_dir() {
        bail!(
            "cannot write {}: it is a directory; name the artifact file, e.g. {}",
            out.display(),
            out.join(regression_model::artifact_file_name(
                regression_model::MODEL_VERSION
            ))
            .display()
        );
    }
    Ok(())
}

/// A released version's model is never replaced by accident: refuse when
/// `out` already holds an artifact of this crate version.
fn refuse_to_replace_this_version(out: &Path) -> Result<()> {
    let Ok(existing) = std::fs::read(out) else {
        return Ok(());
    };
    let Ok(meta) = regression_model::read_metadata(&existing, &out.display().to_string()) else {
        return Ok(());
    };
    if meta.model_version == regression_model::MODEL_VERSION {
        bail!(
            "{} already holds model version {}; a released version's model is never replaced. Bump the crate version, or pass --force to overwrite it",
            out.display(),
            meta.model_version
        );
    }
    Ok(())
}

/// [`regression_model::train_csv`] on a file, with progress while it is
/// read: the model of `read_training` then `train`, from a fraction of the
/// memory (the rows are stored by column).
fn train_file(
    path: &Path,
    config: &CheckedConfig,
    options: TrainOptions,
) -> Result<(TrainedModel, TrainingReport)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let total = file.metadata().ok().map(|m| m.len());
    let reader = Tracked {
        inner: std::io::BufReader::with_capacity(1 << 16, file),
        hasher: None,
        bytes: 0,
        lines: 0,
        progress: Some(Progress::start("reading", total)),
        fitting: Some("train: fitting"),
        spinner: None,
    };
    regression_model::train_csv(config, reader, options).map_err(|e| match e {
        // As `read_training`: a file that cannot be read names the file.
        e @ regression_model::Error::Csv { .. } => {
            anyhow::Error::new(e).context(path.display().to_string())
        }
        other => other.into(),
    })
}

/// `read_training_file` with progress: the same rows (only the config's
/// columns) and the same SHA-256 of the file's bytes, shown as it reads.
pub fn read_training(path: &Path, config: &CheckedConfig) -> Result<(InputRows, String)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let total = file.metadata().ok().map(|m| m.len());
    let mut reader = Tracked {
        inner: std::io::BufReader::with_capacity(1 << 16, file),
        hasher: Some(Sha256::new()),
        bytes: 0,
        lines: 0,
        progress: Some(Progress::start("reading", total)),
        fitting: None,
        spinner: None,
    };
    let rows = regression_model::read_csv_columns(&mut reader, Some(config.features()))
        .with_context(|| path.display().to_string())?;
    // Hash whatever the CSV reader left unread (nothing, normally).
    std::io::copy(&mut reader, &mut std::io::sink())
        .with_context(|| format!("cannot read {}", path.display()))?;
    if let Some(progress) = reader.progress.take() {
        progress.finish();
    }
    log::info!(
        "read {} rows of {}; fitting",
        rows.rows.len(),
        path.display()
    );
    let sha = reader
        .hasher
        .take()
        .map(|h| h.finalize())
        .unwrap_or_default();
    Ok((rows, regression_model::hex(&sha)))
}

/// A reader that hashes what passes (when asked to) and reports it to the
/// progress display (rows counted as lines after the header), which it
/// ends at the end of the input. With `fitting` named, a spinner of that
/// name follows until the reader is dropped: `train_csv` keeps its reader
/// until the model is fitted.
struct Tracked<R> {
    inner: R,
    hasher: Option<Sha256>,
    bytes: u64,
    lines: u64,
    progress: Option<Progress>,
    fitting: Option<&'static str>,
    spinner: Option<Progress>,
}

impl<R> Drop for Tracked<R> {
    fn drop(&mut self) {
        for progress in [self.progress.take(), self.spinner.take()]
            .into_iter()
            .flatten()
        {
            progress.finish();
        }
    }
}

impl<R: std::io::Read> std::io::Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(hasher) = self.hasher.as_mut() {
            hasher.update(&buf[..n]);
        }
        self.bytes += n as u64;
        self.lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        let (bytes, rows) = (self.bytes, self.lines.saturating_sub(1));
        if n == 0 && !buf.is_empty() {
            // The end of the input: reading is done (fitting follows).
            if let Some(progress) = self.progress.take() {
                progress.finish();
                self.spinner = self.fitting.take().map(Progress::phase);
            }
        } else if let Some(progress) = self.progress.as_mut() {
            progress.update(bytes, rows);
        }
        Ok(n)
    }
}
