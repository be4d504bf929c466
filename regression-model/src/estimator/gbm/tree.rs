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
    /// How many training rows reached each node (its "cover"), in node
    /// order: what TreeSHAP weighs the branches a row does not take by.
    /// Empty for a tree read from an artifact older than format 3, which
    /// did not store it (such a tree predicts, but is not explained).
    pub cover: Vec<u32>,
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

    /// Checks a loaded tree's cover: empty (an older artifact), or one
    /// positive count per node, each split's count the sum of its
    /// children's. Child indices are checked on the way.
    pub fn check_cover(&self) -> Result<(), String> {
        if self.cover.is_empty() {
            return Ok(());
        }
        if self.cover.len() != self.nodes.len() {
            return Err(format!(
                "{} cover counts for {} nodes",
                self.cover.len(),
                self.nodes.len()
            ));
        }
        for (at, node) in self.nodes.iter().enumerate() {
            if self.cover[at] == 0 {
                return Err(format!("node {at} has a cover of 0"));
            }
            if let Node::Split { left, right, .. } = node {
                let child = |i: u32| {
                    (i as usize > at)
                        .then(|| self.cover.get(i as usize).copied())
                        .flatten()
                };
                match (child(*left), child(*right)) {
                    (Some(l), Some(r))
                        if u64::from(l) + u64::from(r) == u64::from(self.cover[at]) => {}
                    _ => {
                        return Err(format!("node {at}'s children do not split its cover"));
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether the tree stores its cover (format 3 on).
    pub fn has_cover(&self) -> bool {
        !self.cover.is_empty()
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
            cover: Vec::new(),
        };
        assert_eq!(cycle.predict_row(|_| 0.0), 0.0);
        let dangling = Tree {
            nodes: vec![Node::Split {
                feature: 0,
                threshold: 1.0,
                left: 5,
                right: 5,
            }],
            cover: Vec::new(),
        };
        assert_eq!(dangling.predict_row(|_| 0.0), 0.0);
        assert!(dangling.check_cover().is_ok(), "no cover: nothing to check");
    }

    #[test]
    fn a_cover_that_its_children_do_not_split_is_refused() {
        let split = Node::Split {
            feature: 0,
            threshold: 1.0,
            left: 1,
            right: 2,
        };
        let mut tree = Tree {
            nodes: vec![split, Node::Leaf(1.0), Node::Leaf(2.0)],
            cover: vec![10, 4, 6],
        };
        assert!(tree.check_cover().is_ok());
        tree.cover[2] = 5;
        assert!(tree.check_cover().unwrap_err().contains("node 0"));
        tree.cover = vec![10, 4];
        assert!(tree.check_cover().unwrap_err().contains("2 cover counts"));
        tree.cover = vec![10, 10, 0];
        assert!(tree.check_cover().is_err());
    }
}
