//! Property tests: whatever a client sends, a fitted pipeline answers every
//! row (a prediction or reasons), never panics, and answers the same twice.

use std::sync::OnceLock;

use proptest::prelude::*;
use regression_model::{Column, TrainedModel};
use regression_model::{ParsedRow, RawCell, UnknownFields};

use crate::helpers::train_synthetic;

fn model() -> &'static TrainedModel {
    static MODEL: OnceLock<TrainedModel> = OnceLock::new();
    MODEL.get_or_init(|| train_synthetic("generation-2"))
}

fn cell() -> impl Strategy<Value = RawCell> {
    prop_oneof![
        2 => Just(RawCell::Missing),
        3 => prop_oneof![-1e6..1e6f64, 0.0..5000.0f64, Just(0.0), Just(f64::MAX), Just(f64::MIN_POSITIVE), Just(1e300)].prop_map(RawCell::Number),
        3 => prop_oneof![
            Just("TA".to_owned()), Just("Gd".to_owned()), Just("Ex".to_owned()), Just("RL".to_owned()),
            Just("NAmes".to_owned()), Just("Rare".to_owned()), Just("None".to_owned()), Just("60".to_owned()),
            Just("1e999".to_owned()), Just("NaN".to_owned()), "\\PC{0,12}",
        ].prop_map(RawCell::Text),
        1 => any::<bool>().prop_map(RawCell::Bool),
        1 => Just(RawCell::Nested),
    ]
}

fn record() -> impl Strategy<Value = ParsedRow> {
    let columns = Column::ALL.len();
    (
        proptest::collection::vec(cell(), columns),
        proptest::collection::vec(any::<bool>(), columns),
        any::<Option<i64>>(),
        "\\PC{0,8}",
    )
        .prop_map(|(cells, present, id, extra)| {
            let mut pairs: Vec<(String, RawCell)> = Column::ALL
                .iter()
                .zip(cells)
                .zip(present)
                .filter(|(_, keep)| *keep)
                .map(|((c, cell), _)| (c.name().to_owned(), cell))
                .collect();
            if let Some(id) = id {
                pairs.push(("Id".into(), RawCell::Number(id as f64)));
            }
            if !extra.is_empty() {
                pairs.push((extra, RawCell::Missing));
            }
            ParsedRow::from_cells(pairs, &mut UnknownFields::default())
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_row_gets_a_finite_price_or_reasons_and_the_answer_is_deterministic(rows in proptest::collection::vec(record(), 1..8)) {
        let first = model().predict_rows(&rows);
        let second = model().predict_rows(&rows);
        prop_assert_eq!(&first, &second);
        for p in &first.predictions {
            prop_assert!(p.price.is_finite() && p.price > 0.0);
            prop_assert!(!first.row_errors.errors.iter().any(|e| e.row == p.row), "row {} both predicted and rejected", p.row);
        }
        let answered: std::collections::BTreeSet<usize> = first.predictions.iter().map(|p| p.row).chain(first.row_errors.errors.iter().map(|e| e.row)).collect();
        prop_assert_eq!(answered.len(), rows.len());
    }

    #[test]
    fn json_bodies_of_any_shape_never_panic_the_parser(body in "\\PC{0,200}") {
        let _ = regression_model::parse_json_batch(body.as_bytes());
    }

    #[test]
    fn csv_bodies_of_any_shape_never_panic_the_parser(body in "[A-Za-z0-9,\"\\n. -]{0,300}") {
        if let Ok(rows) = regression_model::read_csv(body.as_bytes()) {
            let _ = model().predict_rows(&rows.rows);
        }
    }
}
