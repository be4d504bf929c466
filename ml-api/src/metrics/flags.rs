//! Counters of the inputs that made a price less certain, by field:
//! `ml_api_imputed_fields_total` (missing, given the model's fallback) and
//! `ml_api_extrapolated_fields_total` (beyond the training data), by model
//! and field. The field values are the schema's column names, so there are
//! at most 79 per model.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use regression_model::{Column, Prediction};

use super::ModelLabels;

type Counts = Mutex<BTreeMap<(Arc<str>, Column), u64>>;

/// Per field, how often predictions were imputed or extrapolated there.
#[derive(Debug, Default)]
pub struct FlagCounters {
    imputed: Counts,
    extrapolated: Counts,
}

impl FlagCounters {
    /// Counts the flags of a response's predictions; no lock is taken
    /// when no prediction has any.
    pub fn observe(&self, labels: &ModelLabels, model: &str, predictions: &[Prediction]) {
        count(&self.imputed, labels, model, predictions, |p| &p.imputed);
        count(&self.extrapolated, labels, model, predictions, |p| {
            &p.extrapolated
        });
    }

    /// Both series, with their headers, in column order.
    pub fn render(&self, out: &mut String) {
        for (name, help, counter) in [
            (
                "ml_api_imputed_fields_total",
                "Predictions that gave a missing input the model's fallback, by field.",
                &self.imputed,
            ),
            (
                "ml_api_extrapolated_fields_total",
                "Predictions with an input beyond the training data (a number outside its range, an unseen label), by field.",
                &self.extrapolated,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            let counts = counter.lock().unwrap_or_else(|e| e.into_inner()).clone();
            for ((model, column), count) in counts {
                let _ = writeln!(
                    out,
                    "{name}{{model_version=\"{}\",field=\"{}\"}} {count}",
                    super::escape(&model),
                    column.name()
                );
            }
        }
    }
}

fn count(
    counter: &Counts,
    labels: &ModelLabels,
    model: &str,
    predictions: &[Prediction],
    field: fn(&Prediction) -> &Vec<Column>,
) {
    if predictions.iter().all(|p| field(p).is_empty()) {
        return;
    }
    let label = labels.get(model);
    let mut counts = counter.lock().unwrap_or_else(|e| e.into_inner());
    for column in predictions.iter().flat_map(field) {
        *counts.entry((label.clone(), *column)).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(imputed: &[Column], extrapolated: &[Column]) -> Prediction {
        Prediction {
            row: 0,
            id: None,
            price: 1.0,
            imputed: imputed.to_vec(),
            extrapolated: extrapolated.to_vec(),
        }
    }

    #[test]
    fn each_flag_counts_once_per_prediction_under_its_field() {
        let counters = FlagCounters::default();
        counters.observe(
            &ModelLabels::default(),
            "m",
            &[
                prediction(&[Column::Functional], &[Column::GrLivArea]),
                prediction(&[Column::Functional, Column::KitchenQual], &[]),
                prediction(&[], &[]),
            ],
        );
        let mut text = String::new();
        counters.render(&mut text);
        assert!(
            text.contains(
                "ml_api_imputed_fields_total{model_version=\"m\",field=\"Functional\"} 2\n"
            )
        );
        assert!(text.contains(
            "ml_api_imputed_fields_total{model_version=\"m\",field=\"KitchenQual\"} 1\n"
        ));
        assert!(text.contains(
            "ml_api_extrapolated_fields_total{model_version=\"m\",field=\"GrLivArea\"} 1\n"
        ));
        assert!(text.contains("# TYPE ml_api_extrapolated_fields_total counter"));
    }
}
