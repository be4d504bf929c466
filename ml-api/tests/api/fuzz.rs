//! Property-based fuzzing of every input parser, from the seeds in
//! `tests/corpus/`: each case picks a seed and applies a few random
//! mutations (bit flips, inserted bytes and JSON/CSV tokens, deleted,
//! duplicated or truncated ranges). No input may panic, take more than a
//! moment, allocate out of proportion to its size (see [`Allowance`]), or
//! be answered with a 5xx. Case counts are fixed (see [`cases`];
//! `ML_API_FUZZ_CASES` multiplies them for a longer run).

use std::path::Path;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use ml_api::body::{Body, Format};
use ml_api::configuration::{Limits, Settings};
use ml_api::error::Error;
use ml_api::model::ModelSource;
use ml_api::oip::{InferRequest, InferResponse};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::alloc::{Allowance, allocated_by};
use crate::helpers::spawn_app;

/// The fixed case count of one fuzz test, times `ML_API_FUZZ_CASES` if set.
fn cases(base: u32) -> u32 {
    let factor = std::env::var("ML_API_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1);
    base.saturating_mul(factor.max(1))
}

fn config(base: u32) -> Config {
    Config {
        cases: cases(base),
        failure_persistence: None,
        ..Config::default()
    }
}

/// The seed files of one corpus folder.
fn seeds(kind: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(kind);
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

/// Fragments that tend to break parsers of JSON, CSV and numbers.
const TOKENS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b",",
    b":",
    b"\n",
    b"\r\n",
    b"\\",
    b"null",
    b"true",
    b"NaN",
    b"-Infinity",
    b"1e999",
    b"-0",
    b"18446744073709551616",
    b"0.1e-400",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"NA",
    b"\xff\xfe",
    b"[[[[[[[[[[",
    b"{\"a\":",
    b"\"shape\": [-1]",
    b"\"data\": []",
    b"\"inputs\": [",
    b"Id,",
    b",,,,",
    b"\"\"\"",
    b"=",
    b"[server]",
    b"port = ",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Token(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Token(at, t)),
        (any::<usize>(), 1..64usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 1..256usize).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let at = |p: usize, len: usize| p % (len + 1);
        let len = bytes.len();
        match mutation {
            Mutation::Flip(p, bit) if len > 0 => bytes[p % len] ^= 1 << (bit % 8),
            Mutation::Flip(..) => {}
            Mutation::Insert(p, new) => {
                let p = at(*p, len);
                bytes.splice(p..p, new.iter().copied());
            }
            Mutation::Token(p, t) => {
                let p = at(*p, len);
                bytes.splice(p..p, TOKENS[*t].iter().copied());
            }
            Mutation::Delete(p, n) => {
                let p = at(*p, len);
                bytes.drain(p..(p + n).min(len));
            }
            Mutation::Duplicate(p, n) => {
                let p = at(*p, len);
                let copy = bytes[p..(p + n).min(len)].to_vec();
                bytes.splice(p..p, copy);
            }
            Mutation::Truncate(p) => bytes.truncate(at(*p, len)),
        }
    }
    bytes
}

fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(seeds),
        prop::collection::vec(mutation(), 0..8),
    )
        .prop_map(|(seed, mutations)| apply(seed, &mutations))
}

const LIMITS: Limits = Limits {
    max_body_bytes: 1 << 20,
    max_rows: 100,
    max_explain_rows: 100,
    max_json_depth: 32,
    max_header_bytes: 1 << 14,
    body_timeout: Duration::from_secs(1),
};

/// Runs `work` on `bytes` and checks its time and memory against
/// `allowance`; returns its result.
fn bounded<T>(
    bytes: &[u8],
    allowance: Allowance,
    work: impl FnOnce() -> T,
) -> Result<T, TestCaseError> {
    let started = Instant::now();
    let (result, allocated) = allocated_by(work);
    let elapsed = started.elapsed();
    let allowed = allowance.bytes(bytes.len());
    prop_assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    prop_assert!(
        allocated.peak <= allowed && allocated.total <= 2 * allowed,
        "{allocated:?} for {} input bytes; allowed {allowed} ({allowance:?})",
        bytes.len()
    );
    Ok(result)
}

fn client_error(error: &Error) -> Result<(), TestCaseError> {
    prop_assert!(error.status().is_client_error(), "{error:?}");
    Ok(())
}

