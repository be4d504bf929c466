//! The model's largest weights, for the card's chart and for putting the
//! most important fields first in the form: the model crate's
//! `TrainedModel::top_features`, one weight per raw input column (see its
//! docs for what a weight is). Models that cannot be explained (trees) have
//! none.

use regression_model::{Column, TrainedModel};

/// Weights per input column, largest first.
pub struct Weights {
    /// What the numbers are, for the chart's caption.
    pub meaning: &'static str,
    pub items: Vec<(String, f64)>,
}

/// The `n` largest weights, or `None` when the model has no such weights.
pub fn largest(model: &TrainedModel, n: usize) -> Option<Weights> {
    let weights = model.top_features(n).ok()?;
    Some(Weights {
        meaning: "weight of each input column: the size of the coefficients it feeds on the scaled inputs, traced back through the pipeline",
        items: weights
            .into_iter()
            .map(|w| (w.column.into_owned(), w.weight))
            .collect(),
    })
}

/// Whether the model explains its prices (the form then asks for
/// explanations rather than bare prices).
pub fn explainable(model: &TrainedModel) -> bool {
    model.top_features(1).is_ok()
}

/// The input columns in order of weight (largest first); those without a
/// weight are left out.
pub fn ranked_inputs(model: &TrainedModel) -> Vec<Column> {
    model
        .top_features(usize::MAX)
        .map(|w| {
            w.iter()
                .filter_map(|w| Column::from_name(&w.column))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{explainable, largest, ranked_inputs};

    #[test]
    fn the_shipped_model_has_weights_largest_first() {
        let model = regression_model::shipped_model().unwrap();

        let weights = largest(model, 10).expect("a linear model");

        assert!(explainable(model));
        assert_eq!(weights.items.len(), 10);
        assert!(weights.items.windows(2).all(|p| p[0].1 >= p[1].1));
        assert!(ranked_inputs(model).len() >= 10);
    }
}
