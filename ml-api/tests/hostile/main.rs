//! The hostile corpus: request shapes built to make a request cost far more
//! than its size (an error per cell, a response or log line that echoes the
//! body, a tensor that claims a billion rows). Each is sent to the real
//! `ml-api` binary, started as a child process with its defaults, and must
//! be answered with a 4xx within the time bound, with a body of at most
//! 64 KiB, at most 64 KiB of log growth, and the server's peak RSS under
//! 128 MiB. The corpus runs a second time with the server under a hard
//! data limit (`prlimit --data=256MiB`), which it must survive.
//!
//! The time bound is 1 s for an optimised build (`.ci/run` runs this test
//! with `--release`); a debug build parses several times slower, so it gets
//! thirty times as long (a busy CI machine runs the debug suite in parallel).

mod cases;
mod server;

use std::time::{Duration, Instant};

use cases::Case;
use server::Server;

const TIME_BOUND: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(30)
} else {
    Duration::from_secs(1)
};
const MAX_RESPONSE_BYTES: usize = 64 * 1024;
const MAX_LOG_GROWTH: u64 = 64 * 1024;
const MAX_PEAK_RSS: u64 = 128 * 1024 * 1024;

/// What one case cost, for the failure message and BENCHMARKS' table.
#[derive(Debug)]
struct Cost {
    status: u16,
    response_bytes: usize,
    log_bytes: u64,
    peak_rss: u64,
    time: Duration,
}

fn run(server: &Server, case: &Case) -> Vec<String> {
    let log_before = server.log_bytes();
    server.reset_peak_rss();
    let started = Instant::now();
    let reply = server.send(&case.request());
    let time = started.elapsed();
    Cost {
        status: reply.status,
        response_bytes: reply.body.len(),
        log_bytes: server.log_bytes().saturating_sub(log_before),
        peak_rss: server.peak_rss(),
        time,
    }
    .checked(case, &reply.body)
}

impl Cost {
    /// The bounds this cost breaks, as messages.
    fn checked(self, case: &Case, body: &[u8]) -> Vec<String> {
        let name = case.name;
        let text = String::from_utf8_lossy(&body[..body.len().min(2000)]);
        let mut broken = Vec::new();
        let mut check = |holds: bool, what: String| {
            if !holds {
                broken.push(format!("{name}: {what}"));
            }
        };
        check(
            (400..500).contains(&self.status),
            format!("status {} ({text})", self.status),
        );
        check(self.time < TIME_BOUND, format!("took {:?}", self.time));
        check(
            self.response_bytes <= MAX_RESPONSE_BYTES,
            format!("{} response bytes", self.response_bytes),
        );
        check(
            self.log_bytes <= MAX_LOG_GROWTH,
            format!("{} log bytes", self.log_bytes),
        );
        check(
            self.peak_rss < MAX_PEAK_RSS,
            format!("peak RSS {} bytes", self.peak_rss),
        );
        if let Some(expected) = case.expect_code {
            check(
                text.contains(&format!("\"{expected}\"")),
                format!("expected code {expected}: {text}"),
            );
        }
        for secret in case.never_echoed {
            check(
                !String::from_utf8_lossy(body).contains(secret),
                format!("the response echoes {secret:?}"),
            );
        }
        eprintln!(
            "{name:<44} {:>9} B -> {} {:>6} B, log {:>6} B, peak RSS {:>5.1} MiB, {:>7.1} ms",
            case.body.len(),
            self.status,
            self.response_bytes,
            self.log_bytes,
            self.peak_rss as f64 / (1 << 20) as f64,
            self.time.as_secs_f64() * 1e3
        );
        broken
    }
}

fn run_corpus(server: &Server) {
    let mut broken = Vec::new();
    for case in cases::all() {
        broken.extend(run(server, &case));
        assert!(server.is_running(), "{}: the server died", case.name);
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    // Still serving, and correctly.
    let reply = server.send(&cases::valid_request());
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
}

#[test]
fn every_hostile_shape_costs_a_bounded_amount() {
    let server = Server::start(&[]);
    run_corpus(&server);
}

#[test]
fn the_corpus_does_not_kill_a_server_under_a_hard_data_limit() {
    let server = Server::start(&["--data=268435456"]);
    run_corpus(&server);
}

/// The empty records again, to a server whose model imputes missing values
/// (generation 3 with `on_missing = "impute"`, fitted on the synthetic
/// rows): each row gets one error (`max_imputed`), not a price with a list
/// of fallbacks.
#[test]
fn empty_records_cost_a_bounded_amount_when_the_model_imputes() {
    use regression_model::PipelineConfig;
    use regression_model::{TrainOptions, read_training_file, train};

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config =
        PipelineConfig::from_file(&root.join("regression-model/config/generation-3.toml")).unwrap();
    let data = root.join("fixtures/synthetic/train.csv");
    let (rows, sha) = read_training_file(&data, &config).unwrap();
    let options = TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let (model, _) = train(&config, &rows, &sha, options).unwrap();
    let models = tempfile::tempdir().unwrap();
    let path = models.path().join("model.postcard");
    model.save(&path).unwrap();
    let server = Server::start_with(&[], &[("MODEL_PATH", path.to_str().unwrap())]);

    let case = cases::all()
        .into_iter()
        .find(|c| c.name == cases::EMPTY_RECORDS)
        .unwrap();
    let broken = run(&server, &case);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
