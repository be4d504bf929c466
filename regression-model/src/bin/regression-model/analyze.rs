//! The `analyze` command: a data report as tables or JSON, and SVG charts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use regression_model::ColumnKind;
use regression_model::PipelineConfig;
use regression_model::analyze::{self, AnalyzeOptions, RawTable, Report};
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
    /// Share of the most frequent value from which a column is quasi-constant.
    #[arg(long, default_value_t = 0.99)]
    quasi_constant: f64,
    /// |Pearson r| above which two numeric columns count as correlated.
    #[arg(long, default_value_t = 0.8)]
    correlation: f64,
    /// Share of rows under which a label is rare.
    #[arg(long, default_value_t = 0.01)]
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
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, &args);
    }
    if let Some(dir) = &args.plots {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut written = Vec::new();
        if let Some(target) = &report.target {
            let values = &table.column(&target.name).expect("analysed").numbers;
            written.push(plots::target_histograms(dir, &target.name, values)?);
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

fn print_report(report: &Report, args: &AnalyzeArgs) {
    println!(
        "{}: {} rows, {} columns analysed (Id excluded)",
        args.data.display(),
        report.rows,
        report.columns.len()
    );
    if let Some(t) = &report.target {
        let skew = |s: Option<f64>| s.map_or("-".into(), |s| format!("{s:.3}"));
        println!(
            "target {}: {} rows, min {:.0}, max {:.0}, mean {:.0}; skewness {}, of its log {}",
            t.name,
            t.rows,
            t.min,
            t.max,
            t.mean,
            skew(t.skewness),
            skew(t.log_skewness)
        );
    }
    println!(
        "\n{:<14} {:<11} {:>8} {:>8} {:>7} {:>17} {:>8} {:>15} {:>9}",
        "column",
        "kind",
        "missing",
        "distinct",
        "top",
        "labels < rare",
        "skew",
        "IQR outliers",
        "r(ln y)"
    );
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    for c in &report.columns {
        let (rare, skew, outliers, r) = match c.kind {
            ColumnKind::Categorical => (
                format!("{} ({})", c.rare_labels, pct(c.rare_labels_share)),
                String::new(),
                String::new(),
                String::new(),
            ),
            ColumnKind::Numeric => (
                String::new(),
                c.skewness.map_or("-".into(), |s| format!("{s:.2}")),
                format!("{} ({})", c.outliers, pct(c.outlier_share)),
                c.target_correlation
                    .map_or("-".into(), |r| format!("{r:+.3}")),
            ),
        };
        let kind = match c.kind {
            ColumnKind::Numeric => "numeric",
            ColumnKind::Categorical => "categorical",
        };
        println!(
            "{:<14} {:<11} {:>8} {:>8} {:>7} {:>17} {:>8} {:>15} {:>9}",
            c.name,
            kind,
            pct(c.missing_share),
            c.cardinality,
            pct(c.top_share),
            rare,
            skew,
            outliers,
            r
        );
    }
    let r = &report.redundancy;
    println!(
        "\nredundancy (quasi-constant: one value in >= {}; correlated: |r| > {}):",
        pct(args.quasi_constant),
        args.correlation
    );
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none".into()
        } else {
            items.join(", ")
        }
    };
    println!("  constant        {}", list(r.constant.clone()));
    println!(
        "  quasi-constant  {}",
        list(
            r.quasi_constant
                .iter()
                .map(|q| format!("{} (\"{}\" {})", q.column, q.value, pct(q.share)))
                .collect()
        )
    );
    println!(
        "  duplicated      {}",
        list(
            r.duplicated
                .iter()
                .map(|d| format!("{} = {}", d.copy, d.original))
                .collect()
        )
    );
    println!(
        "  correlated      {}",
        list(
            r.correlated
                .iter()
                .map(|c| format!("{} ~ {} (r {:+.3})", c.first, c.second, c.r))
                .collect()
        )
    );
}
