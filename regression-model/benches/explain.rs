//! Criterion benches of explanations against predictions with the shipped
//! model, on the same rows: 1 row, `MAX_EXPLAIN_ROWS`' default of 100 rows,
//! and the 1,459 test rows, from parsed rows with the service's error limit.
//! The budget (issue 14): explaining costs at most 2x predicting.
//! Uses the real `test.csv` when `data/house-prices` (or
//! `$HOUSE_PRICES_DATA`) holds it, else the synthetic fixture.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use regression_model::InputRows;
use regression_model::{ErrorLimit, shipped_model};

fn test_rows() -> (InputRows, &'static str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("HOUSE_PRICES_DATA").map_or_else(
        || root.join("../data/house-prices"),
        |d| root.join("..").join(d),
    );
    match regression_model::read_csv_file(&dir.join("test.csv")) {
        Ok(rows) => (rows, "real"),
        Err(_) => (
            regression_model::read_csv_file(&root.join("fixtures/synthetic/test.csv"))
                .expect("fixture"),
            "synthetic",
        ),
    }
}

fn benches(c: &mut Criterion) {
    let (rows, source) = test_rows();
    let model = shipped_model().expect("the shipped model");
    let limit = ErrorLimit::Total(100);
    // Only rows the model prices, so both sides do the same work.
    let priced: Vec<_> = model
        .predict_rows(&rows.rows)
        .predictions
        .iter()
        .map(|p| rows.rows[p.row].clone())
        .collect();
    eprintln!(
        "explain benches on {source} data: {} priced rows",
        priced.len()
    );
    model
        .explain_input(&input_of(&priced[..1]), limit)
        .expect("explainable");
    for n in [1, 100, priced.len()] {
        let input = input_of(&priced[..n]);
        c.bench_function(&format!("shipped/predict {n} rows (parsed)"), |b| {
            b.iter(|| model.predict_input(black_box(&input), limit))
        });
        c.bench_function(&format!("shipped/explain {n} rows (parsed)"), |b| {
            b.iter(|| {
                model
                    .explain_input(black_box(&input), limit)
                    .expect("explains")
            })
        });
    }
}

fn input_of(rows: &[regression_model::ParsedRow]) -> InputRows {
    InputRows {
        rows: rows.to_vec(),
        ..InputRows::default()
    }
}

criterion_group! {
    name = explain;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_secs(1));
    targets = benches
}
criterion_main!(explain);
