//! `inspect` and `capture`: what an artifact holds, and its predictions on a
//! fixed slice of the test data for the next version's differential test.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use regression_model::differential::{self, Captured};

use super::load_model;
use super::report::Rejections;
use super::rows::for_each_chunk;

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
    if args.from >= args.to {
        bail!("slice {}..{} holds no row", args.from, args.to);
    }
    let model = load_model(args.model.as_deref())?;
    let mut captured = Vec::new();
    let mut rejections = Rejections::default();
    let mut rows = 0;
    // Only the slice's rows are predicted, and the read stops after it.
    let unknown = for_each_chunk(&args.data, &model, |input, first_row| {
        rows = first_row + input.rows.len();
        let (from, to) = (args.from.max(first_row), args.to.min(rows));
        if from < to {
            let slice = &input.rows[from - first_row..to - first_row];
            let response = model.predict_rows(slice);
            // Only priced rows are captured (the differential test compares
            // the rows both versions price); the refused ones are said.
            rejections.add(&response.row_errors, slice, from);
            captured.extend(response.predictions.iter().map(|p| Captured {
                row: p.row + from,
                id: p.id,
                price: p.price,
            }));
        }
        Ok(if rows >= args.to {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })?;
    if args.to > rows {
        bail!(
            "slice {}..{} does not fit the {rows} rows of {}",
            args.from,
            args.to,
            args.data.display()
        );
    }
    let refused = rejections.count();
    rejections.finish(&unknown);
    let version = &model.metadata.model_version;
    let out = args.out.unwrap_or_else(|| {
        PathBuf::from(format!("fixtures/differential/predictions-v{version}.csv"))
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
    differential::write_capture(&out, version, &source, &captured)?;
    println!(
        "captured {} predictions of model {version} to {}{}",
        captured.len(),
        out.display(),
        match refused {
            0 => String::new(),
            n => format!(" ({n} rows of the slice refused: see stderr)"),
        }
    );
    Ok(ExitCode::SUCCESS)
}
