//! `evaluate`: the model's error against a labelled file's `SalePrice`,
//! read a chunk at a time (only the priced rows' two prices are kept).

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::load_model;
use super::rows::for_each_chunk;

#[derive(Args)]
pub struct EvaluateArgs {
    #[arg(long)]
    model: Option<PathBuf>,
    /// Labelled CSV (or NDJSON) with a SalePrice column; `-` for stdin.
    #[arg(long)]
    data: PathBuf,
}

pub fn evaluate(args: EvaluateArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let (mut predicted, mut actual) = (Vec::new(), Vec::new());
    let mut rows = 0;
    for_each_chunk(&args.data, &model, |input, _| {
        let target = (input.target.as_ref())
            .context("the data has no SalePrice column to evaluate against")?;
        for p in model.predict_rows(&input.rows).predictions {
            if let Some(t) = target[p.row] {
                predicted.push(p.price);
                actual.push(t);
            }
        }
        rows += input.rows.len();
        Ok(ControlFlow::Continue(()))
    })?;
    let metrics = regression_model::Metrics::compute(&predicted, &actual)
        .context("no row could be evaluated")?;
    println!(
        "model {} on {}: {} of {rows} rows predicted",
        model.metadata.model_version,
        args.data.display(),
        metrics.rows,
    );
    println!(
        "RMSE   ${:.2}\nR2     {:.4}\nRMSLE  {:.4}",
        metrics.rmse, metrics.r2, metrics.rmsle
    );
    Ok(ExitCode::SUCCESS)
}
