//! The padded trees of [`CompactTrees`](super::CompactTrees) once more,
//! for batches: every split's threshold replaced by its rank among the
//! thresholds of its feature, and every value by a byte that ranks it the
//! same way, so a block of rows meets a split in one comparison of bytes
//! across the block.
//!
//! A walk compares one row at a time, and each step waits on the load
//! before it: on generation 4's 1,000 trees of depth 4 that was half of a
//! 1,459-row prediction, however many rows walked side by side. Here
//! [`LANES`] rows take every split of a tree together (15 for depth 4),
//! level by level, in loops of bytes that the compiler turns into vector
//! instructions; a row keeps the outcome of the one split of each level
//! that its path meets.
//!
//! Exact, not approximate: with `cuts` a feature's distinct thresholds in
//! increasing order and `code(v)` the number of them below `v`,
//! `v ≤ cuts[k]` holds exactly when `code(v) ≤ k`. NaN codes as 127, above
//! every rank (at most 125), so it goes right as in the walk. Each row
//! still adds the trees' leaves in tree order, so every sum is the same to
//! the bit.

use std::borrow::Cow;

use ndarray::Array2;

use super::Split;

/// Rows that go through the trees together.
const LANES: usize = 64;

/// Trees whose leaves are added to a block's sums together.
const GROUP: usize = 8;

/// Depth at most this: level `d` costs `2^d` comparisons across the block,
/// a walk one per row, so deeper trees keep the walk.
const MAX_DEPTH: usize = 5;

/// Distinct thresholds a feature may have: codes stay below 128 (NaN's
/// is 127), so bytes compare as signed, which SSE2 does in one step.
/// Histogram trees have at most `max_bins − 1` (63 by default).
const MAX_CUTS: usize = 126;

/// The code of NaN: above every rank, so it goes right.
const NAN_CODE: u8 = MAX_CUTS as u8 + 1;

/// A split by rank: `code > rank` goes right.
#[derive(Debug, Clone, Copy, Default)]
struct RankSplit {
    /// Index into [`Quantized::features`], and the row of a block's codes.
    slot: u16,
    rank: u8,
}

/// The trees' splits by rank, with what turns values into codes.
#[derive(Debug, Clone)]
pub(super) struct Quantized {
    /// The features some split reads, by slot.
    features: Vec<usize>,
    /// Per slot: its feature's distinct thresholds, increasing.
    cuts: Vec<Vec<f64>>,
    /// `2^depth` a tree, as the padded splits (the last one unused).
    splits: Vec<RankSplit>,
}

