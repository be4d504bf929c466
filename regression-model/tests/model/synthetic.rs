//! The pipeline on the project's synthetic fixture: every shipped config
//! trains, unseen labels and unexpected missing values are reported per row.

use regression_model::CellRef;
use regression_model::Column;
use regression_model::parse_json_batch;

use crate::helpers::{synthetic_test, train_synthetic};

#[test]
fn every_shipped_config_trains_and_predicts_on_the_synthetic_data() {
    for name in ["generation-1", "generation-2", "random-forest"] {
        let model = train_synthetic(name);
        let metrics = model.metadata.holdout_metrics.expect("hold-out metrics");
        assert!(metrics.r2 > 0.5, "{name}: R² {}", metrics.r2);
        let response = model.predict_rows(&synthetic_test().rows);
        assert!(
            response.predictions.len() > 100,
            "{name}: {} predicted",
            response.predictions.len()
        );
    }
}

#[test]
fn rows_missing_a_value_that_no_step_imputes_are_rejected_with_the_field() {
    let model = train_synthetic("generation-2");
    let response = model.predict_rows(&synthetic_test().rows);
    let missing: Vec<_> = response
        .row_errors
        .errors
        .iter()
        .filter(|e| e.message.contains("no imputer"))
        .collect();
    assert!(!missing.is_empty());
    for e in missing {
        let column = Column::from_name(&e.field).unwrap();
        assert!(matches!(
            synthetic_test().rows[e.row].record.get(column),
            CellRef::Number(None) | CellRef::Label(None)
        ));
    }
}

#[test]
fn an_unseen_neighborhood_is_priced_like_the_rare_group() {
    let model = train_synthetic("generation-2");
    let rows = &synthetic_test().rows;
    let unseen = rows
        .iter()
        .position(|r| r.record.neighborhood.as_deref() == Some("Synthtown"))
        .expect("the fixture plants Synthtown");
    let response = model.predict_rows(&rows[unseen..=unseen]);
    let rejected_for_neighborhood = response
        .row_errors
        .errors
        .iter()
        .any(|e| e.field == "Neighborhood");
    assert!(
        !rejected_for_neighborhood,
        "{:?}",
        response.row_errors.errors
    );
}

#[test]
fn kaggle_names_and_course_aliases_parse_to_the_same_record() {
    let kaggle = parse_json_batch(
        br#"[{"1stFlrSF": 856, "2ndFlrSF": 854, "3SsnPorch": 0, "MSSubClass": 60}]"#,
    )
    .unwrap();
    let course = parse_json_batch(
        br#"{"FirstFlrSF": 856, "SecondFlrSF": 854, "ThreeSsnPortch": 0, "MSSubClass": "60"}"#,
    )
    .unwrap();
    assert_eq!(kaggle.rows[0].record, course.rows[0].record);
    assert!(kaggle.rows[0].problems.is_empty());
}

#[test]
fn only_na_and_empty_cells_are_missing_and_none_is_a_label() {
    let rows =
        regression_model::read_csv("MasVnrType,Alley,LotFrontage\nNone,NA,\n".as_bytes()).unwrap();
    let record = &rows.rows[0].record;
    assert_eq!(record.mas_vnr_type.as_deref(), Some("None"));
    assert_eq!((record.alley.as_deref(), record.lot_frontage), (None, None));
}

#[test]
fn parse_problems_name_the_field_and_keep_the_rest_of_the_row() {
    let input = parse_json_batch(br#"[{"GrLivArea": "big", "LotArea": -5, "Foo": 1, "OverallQual": 11, "YearBuilt": 1492}, 42]"#).unwrap();
    let rows = &input.rows;
    let fields: Vec<&str> = rows[0].problems.iter().map(|p| p.field).collect();
    for field in ["GrLivArea", "LotArea", "OverallQual", "YearBuilt"] {
        assert!(fields.contains(&field), "{field} not in {fields:?}");
    }
    // Messages name the rule, never the value sent.
    let messages: Vec<String> = rows[0]
        .problems
        .iter()
        .map(|p| p.problem.to_string())
        .collect();
    assert!(!messages.iter().any(|m| m.contains("big")), "{messages:?}");
    // An unknown field is the batch's problem, not the row's.
    assert_eq!(input.unknown.names(), ["Foo"]);
    assert_eq!(rows[1].problems[0].field, "record");
}

#[test]
fn malformed_json_and_a_scalar_top_level_are_errors_for_the_whole_body() {
    assert!(parse_json_batch(b"[{\"GrLivArea\": 1").is_err());
    assert!(parse_json_batch(b"42").is_err());
    assert!(parse_json_batch(b"[]").unwrap().rows.is_empty());
}

#[test]
fn a_record_deserializes_with_serde_and_fails_on_its_first_problem() {
    let record: regression_model::HouseRecord =
        serde_json::from_str(r#"{"Id": 3, "GrLivArea": 1500.5, "MSZoning": "RL"}"#).unwrap();
    assert_eq!((record.id, record.gr_liv_area), (Some(3), Some(1500.5)));
    let error = serde_json::from_str::<regression_model::HouseRecord>(r#"{"GrLivArea": true}"#)
        .unwrap_err();
    assert!(error.to_string().contains("GrLivArea"));
}

#[test]
fn a_record_gets_the_same_price_bit_for_bit_alone_or_in_any_batch() {
    let model = regression_model::shipped_model().unwrap();
    let rows = &synthetic_test().rows;
    let batch = model.predict_rows(rows);
    for p in &batch.predictions {
        let alone = model.predict_rows(&rows[p.row..=p.row]);
        assert_eq!(
            alone.predictions[0].price.to_bits(),
            p.price.to_bits(),
            "row {}",
            p.row
        );
    }
}

/// Reading only the model's columns skips the others' values, which can
/// change no prediction: every price and every error stays the same, for
/// valid rows and for rows with problems in read and unread columns.
#[test]
fn parsing_only_the_models_columns_gives_the_same_outcome() {
    let records: Vec<_> = synthetic_test().rows.iter().map(|r| &r.record).collect();
    let mut body = serde_json::to_value(&records).unwrap();
    let rows = body.as_array_mut().unwrap();
    rows[0]["LotArea"] = serde_json::json!(-5); // read by every generation
    rows[1]["PoolQC"] = serde_json::json!([1]); // read by generation 3 only
    rows[2]["Foo"] = serde_json::json!(1); // unknown: reported for the batch
    rows[3]["Street"] = serde_json::json!(true);
    let body = serde_json::to_vec(&body).unwrap();
    let all = parse_json_batch(&body).unwrap();
    for name in ["generation-2", "generation-3"] {
        let model = train_synthetic(name);
        let features = model.pipeline.features();
        let some = regression_model::parse_json_batch_columns(&body, &features).unwrap();
        assert_eq!(
            model.predict_rows(&some.rows),
            model.predict_rows(&all.rows),
            "{name}"
        );
        assert_eq!(some.unknown, all.unknown);
        assert!(features.len() < Column::ALL.len());
        let unread = Column::ALL.iter().find(|c| !features.contains(c)).unwrap();
        assert!(some.rows.iter().all(|r| matches!(
            r.record.get(*unread),
            CellRef::Number(None) | CellRef::Label(None)
        )));
    }
}
