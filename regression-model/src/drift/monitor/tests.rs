use super::*;
use crate::drift::{LabelSummary, NumericSummary};

/// GrLivArea in four equal bins over 0..400, Street with two labels.
fn summary() -> TrainingSummary {
    TrainingSummary {
        rows: 400,
        numeric: vec![NumericSummary {
            column: Column::GrLivArea,
            edges: vec![100.0, 200.0, 300.0],
            counts: vec![100, 100, 100, 100],
            missing: 0,
        }],
        categorical: vec![LabelSummary {
            column: Column::Street,
            labels: vec![("Pave".into(), 300), ("Grvl".into(), 100)],
            other: 0,
            missing: 0,
        }],
    }
}

fn row(area: f64, street: &str) -> HouseRecord {
    HouseRecord {
        gr_liv_area: Some(area),
        street: Some(street.into()),
        ..HouseRecord::default()
    }
}

fn psi_of(report: &DriftReport, column: Column) -> f64 {
    let field = report.fields.iter().find(|f| f.field == column).unwrap();
    field.psi.unwrap()
}

#[test]
fn rows_drawn_like_training_give_a_psi_of_zero_and_shifted_ones_a_large_one() {
    let settings = DriftSettings {
        window: 400,
        blocks: 4,
    };
    let mut monitor = DriftMonitor::new(&summary(), settings).unwrap();
    assert_eq!(monitor.report().fields[0].psi, None, "nothing seen yet");
    for i in 0..400 {
        let street = if i % 4 == 0 { "Grvl" } else { "Pave" };
        monitor.observe(&row(f64::from(i) + 0.5, street));
    }
    let report = monitor.report();
    assert_eq!((report.rows_in_window, report.training_rows), (400, 400));
    assert!(psi_of(&report, Column::GrLivArea).abs() < 1e-12);
    assert!(psi_of(&report, Column::Street).abs() < 1e-12);

    // Every area in the top bin from now on: the window forgets the old rows.
    for _ in 0..400 {
        monitor.observe(&row(1_000.0, "Pave"));
    }
    let report = monitor.report();
    // a = (floor, floor, floor, 1) against e = 0.25 each.
    let expected = 3.0 * (PSI_FLOOR - 0.25) * (PSI_FLOOR / 0.25).ln() + 0.75 * 4f64.ln() + 0.0;
    assert!((psi_of(&report, Column::GrLivArea) - expected).abs() < 1e-9);
    assert_eq!(report.rows_observed, 800);
    assert!(report.rows_in_window <= 400 && report.rows_in_window > 300);
}

#[test]
fn memory_does_not_grow_with_the_rows_observed() {
    let settings = DriftSettings {
        window: 100,
        blocks: 10,
    };
    let mut monitor = DriftMonitor::new(&summary(), settings).unwrap();
    let before = (monitor.counts.len(), monitor.totals.len());
    for i in 0..10_000 {
        monitor.observe(&row(f64::from(i % 400), "Pave"));
    }
    assert_eq!((monitor.counts.len(), monitor.totals.len()), before);
    // Between window - window / blocks and window rows once full.
    assert!((91..=100).contains(&monitor.rows_in_window()));
    assert_eq!(monitor.report().window, 100);
}

#[test]
fn unseen_labels_are_counted_and_missing_values_are_a_bin_of_their_own() {
    let mut monitor = DriftMonitor::new(&summary(), DriftSettings::default()).unwrap();
    monitor.observe(&row(10.0, "Dirt"));
    monitor.observe(&row(10.0, "Dirt"));
    monitor.observe(&HouseRecord::default());
    let report = monitor.report();
    assert_eq!(report.fields[1].unseen_labels, 2);
    assert_eq!(report.fields[0].unseen_labels, 0);
    assert!(psi_of(&report, Column::GrLivArea) > 1.0);
}

#[test]
fn settings_out_of_range_are_refused_naming_the_setting() {
    let bad = |window, blocks| {
        DriftSettings { window, blocks }
            .check()
            .unwrap_err()
            .to_string()
    };
    assert!(bad(5, 10).contains("window = 5"), "{}", bad(5, 10));
    assert!(bad(100, 0).contains("blocks = 0"));
    assert!(bad(MAX_WINDOW + 1, 10).contains("window"));
    assert!(DriftSettings::default().check().is_ok());
}
