//! The `analyze` command: a data report as tables or JSON, and SVG charts;
//! and the checked thresholds `analyze` and `select` share.

mod text;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use regression_model::PipelineConfig;
use regression_model::analyze::{self, AnalyzeOptions, RawTable};
use regression_model::cv::Labelled;
use regression_model::plots;
use regression_model::tune;

#[derive(Args)]
pub struct AnalyzeArgs {
    /// CSV to analyse (Kaggle layout; every column is read).
    #[arg(long)]
    data: PathBuf,
    /// Target column, described with its log and correlated with inputs;
    /// `none` for unlabelled data.
    #[arg(long, default_value = "SalePrice")]
    target: String,
    /// Print the report as JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Write SVG charts to this folder (target.svg, missing.svg,
    /// correlations.svg, and residuals.svg with --config).
    #[arg(long)]
    plots: Option<PathBuf>,
    /// With --plots: cross-validate this config and chart its out-of-fold residuals.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Folds and seed of that cross-validation.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Share of the most frequent value from which a column is
    /// quasi-constant, in (0, 1].
    #[arg(long, default_value_t = 0.99, value_parser = quasi_constant_share)]
    quasi_constant: f64,
    /// |Pearson r| above which two numeric columns count as correlated, in [0, 1].
    #[arg(long, default_value_t = 0.8, value_parser = correlation_threshold)]
    correlation: f64,
    /// Share of rows under which a label is rare, in [0, 1).
    #[arg(long, default_value_t = 0.01, value_parser = rare_share)]
    rare: f64,
}

impl AnalyzeArgs {
    fn options(&self) -> AnalyzeOptions {
        AnalyzeOptions {
            target: (self.target != "none").then(|| self.target.clone()),
            rare_share: self.rare,
            quasi_constant_share: self.quasi_constant,
            correlation: self.correlation,
        }
    }
}

pub fn analyze(args: AnalyzeArgs) -> Result<ExitCode> {
    let table = RawTable::read_file(&args.data)?;
    let report = analyze::analyze(&table, &args.options())?;
    if args.json {
        // Lists cut as the text's are (counts stay exact): a file of
        // 100,000 columns must not print a JSON of 100,000 of them.
        let listed = report.listed(analyze::MAX_LISTED);
        println!("{}", serde_json::to_string_pretty(&listed)?);
    } else {
        let thresholds = text::Thresholds {
            quasi_constant: args.quasi_constant,
            correlation: args.correlation,
        };
        text::print_report(
            &mut std::io::stdout().lock(),
            &report,
            &args.data,
            &thresholds,
        )
        .context("cannot write the report")?;
    }
    if let Some(dir) = &args.plots {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut written = Vec::new();
        if let Some(target) = &report.target {
            let values = table.column(&target.name).expect("analysed").numbers();
            written.push(plots::target_histograms(dir, &target.name, &values)?);
        }
        written.extend(plots::report_charts(dir, &report)?);
        if let Some(path) = &args.config {
            written.push(residual_chart(dir, path, &args)?);
        }
        for path in written {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn residual_chart(dir: &Path, config_path: &Path, args: &AnalyzeArgs) -> Result<PathBuf> {
    let config = PipelineConfig::from_file(config_path)?;
    let (data, _) = crate::commands::read_training(&args.data, &config)?;
    let labelled = Labelled::new(&config, &data)?;
    let points = tune::expand(&config, &[])?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let report = crate::research::tune_shown(&points, &labelled, args.folds, args.seed, threads)?;
    let pairs: Vec<(f64, f64)> = report.points[0]
        .folds
        .iter()
        .flat_map(|f| &f.predictions)
        .map(|&(row, price)| (price, labelled.targets[row]))
        .collect();
    let summary = &report.points[0].summary;
    let title = format!(
        "{}: out-of-fold residuals ({}-fold CV, seed {}), RMSLE {:.4}",
        config.config().name,
        args.folds,
        args.seed,
        summary.rmsle_mean
    );
    Ok(plots::residuals(dir, &title, &pairs)?)
}

/// `--quasi-constant`: a share in (0, 1] ([`AnalyzeOptions::check`]).
pub fn quasi_constant_share(text: &str) -> std::result::Result<f64, String> {
    threshold(text, |o, v| o.quasi_constant_share = v)
}

/// `--rare`: a share in [0, 1) (0 calls no label rare).
pub fn rare_share(text: &str) -> std::result::Result<f64, String> {
    threshold(text, |o, v| o.rare_share = v)
}

/// `--correlation`: an |r| in [0, 1] (1 finds no pair).
pub fn correlation_threshold(text: &str) -> std::result::Result<f64, String> {
    threshold(text, |o, v| o.correlation = v)
}

/// Parses `text` as the threshold that `set` sets, in the range the crate
/// checks (text that is no number is checked as `NaN`, to name the range);
/// clap puts the flag before the message.
fn threshold(text: &str, set: fn(&mut AnalyzeOptions, f64)) -> std::result::Result<f64, String> {
    let parsed = text.trim().parse::<f64>();
    let mut options = AnalyzeOptions::default();
    set(&mut options, *parsed.as_ref().unwrap_or(&f64::NAN));
    match (options.check(), parsed) {
        (Ok(()), Ok(value)) => Ok(value),
        (Err(regression_model::Error::AnalyzeSetting { expected, .. }), parsed) => {
            Err(match parsed {
                Ok(value) => format!("must be a number in {expected}, got {value}"),
                Err(_) => format!("must be a number in {expected}"),
            })
        }
        (Err(other), _) => Err(other.to_string()),
        (Ok(()), Err(e)) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    fn refusal(args: &[&str]) -> String {
        let args = [&["regression-model"], args].concat();
        match crate::Cli::try_parse_from(&args) {
            Ok(_) => panic!("{args:?} was accepted"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_share_outside_its_range_is_refused_naming_the_flag() {
        let data = ["analyze", "--data", "train.csv"];
        let error = refusal(&[&data[..], &["--quasi-constant", "nan"]].concat());
        assert!(error.contains("--quasi-constant"), "{error}");
        assert!(
            error.contains("must be a number in (0, 1], got NaN"),
            "{error}"
        );
        for arg in [
            "--quasi-constant=0",
            "--quasi-constant=1.5",
            "--rare=2",
            "--rare=1",
            "--rare=-0.1",
            "--correlation=nan",
            "--correlation=x",
        ] {
            let error = refusal(&[&data[..], &[arg]].concat());
            let flag = arg.split('=').next().unwrap();
            assert!(error.contains(&format!("for '{flag} <")), "{arg}: {error}");
        }
        let select = [
            "select",
            "--config",
            "c.toml",
            "--data",
            "train.csv",
            "--out",
            "s.toml",
        ];
        let error = refusal(&[&select[..], &["--quasi-constant", "nan"]].concat());
        assert!(
            error.contains("--quasi-constant") && error.contains("(0, 1]"),
            "{error}"
        );
    }

    #[test]
    fn shares_at_the_ends_of_their_ranges_are_accepted() {
        assert_eq!(super::quasi_constant_share("1"), Ok(1.0));
        assert_eq!(super::rare_share("0"), Ok(0.0));
        assert_eq!(super::correlation_threshold("1"), Ok(1.0));
    }
}
