//! The boosted trees re-laid out for prediction, built from the stored
//! [`Tree`]s when a pipeline first predicts (never stored: the artifact
//! keeps the [`Node`] list, so its bytes do not change).
//!
//! Walking the stored trees (24-byte enum nodes, values read through
//! ndarray's two-dimensional indexing, a leaf test at every node) took
//! about 105 instructions a tree on generation 4's 1,000 trees (callgrind,
//! `test.csv`). Here every tree is padded to a complete binary tree of the
//! deepest tree's depth `D`, stored implicitly (node `i`'s children are
//! `2i + 1` and `2i + 2`): per tree `2^D − 1` split features and
//! thresholds and `2^D` leaf values. A leaf above depth `D` becomes
//! splits whose two sides both end in its value, so whichever way a row
//! goes it gets that value. A walk is then exactly `D` steps of a load, a
//! compare and an add, with no leaf test and no child pointers.
//!
//! The walk makes the same comparisons as [`Tree::predict_row`] (`value ≤
//! threshold` goes left; NaN goes right) on the splits a row meets, and
//! every row adds the trees in tree order, so predictions are the same to
//! the bit.

mod quantized;

use ndarray::Array2;

use super::{BoostedTrees, Node, Tree};
use quantized::Quantized;

/// Deeper trees keep the stored walk: a padded tree has `2^D` leaves.
const MAX_COMPACT_DEPTH: usize = 10;

/// Every tree padded to depth `depth`, tree after tree.
#[derive(Debug, Clone)]
pub(crate) struct CompactTrees {
    n_features: usize,
    base: f64,
    depth: usize,
    /// `2^depth` a tree: its `2^depth − 1` splits, then one unused.
    splits: Vec<Split>,
    leaves: Vec<f64>,
    /// The splits by rank, for batches of at least [`QUANTIZED_ROWS`].
    quantized: Option<Quantized>,
}

/// Batches from this many rows take [`Quantized`]'s comparisons across a
/// block of rows, which cost the same for a block of 64 rows whether it
/// holds 1 or 64; smaller batches walk. Measured on generation 4's trees
/// (`examples/profile_predict`): 4 rows 70 µs against 29 µs walking, 16
/// rows 88 against 82, 32 rows 111 against 150.
const QUANTIZED_ROWS: usize = 20;

/// A split of a padded tree: `value ≤ threshold` goes left.
#[derive(Debug, Clone, Copy, Default)]
struct Split {
    threshold: f64,
    feature: u32,
}

impl CompactTrees {
    /// The compact form of `model`, or `None` when a tree is not one that
    /// growing makes (a child index out of range or not after its parent,
    /// a feature past the columns), is deeper than 10, or there are no
    /// columns: such a model keeps the checked walk of
    /// [`Tree::predict_row`].
    pub(crate) fn new(model: &BoostedTrees) -> Option<CompactTrees> {
        if model.n_features == 0 {
            return None;
        }
        let mut depth = 0;
        for tree in &model.trees {
            depth = depth.max(tree_depth(tree, 0, model.n_features, 0)?);
        }
        let width = 1usize << depth;
        let mut out = CompactTrees {
            n_features: model.n_features,
            base: model.base,
            depth,
            splits: vec![Split::default(); width * model.trees.len()],
            leaves: vec![0.0; width * model.trees.len()],
            quantized: None,
        };
        for (t, tree) in model.trees.iter().enumerate() {
            let at = t * width;
            let mut padded = Padded {
                splits: &mut out.splits[at..at + width - 1],
                leaves: &mut out.leaves[at..at + width],
            };
            padded.fill(tree, 0, 0);
        }
        out.quantized = Quantized::new(&out.splits, depth, out.n_features);
        Some(out)
    }

    /// One value per row of `x` (which has `n_features` columns: the
    /// caller checked), trees outer so that a tree stays in cache while
    /// every row walks it.
    pub(crate) fn predict(&self, x: &Array2<f64>) -> Vec<f64> {
        let mut sums = vec![self.base; x.nrows()];
        if let Some(quantized) = self
            .quantized
            .as_ref()
            .filter(|_| x.nrows() >= QUANTIZED_ROWS)
        {
            let leaves = &self.leaves;
            match self.depth {
                0 => quantized.add_trees::<0, 1>(x, leaves, &mut sums),
                1 => quantized.add_trees::<1, 2>(x, leaves, &mut sums),
                2 => quantized.add_trees::<2, 4>(x, leaves, &mut sums),
                3 => quantized.add_trees::<3, 8>(x, leaves, &mut sums),
                4 => quantized.add_trees::<4, 16>(x, leaves, &mut sums),
                _ => quantized.add_trees::<5, 32>(x, leaves, &mut sums),
            }
            return sums;
        }
        let standard;
        let values = match x.as_slice() {
            Some(values) => values,
            None => {
                standard = x.as_standard_layout().into_owned();
                standard.as_slice().unwrap_or_default()
            }
        };
        // The depth as a constant: the walk is unrolled, and the tree's
        // arrays have a length the compiler knows, so their indexing
        // needs no bounds checks.
        match self.depth {
            0 => self.add_trees::<0, 1>(values, &mut sums),
            1 => self.add_trees::<1, 2>(values, &mut sums),
            2 => self.add_trees::<2, 4>(values, &mut sums),
            3 => self.add_trees::<3, 8>(values, &mut sums),
            4 => self.add_trees::<4, 16>(values, &mut sums),
            5 => self.add_trees::<5, 32>(values, &mut sums),
            6 => self.add_trees::<6, 64>(values, &mut sums),
            7 => self.add_trees::<7, 128>(values, &mut sums),
            8 => self.add_trees::<8, 256>(values, &mut sums),
            9 => self.add_trees::<9, 512>(values, &mut sums),
            _ => self.add_trees::<10, 1024>(values, &mut sums),
        }
        sums
    }

