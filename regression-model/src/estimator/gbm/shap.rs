//! Exact TreeSHAP (Lundberg, Erion and Lee 2018, "Consistent
//! Individualized Feature Attribution for Tree Ensembles", Algorithm 2):
//! the Shapley values of one row's prediction by one tree, where a feature
//! left out of a coalition is integrated out along the training rows'
//! paths (each branch weighted by its cover), in `O(leaves × depth²)`
//! time per tree instead of the `O(2^features)` of the definition.
//!
//! The values of a tree add up to its output for the row minus its
//! expected output (the cover-weighted mean of its leaves); those of an
//! ensemble are the sums over its trees, and its base value is the boosting
//! start plus every tree's expected output.
//!
//! The walk mirrors [`Tree::predict_row`]: a row goes left when
//! `value ≤ threshold` (so NaN goes right). It needs the cover, so it is
//! only run on trees that store it (format 3 artifacts, checked first).

use super::tree::{Node, Tree};

/// One element of the path of unique features from the root to a node.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// The feature split on (`usize::MAX` for the root's placeholder).
    feature: usize,
    /// Share of the training rows of the path that this step's branches
    /// keep when the feature is left out of the coalition.
    zero: f64,
    /// 1 when the row follows this step's branch, 0 otherwise.
    one: f64,
    /// The permutation weight of paths of this length.
    weight: f64,
}

const ROOT: usize = usize::MAX;

impl Tree {
    /// The tree's expected output: its leaves' values weighted by their
    /// cover. 0 for a tree without cover (never explained).
    pub fn expected_value(&self) -> f64 {
        let Some(&root) = self.cover.first() else {
            return 0.0;
        };
        let total: f64 = self
            .nodes
            .iter()
            .zip(&self.cover)
            .filter_map(|(node, &cover)| match node {
                Node::Leaf(v) => Some(v * f64::from(cover)),
                Node::Split { .. } => None,
            })
            .sum();
        total / f64::from(root)
    }

    /// Adds this tree's Shapley values for the row whose feature `c` is
    /// `value(c)` to `phi` (one slot per feature). The tree's cover must
    /// have passed [`Tree::check_cover`] and be non-empty; a feature index
    /// past `phi` is skipped (loading checked the feature count).
    pub fn add_shap(&self, value: &impl Fn(usize) -> f64, phi: &mut [f64]) {
        if self.cover.len() != self.nodes.len() || self.nodes.is_empty() {
            return;
        }
        // Every level's path lives at the end of one buffer (its parent's
        // copied, then extended), cut back when the level returns: no
        // allocation per node.
        let mut paths = Vec::with_capacity(64);
        self.recurse(0, &mut paths, 0..0, (1.0, 1.0, ROOT), value, phi);
    }

    /// Algorithm 2's RECURSE from node `at`, below the path
    /// `paths[parent]`.
    fn recurse(
        &self,
        at: usize,
        paths: &mut Vec<Step>,
        parent: std::ops::Range<usize>,
        (zero, one, feature): (f64, f64, usize),
        value: &impl Fn(usize) -> f64,
        phi: &mut [f64],
    ) {
        let base = paths.len();
        paths.extend_from_within(parent);
        extend(paths, base, zero, one, feature);
        match self.nodes[at] {
            Node::Leaf(leaf) => {
                let path = &paths[base..];
                for i in 1..path.len() {
                    let w = unwound_sum(path, i);
                    if let Some(slot) = phi.get_mut(path[i].feature) {
                        *slot += w * (path[i].one - path[i].zero) * leaf;
                    }
                }
            }
            Node::Split {
                feature,
                threshold,
                left,
                right,
            } => {
                let feature = feature as usize;
                let (hot, cold) = if value(feature) <= threshold {
                    (left as usize, right as usize)
                } else {
                    (right as usize, left as usize)
                };
                let (mut incoming_zero, mut incoming_one) = (1.0, 1.0);
                // A feature split on again higher up: its earlier step is
                // taken out and its fractions carried into this split.
                if let Some(k) = paths[base..].iter().position(|s| s.feature == feature) {
                    incoming_zero = paths[base + k].zero;
                    incoming_one = paths[base + k].one;
                    unwind(paths, base, k);
                }
                let cover = f64::from(self.cover[at]);
                let share = |child: usize| incoming_zero * f64::from(self.cover[child]) / cover;
                let mine = base..paths.len();
                let (hot_share, cold_share) = (share(hot), share(cold));
                self.recurse(
                    hot,
                    paths,
                    mine.clone(),
                    (hot_share, incoming_one, feature),
                    value,
                    phi,
                );
                self.recurse(cold, paths, mine, (cold_share, 0.0, feature), value, phi);
            }
        }
        paths.truncate(base);
    }
}

/// Algorithm 2's EXTEND: grows the path by one feature and updates the
/// permutation weights of every subset size.
/// The path is `paths[base..]`.
fn extend(paths: &mut Vec<Step>, base: usize, zero: f64, one: f64, feature: usize) {
    let depth = paths.len() - base;
    paths.push(Step {
        feature,
        zero,
        one,
        weight: if depth == 0 { 1.0 } else { 0.0 },
    });
    let path = &mut paths[base..];
    let denominator = (depth + 1) as f64;
    for i in (0..depth).rev() {
        path[i + 1].weight += one * path[i].weight * (i + 1) as f64 / denominator;
        path[i].weight = zero * path[i].weight * (depth - i) as f64 / denominator;
    }
}

/// Algorithm 2's UNWIND: undoes the EXTEND of element `i` of the path
/// `paths[base..]`.
fn unwind(paths: &mut Vec<Step>, base: usize, i: usize) {
    let path = &mut paths[base..];
    let depth = path.len() - 1;
    let (one, zero) = (path[i].one, path[i].zero);
    let mut next = path[depth].weight;
    let denominator = (depth + 1) as f64;
    for j in (0..depth).rev() {
        if one != 0.0 {
            let kept = path[j].weight;
            path[j].weight = next * denominator / ((j + 1) as f64 * one);
            next = kept - path[j].weight * zero * (depth - j) as f64 / denominator;
        } else {
            path[j].weight = path[j].weight * denominator / (zero * (depth - j) as f64);
        }
    }
    for j in i..depth {
        path[j].feature = path[j + 1].feature;
        path[j].zero = path[j + 1].zero;
        path[j].one = path[j + 1].one;
    }
    paths.pop();
}

/// The sum of the weights UNWIND would leave for element `i`, without
/// building the unwound path.
fn unwound_sum(path: &[Step], i: usize) -> f64 {
    let depth = path.len() - 1;
    let (one, zero) = (path[i].one, path[i].zero);
    let denominator = (depth + 1) as f64;
    let mut next = path[depth].weight;
    let mut total = 0.0;
    for j in (0..depth).rev() {
        if one != 0.0 {
            let weight = next * denominator / ((j + 1) as f64 * one);
            total += weight;
            next = path[j].weight - weight * zero * (depth - j) as f64 / denominator;
        } else {
            total += path[j].weight / zero * denominator / (depth - j) as f64;
        }
    }
    total
}

#[cfg(test)]
mod tests;
