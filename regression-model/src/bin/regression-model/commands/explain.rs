//! `explain`: why the model prices each row as it does, one JSON line per
//! explained row.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use regression_model::ErrorLimit;

use super::report::report;
use super::source::Output;
use super::{load_model, read_rows};

/// The arguments of `explain` (its help text, with the output format, is
/// on the `Explain` command in `main.rs`).
#[derive(Args)]
pub struct ExplainArgs {
    /// Artifact to use (default: the model this build ships).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Input records: `.json` (a list of records) or CSV.
    #[arg(long)]
    input: PathBuf,
    /// Where to write the JSON lines (default: stdout).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Fail (exit 2) when any row is rejected.
    #[arg(long)]
    strict: bool,
}

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    // Opened first: a path that cannot be written fails before any work,
    // and a run that fails leaves no file that looks finished.
    let mut out = Output::create(args.output.as_deref())?;
    let input = read_rows(&args.input, &model)?;
    let response = model.explain_input(&input, ErrorLimit::FirstPerRow)?;
    let mut line = Vec::new();
    for explanation in &response.explanations {
        line.clear();
        serde_json::to_writer(&mut line, explanation)?;
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.finish()?;
    report(&response.row_errors, &input.rows, 0);
    let rejected = input.rows.len() - response.explanations.len();
    log::info!(
        "model {}: explained {} of {} rows, rejected {rejected}",
        response.version,
        response.explanations.len(),
        input.rows.len()
    );
    if args.strict && rejected > 0 {
        eprintln!("error: --strict: {rejected} rows were rejected");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
