//! The model's largest weights, for the card's chart and for putting the
//! most important fields first in the form.
//!
//! Until the model crate offers weights per raw input column, this reads
//! what it exposes: a linear estimator's coefficients per model column. A
//! column made by one-hot encoding (`Neighborhood=NAmes`) or a missing-value
//! flag (`LotFrontage_na`) counts for its input; a derived column
//! (`TotalSF`) keeps its own name. A blend adds its linear members' weights
//! in proportion to their blend weights. Tree models have no such weights.

use std::collections::HashMap;

use regression_model::{Column, FittedPipeline};

/// Weights per input (or derived) column, largest first.
pub struct Weights {
    /// What the numbers are, for the chart's caption.
    pub meaning: &'static str,
    pub items: Vec<(String, f64)>,
}

/// The `n` largest weights, or `None` when the model has no linear weights.
pub fn largest(pipeline: &FittedPipeline, n: usize) -> Option<Weights> {
    let mut sums: HashMap<String, f64> = HashMap::new();
    if !add(pipeline, 1.0, &mut sums) {
        return None;
    }
    let mut items: Vec<(String, f64)> = sums.into_iter().filter(|(_, w)| *w != 0.0).collect();
    items.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(&b.0)));
    items.truncate(n);
    Some(Weights {
        meaning: "sum of |coefficient| over the model columns made from each input (scaled inputs)",
        items,
    })
}

/// The input columns in order of weight (largest first); those without a
/// weight are left out.
pub fn ranked_inputs(pipeline: &FittedPipeline) -> Vec<Column> {
    largest(pipeline, usize::MAX)
        .map(|w| {
            w.items
                .iter()
                .filter_map(|(name, _)| Column::from_name(name))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `scale` × |coefficient| per input; false when some part of the
/// model is not linear.
fn add(pipeline: &FittedPipeline, scale: f64, sums: &mut HashMap<String, f64>) -> bool {
    if let Some(linear) = pipeline.linear_weights() {
        let columns = pipeline.output_features().iter().zip(linear.coefficients);
        for (name, w) in columns {
            *sums.entry(input_of(name).to_owned()).or_default() += scale * w.abs();
        }
        return true;
    }
    let Some(members) = pipeline.members() else {
        return false;
    };
    let total: f64 = members.iter().map(|m| m.weight).sum();
    total > 0.0
        && members
            .iter()
            .all(|m| add(&m.pipeline, scale * m.weight / total, sums))
}

/// The input a model column comes from, where the name says so.
fn input_of(name: &str) -> &str {
    let base = name.split_once('=').map_or(name, |(variable, _)| variable);
    let base = base.strip_suffix("_na").unwrap_or(base);
    if Column::from_name(base).is_some() {
        base
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::{input_of, largest, ranked_inputs};

    #[test]
    fn one_hot_and_missing_flag_columns_count_for_their_input() {
        assert_eq!(input_of("Neighborhood=NAmes"), "Neighborhood");
        assert_eq!(input_of("LotFrontage_na"), "LotFrontage");
        assert_eq!(input_of("TotalSF"), "TotalSF");
        assert_eq!(input_of("OverallQual"), "OverallQual");
    }

    #[test]
    fn the_shipped_model_has_weights_largest_first() {
        let model = regression_model::shipped_model().unwrap();

        let weights = largest(&model.pipeline, 10).expect("a linear model");

        assert_eq!(weights.items.len(), 10);
        assert!(weights.items.windows(2).all(|p| p[0].1 >= p[1].1));
        let ranked = ranked_inputs(&model.pipeline);
        assert!(ranked.len() >= 10, "{}", ranked.len());
    }
}
