//! A loop to profile prediction under `perf record` (criterion's harness
//! would dominate a profile): loads an artifact, reads a CSV, and predicts
//! its rows (or the first `rows` of them) `times` times.
//!
//! ```sh
//! cargo build --release -p regression-model --example profile_predict
//! perf record -g target/release/examples/profile_predict \
//!     regression-model/trained_models/regression_model_output_v0.2.0.postcard \
//!     data/house-prices/test.csv 2000 [rows]
//! ```

use std::path::Path;

use anyhow::{Context, bail};
use regression_model::{TrainedModel, VersionPolicy};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (model, data, times, rows) = match args.as_slice() {
        [model, data, times] => (model, data, times, None),
        [model, data, times, rows] => (model, data, times, Some(rows)),
        _ => bail!("usage: profile_predict <artifact> <file.csv> <times> [rows]"),
    };
    let model = TrainedModel::load(Path::new(model), VersionPolicy::Any)?;
    let mut input = regression_model::read_csv_file(Path::new(data))?;
    let times: u32 = times.parse().context("<times> must be a whole number")?;
    if let Some(rows) = rows {
        input
            .rows
            .truncate(rows.parse().context("[rows] must be a whole number")?);
    }
    let started = std::time::Instant::now();
    let mut predicted = 0;
    for _ in 0..times {
        predicted += model.predict_rows(&input.rows).predictions.len();
    }
    eprintln!(
        "{:?} per call of {} rows ({predicted} predictions in all)",
        started.elapsed() / times.max(1),
        input.rows.len()
    );
    Ok(())
}
