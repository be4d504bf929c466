//! Soak load for `ml-api` (run by `scripts/soak.sh`): `--connections`
//! keep-alive connections send a mix of valid, invalid and oversized
//! requests for `--seconds`, after a warm-up, while the model is swapped
//! twice ([`events`]: into model B at one third, back into A at two
//! thirds, by reloads or by promotions). Every answer is checked: its status, and for
//! predictions every price against the model whose version it names, and
//! that version against the reload times. Loopback only; bounded in time.

mod cases;
mod events;
mod http;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use regression_model::{TrainedModel, VersionPolicy};

use cases::{Cases, Kind, MIX, Verdict};
use http::Connection;

#[derive(Parser)]
struct Args {
    /// `127.0.0.1:PORT` of the running service (loopback only).
    #[arg(long)]
    address: String,
    /// Its process id, for SIGHUP and its memory (`/proc/PID/status`).
    #[arg(long)]
    server_pid: u32,
    /// The file the service reads as `MODEL_PATH`.
    #[arg(long)]
    model_path: PathBuf,
    /// The artifact served at the start (and again after SIGHUP).
    #[arg(long)]
    model_a: PathBuf,
    /// The artifact reloaded by `POST /admin/reload`; it must hold another model version.
    #[arg(long)]
    model_b: PathBuf,
    /// Re-encode model B under this version first (a retrained model of
    /// the same crate version carries the same version string).
    #[arg(long)]
    model_b_version: Option<String>,
    /// Fixture rows the requests are made of.
    #[arg(long)]
    fixture: PathBuf,
    #[arg(long, env = "ADMIN_TOKEN", hide_env_values = true)]
    admin_token: String,
    #[arg(long, default_value_t = 32)]
    connections: usize,
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Seconds of load before the measured period (and the first RSS reading).
    #[arg(long, default_value_t = 10)]
    warmup: u64,
    /// Size of the oversized bodies (the service must refuse them with 413).
    #[arg(long, default_value_t = 80 * 1024)]
    oversized_bytes: usize,
    /// Where to write the figures (Markdown).
    #[arg(long)]
    report: PathBuf,
    /// How the model is swapped A to B and back: reload a file, or promote
    /// the challenger (the service runs `MODELS` with B as `CHALLENGER`).
    #[arg(long, value_enum, default_value = "reload")]
    swap: events::Swap,
    /// Only write model B relabelled (`--model-b-version`) to this file and
    /// exit: the service must load it at start-up to promote it.
    #[arg(long)]
    relabel_only: Option<PathBuf>,
}

/// One answered request of the measured period.
struct Sample {
    kind: Kind,
    status: u16,
    micros: u32,
    started: f64,
    ended: f64,
    version: Option<String>,
}

#[derive(Default)]
struct Tally {
    samples: Vec<Sample>,
    wrong: Vec<String>,
    dropped: Vec<String>,
}

/// When a reload was asked for and when it was seen to be done.
#[derive(Debug, Clone, Default)]
struct Reload {
    how: &'static str,
    to_version: String,
    begun: f64,
    done: f64,
    ok: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    assert!(
        args.address.starts_with("127.") || args.address.starts_with("[::1]"),
        "loopback addresses only"
    );
    let load = |path: &PathBuf| TrainedModel::load(path, VersionPolicy::Any).expect("an artifact");
    let (a, mut b) = (load(&args.model_a), load(&args.model_b));
    let mut model_b = args.model_b.clone();
    if let Some(version) = &args.model_b_version {
        b.metadata.model_version = version.clone();
        model_b = args
            .relabel_only
            .clone()
            .unwrap_or_else(|| args.model_path.with_extension("relabelled"));
        std::fs::write(&model_b, b.to_bytes().expect("encodes")).expect("writes model B");
    }
    if args.relabel_only.is_some() {
        return ExitCode::SUCCESS;
    }
    let (version_a, version_b) = (
        a.metadata.model_version.clone(),
        b.metadata.model_version.clone(),
    );
    assert_ne!(
        version_a, version_b,
        "the two artifacts must hold different model versions"
    );
    let fixture = std::fs::read_to_string(&args.fixture).expect("the fixture");
    let cases = Arc::new(Cases::new(&fixture, [&a, &b], args.oversized_bytes));

