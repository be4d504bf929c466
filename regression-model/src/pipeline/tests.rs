//! Fitted pipelines: look-up tables prebuilt or per batch.

use std::path::Path;

use super::*;
use crate::input::read_csv_file;

/// The look-up tables a pipeline builds once (and the rare + ordinal
/// fusion among them) change nothing: without them every step builds
/// its own tables per batch, and the outcome is the same to the bit.
#[test]
fn prebuilt_lookups_give_the_outcome_of_per_batch_tables() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/synthetic");
    let train = read_csv_file(&fixtures.join("train.csv")).unwrap();
    let test = read_csv_file(&fixtures.join("test.csv")).unwrap();
    let records: Vec<&HouseRecord> = train.rows.iter().map(|r| &r.record).collect();
    let targets: Vec<f64> = train
        .target
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| t.unwrap())
        .collect();
    for name in ["generation-2", "generation-3"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("config/{name}.toml"));
        let config = PipelineConfig::from_file(&path).unwrap();
        let mut pipeline = FittedPipeline::fit(&config, &records, &targets).unwrap();
        assert_eq!(pipeline.lookups.len(), pipeline.steps.len(), "{name}");
        let with_tables = pipeline.predict_rows(&test.rows);
        pipeline.lookups.clear();
        let per_batch = pipeline.predict_rows(&test.rows);
        assert_eq!(with_tables, per_batch, "{name}");
        // Generation 2 rejects rows that miss a value, generation 3
        // prices them with fallbacks: either way some rows take that path.
        let missing = with_tables.errors.len()
            + (with_tables.predictions.iter())
                .filter(|p| !p.imputed.is_empty())
                .count();
        assert!(!with_tables.predictions.is_empty() && missing > 0, "{name}");
    }
}
