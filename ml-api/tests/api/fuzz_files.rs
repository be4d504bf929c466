//! Fuzzed files the service loads, from the seeds in `tests/corpus/` (see
//! [`crate::fuzz`]): settings files with environment variables, and model
//! artifacts, mutated as they stand and resealed past their checksum.

use ml_api::configuration::Settings;
use ml_api::error::Error;
use ml_api::model::ModelSource;
use proptest::prelude::*;

use crate::alloc::Allowance;
use crate::fuzz::{bounded, config, mutated, seeds};

fn setting_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{0,22}(\\.[0-9]{0,4})?",
        any::<String>(),
        prop::sample::select(vec![
            "1e999",
            "NaN",
            "inf",
            "-0",
            "0x10",
            "production",
            "::1",
            "warn,ml_api=debug",
            "0123456789abcdef",
            "  8080  ",
        ])
        .prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn fuzzed_settings_files_and_variables_load_or_name_the_bad_setting(
        text in mutated(seeds("config")),
        vars in prop::collection::vec((prop::sample::select(ml_api::configuration::SETTING_NAMES), setting_value()), 0..4),
    ) {
        let text = String::from_utf8_lossy(&text);
        let env = |key: &str| vars.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        let result = bounded(text.as_bytes(), Allowance::NO_ROWS, || {
            Settings::layered(Some((&text, "fuzz.toml")), env, None)
        })?;
        if let Err(error) = result {
            prop_assert!(
                matches!(error, Error::Setting { .. } | Error::ConfigFile { .. }),
                "{error:?}"
            );
        }
    }
}

/// The artifact seeds plus the artifact this build ships.
fn artifact_seeds() -> Vec<Vec<u8>> {
    let mut seeds = seeds("artifact");
    seeds.push(regression_model::shipped_bytes().unwrap().to_vec());
    seeds
}

/// Makes a mutated artifact pass the header and checksum checks again, so
/// the decoders behind them see the mutation.
fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
    const HEADER: usize = 54;
    if bytes.len() < HEADER {
        return bytes;
    }
    let body_len = (bytes.len() - HEADER) as u64;
    let meta_len = u64::from(u32::from_le_bytes(bytes[10..14].try_into().unwrap())).min(body_len);
    bytes[10..14].copy_from_slice(&(meta_len as u32).to_le_bytes());
    bytes[14..22].copy_from_slice(&(body_len - meta_len).to_le_bytes());
    let sum = regression_model::sha256(&bytes[HEADER..]);
    bytes[22..HEADER].copy_from_slice(&sum);
    bytes
}

fn check_artifact(bytes: &[u8]) -> Result<(), TestCaseError> {
    let result = bounded(bytes, Allowance::NO_ROWS, || {
        ml_api::model::verify(bytes, "fuzz", ModelSource::File("fuzz".into()))
    })?;
    match result {
        Ok(loaded) => prop_assert!(ml_api::model::smoke_test(&loaded.model).is_ok()),
        Err(error) => prop_assert!(matches!(error, Error::Model(_)), "{error:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn fuzzed_artifacts_are_refused_by_their_checksum_without_panicking(
        bytes in mutated(artifact_seeds()),
    ) {
        check_artifact(&bytes)?;
    }

    #[test]
    fn fuzzed_artifacts_with_a_valid_checksum_load_or_are_refused_without_panicking(
        bytes in mutated(artifact_seeds()).prop_map(reseal),
    ) {
        check_artifact(&bytes)?;
    }
}
