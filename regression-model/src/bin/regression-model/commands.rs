//! The CLI commands: argument types and the little I/O around library calls.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use regression_model::artifact::{self, TrainedModel, VersionPolicy};
use regression_model::differential::{self, Captured};
use regression_model::estimator::FittedEstimator;
use regression_model::input::{self, InputRows, ParsedRow};
use regression_model::train::{self, TrainOptions};
use regression_model::{PipelineConfig, PredictionResponse};

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

#[derive(Args)]
pub struct PredictArgs {
    /// Artifact to use (default: the model this build ships).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Input records: `.json` (a list of records) or CSV.
    #[arg(long)]
    input: PathBuf,
    /// Where to write `Id,SalePrice` (default: stdout).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Fail (exit 2) when any row is rejected.
    #[arg(long)]
    strict: bool,
}

#[derive(Args)]
pub struct EvaluateArgs {
    #[arg(long)]
    model: Option<PathBuf>,
    /// Labelled CSV with a SalePrice column.
    #[arg(long)]
    data: PathBuf,
}

#[derive(Args)]
pub struct CaptureArgs {
    #[arg(long)]
    model: Option<PathBuf>,
    /// Unlabelled CSV (Kaggle test.csv).
    #[arg(long)]
    data: PathBuf,
    /// First data row of the slice (0-based).
    #[arg(long, default_value_t = 99)]
    from: usize,
    /// One past the last data row of the slice.
    #[arg(long, default_value_t = 600)]
    to: usize,
    /// Output CSV (default: fixtures/differential/predictions-v<VERSION>.csv).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn load_model(path: Option<&Path>) -> Result<ModelRef> {
    Ok(match path {
        Some(path) => ModelRef::Owned(Box::new(TrainedModel::load(path, VersionPolicy::Any)?)),
        None => ModelRef::Shipped(regression_model::shipped_model()?),
    })
}

enum ModelRef {
    Owned(Box<TrainedModel>),
    Shipped(&'static TrainedModel),
}

impl std::ops::Deref for ModelRef {
    type Target = TrainedModel;
    fn deref(&self) -> &TrainedModel {
        match self {
            ModelRef::Owned(m) => m,
            ModelRef::Shipped(m) => m,
        }
    }
}

/// Reads JSON records or a CSV file; CSV keeps only the columns the model reads.
fn read_rows(path: &Path, model: &TrainedModel) -> Result<InputRows> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let rows =
            input::parse_json_batch(&bytes).with_context(|| format!("{}", path.display()))?;
        Ok(InputRows { rows, target: None })
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let features = model.pipeline.features();
        Ok(
            input::read_csv_columns(std::io::BufReader::new(file), Some(&features))
                .with_context(|| format!("{}", path.display()))?,
        )
    }
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
    let out = args.out.unwrap_or_else(artifact::shipped_artifact_path);
    if !args.force {
        refuse_to_replace_this_version(&out)?;
    }
    let (data, sha) = train::read_training_file(&args.data, &config)?;
    let (model, report) = train::train(&config, &data, &sha, options)?;
    model.save(&out)?;
    let report_path = PathBuf::from(format!("{}.report.json", out.display()));
    std::fs::write(&report_path, serde_json::to_string_pretty(&report)? + "\n")
        .with_context(|| format!("cannot write {}", report_path.display()))?;
    println!(
        "trained {} (model {}) on {} rows, seed {}",
        report.config, report.model_version, report.rows_train, report.seed
    );
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

/// A released version's model is never replaced by accident: refuse when
/// `out` already holds an artifact of this crate version.
fn refuse_to_replace_this_version(out: &Path) -> Result<()> {
    let Ok(existing) = std::fs::read(out) else {
        return Ok(());
    };
    let Ok(meta) = artifact::read_metadata(&existing, &out.display().to_string()) else {
        return Ok(());
    };
    if meta.model_version == artifact::MODEL_VERSION {
        bail!(
            "{} already holds model version {}; a released version's model is never replaced. Bump the crate version, or pass --force to overwrite it",
            out.display(),
            meta.model_version
        );
    }
    Ok(())
}

fn report_rejections(response: &PredictionResponse, rows: &[ParsedRow]) {
    let mut stderr = std::io::stderr().lock();
    for e in &response.errors {
        let id = rows
            .get(e.row)
            .and_then(|r| r.record.id)
            .map(|id| format!(" (Id {id})"))
            .unwrap_or_default();
        let _ = writeln!(
            stderr,
            "rejected row {}{id}: {}: {}",
            e.row, e.field, e.message
        );
    }
}

