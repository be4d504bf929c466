//! A horizontal SVG bar chart, drawn on the server so it shows without
//! JavaScript. Colours come from classes in the page's style sheet (inline
//! `style` attributes would need `'unsafe-inline'` in the CSP).

use std::fmt::Write;

use super::escape::Esc;

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 170.0;
const VALUE_WIDTH: f64 = 80.0;
const ROW: f64 = 22.0;

/// One bar: its label and its (signed) value; the bar's length is |value|.
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// An `<svg>` with one row per bar, longest first as given; `title` names
/// the chart for screen readers. Negative values get the `neg` class.
pub fn bars(id: &str, title: &str, bars: &[Bar]) -> String {
    let largest = bars.iter().map(|b| b.value.abs()).fold(0.0, f64::max);
    let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let height = ROW * bars.len() as f64 + 4.0;
    let mut svg = String::with_capacity(200 + bars.len() * 300);
    let _ = write!(
        svg,
        r#"<svg id="{id}" class="chart" role="img" aria-labelledby="{id}-t" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"><title id="{id}-t">{}</title>"#,
        Esc(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as f64 + 2.0;
        let length = if largest > 0.0 {
            bar.value.abs() / largest * span
        } else {
            0.0
        };
        let class = if bar.value < 0.0 { "bar neg" } else { "bar" };
        let _ = write!(
            svg,
            r#"<text class="lbl" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="{class}" x="{LABEL_WIDTH}" y="{:.1}" width="{length:.1}" height="{:.1}"/><text class="val" x="{:.1}" y="{:.1}">{}</text>"#,
            LABEL_WIDTH - 6.0,
            y + ROW * 0.68,
            Esc(&bar.label),
            y + 2.0,
            ROW - 6.0,
            LABEL_WIDTH + length + 4.0,
            y + ROW * 0.68,
            format_value(bar.value),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Four significant digits, enough to compare bars.
fn format_value(value: f64) -> String {
    if value == 0.0 || value.abs() >= 0.01 {
        format!("{value:.4}")
    } else {
        format!("{value:.2e}")
    }
}

#[cfg(test)]
mod tests {
    use super::{Bar, bars};

    #[test]
    fn the_largest_bar_spans_the_plot_and_labels_are_escaped() {
        let svg = bars(
            "w",
            "weights",
            &[
                Bar {
                    label: "<b>".into(),
                    value: -2.0,
                },
                Bar {
                    label: "b".into(),
                    value: 1.0,
                },
            ],
        );

        assert!(
            svg.contains(r#"class="bar neg" x="170" y="4.0" width="390.0""#),
            "{svg}"
        );
        assert!(svg.contains(r#"width="195.0""#), "{svg}");
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"), "{svg}");
    }
}
