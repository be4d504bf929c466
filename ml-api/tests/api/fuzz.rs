//! Property-based fuzzing of every input parser, from the seeds in
//! `tests/corpus/`: each case picks a seed and applies a few random
//! mutations (bit flips, inserted bytes and JSON/CSV tokens, deleted,
//! duplicated or truncated ranges). No input may panic, take more than a
//! moment, allocate out of proportion to its size (see [`Allowance`]), or
//! be answered with a 5xx. Case counts are fixed (see [`cases`];
//! `ML_API_FUZZ_CASES` multiplies them for a longer run). This module has
//! the mutations and the request bodies' cases; [`crate::fuzz_files`] the
//! settings and artifacts, [`crate::fuzz_http`] requests to the server.

use std::path::Path;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use ml_api::body::{Body, Format};
use ml_api::configuration::Limits;
use ml_api::error::Error;
use ml_api::oip::{InferRequest, InferResponse};
use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::alloc::{Allowance, allocated_by};

/// The fixed case count of one fuzz test, times `ML_API_FUZZ_CASES` if set.
pub(crate) fn cases(base: u32) -> u32 {
    let factor = std::env::var("ML_API_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1);
    base.saturating_mul(factor.max(1))
}

pub(crate) fn config(base: u32) -> Config {
    Config {
        cases: cases(base),
        failure_persistence: None,
        ..Config::default()
    }
}

/// The seed files of one corpus folder.
pub(crate) fn seeds(kind: &str) -> Vec<Vec<u8>> {
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

pub(crate) fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(seeds),
        prop::collection::vec(mutation(), 0..8),
    )
        .prop_map(|(seed, mutations)| apply(seed, &mutations))
}

pub(crate) const LIMITS: Limits = Limits {
    max_body_bytes: 1 << 20,
    max_rows: 100,
    max_explain_rows: 100,
    max_json_depth: 32,
    max_header_bytes: 1 << 14,
    body_timeout: Duration::from_secs(1),
};

/// Runs `work` on `bytes` and checks its time and memory against
/// `allowance`; returns its result.
pub(crate) fn bounded<T>(
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

pub(crate) fn client_error(error: &Error) -> Result<(), TestCaseError> {
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
