//! `model-consumer FILE.csv`: predicts a Kaggle-shaped CSV with the model of
//! the `regression-model` release it was built against, printing
//! `Id,SalePrice` lines exactly as `regression-model predict` does, so the
//! two outputs can be compared byte for byte.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("model-consumer: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let path: PathBuf = std::env::args_os()
        .nth(1)
        .context("usage: model-consumer FILE.csv")?
        .into();
    let rows = regression_model::read_csv_file(&path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .rows;
    let response = regression_model::shipped_model()?.predict_rows(&rows);

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "Id,SalePrice")?;
    for p in &response.predictions {
        let id = p.id.map(|i| i.to_string()).unwrap_or_default();
        writeln!(out, "{id},{}", p.price)?;
    }
    out.flush()?;
    eprintln!(
        "model-consumer: model {} predicted {} of {} rows of {}",
        response.version,
        response.predictions.len(),
        rows.len(),
        path.display()
    );
    Ok(())
}
