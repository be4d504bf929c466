//! Criterion benches of the model crate: fitting, predicting 1 and 1,459
//! rows (from parsed rows, and from JSON text as the service parses it:
//! the model's columns, validation included), and
//! loading an artifact. Uses the real data when `data/house-prices` (or
//! `$HOUSE_PRICES_DATA`) holds it, else synthetic data of the same size.
//! `$BENCH_CONFIGS` (comma-separated config names) picks other configs.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use regression_model::InputRows;
use regression_model::TrainOptions;
use regression_model::VersionPolicy;
use regression_model::{FittedPipeline, PipelineConfig, TrainedModel};

fn data() -> (InputRows, InputRows, &'static str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::var_os("HOUSE_PRICES_DATA")
        .map_or_else(|| root.join("data/house-prices"), |d| root.join(d));
    if dir.join("train.csv").is_file() {
        let read = |f: &str| regression_model::read_csv_file(&dir.join(f)).expect("real data");
        return (read("train.csv"), read("test.csv"), "real");
    }
    let make = |config: synth_data::GeneratorConfig| {
        let mut bytes = Vec::new();
        synth_data::write_csv(&config, &mut bytes).expect("synthetic data");
        regression_model::read_csv(bytes.as_slice()).expect("parses")
    };
    (
        make(synth_data::GeneratorConfig::train(1460, 42)),
        make(synth_data::GeneratorConfig::test(1459, 43)),
        "synthetic",
    )
}

/// The test rows as a JSON body, as a client would send them.
fn json_body(rows: &InputRows) -> Vec<u8> {
    let records: Vec<_> = rows.rows.iter().map(|r| &r.record).collect();
    serde_json::to_vec(&records).expect("serialises")
}

fn benches(c: &mut Criterion) {
    let (train_rows, test_rows, source) = data();
    eprintln!(
        "benchmarking on {source} data: {} train rows, {} test rows",
        train_rows.rows.len(),
        test_rows.rows.len()
    );
    // BENCH_CONFIGS=generation-4 (comma-separated) benches other configs;
    // the default keeps a plain `cargo bench` to the shipped generations.
    let configs =
        std::env::var("BENCH_CONFIGS").unwrap_or_else(|_| "generation-2,generation-3".into());
    for name in configs.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("config")
            .join(format!("{name}.toml"));
        let config = PipelineConfig::from_file(&path).expect("shipped config");
        bench_config(c, name, &config, &train_rows, &test_rows);
    }
}

fn bench_config(
    c: &mut Criterion,
    name: &str,
    config: &regression_model::CheckedConfig,
    train_rows: &InputRows,
    test_rows: &InputRows,
) {
    let records: Vec<_> = train_rows.rows.iter().map(|r| &r.record).collect();
    let targets: Vec<f64> = train_rows
        .target
        .as_ref()
        .expect("labelled")
        .iter()
        .map(|t| t.expect("price"))
        .collect();

    c.bench_function(&format!("{name}/fit (all train rows)"), |b| {
        b.iter(|| {
            FittedPipeline::fit(black_box(config), black_box(&records), black_box(&targets))
                .expect("fits")
        })
    });

    let (model, _) = regression_model::train(
        config,
        train_rows,
        "bench",
        TrainOptions {
            holdout: 0.0,
            seed: 0,
        },
    )
    .expect("trains");
    let one = &test_rows.rows[..1];
    c.bench_function(&format!("{name}/predict 1 row (parsed)"), |b| {
        b.iter(|| model.predict_rows(black_box(one)))
    });
    c.bench_function(&format!("{name}/predict 1459 rows (parsed)"), |b| {
        b.iter(|| model.predict_rows(black_box(&test_rows.rows)))
    });
    // Typed records, as a library caller holds them: the schema's range
    // validation runs here too (parsed rows carry its result already).
    let typed: Vec<_> = test_rows.rows.iter().map(|r| r.record.clone()).collect();
    c.bench_function(
        &format!("{name}/predict 1459 records (typed, validated)"),
        |b| b.iter(|| model.predict(black_box(&typed))),
    );

    let one_json = json_body(&InputRows {
        rows: one.to_vec(),
        ..InputRows::default()
    });
    let all_json = json_body(test_rows);
    // As the service does: only the columns the model reads are converted.
    let features = model.pipeline.features();
    let parse =
        |body: &[u8]| regression_model::parse_json_batch_columns(body, &features).expect("json");
    c.bench_function(&format!("{name}/parse+predict 1 row (JSON)"), |b| {
        b.iter(|| model.predict_rows(&parse(black_box(&one_json)).rows))
    });
    c.bench_function(&format!("{name}/parse+predict 1459 rows (JSON)"), |b| {
        b.iter(|| model.predict_rows(&parse(black_box(&all_json)).rows))
    });

    let bytes = model.to_bytes().expect("encodes");
    eprintln!("{name}: artifact size {} bytes", bytes.len());
    c.bench_function(&format!("{name}/artifact decode+verify"), |b| {
        b.iter_batched(
            || bytes.clone(),
            |bytes| TrainedModel::from_bytes(&bytes, "bench", VersionPolicy::Any).expect("loads"),
            BatchSize::SmallInput,
        )
    });
}

criterion_group! {
    name = pipeline;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = benches
}
criterion_main!(pipeline);
