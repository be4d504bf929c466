//! `regression-model`: train, predict, evaluate and inspect house-price
//! models from the command line. Each command is a thin layer over the
//! library; see `commands.rs`.

mod analyze;
mod commands;
mod progress;
mod research;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "regression-model",
    version,
    about = "Train, evaluate and use the house-price regression model"
)]
struct Cli {
    /// Log level for progress and timings on stderr (error, warn, info, debug).
    #[arg(
        long,
        global = true,
        default_value = "info",
        env = "REGRESSION_MODEL_LOG"
    )]
    log: String,
    /// No progress bar or progress lines (rejections and errors are still
    /// reported).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a pipeline on labelled data and write the artifact and a JSON report.
    Train(commands::TrainArgs),
    /// Predict prices for a CSV, NDJSON or JSON file (streamed, `.gz` or
    /// not, or one `--shard`); writes `Id,SalePrice`.
    Predict(commands::PredictArgs),
    /// Explain each predicted price: the base value and what every input
    /// column adds, as JSON lines.
    ///
    /// One line per explained row, in row order:
    /// {"row":0,"id":1461,"price":…,"base_value":…,"base_price":…,
    /// "contributions":[{"column":"OverallQual","value":…,"factor":…},…]}.
    /// With the log target (the shipped model), price = exp(base_value + Σ
    /// value) and factor = exp(value), what the column multiplies the price
    /// by; without a target transform, values are dollars and there is no
    /// factor. Contributions are per input column, largest |value| first; a
    /// column that adds exactly 0 is left out. Rejected rows are reported on
    /// stderr as `predict` reports them. A model with trees (random forest,
    /// gradient boosting) cannot be explained: exit 1 with the reason.
    Explain(commands::ExplainArgs),
    /// Print RMSE (dollars), R² and RMSLE of a model on labelled data.
    Evaluate(commands::EvaluateArgs),
    /// Print an artifact's metadata and coefficients.
    Inspect {
        /// Artifact to inspect (default: the model this build ships).
        artifact: Option<PathBuf>,
    },
    /// Write the current model's predictions on a fixed slice of the test
    /// data, for differential tests of the next version.
    Capture(commands::CaptureArgs),
    /// Cross-validate a config over a parameter grid, in parallel; print
    /// mean ± sd of RMSE and RMSLE per point and the best.
    Tune(research::TuneArgs),
    /// Report on a data file per column (kind, missing, cardinality, rare
    /// labels, skewness, outliers) and its redundancy; `--plots` writes SVGs.
    Analyze(analyze::AnalyzeArgs),
    /// Select features (filter, then Lasso) and write a new pipeline config
    /// that says why each feature left.
    Select(research::SelectArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    progress::init(cli.quiet);
    if let Err(e) =
        flexi_logger::Logger::try_with_env_or_str(&cli.log).and_then(|l| l.log_to_stderr().start())
    {
        eprintln!("warning: logging disabled: {e}");
    }
    let result = match cli.command {
        Command::Train(args) => commands::train(args),
        Command::Predict(args) => commands::predict(args),
        Command::Explain(args) => commands::explain(args),
        Command::Evaluate(args) => commands::evaluate(args),
        Command::Inspect { artifact } => commands::inspect(artifact),
        Command::Capture(args) => commands::capture(args),
        Command::Tune(args) => research::tune(args),
        Command::Analyze(args) => analyze::analyze(args),
        Command::Select(args) => research::select(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