impl Quantized {
    /// The ranked form of padded `splits`, or `None` when a feature has
    /// more than [`MAX_CUTS`] distinct thresholds, a threshold is NaN, the depth is
    /// past [`MAX_DEPTH`] or the features do not fit in 16 bits.
    pub(super) fn new(splits: &[Split], depth: usize, n_features: usize) -> Option<Quantized> {
        if depth > MAX_DEPTH || n_features > usize::from(u16::MAX) {
            return None;
        }
        let mut by_feature: Vec<Vec<f64>> = vec![Vec::new(); n_features];
        for split in splits {
            if split.threshold.is_nan() {
                return None;
            }
            by_feature
                .get_mut(split.feature as usize)?
                .push(split.threshold);
        }
        let mut slot_of = vec![0u16; n_features];
        let (mut features, mut cuts) = (Vec::new(), Vec::new());
        for (feature, mut thresholds) in by_feature.into_iter().enumerate() {
            if thresholds.is_empty() {
                continue;
            }
            thresholds.sort_unstable_by(f64::total_cmp);
            thresholds.dedup();
            if thresholds.len() > MAX_CUTS {
                return None;
            }
            slot_of[feature] = u16::try_from(features.len()).ok()?;
            features.push(feature);
            cuts.push(thresholds);
        }
        let splits = splits
            .iter()
            .map(|split| {
                let slot = slot_of[split.feature as usize];
                let rank = cuts[usize::from(slot)].partition_point(|c| *c < split.threshold);
                Some(RankSplit {
                    slot,
                    rank: u8::try_from(rank).ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Quantized {
            features,
            cuts,
            splits,
        })
    }

    /// Adds every tree's leaf to `sums` (one per row of `x`, which has the
    /// trees' columns: the caller checked), [`LANES`] rows at a time.
    /// `LEAVES` is `2^DEPTH`; `leaves` holds `LEAVES` values a tree.
    pub(super) fn add_trees<const DEPTH: usize, const LEAVES: usize>(
        &self,
        x: &Array2<f64>,
        leaves: &[f64],
        sums: &mut [f64],
    ) {
        // The columns the splits read, each in one piece: the pipeline's
        // matrices are column-major, so these are views, not copies.
        let columns: Vec<Cow<'_, [f64]>> = self
            .features
            .iter()
            .map(|&f| {
                let column = x.column(f);
                match column.to_slice() {
                    Some(values) => Cow::Borrowed(values),
                    None => Cow::Owned(column.to_vec()),
                }
            })
            .collect();
        let mut codes = vec![0u8; self.features.len() * LANES];
        let trees: Vec<(&[RankSplit; LEAVES], &[f64; LEAVES])> = self
            .splits
            .chunks_exact(LEAVES)
            .zip(leaves.chunks_exact(LEAVES))
            .filter_map(|(s, l)| Some((s.try_into().ok()?, l.try_into().ok()?)))
            .collect();
        for (block_at, sums) in sums.chunks_mut(LANES).enumerate() {
            self.encode(&columns, block_at * LANES, &mut codes);
            let mut block = [0.0; LANES];
            block[..sums.len()].copy_from_slice(sums);
            // A few trees' leaves at a time, so that each lane's sum is
            // read and written once for them (still added in tree order).
            let mut groups = trees.chunks_exact(GROUP);
            for group in groups.by_ref() {
                let at: [[u8; LANES]; GROUP] =
                    std::array::from_fn(|t| leaf_positions::<DEPTH, LEAVES>(group[t].0, &codes));
                for (lane, sum) in block.iter_mut().enumerate() {
                    let mut lane_sum = *sum;
                    for ((_, leaves), at) in group.iter().zip(&at) {
                        lane_sum += leaves[usize::from(at[lane]) & (LEAVES - 1)];
                    }
                    *sum = lane_sum;
                }
            }
            for (splits, leaves) in groups.remainder() {
                let at = leaf_positions::<DEPTH, LEAVES>(splits, &codes);
                for (sum, at) in block.iter_mut().zip(at) {
                    *sum += leaves[usize::from(at) & (LEAVES - 1)];
                }
            }
            sums.copy_from_slice(&block[..sums.len()]);
        }
    }

    /// The codes of the block of rows from `first`, slot by slot:
    /// `codes[slot * LANES + lane]`. Lanes past the last row keep whatever
    /// they had (their sums are not kept).
    fn encode(&self, columns: &[Cow<'_, [f64]>], first: usize, codes: &mut [u8]) {
        for ((column, cuts), codes) in columns
            .iter()
            .zip(&self.cuts)
            .zip(codes.chunks_exact_mut(LANES))
        {
            let values = column.get(first..).unwrap_or_default();
            for (code, &value) in codes.iter_mut().zip(values) {
                *code = if value.is_nan() {
                    NAN_CODE
                } else {
                    cuts.partition_point(|c| *c < value) as u8
                };
            }
        }
    }
}

/// Each lane's leaf in one tree (its position among the `LEAVES`). Every split of the tree
/// is compared across the lanes first (a mask per split: `0xFF` right,
/// `0` left); then level by level each lane picks, among the level's
/// masks, the one its path leads to, by halving the candidates with the
/// outcomes of the levels above. Only whole-block byte operations, no
/// per-lane branches or loads.
#[inline(always)]
fn leaf_positions<const DEPTH: usize, const LEAVES: usize>(
    splits: &[RankSplit; LEAVES],
    codes: &[u8],
) -> [u8; LANES] {
    let mut right = [[0u8; LANES]; LEAVES];
    for (right, split) in right.iter_mut().zip(splits).take(LEAVES - 1) {
        let start = usize::from(split.slot) * LANES;
        let Some(column) = codes.get(start..start + LANES) else {
            continue;
        };
        // Codes and ranks are below 128, so a signed byte comparison
        // (one instruction for 16 lanes) is the unsigned one.
        let rank = split.rank as i8;
        for (right, code) in right.iter_mut().zip(column) {
            *right = u8::from(*code as i8 > rank).wrapping_neg();
        }
    }
    let mut outcome = [[0u8; LANES]; DEPTH];
    let mut candidates = [[0u8; LANES]; LEAVES];
    for level in 0..DEPTH {
        let first = (1 << level) - 1;
        let mut n = 1 << level;
        candidates[..n].copy_from_slice(&right[first..first + n]);
        for above in (0..level).rev() {
            n /= 2;
            for i in 0..n {
                candidates[i] = select(&outcome[above], &candidates[2 * i + 1], &candidates[2 * i]);
            }
        }
        outcome[level] = candidates[0];
    }
    let mut leaf = [0u8; LANES];
    for (level, outcome) in outcome.iter().enumerate() {
        let bit = 1u8 << (DEPTH - 1 - level);
        for (leaf, outcome) in leaf.iter_mut().zip(outcome) {
            *leaf |= outcome & bit;
        }
    }
    leaf
}

/// `mask ? a : b`, lane by lane (`mask` is `0xFF` or `0`).
#[inline(always)]
fn select(mask: &[u8; LANES], a: &[u8; LANES], b: &[u8; LANES]) -> [u8; LANES] {
    let mut out = [0u8; LANES];
    for lane in 0..LANES {
        out[lane] = (a[lane] & mask[lane]) | (b[lane] & !mask[lane]);
    }
    out
}
