//! TreeSHAP against the definition: Shapley values by enumerating every
//! coalition, with a left-out feature integrated out by cover (Algorithm 1
//! of the paper, the quantity Algorithm 2 computes in polynomial time).

use super::super::tree::{Node, Tree};

fn split(feature: u32, threshold: f64, left: u32, right: u32) -> Node {
    Node::Split {
        feature,
        threshold,
        left,
        right,
    }
}

/// Depth 3 on 3 features, feature 0 split twice on one path, uneven cover.
fn tiny_tree() -> Tree {
    Tree {
        nodes: vec![
            split(0, 0.5, 1, 6),  // 0: 100
            split(1, 2.0, 2, 3),  // 1: 60
            Node::Leaf(1.0),      // 2: 20
            split(0, 0.2, 4, 5),  // 3: 40
            Node::Leaf(-2.0),     // 4: 15
            Node::Leaf(3.5),      // 5: 25
            split(2, -1.0, 7, 8), // 6: 40
            Node::Leaf(0.25),     // 7: 30
            Node::Leaf(-4.0),     // 8: 10
        ],
        cover: vec![100, 60, 20, 40, 15, 25, 40, 30, 10],
    }
}

/// E[f(x) | x_S]: features in `known` follow the row, the others split the
/// expectation by cover.
fn expectation(tree: &Tree, at: usize, x: &[f64], known: u32) -> f64 {
    match tree.nodes[at] {
        Node::Leaf(v) => v,
        Node::Split {
            feature,
            threshold,
            left,
            right,
        } => {
            let (l, r) = (left as usize, right as usize);
            if known & (1 << feature) != 0 {
                let next = if x[feature as usize] <= threshold {
                    l
                } else {
                    r
                };
                expectation(tree, next, x, known)
            } else {
                let (cl, cr) = (f64::from(tree.cover[l]), f64::from(tree.cover[r]));
                (cl * expectation(tree, l, x, known) + cr * expectation(tree, r, x, known))
                    / f64::from(tree.cover[at])
            }
        }
    }
}

fn factorial(n: u32) -> f64 {
    (1..=n).map(f64::from).product()
}

fn brute_force(tree: &Tree, x: &[f64]) -> Vec<f64> {
    let m = x.len() as u32;
    (0..m)
        .map(|i| {
            let mut phi = 0.0;
            for subset in 0u32..(1 << m) {
                if subset & (1 << i) != 0 {
                    continue;
                }
                let s = subset.count_ones();
                let weight = factorial(s) * factorial(m - s - 1) / factorial(m);
                phi += weight
                    * (expectation(tree, 0, x, subset | (1 << i))
                        - expectation(tree, 0, x, subset));
            }
            phi
        })
        .collect()
}

#[test]
fn tree_shap_equals_the_shapley_values_by_enumeration_on_a_tiny_tree() {
    let tree = tiny_tree();
    tree.check_cover().unwrap();
    let rows = [
        [0.1, 1.0, 0.0],
        [0.3, 3.0, -2.0],
        [0.9, 0.0, -5.0],
        [0.6, 9.0, 4.0],
        [f64::NAN, 1.0, -1.0],
    ];
    for x in rows {
        let mut phi = vec![0.0; 3];
        tree.add_shap(&|c| x[c], &mut phi);
        let expected = brute_force(&tree, &x);
        for (got, want) in phi.iter().zip(&expected) {
            assert!((got - want).abs() < 1e-12, "{x:?}: {phi:?} vs {expected:?}");
        }
        let output = tree.predict_row(|c| x[c]);
        let total = tree.expected_value() + phi.iter().sum::<f64>();
        assert!((total - output).abs() < 1e-12, "{x:?}: {total} vs {output}");
        // The brute force is not trivially zero: every row moves something.
        assert!(phi.iter().any(|p| p.abs() > 1e-3), "{x:?}");
    }
    assert!((tree.expected_value() - (20.0 - 30.0 + 87.5 + 7.5 - 40.0) / 100.0).abs() < 1e-15);
}

#[test]
fn a_tree_without_cover_adds_nothing() {
    let mut tree = tiny_tree();
    tree.cover.clear();
    let mut phi = vec![0.0; 3];
    tree.add_shap(&|_| 0.0, &mut phi);
    assert_eq!(phi, [0.0; 3]);
    assert_eq!(tree.expected_value(), 0.0);
}
