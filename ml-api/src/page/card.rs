//! The model card: what is served, how well it did, the limits in force,
//! and its largest weights as a chart. Rendered on the server, per request,
//! from the model in the slot, so it reads without JavaScript and shows a
//! reloaded model at once.

use std::fmt::Write;

use super::chart::{Bar, bars};
use super::escape::Esc;
use super::weights;
use crate::configuration::{ErrorDetail, ErrorSettings, Limits};
use crate::model::LoadedModel;

/// Bars in the weights chart.
const CHART_BARS: usize = 15;

/// The card's `<section>`; `model` is `None` while no model is loaded.
pub fn render(model: Option<&LoadedModel>, limits: &Limits, errors: &ErrorSettings) -> String {
    let mut html = String::with_capacity(8 * 1024);
    html.push_str(r#"<section id="card" aria-labelledby="card-h"><h2 id="card-h">Model card</h2>"#);
    match model {
        Some(loaded) => model_facts(&mut html, loaded),
        None => html.push_str(
            r#"<p class="warn">No model is loaded: predictions answer 503 until one is.</p>"#,
        ),
    }
    limits_table(&mut html, limits, errors);
    if let Some(loaded) = model {
        chart(&mut html, loaded);
    }
    html.push_str("</section>");
    html
}

fn model_facts(html: &mut String, loaded: &LoadedModel) {
    let m = &loaded.model.metadata;
    let mut rows: Vec<(&str, String)> = vec![
        ("Model version", m.model_version.clone()),
        ("Config", m.config_name.clone()),
        ("Estimator", m.estimator.clone()),
        (
            "Training rows",
            format!(
                "{} of {} ({} held out, fraction {}, seed {})",
                m.rows_train, m.rows_total, m.rows_holdout, m.holdout_fraction, m.seed
            ),
        ),
        (
            "Hold-out metrics",
            match &m.holdout_metrics {
                Some(x) => format!(
                    "RMSE ${:.0}, R² {:.4}, RMSLE {:.4} on {} rows",
                    x.rmse, x.r2, x.rmsle, x.rows
                ),
                None => "none: trained on every row".to_owned(),
            },
        ),
        (
            "Cross-validation",
            "not recorded in the artifact (regression-model cv reports it for a config)".to_owned(),
        ),
        ("Artifact SHA-256", loaded.artifact_sha256.clone()),
        ("Training data SHA-256", m.training_data_sha256.clone()),
        ("Source", loaded.source.public_name().to_owned()),
        (
            "Trained with",
            format!("regression-model {}, {}", m.crate_version, m.rustc_version),
        ),
    ];
    rows.push((
        "Inputs read",
        format!("{} of the 79 columns", m.input_features.len()),
    ));
    definition_list(html, "facts", &rows);
}

fn limits_table(html: &mut String, limits: &Limits, errors: &ErrorSettings) {
    html.push_str(r#"<h3>Limits in force</h3>"#);
    let detail = match errors.detail {
        ErrorDetail::Full => "full",
        ErrorDetail::Redacted => "redacted",
    };
    let rows = [
        ("MAX_BODY_BYTES", limits.max_body_bytes.to_string()),
        ("MAX_ROWS", limits.max_rows.to_string()),
        ("MAX_EXPLAIN_ROWS", limits.max_explain_rows.to_string()),
        ("MAX_JSON_DEPTH", limits.max_json_depth.to_string()),
        ("MAX_HEADER_BYTES", limits.max_header_bytes.to_string()),
        (
            "BODY_TIMEOUT",
            format!("{} s", limits.body_timeout.as_secs_f64()),
        ),
        ("MAX_ERRORS", errors.max_errors.to_string()),
        ("ERROR_DETAIL", detail.to_owned()),
    ];
    definition_list(html, "limits", &rows);
}

fn chart(html: &mut String, loaded: &LoadedModel) {
    html.push_str("<h3>Largest weights</h3>");
    match weights::largest(&loaded.model, CHART_BARS) {
        Some(w) if !w.items.is_empty() => {
            let _ = write!(html, r#"<p class="note">{}.</p>"#, Esc(w.meaning));
            let items: Vec<Bar> = w
                .items
                .into_iter()
                .map(|(label, value)| Bar { label, value })
                .collect();
            html.push_str(&bars("weights", "Largest weights of the model", &items));
        }
        _ => html.push_str(r#"<p class="note">No weights in this model: its estimator has no coefficients to chart.</p>"#),
    }
}

fn definition_list(html: &mut String, class: &str, rows: &[(&str, String)]) {
    let _ = write!(html, r#"<dl class="{class}">"#);
    for (term, value) in rows {
        let _ = write!(html, "<dt>{}</dt><dd>{}</dd>", Esc(term), Esc(value));
    }
    html.push_str("</dl>");
}

#[cfg(test)]
mod tests {
    use regression_model::{TrainedModel, VersionPolicy};

    use super::render;
    use crate::configuration::{ErrorSettings, Limits};
    use crate::model::{LoadedModel, ModelSource};

    fn limits() -> Limits {
        crate::configuration::Settings::load(|_| None, None)
            .expect("default settings")
            .limits
    }

    #[test]
    fn card_values_are_escaped_so_they_cannot_inject_markup() {
        let bytes = regression_model::shipped_bytes().unwrap();
        let mut model = TrainedModel::from_bytes(bytes, "shipped", VersionPolicy::Exact).unwrap();
        model.metadata.config_name = "<script>alert(1)</script>".into();
        model.metadata.model_version = "1.0\"><img src=x>".into();
        let loaded = LoadedModel {
            name: "x".into(),
            features: Vec::new(),
            model,
            source: ModelSource::Shipped,
            artifact_sha256: "abc".into(),
            drift: Default::default(),
        };

        let html = render(Some(&loaded), &limits(), &ErrorSettings::default());

        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("1.0&quot;&gt;&lt;img src=x&gt;"), "{html}");
    }

    #[test]
    fn without_a_model_the_card_says_so_and_still_lists_the_limits() {
        let html = render(None, &limits(), &ErrorSettings::default());

        assert!(html.contains("No model is loaded"), "{html}");
        assert!(html.contains("<dt>MAX_ROWS</dt><dd>10000</dd>"), "{html}");
    }
}
