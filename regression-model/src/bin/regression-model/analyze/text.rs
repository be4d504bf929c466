//! The analysis as text: a table of the columns and a line per kind of
//! redundancy. Every list is cut: the table at [`MAX_LISTED`] columns, each
//! line at [`MAX_NAMED`] names then "… and N more" (a file of 100,000 equal
//! columns printed one "duplicated" line of 2 MB), and each name or value
//! at [`NAME_CHARS`] characters, escaped.

use std::io::{self, Write};
use std::path::Path;

use regression_model::analyze::{
    ColumnReport, MAX_CORRELATED_COLUMNS, MAX_LISTED, Report, TargetReport,
};
use regression_model::{ColumnKind, NAME_CHARS, escape_clipped};

/// Names a redundancy line lists before it counts the rest.
pub const MAX_NAMED: usize = 20;

/// The thresholds the report was made with, for its headings.
pub struct Thresholds {
    /// `--quasi-constant`.
    pub quasi_constant: f64,
    /// `--correlation`.
    pub correlation: f64,
}

/// Writes `report` of the file `data` as tables.
pub fn print_report(
    out: &mut impl Write,
    report: &Report,
    data: &Path,
    thresholds: &Thresholds,
) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} rows, {} columns analysed (Id excluded)",
        data.display(),
        report.rows,
        report.counts.columns
    )?;
    if !report.skipped_lines.is_empty() {
        let lines = report.skipped_lines.iter().map(u64::to_string);
        writeln!(
            out,
            "skipped {} rows not as wide as the header, on lines {}",
            report.skipped_lines.len(),
            named(lines, report.skipped_lines.len())
        )?;
    }
    if let Some(t) = &report.target {
        writeln!(out, "{}", target_line(t, report.rows))?;
    }
    writeln!(
        out,
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
    )?;
    for c in report.columns.iter().take(MAX_LISTED) {
        writeln!(out, "{}", column_line(c))?;
    }
    let unlisted = report.counts.columns.saturating_sub(MAX_LISTED);
    if unlisted > 0 {
        writeln!(out, "… and {unlisted} more columns")?;
    }
    let r = &report.redundancy;
    let counts = &report.counts;
    writeln!(
        out,
        "\nredundancy (quasi-constant: one value in >= {}; correlated: |r| > {}):",
        pct(thresholds.quasi_constant),
        thresholds.correlation
    )?;
    let constant = r.constant.iter().map(|c| clip(c));
    writeln!(
        out,
        "  constant        {}",
        named(constant, counts.constant)
    )?;
    let quasi = r.quasi_constant.iter().map(|q| {
        format!(
            "{} (\"{}\" {})",
            clip(&q.column),
            clip(&q.value),
            pct(q.share)
        )
    });
    writeln!(
        out,
        "  quasi-constant  {}",
        named(quasi, counts.quasi_constant)
    )?;
    let copies =
        (r.duplicated.iter()).map(|d| format!("{} = {}", clip(&d.copy), clip(&d.original)));
    writeln!(
        out,
        "  duplicated      {}",
        named(copies, counts.duplicated)
    )?;
    let correlated = match r.correlation_skipped {
        Some(numeric) => format!(
            "not looked for: {numeric} numeric columns, more than the {MAX_CORRELATED_COLUMNS} whose pairs are compared"
        ),
        None => named(
            r.correlated
                .iter()
                .map(|c| format!("{} ~ {} (r {:+.3})", clip(&c.first), clip(&c.second), c.r)),
            counts.correlated,
        ),
    };
    writeln!(out, "  correlated      {correlated}")
}

fn target_line(t: &TargetReport, rows: usize) -> String {
    let (Some(min), Some(max), Some(mean)) = (t.min, t.max, t.mean) else {
        return format!(
            "target {}: no values: none of the {rows} rows has a present, positive one",
            clip(&t.name)
        );
    };
    let skew = |s: Option<f64>| s.map_or("-".into(), |s| format!("{s:.3}"));
    format!(
        "target {}: {} rows, min {min:.0}, max {max:.0}, mean {mean:.0}; skewness {}, of its log {}",
        clip(&t.name),
        t.rows,
        skew(t.skewness),
        skew(t.log_skewness)
    )
}

fn column_line(c: &ColumnReport) -> String {
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
    format!(
        "{:<14} {:<11} {:>8} {:>8} {:>7} {:>17} {:>8} {:>15} {:>9}",
        clip(&c.name),
        kind,
        pct(c.missing_share),
        c.cardinality,
        pct(c.top_share),
        rare,
        skew,
        outliers,
        r
    )
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn clip(name: &str) -> String {
    escape_clipped(name, NAME_CHARS)
}

/// The first [`MAX_NAMED`] of `items`, then how many of `count` were not
/// named; `none` for none.
fn named(items: impl Iterator<Item = String>, count: usize) -> String {
    let shown: Vec<String> = items.take(MAX_NAMED).collect();
    if shown.is_empty() {
        return "none".into();
    }
    match count.saturating_sub(shown.len()) {
        0 => shown.join(", "),
        more => format!("{} … and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regression_model::analyze::{self, AnalyzeOptions, RawTable};

    fn printed(csv: &str, options: &AnalyzeOptions) -> String {
        let table = RawTable::read(csv.as_bytes()).unwrap();
        let report = analyze::analyze(&table, options).unwrap();
        let thresholds = Thresholds {
            quasi_constant: 0.99,
            correlation: 0.8,
        };
        let mut out = Vec::new();
        print_report(&mut out, &report, Path::new("data.csv"), &thresholds).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_wide_file_prints_its_lists_cut_and_counted() {
        // 100,000 such columns printed 13 MB in 53 s; 2,000 are enough to
        // pass every cut.
        let columns = 2_000;
        let header: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
        let csv = format!("{}\n{}\n", header.join(","), vec!["1"; columns].join(","));
        let options = AnalyzeOptions {
            target: None,
            ..AnalyzeOptions::default()
        };
        let text = printed(&csv, &options);
        assert!(text.contains(&format!("… and {} more columns\n", columns - MAX_LISTED)));
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap()
                .to_owned()
        };
        let constant = line("  constant ");
        assert!(constant.ends_with(", c19 … and 1980 more"), "{constant}");
        assert!(line("  duplicated ").ends_with("c20 = c0 … and 1979 more"));
        assert!(line("  correlated ").contains("not looked for: 2000 numeric columns"));
        assert!(text.len() < 200 * MAX_LISTED, "{} bytes", text.len());
    }

    #[test]
    fn a_target_without_usable_values_is_said_to_have_none() {
        let text = printed(
            "Id,GrLivArea,SalePrice\n1,abc,NA\n",
            &AnalyzeOptions::default(),
        );
        assert!(
            text.contains(
                "target SalePrice: no values: none of the 1 rows has a present, positive one"
            ),
            "{text}"
        );
        assert!(!text.contains("inf"), "{text}");
    }
}
