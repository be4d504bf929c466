//! One fitted regression tree, stored as a flat node list, and how a row
//! walks it (growing one is [`super::grow`], `train` feature only).

use serde::{Deserialize, Serialize};

/// A node of a fitted tree; children are indices into [`Tree::nodes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    /// Rows with `value ≤ threshold` of `feature` go `left`, others `right`.
    Split {
        feature: u32,
        threshold: f64,
        left: u32,
        right: u32,
    },
    /// What the tree adds to the prediction (learning rate included).
    Leaf(f64),
}

/// A fitted tree; its root is `nodes[0]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    /// The leaf value for a row whose feature `c` is `value(c)`. A corrupt
    /// tree (a child index out of range, a cycle) yields 0 rather than a
    /// panic or an endless walk: the walk stops after `nodes.len()` steps.
    pub fn predict_row(&self, value: impl Fn(usize) -> f64) -> f64 {
        let mut at = 0;
        for _ in 0..self.nodes.len() {
            match self.nodes.get(at) {
                Some(Node::Leaf(v)) => return *v,
                Some(Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                }) => {
                    at = if value(*feature as usize) <= *threshold {
                        *left
                    } else {
                        *right
                    } as usize;
                }
                None => return 0.0,
            }
        }
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_tree_predicts_zero_instead_of_looping_or_panicking() {
        let cycle = Tree {
            nodes: vec![Node::Split {
                feature: 0,
                threshold: 1.0,
                left: 0,
                right: 0,
            }],
        };
        assert_eq!(cycle.predict_row(|_| 0.0), 0.0);
        let dangling = Tree {
            nodes: vec![Node::Split {
                feature: 0,
                threshold: 1.0,
                left: 5,
                right: 5,
            }],
        };
        assert_eq!(dangling.predict_row(|_| 0.0), 0.0);
    }
}
