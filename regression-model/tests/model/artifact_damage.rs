//! Things that are not a good artifact, caught at load: a device or a
//! folder given as one, and a damaged one whose checksum was recomputed.

use regression_model::{TrainedModel, VersionPolicy};

use crate::helpers::synthetic_test;

#[test]
fn a_device_or_a_folder_is_refused_as_an_artifact_before_anything_is_read() {
    for path in ["/dev/zero", "/"] {
        let error = regression_model::read_artifact(std::path::Path::new(path)).unwrap_err();
        let regression_model::Error::Io { source, .. } = &error else {
            panic!("{path}: {error}");
        };
        assert_eq!(source.kind(), std::io::ErrorKind::InvalidData, "{path}");
        let message = TrainedModel::load(std::path::Path::new(path), VersionPolicy::Any)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains(path) && message.contains("not a regular file"),
            "{message}"
        );
    }
}

#[test]
fn a_column_renamed_in_the_fitted_state_is_refused_at_load_or_harmless() {
    // Each stored `OpenPorchSF` (config text, fitted steps, feature list,
    // input guard) renamed in turn, the checksum recomputed: the pipeline
    // either fails its consistency check at load or prices as it did, never
    // loads to refuse every row with "could not process it".
    let shipped = regression_model::shipped_bytes().unwrap();
    let body_at = regression_model::MAGIC.len() + 2 + 4 + 8 + 32;
    let (from, to) = (b"OpenPorchSF", b"OpenPorchSX");
    let places: Vec<usize> = (body_at..shipped.len() - from.len())
        .filter(|&i| &shipped[i..i + from.len()] == from)
        .collect();
    assert!(places.len() >= 3, "{} places", places.len());
    for at in places {
        let mut bytes = shipped.to_vec();
        bytes[at..at + to.len()].copy_from_slice(to);
        let checksum = regression_model::sha256(&bytes[body_at..]);
        bytes[body_at - 32..body_at].copy_from_slice(&checksum);
        let Ok(model) = TrainedModel::from_bytes(&bytes, "renamed.postcard", VersionPolicy::Exact)
        else {
            continue;
        };
        let response = model.predict_rows(&synthetic_test().rows);
        assert!(
            response
                .row_errors
                .errors
                .iter()
                .all(|e| !e.message.contains("could not process")),
            "renamed at byte {at}: loads, then refuses rows: {:?}",
            response.row_errors.errors.first()
        );
    }
}