    /// Whether batches take the ranked splits of [`Quantized`].
    #[cfg(test)]
    pub(crate) fn is_quantized(&self) -> bool {
        self.quantized.is_some()
    }

    /// Adds every tree's leaf to each row's sum; `LEAVES` is `2^DEPTH`.
    ///
    /// Rows go [`BLOCK`] at a time through all the trees, so that the
    /// block's values stay in cache while the trees stream past (all of
    /// `test.csv`'s rows are 0.9 MB; 1,000 trees of depth 4, 384 kB). In
    /// a block, [`LANES`] rows walk a tree side by side: one row's walk is
    /// a chain of dependent loads, and several independent chains keep the
    /// CPU busy while each waits. Every row still adds the trees in tree
    /// order, so its sum is the same to the bit.
    fn add_trees<const DEPTH: usize, const LEAVES: usize>(&self, values: &[f64], sums: &mut [f64]) {
        let n = self.n_features;
        let trees = || {
            self.splits
                .chunks_exact(LEAVES)
                .zip(self.leaves.chunks_exact(LEAVES))
                .filter_map(|(splits, leaves)| {
                    Some((
                        <&[Split; LEAVES]>::try_from(splits).ok()?,
                        <&[f64; LEAVES]>::try_from(leaves).ok()?,
                    ))
                })
        };
        for (sums, rows) in sums.chunks_mut(BLOCK).zip(values.chunks(BLOCK * n)) {
            for (splits, leaves) in trees() {
                let mut lanes = sums.chunks_exact_mut(LANES);
                let mut lane_rows = rows.chunks_exact(LANES * n);
                for (sums, rows) in lanes.by_ref().zip(lane_rows.by_ref()) {
                    let mut at = [0usize; LANES];
                    for _ in 0..DEPTH {
                        for (lane, at) in at.iter_mut().enumerate() {
                            *at = step(splits, rows, lane * n, *at);
                        }
                    }
                    for (sum, at) in sums.iter_mut().zip(at) {
                        *sum += leaves[(at + 1 - LEAVES) & (LEAVES - 1)];
                    }
                }
                let rest = lanes.into_remainder().iter_mut();
                for (sum, row) in rest.zip(lane_rows.remainder().chunks_exact(n)) {
                    let mut at = 0;
                    for _ in 0..DEPTH {
                        at = step(splits, row, 0, at);
                    }
                    *sum += leaves[(at + 1 - LEAVES) & (LEAVES - 1)];
                }
            }
        }
    }
}

/// Rows that go through all the trees together: 64 rows of generation 4's
/// ~80 columns are 40 kB.
const BLOCK: usize = 64;

/// Rows that walk a tree side by side.
const LANES: usize = 4;

/// One step of a walk: from padded split `at` to the child that the row
/// starting at `rows[start]` goes to (`value ≤ threshold` goes left; NaN,
/// or a value past the rows, right). A split's feature is within the row
/// ([`tree_depth`] checked it).
#[inline(always)]
fn step<const LEAVES: usize>(
    splits: &[Split; LEAVES],
    rows: &[f64],
    start: usize,
    at: usize,
) -> usize {
    let split = splits[at & (LEAVES - 1)];
    let value = rows.get(start + split.feature as usize).copied();
    let goes_left = value.unwrap_or(f64::NAN) <= split.threshold;
    2 * at + 1 + usize::from(!goes_left)
}

/// The depth of the subtree at stored node `at` (a leaf: 0), or `None` if
/// it is malformed or deeper than [`MAX_COMPACT_DEPTH`].
fn tree_depth(tree: &Tree, at: usize, n_features: usize, level: usize) -> Option<usize> {
    match tree.nodes.get(at)? {
        Node::Leaf(_) => Some(0),
        Node::Split {
            feature,
            left,
            right,
            ..
        } => {
            let (left, right) = (*left as usize, *right as usize);
            if level >= MAX_COMPACT_DEPTH || left <= at || right <= at {
                return None;
            }
            if *feature as usize >= n_features {
                return None;
            }
            let below = tree_depth(tree, left, n_features, level + 1)?.max(tree_depth(
                tree,
                right,
                n_features,
                level + 1,
            )?);
            Some(below + 1)
        }
    }
}

/// One tree's slices of a [`CompactTrees`].
struct Padded<'a> {
    splits: &'a mut [Split],
    leaves: &'a mut [f64],
}

impl Padded<'_> {
    /// Writes stored node `at` (checked by [`tree_depth`]) at padded
    /// position `position`, and its subtree below it.
    fn fill(&mut self, tree: &Tree, at: usize, position: usize) {
        let internal = self.splits.len();
        let node = &tree.nodes[at];
        if position >= internal {
            if let Node::Leaf(value) = node {
                self.leaves[position - internal] = *value;
            }
            return;
        }
        match node {
            Node::Split {
                feature,
                threshold,
                left,
                right,
            } => {
                self.splits[position] = Split {
                    threshold: *threshold,
                    feature: *feature,
                };
                self.fill(tree, *left as usize, 2 * position + 1);
                self.fill(tree, *right as usize, 2 * position + 2);
            }
            Node::Leaf(_) => {
                // Either way leads to this leaf's value.
                self.fill(tree, at, 2 * position + 1);
                self.fill(tree, at, 2 * position + 2);
            }
        }
    }
}

#[cfg(all(test, feature = "train"))]
mod tests;