    let started = Instant::now();
    let warmup = Duration::from_secs(args.warmup);
    let end = warmup + Duration::from_secs(args.seconds);
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let workers: Vec<_> = (0..args.connections)
        .map(|worker| {
            let (cases, tally, stop) = (cases.clone(), tally.clone(), stop.clone());
            let address = args.address.clone();
            std::thread::spawn(move || {
                drive(worker, &address, &cases, &tally, &stop, started, warmup)
            })
        })
        .collect();

    std::thread::sleep(warmup);
    let rss_before = rss_kib(args.server_pid);
    let third = Duration::from_secs(args.seconds) / 3;
    std::thread::sleep(third);
    let at = |t: Instant| (t - started - warmup).as_secs_f64();
    let mut reloads = vec![events::into_b(&args, &model_b, &version_b, at)];
    std::thread::sleep((started + warmup + 2 * third).saturating_duration_since(Instant::now()));
    reloads.push(events::back_to_a(&args, &version_a, at));

    std::thread::sleep((started + end).saturating_duration_since(Instant::now()));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.join();
    }
    let rss_after = rss_kib(args.server_pid);
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    let shadow = (args.swap == events::Swap::Promote)
        .then(|| events::shadow_summary(&args.address))
        .flatten();
    let report = report::write(
        &args,
        &tally,
        &reloads,
        [&version_a, &version_b],
        (rss_before, rss_after),
        shadow.as_deref(),
    );
    std::fs::write(&args.report, &report.markdown).expect("the report");
    println!("{}", report.markdown);
    if report.passed {
        ExitCode::SUCCESS
    } else {
        eprintln!("soak: FAILED: {}", report.failures.join("; "));
        ExitCode::FAILURE
    }
}

/// One connection's loop: send, check, record; reconnect after a drop.
fn drive(
    worker: usize,
    address: &str,
    cases: &Cases,
    tally: &Mutex<Tally>,
    stop: &AtomicBool,
    started: Instant,
    warmup: Duration,
) {
    let mut rng = worker as u64 * 0x9E37_79B9_7F4A_7C15 + 1;
    let mut connection = None;
    let mut local = Tally::default();
    let mut n = 0usize;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let kind = pick((rng % 100) as u32);
        let variant = n + worker * 7919;
        let request = cases.request(kind, variant);
        let conn = match connection.as_mut() {
            Some(c) => c,
            None => match Connection::open(address) {
                Ok(c) => connection.insert(c),
                Err(e) => {
                    local.dropped.push(format!("connect: {e}"));
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            },
        };
        let sent = Instant::now();
        let result = conn.send(&request);
        let measured = sent >= started + warmup;
        match result {
            Ok(response) => {
                let micros = sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                if response.close {
                    connection = None;
                }
                let version = match cases.verify(kind, variant, &request, &response) {
                    Verdict::Right { version } => version,
                    Verdict::Wrong(why) => {
                        local.wrong.push(why);
                        None
                    }
                };
                if measured {
                    let at = |t: Instant| (t - started - warmup).as_secs_f64();
                    local.samples.push(Sample {
                        kind,
                        status: response.status,
                        micros,
                        started: at(sent),
                        ended: at(Instant::now()),
                        version,
                    });
                }
            }
            Err(e) => {
                local.dropped.push(format!("{kind:?}: {e}"));
                connection = None;
            }
        }
    }
    let mut tally = tally.lock().unwrap();
    tally.samples.append(&mut local.samples);
    tally.wrong.append(&mut local.wrong);
    tally.dropped.append(&mut local.dropped);
}

fn pick(roll: u32) -> Kind {
    let mut sum = 0;
    for (kind, percent) in MIX {
        sum += percent;
        if roll < sum {
            return *kind;
        }
    }
    Kind::Health
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
