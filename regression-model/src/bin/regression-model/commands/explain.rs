//! `explain`: why the model prices each row as it does, one JSON line per
//! explained row.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use regression_model::ErrorLimit;

use super::report::report;
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
    let input = read_rows(&args.input, &model)?;
    let response = model.explain_input(&input, ErrorLimit::FirstPerRow)?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    for explanation in &response.explanations {
        serde_json::to_writer(&mut out, explanation)?;
        writeln!(out)?;
    }
    out.flush()?;
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
