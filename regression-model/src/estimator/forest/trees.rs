//! A fitted random forest as smartcore 0.7 serialises it, read and walked
//! without smartcore, so that a predict-only build (no `train` feature) can
//! load and use a forest artifact.
//!
//! The structs mirror smartcore's `RandomForestRegressor`, `BaseForest`,
//! `BaseTree`, `BaseTreeParameters` and `Node` field for field, in order:
//! postcard stores neither names nor types, so the same fields in the same
//! order read and write the same bytes (a test with `train` fits a smartcore
//! forest and compares). Unlike smartcore's walk, a malformed tree (a child
//! index out of range, a cycle) is an error rather than a panic.

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

/// smartcore's `RandomForestRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Forest {
    forest_regressor: Option<BaseForest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BaseForest {
    trees: Option<Vec<Tree>>,
    num_features: Option<usize>,
    samples: Option<Vec<Vec<bool>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tree {
    nodes: Vec<Node>,
    parameters: Option<TreeParameters>,
    depth: u16,
    root_mass: f64,
    // smartcore's four type markers: unit values, no bytes.
    _phantom_tx: PhantomData<f64>,
    _phantom_ty: PhantomData<f64>,
    _phantom_x: PhantomData<f64>,
    _phantom_y: PhantomData<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TreeParameters {
    max_depth: Option<u16>,
    min_samples_leaf: usize,
    min_samples_split: usize,
    seed: Option<u64>,
    splitter: Splitter,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Splitter {
    Random,
    Best,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Node {
    output: f64,
    split_feature: usize,
    split_value: Option<f64>,
    split_score: Option<f64>,
    true_child: Option<usize>,
    false_child: Option<usize>,
}

impl Forest {
    /// The mean of the trees' leaf values for one row of features, summed
    /// in tree order and divided by the tree count, as smartcore's
    /// `predict_mean` does (so the price is the same to the bit).
    pub(crate) fn predict_row(&self, row: &[f64]) -> Result<f64, String> {
        let trees = self
            .forest_regressor
            .as_ref()
            .and_then(|f| f.trees.as_deref())
            .filter(|trees| !trees.is_empty())
            .ok_or("the forest has no trees")?;
        let mut sum = 0.0;
        for (index, tree) in trees.iter().enumerate() {
            sum += tree
                .leaf(row)
                .map_err(|problem| format!("tree {}: {problem}", index + 1))?;
        }
        Ok(sum / trees.len() as f64)
    }
}

impl Tree {
    /// smartcore's rule: go to the true child while the feature is at most
    /// the split value (a missing split value sends every row to the false
    /// child), and stop at a node without children.
    fn leaf(&self, row: &[f64]) -> Result<f64, String> {
        let mut id = 0;
        // A path visits each node at most once; more steps mean a cycle.
        for _ in 0..=self.nodes.len() {
            let node = self
                .nodes
                .get(id)
                .ok_or_else(|| format!("node {id} of {} does not exist", self.nodes.len()))?;
            let Some(true_child) = node.true_child else {
                return Ok(node.output);
            };
            let false_child = node
                .false_child
                .ok_or_else(|| format!("node {id} has a true child but no false child"))?;
            let value = row.get(node.split_feature).ok_or_else(|| {
                format!(
                    "node {id} splits on feature {} of {}",
                    node.split_feature,
                    row.len()
                )
            })?;
            id = if *value <= node.split_value.unwrap_or(f64::NAN) {
                true_child
            } else {
                false_child
            };
        }
        Err("its nodes form a cycle".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(output: f64, split: Option<(usize, f64, usize, usize)>) -> Node {
        Node {
            output,
            split_feature: split.map_or(0, |s| s.0),
            split_value: split.map(|s| s.1),
            split_score: None,
            true_child: split.map(|s| s.2),
            false_child: split.map(|s| s.3),
        }
    }

    fn forest(trees: Vec<Vec<Node>>) -> Forest {
        Forest {
            forest_regressor: Some(BaseForest {
                trees: Some(
                    trees
                        .into_iter()
                        .map(|nodes| Tree {
                            nodes,
                            parameters: None,
                            depth: 1,
                            root_mass: 1.0,
                            _phantom_tx: PhantomData,
                            _phantom_ty: PhantomData,
                            _phantom_x: PhantomData,
                            _phantom_y: PhantomData,
                        })
                        .collect(),
                ),
                num_features: Some(2),
                samples: None,
            }),
        }
    }

    #[test]
    fn a_row_goes_left_while_its_value_is_at_most_the_split_and_trees_are_averaged() {
        let stump = |feature| {
            vec![
                node(0.0, Some((feature, 5.0, 1, 2))),
                node(10.0, None),
                node(20.0, None),
            ]
        };
        let model = forest(vec![stump(0), stump(1)]);
        assert_eq!(model.predict_row(&[5.0, 6.0]), Ok(15.0));
        assert_eq!(model.predict_row(&[1.0, 1.0]), Ok(10.0));
        assert_eq!(model.predict_row(&[f64::NAN, 9.0]), Ok(20.0));
    }

    #[test]
    fn a_malformed_forest_is_an_error_not_a_panic() {
        let dangling = forest(vec![vec![node(0.0, Some((0, 1.0, 1, 7))), node(1.0, None)]]);
        assert!(dangling.predict_row(&[2.0]).unwrap_err().contains("node 7"));
        let cycle = forest(vec![vec![node(0.0, Some((0, 1.0, 0, 0)))]]);
        assert!(cycle.predict_row(&[0.0]).unwrap_err().contains("cycle"));
        let narrow = forest(vec![vec![node(0.0, Some((3, 1.0, 1, 1))), node(1.0, None)]]);
        assert!(
            narrow
                .predict_row(&[0.0])
                .unwrap_err()
                .contains("feature 3")
        );
        assert_eq!(
            forest(Vec::new()).predict_row(&[0.0]),
            Err("the forest has no trees".into())
        );
        let bytes = postcard::to_allocvec(&dangling).unwrap();
        assert!(postcard::from_bytes::<Forest>(&bytes[..bytes.len() / 2]).is_err());
    }
}
