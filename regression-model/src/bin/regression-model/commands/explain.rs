//! `explain`: why the model prices each row as it does, one JSON line per
//! explained row, written a chunk of input rows at a time.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use regression_model::ErrorLimit;

use super::load_model;
use super::report::Rejections;
use super::rows::for_each_chunk;
use super::source::Output;

/// The arguments of `explain` (its help text, with the output format, is
/// on the `Explain` command in `main.rs`).
#[derive(Args)]
pub struct ExplainArgs {
    /// Artifact to use (default: the model this build ships).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Input records: CSV, NDJSON (`.ndjson`, `.jsonl`) or a JSON list
    /// (`.json`); `-` for CSV on stdin; gzip or not.
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
    let mut rejections = Rejections::default();
    let (mut rows, mut explained) = (0, 0);
    let mut line = Vec::new();
    let unknown = for_each_chunk(&args.input, &model, |input, first_row| {
        let response = model.explain_input(input, ErrorLimit::FirstPerRow)?;
        for mut explanation in response.explanations {
            // Row numbers in the whole input, not in the chunk.
            explanation.row += first_row;
            line.clear();
            serde_json::to_writer(&mut line, &explanation)?;
            line.push(b'\n');
            out.write_all(&line)?;
            explained += 1;
        }
        rejections.add(&response.row_errors, &input.rows, first_row);
        rows += input.rows.len();
        Ok(ControlFlow::Continue(()))
    })?;
    out.finish()?;
    let rejected = rejections.count();
    rejections.finish(&unknown);
    log::info!(
        "model {}: explained {explained} of {rows} rows, rejected {rejected}",
        model.metadata.model_version,
    );
    if args.strict && rejected > 0 {
        eprintln!("error: --strict: {rejected} rows were rejected");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
