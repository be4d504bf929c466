//! The prediction layouts against the stored trees' own walk, bit for bit.

use ndarray::Array2;

use super::super::GradientBoosting;
use super::super::tests::data;
use super::super::tree::Node;
use super::CompactTrees;

#[test]
fn the_compact_layout_predicts_every_row_to_the_bit_and_refuses_malformed_trees() {
    let (x, y) = data();
    let model = GradientBoosting {
        n_trees: 80,
        subsample: 0.7,
        colsample: 0.75,
        ..GradientBoosting::default()
    }
    .fit(&x, &y)
    .unwrap();
    let compact = CompactTrees::new(&model).expect("grown trees are well formed");
    assert!(compact.is_quantized(), "batches take the ranked splits");
    let mut probe = x.clone();
    probe[[0, 0]] = f64::NAN;
    probe[[1, 2]] = f64::INFINITY;
    probe[[2, 1]] = -1e300;
    // Values exactly at thresholds (which go left), in walked and in
    // quantized batches alike.
    for (row, tree) in (3..300).step_by(7).zip(&model.trees) {
        if let Node::Split {
            feature, threshold, ..
        } = tree.nodes[0]
        {
            probe[[row, feature as usize]] = threshold;
        }
    }
    let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
    let expected = bits(model.predict(&probe).unwrap());
    assert_eq!(bits(compact.predict(&probe)), expected);
    // A column-major matrix (not a plain row-major slice) gives the same.
    let fortran = probe.t().as_standard_layout().into_owned().reversed_axes();
    assert!(fortran.as_slice().is_none());
    assert_eq!(bits(compact.predict(&fortran)), expected);
    // Rows in blocks and lanes, and the rows left over from both.
    for rows in [1, 3, 5, 19, 20, 63, 64, 65, 129, 299] {
        let part = probe.slice(ndarray::s![..rows, ..]).to_owned();
        assert_eq!(
            bits(compact.predict(&part)),
            expected[..rows],
            "{rows} rows"
        );
    }

    let mut broken = model.clone();
    broken.trees[3].nodes[0] = Node::Split {
        feature: 0,
        threshold: 1.0,
        left: 0,
        right: 1,
    };
    assert!(CompactTrees::new(&broken).is_none(), "a cycle");
    let mut broken = model.clone();
    if let Node::Split { feature, .. } = &mut broken.trees[5].nodes[0] {
        *feature = 99;
    }
    assert!(
        CompactTrees::new(&broken).is_none(),
        "a feature past the columns"
    );
}

#[test]
fn features_with_too_many_thresholds_to_rank_in_a_byte_keep_the_exact_walk() {
    // 300 distinct values a column and 255 bins: some column is split at
    // more than 126 distinct thresholds over 300 trees.
    let x = Array2::from_shape_fn((300, 2), |(i, j)| ((i * 37 + j * 11) % 300) as f64);
    let y: Vec<f64> = x.outer_iter().map(|r| (r[0] / 10.0).sin() * r[1]).collect();
    let model = GradientBoosting {
        n_trees: 300,
        max_bins: 255,
        min_samples_leaf: 1,
        ..GradientBoosting::default()
    }
    .fit(&x, &y)
    .unwrap();
    let compact = CompactTrees::new(&model).expect("grown trees are well formed");
    assert!(!compact.is_quantized());
    let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
    assert_eq!(bits(compact.predict(&x)), bits(model.predict(&x).unwrap()));
}
