//! Numeric transforms: as_number, elapsed years, log, log1p, box_cox1p, binarize.

use super::*;

fn numbers(name: &str, values: &[f64]) -> Frame<'static> {
    Frame::from_columns(vec![(name, ColumnData::Numeric(values.into()))])
}

#[test]
fn as_number_reads_codes_and_rejects_labels_that_are_not_numbers() {
    let mut frame = Frame::from_columns(vec![(
        "MSSubClass",
        ColumnData::Categorical(smallvec::smallvec![
            Some("20".into()),
            Some("abc".into()),
            None
        ]),
    )]);
    AsNumber {
        variables: vec!["MSSubClass".into()],
    }
    .transform(&mut frame)
    .unwrap();
    let values = frame.numeric("t", "MSSubClass").unwrap();
    assert_eq!(values[0], 20.0);
    assert!(values[2].is_nan());
    assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0, 2]);
    assert_eq!(frame.errors()[0].field, "MSSubClass");
}

#[test]
fn elapsed_years_subtracts_the_year_from_the_reference() {
    let mut frame = Frame::from_columns(vec![
        (
            "YearRemodAdd",
            ColumnData::Numeric(smallvec::smallvec![2000.0, 2010.0]),
        ),
        (
            "YrSold",
            ColumnData::Numeric(smallvec::smallvec![2008.0, 2010.0]),
        ),
    ]);
    ElapsedYears {
        variables: vec!["YearRemodAdd".into()],
        reference: "YrSold".into(),
    }
    .transform(&mut frame)
    .unwrap();
    assert_eq!(frame.numeric("t", "YearRemodAdd").unwrap(), &[8.0, 0.0]);
}

#[test]
fn log_takes_natural_logs_and_rejects_rows_that_are_not_positive() {
    let mut frame = numbers("GrLivArea", &[std::f64::consts::E, 0.0, -3.0]);
    Log {
        variables: vec!["GrLivArea".into()],
    }
    .transform(&mut frame)
    .unwrap();
    assert_eq!(frame.numeric("t", "GrLivArea").unwrap()[0], 1.0);
    assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0]);
    assert!(frame.errors()[0].message.contains("greater than 0"));
}

#[test]
fn binarize_maps_values_above_the_threshold_to_one() {
    let mut frame = numbers("ScreenPorch", &[0.0, 120.0, 0.5]);
    Binarize {
        variables: vec!["ScreenPorch".into()],
        threshold: 0.0,
    }
    .transform(&mut frame)
    .unwrap();
    assert_eq!(frame.numeric("t", "ScreenPorch").unwrap(), &[0.0, 1.0, 1.0]);
}

#[test]
fn log1p_keeps_zero_at_zero_and_rejects_values_at_or_below_minus_one() {
    let mut frame = numbers("WoodDeckSF", &[0.0, std::f64::consts::E - 1.0, -1.0]);
    Log1p {
        variables: vec!["WoodDeckSF".into()],
    }
    .transform(&mut frame)
    .unwrap();
    let values = frame.numeric("t", "WoodDeckSF").unwrap();
    assert_eq!(values[0], 0.0);
    assert!((values[1] - 1.0).abs() < 1e-15);
    assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0, 1]);
    assert!(frame.errors()[0].message.contains("greater than -1"));
}

#[test]
fn box_cox1p_is_the_power_transform_of_one_plus_x_and_log1p_at_lambda_zero() {
    let transform = |lambda: f64, values: &[f64]| {
        let mut frame = numbers("LotArea", values);
        BoxCox1p {
            variables: vec!["LotArea".into()],
            lambda,
        }
        .transform(&mut frame)
        .unwrap();
        let rows: Vec<usize> = frame.accepted_rows().collect();
        (frame.numeric("t", "LotArea").unwrap().to_vec(), rows)
    };
    // ((1 + 3)^0.5 - 1) / 0.5 = 2; 0 stays 0; -1 rejects its row.
    let (values, rows) = transform(0.5, &[3.0, 0.0, -1.0]);
    assert_eq!(&values[..2], &[2.0, 0.0]);
    assert_eq!(rows, vec![0, 1]);
    let (values, _) = transform(0.0, &[std::f64::consts::E - 1.0]);
    assert!((values[0] - 1.0).abs() < 1e-15);
    // A small lambda is close to the log.
    let (values, _) = transform(1e-9, &[9.0]);
    assert!((values[0] - 10f64.ln()).abs() < 1e-6);
    let mut plan = crate::plan::ColumnPlan::default();
    let bad = BoxCox1p {
        variables: vec![],
        lambda: f64::NAN,
    };
    assert!(bad.plan(&mut plan).unwrap_err().contains("lambda NaN"));
}

#[test]
fn numeric_steps_refuse_a_categorical_column() {
    let mut frame = Frame::from_columns(vec![(
        "X",
        ColumnData::Categorical(smallvec::smallvec![None]),
    )]);
    assert!(
        Log {
            variables: vec!["X".into()]
        }
        .transform(&mut frame)
        .is_err()
    );
}
