//! One-hot encoding: labels seen, rare groups, unseen labels.

use super::*;

fn labels(values: &[Option<&'static str>]) -> Frame<'static> {
    Frame::from_columns(vec![
        (
            "X",
            ColumnData::Numeric(smallvec::smallvec![0.0; values.len()]),
        ),
        (
            "V",
            ColumnData::Categorical(values.iter().map(|v| v.map(Into::into)).collect()),
        ),
    ])
}

fn fit(values: &[Option<&'static str>], min_frequency: f64) -> FittedOneHot {
    OneHot {
        variables: vec!["V".into()],
        min_frequency,
    }
    .fit(&labels(values))
    .unwrap()
}

#[test]
fn one_hot_learns_the_training_labels_in_label_order() {
    let fitted = fit(&[Some("b"), Some("a"), Some("b"), None], 0.0);
    assert_eq!(fitted.variables[0].labels, vec!["a", "b"]);
    assert!(fitted.variables[0].rare.is_empty());
    assert_eq!(fitted.variables[0].column_names(), vec!["V=a", "V=b"]);
}

#[test]
fn one_hot_replaces_the_variable_with_indicator_columns_at_the_end() {
    let fitted = fit(&[Some("a"), Some("b")], 0.0);
    let mut frame = labels(&[Some("b"), Some("a")]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(frame.names(), &["X", "V=a", "V=b"]);
    assert_eq!(frame.numeric("t", "V=a").unwrap(), &[0.0, 1.0]);
    assert_eq!(frame.numeric("t", "V=b").unwrap(), &[1.0, 0.0]);
}

#[test]
fn unseen_and_missing_labels_become_all_zeros_without_rejecting_the_row() {
    let fitted = fit(&[Some("a"), Some("b")], 0.0);
    let mut frame = labels(&[Some("new"), None]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(frame.numeric("t", "V=a").unwrap(), &[0.0, 0.0]);
    assert_eq!(frame.numeric("t", "V=b").unwrap(), &[0.0, 0.0]);
    assert!(frame.errors().is_empty());
}

#[test]
fn labels_under_min_frequency_share_the_rare_column() {
    let mut values = vec![Some("a"); 8];
    values.extend([Some("b"), Some("c")]);
    let fitted = fit(&values, 0.15);
    assert_eq!(fitted.variables[0].rare, vec!["b", "c"]);
    let mut frame = labels(&[Some("c"), Some("a"), Some("zzz")]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(frame.names(), &["X", "V=a", "V=Rare"]);
    assert_eq!(frame.numeric("t", "V=Rare").unwrap(), &[1.0, 0.0, 0.0]);
}

#[test]
fn a_rare_label_already_in_the_data_shares_its_column_with_grouped_labels() {
    let mut values = vec![Some("Rare"); 5];
    values.extend([Some("a"); 5]);
    values.push(Some("tiny"));
    let fitted = fit(&values, 0.1);
    assert_eq!(fitted.variables[0].column_names(), vec!["V=Rare", "V=a"]);
    let mut frame = labels(&[Some("tiny")]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(frame.numeric("t", "V=Rare").unwrap(), &[1.0]);
}

#[test]
fn one_hot_refuses_numbers_a_label_free_column_and_a_bad_frequency() {
    let step = OneHot {
        variables: vec!["X".into()],
        min_frequency: 0.0,
    };
    assert!(matches!(
        step.fit(&labels(&[Some("a")])),
        Err(Error::ColumnKind { .. })
    ));
    let step = OneHot {
        variables: vec!["V".into()],
        min_frequency: 0.0,
    };
    assert!(matches!(
        step.fit(&labels(&[None, None])),
        Err(Error::TrainingData(_))
    ));
    let mut plan = ColumnPlan::from_features(&[crate::schema::Column::Street]);
    let step = OneHot {
        variables: vec!["Street".into()],
        min_frequency: 1.5,
    };
    assert!(step.plan(&mut plan).unwrap_err().contains("min_frequency"));
}

#[test]
fn a_variable_listed_twice_is_encoded_twice_from_the_same_labels() {
    let mut fitted = fit(&[Some("a"), Some("b")], 0.0);
    fitted.variables.push(fitted.variables[0].clone());
    let mut frame = labels(&[Some("b"), Some("a")]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(frame.names(), &["X", "V=a", "V=b", "V=a", "V=b"]);
    let ones: Vec<f64> = (1..5)
        .map(|at| frame.to_matrix("t").unwrap()[[0, at]])
        .collect();
    assert_eq!(ones, [0.0, 1.0, 0.0, 1.0]);
}