pub fn predict(args: PredictArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let InputRows { rows, .. } = read_rows(&args.input, &model)?;
    let response = model.predict_rows(&rows);
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    writeln!(out, "Id,SalePrice")?;
    for p in &response.predictions {
        let id = p.id.map(|i| i.to_string()).unwrap_or_default();
        writeln!(out, "{id},{}", p.price)?;
    }
    out.flush()?;
    report_rejections(&response, &rows);
    let rejected = rows.len() - response.predictions.len();
    log::info!(
        "model {}: predicted {} of {} rows, rejected {rejected}",
        response.version,
        response.predictions.len(),
        rows.len()
    );
    if args.strict && rejected > 0 {
        eprintln!("error: --strict: {rejected} rows were rejected");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn evaluate(args: EvaluateArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let InputRows { rows, target } = read_rows(&args.data, &model)?;
    let target = target.context("the data has no SalePrice column to evaluate against")?;
    let response = model.predict_rows(&rows);
    let (predicted, actual): (Vec<f64>, Vec<f64>) = response
        .predictions
        .iter()
        .filter_map(|p| target[p.row].map(|t| (p.price, t)))
        .unzip();
    let metrics = regression_model::metrics::Metrics::compute(&predicted, &actual)
        .context("no row could be evaluated")?;
    println!(
        "model {} on {}: {} of {} rows predicted",
        response.version,
        args.data.display(),
        metrics.rows,
        rows.len()
    );
    println!(
        "RMSE   ${:.2}\nR2     {:.4}\nRMSLE  {:.4}",
        metrics.rmse, metrics.r2, metrics.rmsle
    );
    Ok(ExitCode::SUCCESS)
}

pub fn inspect(path: Option<PathBuf>) -> Result<ExitCode> {
    let model = load_model(path.as_deref())?;
    let m = &model.metadata;
    println!("model version     {}", m.model_version);
    println!(
        "config            {} (estimator {})",
        m.config_name, m.estimator
    );
    println!(
        "trained with      regression-model {}, {}",
        m.crate_version, m.rustc_version
    );
    println!("training data     sha256 {}", m.training_data_sha256);
    println!(
        "rows              {} total, {} train, {} hold-out (fraction {}, seed {})",
        m.rows_total, m.rows_train, m.rows_holdout, m.holdout_fraction, m.seed
    );
    match &m.holdout_metrics {
        Some(x) => println!(
            "hold-out metrics  RMSE ${:.2}  R2 {:.4}  RMSLE {:.4}",
            x.rmse, x.r2, x.rmsle
        ),
        None => println!("hold-out metrics  none (trained on all rows)"),
    }
    println!("input features    {}", m.input_features.join(", "));
    println!(
        "steps             {}",
        model
            .pipeline
            .steps
            .iter()
            .map(|s| s.kind())
            .collect::<Vec<_>>()
            .join(" -> ")
    );
    if let FittedEstimator::Blend(members) = &model.pipeline.estimator {
        let total: f64 = members.iter().map(|m| m.weight).sum();
        println!("blend of          {} pipelines:", members.len());
        for m in members {
            println!(
                "  {:<24} weight {:.3}  estimator {}  ({} columns)",
                m.pipeline.config.name,
                m.weight / total,
                m.pipeline.config.estimator.name(),
                m.pipeline.output_features.len()
            );
        }
    }
    if let FittedEstimator::Linear(linear) = &model.pipeline.estimator {
        println!("intercept         {:.6}", linear.intercept);
        let mut weights: Vec<(&String, f64)> = m
            .output_features
            .iter()
            .zip(linear.coefficients.iter().copied())
            .collect();
        weights.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(b.0)));
        println!("coefficients (largest first):");
        for (name, w) in weights.iter().filter(|(_, w)| *w != 0.0) {
            println!("  {name:<16} {w:+.6}");
        }
        let zeroed: Vec<&str> = weights
            .iter()
            .filter(|(_, w)| *w == 0.0)
            .map(|(n, _)| n.as_str())
            .collect();
        println!(
            "zeroed features   {}",
            if zeroed.is_empty() {
                "none".to_owned()
            } else {
                zeroed.join(", ")
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn capture(args: CaptureArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let InputRows { rows, .. } = read_rows(&args.data, &model)?;
    if args.from >= args.to || args.to > rows.len() {
        bail!(
            "slice {}..{} does not fit the {} rows of {}",
            args.from,
            args.to,
            rows.len(),
            args.data.display()
        );
    }
    let response = model.predict_rows(&rows[args.from..args.to]);
    let captured: Vec<Captured> = response
        .predictions
        .iter()
        .map(|p| Captured {
            row: p.row + args.from,
            id: p.id,
            price: p.price,
        })
        .collect();
    let out = args.out.unwrap_or_else(|| {
        PathBuf::from(format!(
            "fixtures/differential/predictions-v{}.csv",
            response.version
        ))
    });
    let source = format!(
        "data rows {}..{} of {}",
        args.from,
        args.to,
        args.data
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("data")
    );
    differential::write_capture(&out, &response.version, &source, &captured)?;
    println!(
        "captured {} predictions of model {} to {}",
        captured.len(),
        response.version,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
