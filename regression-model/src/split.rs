//! The seeded train/hold-out split. Documented so that any language can
//! reproduce it (the Python reference does):
//!
//! 1. `n_holdout = ceil(holdout · n)`.
//! 2. Shuffle `0..n` with Fisher–Yates from the top: for `i = n−1 … 1`,
//!    `j = next() mod (i + 1)`, swap `i` and `j`, where `next()` is
//!    SplitMix64 seeded with `seed`.
//! 3. The first `n_holdout` shuffled indices are the hold-out, the rest the
//!    training rows; both are returned in ascending (file) order.

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and easy to port.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Row indices of the training and hold-out parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub holdout: Vec<usize>,
}

/// `0..n` shuffled by Fisher–Yates from the top with SplitMix64 (step 2 above).
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// Splits `n` rows; `holdout` is the share held out, in `[0, 1)`.
pub fn holdout_split(n: usize, holdout: f64, seed: u64) -> Split {
    let n_holdout = ((holdout.clamp(0.0, 1.0) * n as f64).ceil() as usize).min(n);
    let order = shuffled(n, seed);
    let mut held = order[..n_holdout].to_vec();
    let mut train = order[n_holdout..].to_vec();
    held.sort_unstable();
    train.sort_unstable();
    Split {
        train,
        holdout: held,
    }
}

/// The validation rows of each of `k` folds: shuffle `0..n` as above, then
/// fold `i` takes every `k`-th shuffled index starting at position `i`
/// (positions `i, i + k, i + 2k, …`); each fold is returned in ascending
/// order. Fold sizes differ by at most one.
pub fn k_folds(n: usize, k: usize, seed: u64) -> Vec<Vec<usize>> {
    let order = shuffled(n, seed);
    (0..k)
        .map(|i| {
            let mut fold: Vec<usize> = order.iter().skip(i).step_by(k.max(1)).copied().collect();
            fold.sort_unstable();
            fold
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(rng.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn the_split_matches_the_python_reference_for_the_kaggle_size() {
        let split = holdout_split(1460, 0.1, 0);
        assert_eq!(split.holdout.len(), 146);
        assert_eq!(&split.holdout[..10], &[2, 3, 4, 7, 8, 15, 29, 32, 36, 40]);
        assert_eq!(&split.holdout[141..], &[1408, 1430, 1432, 1437, 1458]);
        assert_eq!(split.train.len(), 1314);
    }

    #[test]
    fn a_zero_holdout_keeps_every_row_for_training() {
        let split = holdout_split(5, 0.0, 3);
        assert_eq!(split.train, vec![0, 1, 2, 3, 4]);
        assert!(split.holdout.is_empty());
    }

    #[test]
    fn k_folds_partition_the_rows_into_near_equal_folds() {
        let folds = k_folds(1460, 5, 0);
        assert!(folds.iter().all(|f| f.len() == 292));
        let mut all: Vec<usize> = folds.concat();
        all.sort_unstable();
        assert_eq!(all, (0..1460).collect::<Vec<_>>());
        let order = shuffled(1460, 0);
        assert!(folds[1].contains(&order[1]) && folds[1].contains(&order[6]));
        assert_eq!(
            k_folds(7, 3, 1).iter().map(Vec::len).collect::<Vec<_>>(),
            [3, 2, 2]
        );
    }
}
