//! What drift monitoring and explanations cost, measured on an artifact
//! and a CSV file: the time to observe one row into a [`DriftMonitor`],
//! and to predict and to explain each row one at a time (as a service
//! answers one-record requests).
//!
//! ```sh
//! cargo run --release -p regression-model --example drift_cost -- \
//!     model.postcard data/house-prices/test.csv
//! ```

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use regression_model::{DriftMonitor, DriftSettings, ErrorLimit, TrainedModel, VersionPolicy};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, data] = args.as_slice() else {
        bail!("usage: drift_cost <artifact> <file.csv>");
    };
    let model = TrainedModel::load(Path::new(model), VersionPolicy::Any)?;
    let input = regression_model::read_csv_file(Path::new(data))?;
    let rows = input.rows.len();
    println!(
        "{} ({}), {rows} rows",
        model.metadata.config_name, model.metadata.estimator
    );

    match DriftMonitor::for_model(&model, DriftSettings::default())? {
        Some(mut monitor) => {
            let rounds = 200;
            let started = Instant::now();
            for _ in 0..rounds {
                for row in &input.rows {
                    monitor.observe(&row.record);
                }
            }
            let per_row = started.elapsed().as_secs_f64() / (rounds * rows) as f64;
            let inputs = monitor.report().fields.len();
            println!("observe: {:.0} ns a row ({inputs} inputs)", per_row * 1e9);
        }
        None => println!("observe: the artifact has no training summary"),
    }

    let one_by_one = |explain: bool| -> anyhow::Result<f64> {
        let started = Instant::now();
        for row in &input.rows {
            let one = regression_model::InputRows {
                rows: vec![row.clone()],
                ..Default::default()
            };
            if explain {
                model
                    .explain_input(&one, ErrorLimit::default())
                    .context("explaining")?;
            } else {
                model.predict_input(&one, ErrorLimit::default());
            }
        }
        Ok(started.elapsed().as_secs_f64() / rows as f64)
    };
    let predict = one_by_one(false)?;
    println!("predict: {:.1} µs a row", predict * 1e6);
    match one_by_one(true) {
        Ok(explain) => println!(
            "explain: {:.1} µs a row ({:.1}× predict)",
            explain * 1e6,
            explain / predict
        ),
        Err(e) => println!("explain: {e:#}"),
    }
    Ok(())
}
