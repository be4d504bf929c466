use proptest::prelude::*;

use super::*;
use crate::transform::one_hot::OneHotVariable;
use crate::transform::{Combine, Drop, ElapsedYears, FittedOneHot, MissingIndicator};

const RAW: [Column; 4] = [
    Column::LotArea,
    Column::YearBuilt,
    Column::YrSold,
    Column::Neighborhood,
];

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn a_one_hot_variable_goes_wholly_to_its_column() {
    let step = FittedStep::OneHot(FittedOneHot {
        variables: vec![OneHotVariable {
            variable: "Neighborhood".into(),
            labels: names(&["CollgCr", "NAmes"]),
            rare: names(&["Blueste"]),
        }],
    });
    let lineage = Lineage::through(&RAW, &[step]).unwrap();
    assert!(lineage.get("test", "Neighborhood").ok().is_none());
    for column in [
        "Neighborhood=CollgCr",
        "Neighborhood=NAmes",
        "Neighborhood=Rare",
    ] {
        assert_eq!(
            lineage.get("test", column).ok(),
            Some(&vec![(3, 1.0)]),
            "{column}"
        );
    }
}

#[test]
fn derived_columns_split_equally_and_shares_compose() {
    let steps = [
        FittedStep::ElapsedYears(ElapsedYears {
            variables: names(&["YearBuilt"]),
            reference: "YrSold".into(),
        }),
        FittedStep::Combine(Combine {
            name: "Total".into(),
            add: names(&["LotArea", "YearBuilt"]),
            subtract: Vec::new(),
        }),
        FittedStep::MissingIndicator(MissingIndicator {
            variables: names(&["Total"]),
        }),
        FittedStep::Drop(Drop {
            variables: names(&["LotArea"]),
        }),
    ];
    let lineage = Lineage::through(&RAW, &steps).unwrap();
    assert_eq!(
        lineage.get("test", "YearBuilt").ok(),
        Some(&vec![(1, 0.5), (2, 0.5)])
    );
    let total = vec![(0, 0.5), (1, 0.25), (2, 0.25)];
    assert_eq!(lineage.get("test", "Total").ok(), Some(&total));
    assert_eq!(lineage.get("test", "Total_na").ok(), Some(&total));
    assert!(lineage.get("test", "LotArea").ok().is_none());
}

#[test]
fn a_step_reading_an_absent_column_is_an_error_naming_it() {
    let step = FittedStep::Combine(Combine {
        name: "Total".into(),
        add: names(&["GarageArea"]),
        subtract: Vec::new(),
    });
    let Err(Error::MissingColumn { column, .. }) = Lineage::through(&RAW, &[step]) else {
        panic!("an absent input must be refused");
    };
    assert_eq!(column, "GarageArea");
}

/// One random step over the columns present: which kind, and which columns
/// (indices taken modulo the number of columns present).
#[derive(Debug, Clone)]
struct RandomStep {
    kind: u8,
    picks: Vec<usize>,
}

fn random_step() -> impl Strategy<Value = RandomStep> {
    (0u8..4, prop::collection::vec(0usize..64, 1..5))
        .prop_map(|(kind, picks)| RandomStep { kind, picks })
}

proptest! {
    /// Whatever sequence of column-making steps runs, every column's shares
    /// are positive, name distinct raw columns and sum to 1.
    #[test]
    fn lineage_shares_always_sum_to_one(steps in prop::collection::vec(random_step(), 0..24)) {
        let mut lineage = Lineage::from_features(&RAW);
        for (i, random) in steps.iter().enumerate() {
            let present: Vec<String> = lineage.iter().map(|(n, _)| n.to_owned()).collect();
            let pick: Vec<String> = random.picks.iter().map(|p| present[p % present.len()].clone()).collect();
            let step = match random.kind {
                0 => FittedStep::Combine(Combine {
                    name: format!("c{i}"),
                    add: pick[..pick.len().div_ceil(2)].to_vec(),
                    subtract: pick[pick.len().div_ceil(2)..].to_vec(),
                }),
                1 => FittedStep::ElapsedYears(ElapsedYears {
                    variables: vec![pick[0].clone()],
                    reference: pick[pick.len() - 1].clone(),
                }),
                2 => FittedStep::MissingIndicator(MissingIndicator { variables: vec![pick[0].clone()] }),
                _ if present.len() > 1 => FittedStep::Drop(Drop { variables: vec![pick[0].clone()] }),
                _ => continue,
            };
            step.trace(&mut lineage).unwrap();
        }
        for (name, sources) in lineage.iter() {
            let total: f64 = sources.iter().map(|(_, w)| w).sum();
            prop_assert!((total - 1.0).abs() < 1e-12, "{name}: {sources:?}");
            prop_assert!(sources.iter().all(|(raw, w)| *w > 0.0 && *raw < RAW.len()), "{name}: {sources:?}");
            prop_assert!(sources.windows(2).all(|p| p[0].0 < p[1].0), "{name}: {sources:?}");
        }
    }
}
