//! SVG charts for the analysis (plotters, SVG backend only: no font or
//! bitmap libraries are built; text is left to the SVG viewer): the target
//! and its log, missing shares, the columns most correlated with the log
//! target, and cross-validated residuals.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use crate::analyze::Report;
use crate::error::{Error, Result};

const SIZE: (u32, u32) = (900, 600);

fn plot_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Plot {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// Histogram bins: `(left edge, right edge, count)`.
fn bins(values: &[f64], count: usize) -> Vec<(f64, f64, usize)> {
    let present: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let lo = present.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if present.is_empty() {
        return Vec::new();
    }
    let width = if hi > lo {
        (hi - lo) / count as f64
    } else {
        1.0
    };
    let mut out: Vec<(f64, f64, usize)> = (0..count)
        .map(|i| (lo + i as f64 * width, lo + (i + 1) as f64 * width, 0))
        .collect();
    for v in present {
        let at = (((v - lo) / width) as usize).min(count - 1);
        out[at].2 += 1;
    }
    out
}

fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    values: &[f64],
) -> std::result::Result<(), String> {
    let bins = bins(values, 40);
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else {
        return Ok(());
    };
    let top = bins.iter().map(|b| b.2).max().unwrap_or(1) as f64 * 1.05;
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(first.0..last.1, 0.0..top)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .y_desc("rows")
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            bins.iter().map(|(l, r, n)| {
                Rectangle::new([(*l, 0.0), (*r, *n as f64)], BLUE.mix(0.6).filled())
            }),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// `target.svg`: histograms of the target and of its log, side by side.
pub fn target_histograms(dir: &Path, name: &str, values: &[f64]) -> Result<PathBuf> {
    let path = dir.join("target.svg");
    draw_target(&path, name, values)?;
    Ok(path)
}

fn draw_target(path: &Path, name: &str, values: &[f64]) -> Result<()> {
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| plot_error(path, e))?;
    let halves = root.split_evenly((1, 2));
    let logs: Vec<f64> = values.iter().map(|v| v.ln()).collect();
    histogram(&halves[0], name, values).map_err(|e| plot_error(path, e))?;
    histogram(&halves[1], &format!("ln {name}"), &logs).map_err(|e| plot_error(path, e))?;
    root.present().map_err(|e| plot_error(path, e))
}

/// Horizontal bars, one per `(label, value)`, in the given order.
fn bars(path: &Path, title: &str, x_desc: &str, items: &[(String, f64)]) -> Result<()> {
    let root =
        SVGBackend::new(path, (SIZE.0, 120 + 22 * items.len().max(1) as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| plot_error(path, e))?;
    let lo = items.iter().map(|i| i.1).fold(0.0, f64::min);
    let hi = items.iter().map(|i| i.1).fold(0.0, f64::max).max(lo + 1e-9);
    let n = items.len() as f64;
    let labels: Vec<String> = items.iter().map(|i| i.0.clone()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(140)
        .build_cartesian_2d(lo * 1.05..hi * 1.05, -0.5..n - 0.5)
        .map_err(|e| plot_error(path, e))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(items.len().max(1))
        .y_label_formatter(&|y| {
            let at = y.round();
            // The first item is drawn at the top.
            if (y - at).abs() < 1e-6 && at >= 0.0 && at < n {
                labels
                    .get(items.len() - 1 - at as usize)
                    .cloned()
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_desc(x_desc)
        .draw()
        .map_err(|e| plot_error(path, e))?;
    chart
        .draw_series(items.iter().enumerate().map(|(i, (_, v))| {
            let y = n - 1.0 - i as f64;
            let color = if *v >= 0.0 { BLUE } else { RED };
            Rectangle::new([(0.0, y - 0.35), (*v, y + 0.35)], color.mix(0.7).filled())
        }))
        .map_err(|e| plot_error(path, e))?;
    root.present().map_err(|e| plot_error(path, e))?;
    Ok(())
}

/// `missing.svg` (share of missing values per column that has any) and
/// `correlations.svg` (the 20 numeric columns most correlated with the log
/// target).
pub fn report_charts(dir: &Path, report: &Report) -> Result<Vec<PathBuf>> {
    let mut missing: Vec<(String, f64)> = report
        .columns
        .iter()
        .filter(|c| c.missing_share > 0.0)
        .map(|c| (c.name.clone(), c.missing_share))
        .collect();
    missing.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let missing_path = dir.join("missing.svg");
    bars(&missing_path, "Missing values", "share of rows", &missing)?;
    let mut correlated: Vec<(String, f64)> = report
        .columns
        .iter()
        .filter_map(|c| Some((c.name.clone(), c.target_correlation?)))
        .collect();
    correlated.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(&b.0)));
    correlated.truncate(20);
    let corr_path = dir.join("correlations.svg");
    bars(
        &corr_path,
        "Correlation with the log target",
        "Pearson r",
        &correlated,
    )?;
    Ok(vec![missing_path, corr_path])
}

/// `residuals.svg`: out-of-fold residuals `ln actual − ln predicted`
/// against `ln predicted`.
pub fn residuals(dir: &Path, title: &str, pairs: &[(f64, f64)]) -> Result<PathBuf> {
    let path = dir.join("residuals.svg");
    let points: Vec<(f64, f64)> = pairs
        .iter()
        .map(|(predicted, actual)| (predicted.ln(), actual.ln() - predicted.ln()))
        .collect();
    let (x_lo, x_hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.0), h.max(p.0))
        });
    let r_max = points.iter().map(|p| p.1.abs()).fold(0.1, f64::max);
    let root = SVGBackend::new(&path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| plot_error(&path, e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x_lo..x_hi.max(x_lo + 1e-9), -r_max * 1.05..r_max * 1.05)
        .map_err(|e| plot_error(&path, e))?;
    chart
        .configure_mesh()
        .x_desc("ln predicted price")
        .y_desc("ln actual - ln predicted")
        .draw()
        .map_err(|e| plot_error(&path, e))?;
    chart
        .draw_series(
            points
                .iter()
                .map(|p| Circle::new(*p, 2, BLUE.mix(0.5).filled())),
        )
        .map_err(|e| plot_error(&path, e))?;
    root.present().map_err(|e| plot_error(&path, e))?;
    drop(chart);
    drop(root);
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_the_range_and_count_every_value() {
        let b = bins(&[0.0, 1.0, 2.0, 10.0, f64::NAN], 5);
        assert_eq!(b.len(), 5);
        assert_eq!(b.iter().map(|x| x.2).sum::<usize>(), 4);
        assert_eq!((b[0].0, b[4].1), (0.0, 10.0));
        assert_eq!(b[4].2, 1);
    }
}
