//! Label encodings: maps, rare labels, ordinal codes by target.

use super::*;

fn labels(name: &str, values: &[&'static str]) -> Frame<'static> {
    Frame::from_columns(vec![(
        name,
        ColumnData::Categorical(values.iter().map(|v| Some((*v).into())).collect()),
    )])
}

#[test]
fn map_labels_encodes_known_labels_and_rejects_others() {
    let mut frame = labels("ExterQual", &["Gd", "Ex", "Great"]);
    let step = MapLabels {
        variables: vec!["ExterQual".into()],
        mapping: [("Gd".to_owned(), 4.0), ("Ex".to_owned(), 5.0)].into(),
    };
    step.transform(&mut frame).unwrap();
    assert_eq!(&frame.numeric("t", "ExterQual").unwrap()[..2], &[4.0, 5.0]);
    assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0, 1]);
    let message = &frame.errors()[0].message;
    assert!(
        message.contains("not a label this model knows"),
        "{message}"
    );
    assert!(
        !message.contains("Great"),
        "the label sent is not echoed: {message}"
    );
}

#[test]
fn rare_labels_groups_labels_under_the_tolerance_and_unseen_ones() {
    let mut values = vec!["A"; 98];
    values.extend(["B", "C"]);
    let train = labels("V", &values);
    let fitted = RareLabels {
        variables: vec!["V".into()],
        tolerance: 0.02,
        min_categories: 1,
    }
    .fit(&train)
    .unwrap();
    assert_eq!(fitted.frequent[0].1, BTreeSet::from(["A".to_owned()]));
    let mut frame = labels("V", &["A", "B", "Z"]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(
        frame.labels("t", "V").unwrap(),
        &[Some("A".into()), Some("Rare".into()), Some("Rare".into())]
    );
}

#[test]
fn rare_labels_keeps_every_label_when_there_are_few_categories() {
    let train = labels("V", &["A", "A", "A", "B"]);
    let fitted = RareLabels {
        variables: vec!["V".into()],
        tolerance: 0.5,
        min_categories: 2,
    }
    .fit(&train)
    .unwrap();
    assert_eq!(fitted.frequent[0].1.len(), 2);
}

#[test]
fn rare_labels_keeps_a_label_exactly_at_the_tolerance() {
    let train = labels("V", &["A", "A", "A", "B"]);
    let fitted = RareLabels {
        variables: vec!["V".into()],
        tolerance: 0.25,
        min_categories: 1,
    }
    .fit(&train)
    .unwrap();
    assert!(fitted.frequent[0].1.contains("B"));
}

#[test]
fn ordinal_encoder_ranks_labels_by_mean_target() {
    let train = labels("V", &["hi", "lo", "mid", "hi", "Rare"]);
    let fitted = OrdinalByTarget {
        variables: vec!["V".into()],
    }
    .fit(&train, &[10.0, 1.0, 5.0, 12.0, 0.0])
    .unwrap();
    let map = &fitted.codes[0].1;
    assert_eq!(
        (map["Rare"], map["lo"], map["mid"], map["hi"]),
        (0.0, 1.0, 2.0, 3.0)
    );
}

#[test]
fn ordinal_encoder_maps_unseen_labels_like_rare_when_it_can() {
    let fitted = FittedOrdinalByTarget {
        codes: vec![(
            "V".into(),
            [("Rare".to_owned(), 0.0), ("A".to_owned(), 1.0)].into(),
        )],
    };
    let mut frame = labels("V", &["A", "New"]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(frame.numeric("t", "V").unwrap(), &[1.0, 0.0]);
    assert!(frame.errors().is_empty());
}

#[test]
fn ordinal_encoder_rejects_unseen_labels_without_a_rare_group() {
    let fitted = FittedOrdinalByTarget {
        codes: vec![("V".into(), [("A".to_owned(), 0.0)].into())],
    };
    let mut frame = labels("V", &["A", "New"]);
    fitted.transform(&mut frame).unwrap();
    assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0]);
    assert_eq!(frame.errors()[0].row, 1);
}
