//! `inspect` and `capture`: what an artifact holds, and its predictions on a
//! fixed slice of the test data for the next version's differential test.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use regression_model::InputRows;
use regression_model::differential::{self, Captured};

use super::{load_model, read_rows};

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
    match &m.training_summary {
        Some(s) => println!(
            "training summary  {} numeric and {} categorical inputs over {} rows (drift monitoring)",
            s.numeric.len(),
            s.categorical.len(),
            s.rows
        ),
        None => println!(
            "training summary  none (an artifact older than format 3: no drift monitoring)"
        ),
    }
    println!(
        "steps             {}",
        model.pipeline.step_kinds().collect::<Vec<_>>().join(" -> ")
    );
    if let Some(members) = model.pipeline.members() {
        let total: f64 = members.iter().map(|m| m.weight).sum();
        println!("blend of          {} pipelines:", members.len());
        for m in members {
            println!(
                "  {:<24} weight {:.3}  estimator {}  ({} columns)",
                m.pipeline.config().name,
                m.weight / total,
                m.pipeline.config().estimator_name(),
                m.pipeline.output_features().len()
            );
        }
    }
    if let Some(linear) = model.pipeline.linear_weights() {
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
    let slice = &rows[args.from..args.to];
    let response = model.predict_rows(slice);
    // Only priced rows are captured (the differential test compares the
    // rows both versions price); the refused ones are said, not dropped.
    super::report::report(&response.row_errors, slice, args.from);
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
    let refused = response.row_errors.rejected.len();
    println!(
        "captured {} predictions of model {} to {}{}",
        captured.len(),
        response.version,
        out.display(),
        match refused {
            0 => String::new(),
            n => format!(" ({n} rows of the slice refused: see stderr)"),
        }
    );
    Ok(ExitCode::SUCCESS)
}
