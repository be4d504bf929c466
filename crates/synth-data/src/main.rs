//! `synth-data` CLI: writes a synthetic house-prices CSV (see the library docs) to a file or stdout.

use std::fs::File;
use std::io::{self, ErrorKind};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use synth_data::{GenerateError, GeneratorConfig, write_csv};

/// Generate synthetic Kaggle house-prices-shaped CSV data, deterministically from a seed.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Number of data rows.
    #[arg(long)]
    rows: usize,
    /// Random seed; the same seed and crate version give byte-identical output.
    #[arg(long)]
    seed: u64,
    /// Test style: omit SalePrice and inject unseen labels and unexpected NAs.
    #[arg(long)]
    no_target: bool,
    /// Id of the first row.
    #[arg(long, default_value_t = 1)]
    first_id: u64,
    /// Test style only: per-row rate of each unseen label.
    #[arg(long, default_value_t = GeneratorConfig::default().unseen_label_rate)]
    unseen_label_rate: f64,
    /// Test style only: per-row rate of NA in each column never missing in training.
    #[arg(long, default_value_t = GeneratorConfig::default().test_style_missing_rate)]
    missing_rate: f64,
    /// Output file (default: stdout).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn run(args: Args) -> anyhow::Result<()> {
    let config = GeneratorConfig {
        rows: args.rows,
        seed: args.seed,
        with_target: !args.no_target,
        first_id: args.first_id,
        unseen_label_rate: args.unseen_label_rate,
        test_style_missing_rate: args.missing_rate,
    };
    config.validate()?; // before creating (and truncating) the output file
    let result = match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            write_csv(&config, file).with_context(|| format!("cannot write {}", path.display()))
        }
        None => match write_csv(&config, io::stdout().lock()) {
            // A closed pipe (`synth-data ... | head`) is the reader's choice, not a failure.
            Err(GenerateError::Io(e)) if e.kind() == ErrorKind::BrokenPipe => Ok(0),
            other => other.context("cannot write to stdout"),
        },
    };
    result.map(|_| ())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth-data: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