fn check_records(format: Format, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let model = regression_model::shipped_model().unwrap();
    let body = Body {
        format,
        bytes: Bytes::from(bytes.clone()),
        json_header_length: None,
    };
    let features = model.pipeline.features();
    let marks: &[u8] = match format {
        Format::Csv => b"\n\r",
        _ => b"{",
    };
    let parsing = Allowance::parsing(&bytes, marks, LIMITS.max_rows);
    match bounded(&bytes, parsing, || body.into_rows(&LIMITS, &features))? {
        Ok(input) => {
            let rows = &input.rows;
            prop_assert!(rows.len() <= LIMITS.max_rows);
            let predicting = Allowance::predicting(rows.len());
            let limit = regression_model::ErrorLimit::Total(100);
            let response = bounded(&bytes, predicting, || model.predict_input(&input, limit))?;
            prop_assert!(response.predictions.iter().all(|p| p.price.is_finite()));
        }
        Err(error) => client_error(&error)?,
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn fuzzed_json_record_bodies_parse_or_fail_as_client_errors(bytes in mutated(seeds("json"))) {
        check_records(Format::Json, bytes)?;
    }

    #[test]
    fn fuzzed_csv_bodies_parse_or_fail_as_client_errors(bytes in mutated(seeds("csv"))) {
        check_records(Format::Csv, bytes)?;
    }

    #[test]
    fn fuzzed_inference_requests_parse_or_fail_as_client_errors(bytes in mutated(seeds("oip"))) {
        let model = regression_model::shipped_model().unwrap();
        let parsing = Allowance::parsing(&bytes, b",", LIMITS.max_rows);
        let parsed = bounded(&bytes, parsing, || {
            let request = InferRequest::parse(&bytes, LIMITS.max_json_depth)?;
            let id = request.id.clone();
            request.into_rows(LIMITS.max_rows).map(|rows| (id, rows))
        })?;
        let result = match parsed {
            Ok((id, input)) => bounded(&bytes, Allowance::predicting(input.rows.len()), || {
                let limit = regression_model::ErrorLimit::Total(100);
                InferResponse::new(id, input.rows.len(), model.predict_input(&input, limit))
            })?,
            Err(error) => Err(error),
        };
        if let Err(error) = result {
            client_error(&error)?;
        }
    }
}

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

/// Fuzz cases sent over HTTP to the running server.
const HTTP_CASES: u32 = 400;

#[actix_web::test]
async fn fuzzed_requests_over_http_are_never_answered_with_a_5xx() {
    let app = spawn_app().await;
    let bodies = [seeds("json"), seeds("csv"), seeds("oip")].concat();
    let request = (
        prop::sample::select(vec![
            "/v1/predict/regression",
            "/v2/models/regression-model/infer",
        ]),
        prop::sample::select(vec![
            Some("application/json"),
            Some("text/csv"),
            Some("application/vnd.api+json; charset=utf-8"),
            Some("text/plain"),
            None,
        ]),
        mutated(bodies),
    );
    let mut runner = TestRunner::new(config(HTTP_CASES));

    for _ in 0..cases(HTTP_CASES) {
        let (path, content_type, body) = request.new_tree(&mut runner).unwrap().current();
        let shown = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();

        let reply = app.post(path, content_type, body).await;

        assert!(
            reply.status < 500,
            "{path} {content_type:?} {shown:?}: {}",
            reply.text()
        );
        if reply.status >= 400 {
            assert!(reply.json().get("error").is_some(), "{}", reply.text());
        }
    }
    app.assert_still_serving().await;
}

/// Binary-extension infer bodies (JSON header, then raw tensors) of a few
/// valid records, in binary and JSON answer forms.
fn binary_seeds() -> Vec<Vec<u8>> {
    let records = crate::helpers::valid_records();
    vec![
        crate::oip_binary::binary_request(&records[..3], true).0,
        crate::oip_binary::binary_request(&records[..1], false).0,
    ]
}

/// Where the body's first JSON value ends (the header length a client
/// would send), or half the body when it does not parse.
fn json_end(bytes: &[u8]) -> usize {
    let mut values =
        serde_json::Deserializer::from_slice(bytes).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => values.byte_offset(),
        _ => bytes.len() / 2,
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// The binary tensor data extension, mutated in its JSON header and its
    /// raw bytes, with the header length of the body as it stands or a
    /// random one (past the end, inside a value): a client error or rows,
    /// never a panic, a 5xx or a cost out of proportion.
    #[test]
    fn fuzzed_binary_inference_requests_parse_or_fail_as_client_errors(
        bytes in mutated(binary_seeds()),
        length in prop::option::of(0usize..4096),
    ) {
        let model = regression_model::shipped_model().unwrap();
        let length = length.unwrap_or_else(|| json_end(&bytes));
        let parsed = bounded(&bytes, Allowance::parsing_binary(LIMITS.max_rows), || {
            let request = InferRequest::parse_parts(&bytes, Some(length), LIMITS.max_json_depth)?;
            let id = request.id.clone();
            request.into_rows(LIMITS.max_rows).map(|rows| (id, rows))
        })?;
        let result = match parsed {
            Ok((id, input)) => bounded(&bytes, Allowance::predicting(input.rows.len()), || {
                let limit = regression_model::ErrorLimit::Total(100);
                InferResponse::new(id, input.rows.len(), model.predict_input(&input, limit))
            })?,
            Err(error) => Err(error),
        };
        if let Err(error) = result {
            client_error(&error)?;
        }
    }
}
