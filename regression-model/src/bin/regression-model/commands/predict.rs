//! `predict` and `evaluate`: the model on a CSV or JSON file, as prices or
//! as metrics against the file's `SalePrice`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use regression_model::{
    ErrorLimit, FieldError, InputRows, ParsedRow, PredictionResponse, RejectedRow,
};

use super::{load_model, read_rows};

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
    /// Fail (exit 2) when any row is rejected or was priced with a
    /// fallback for a missing input (`imputed`): every price written then
    /// rests on complete inputs.
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

/// One stderr line per rejected row: its first problem and how many more
/// (the response holds the first error of each row, see
/// [`ErrorLimit::FirstPerRow`]), after one line for unknown columns.
fn report_rejections(response: &PredictionResponse, rows: &[ParsedRow]) {
    report(
        Rejections {
            unknown_fields: &response.unknown_fields,
            unknown_field_count: response.unknown_field_count,
            errors: &response.errors,
            rejected: &response.rejected,
        },
        rows,
    );
}

/// What a response says about the rows it rejected and the columns it
/// ignored (a prediction's or an explanation's).
pub(super) struct Rejections<'r> {
    pub unknown_fields: &'r [String],
    pub unknown_field_count: usize,
    pub errors: &'r [FieldError],
    pub rejected: &'r [RejectedRow],
}

pub(super) fn report(response: Rejections<'_>, rows: &[ParsedRow]) {
    let mut stderr = std::io::stderr().lock();
    if response.unknown_field_count > 0 {
        let _ = writeln!(
            stderr,
            "ignored {} unknown column(s): {}",
            response.unknown_field_count,
            response.unknown_fields.join(", ")
        );
    }
    for (e, rejected) in response.errors.iter().zip(response.rejected) {
        let id = rows
            .get(e.row)
            .and_then(|r| r.record.id)
            .map(|id| format!(" (Id {id})"))
            .unwrap_or_default();
        let more = match rejected.errors.saturating_sub(1) {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        let _ = writeln!(
            stderr,
            "rejected row {}{id}: {}: {}{more}",
            e.row, e.field, e.message
        );
    }
}

/// One stderr note per priced row that used a fallback for a missing value
/// or had a value beyond the training data, so that a file of prices says
/// which of them rest on a guess.
fn report_flags(response: &PredictionResponse) -> usize {
    let mut stderr = std::io::stderr().lock();
    let mut noted = 0;
    for p in &response.predictions {
        if p.imputed.is_empty() && p.extrapolated.is_empty() {
            continue;
        }
        noted += 1;
        let id = p.id.map(|id| format!(" (Id {id})")).unwrap_or_default();
        let list = |columns: &[regression_model::Column]| {
            columns
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::with_capacity(2);
        if !p.imputed.is_empty() {
            parts.push(format!("imputed (missing): {}", list(&p.imputed)));
        }
        if !p.extrapolated.is_empty() {
            parts.push(format!(
                "extrapolated (beyond the training data): {}",
                list(&p.extrapolated)
            ));
        }
        let _ = writeln!(stderr, "note: row {}{id}: {}", p.row, parts.join("; "));
    }
    noted
}

pub fn predict(args: PredictArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let input = read_rows(&args.input, &model)?;
    let response = model.predict_input(&input, ErrorLimit::FirstPerRow);
    let rows = input.rows;
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
    let noted = report_flags(&response);
    report_rejections(&response, &rows);
    let rejected = rows.len() - response.predictions.len();
    log::info!(
        "model {}: predicted {} of {} rows ({noted} with a note), rejected {rejected}",
        response.version,
        response.predictions.len(),
        rows.len()
    );
    let imputed = (response.predictions.iter())
        .filter(|p| !p.imputed.is_empty())
        .count();
    if args.strict && (rejected > 0 || imputed > 0) {
        eprintln!(
            "error: --strict: {rejected} rows were rejected, {imputed} priced with a fallback for a missing input"
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn evaluate(args: EvaluateArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let InputRows { rows, target, .. } = read_rows(&args.data, &model)?;
    let target = target.context("the data has no SalePrice column to evaluate against")?;
    let response = model.predict_rows(&rows);
    let (predicted, actual): (Vec<f64>, Vec<f64>) = response
        .predictions
        .iter()
        .filter_map(|p| target[p.row].map(|t| (p.price, t)))
        .unzip();
    let metrics = regression_model::Metrics::compute(&predicted, &actual)
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
