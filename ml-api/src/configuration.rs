//! Configuration: built-in defaults, then an optional TOML file
//! (`APP_CONFIG_FILE`), then the environment, then `--model`, checked once
//! into a typed [`Settings`]. A bad value stops start-up with an error that
//! names the setting, where it came from and what would be accepted.
//!
//! | variable (file key in lower case) | default | meaning |
//! |---|---|---|
//! | `APP_ENVIRONMENT` | `development` | `production`, `development` or `testing` |
//! | `HOST` | `0.0.0.0` in production, `127.0.0.1` otherwise | IP address to listen on |
//! | `PORT` | `5000` | TCP port (0: any free port) |
//! | `WORKERS` | number of CPUs | actix worker threads |
//! | `YIELD_INTERVAL_US` | 250 | a worker on its CPU for 90% of this many µs yields it once; 0: never ([`crate::scheduling`]) |
//! | `BATCH_THREADS` | number of CPUs | threads, in all, for bodies over 64 KiB |
//! | `MAX_BODY_BYTES` | 8 MiB | largest accepted request body |
//! | `MAX_INFLIGHT_BODY_BYTES` | 64 MiB | request-body bytes buffered at once, all connections together (at least `MAX_BODY_BYTES`) |
//! | `MAX_ROWS` | 10000 | most records in one prediction request |
//! | `MAX_EXPLAIN_ROWS` | 100 | most records in one explanation request (an explanation is ~80 contributions a row) |
//! | `MAX_JSON_DEPTH` | 32 | deepest JSON nesting accepted |
//! | `MAX_ERRORS` | 100 | field errors kept per request; the rest are counted |
//! | `ERROR_DETAIL` | `full` | `redacted`: no request bytes (unknown field names) in any response |
//! | `MAX_HEADER_BYTES` | 16 KiB | largest request line plus headers |
//! | `BODY_TIMEOUT` | 30 | seconds a client gets to send a whole body |
//! | `CLIENT_REQUEST_TIMEOUT` | 5 | seconds a client gets to send the request head |
//! | `KEEP_ALIVE` | 5 | seconds an idle connection is kept open |
//! | `MAX_CONNECTIONS` | 1024 | open connections per worker |
//! | `SHUTDOWN_TIMEOUT` | 30 | seconds in-flight requests get after SIGTERM |
//! | `LOG_DIR` | `logs` | folder of the daily-rotated log files |
//! | `LOG_LEVEL` | `info` | log specification (`info`, `warn`, `ml_api=debug`, ...) |
//! | `LOG_MAX_FILE_BYTES` | 16 MiB | a log file is rotated at midnight or at this size |
//! | `LOG_INPUT_SAMPLE` | 0.01 | share (0..=1) of prediction requests whose input is logged |
//! | `LOG_SINK` | `file` | `file` (rotated files in `LOG_DIR`) or `stdout` |
//! | `LOG_MAX_LINE_BYTES` | 16 KiB | longest log line; longer ones are cut and marked |
//! | `LOG_MAX_BYTES_PER_SEC` | 1 MiB | log bytes a second; lines past it are dropped and counted |
//! | `MODEL_PATH` | none: the shipped model | model artifact to serve instead |
//! | `ADMIN_TOKEN` | none: no admin routes | bearer token of `POST /admin/reload` and `POST /admin/promote` |
//! | `MODELS` | none: one model (`MODEL_PATH` or the shipped one) | `name=path,...`: several artifacts in one process (`shipped` as a path: the embedded model); not with `MODEL_PATH` |
//! | `MODELS_DIR` | none | a folder whose `models.toml` lists the models (name, path in the folder) and names champion and challenger ([`folder`]); read again by every reload; not with `MODELS`, `MODEL_PATH`, `CHAMPION` or `CHALLENGER` |
//! | `MAX_MODELS` | 4 | most entries in `MODELS` or `models.toml` (1..=16) |
//! | `CHAMPION` | the first entry of `MODELS` | the model of the unversioned routes |
//! | `CHALLENGER` | none | the model that shadows the champion and that `POST /admin/promote` swaps in |
//! | `SHADOW_SAMPLE` | 0 | share (0..=1) of champion requests also scored by the challenger, off the request path (needs `CHALLENGER`) |
//! | `SHADOW_QUEUE` | 1024 | requests waiting to be shadowed at most; past it they are dropped and counted |
//! | `SHADOW_QUEUE_BYTES` | 16 MiB | body bytes waiting to be shadowed at most |
//! | `DRIFT_WINDOW` | 10000 | served rows (100 to 10,000,000) each input's drift is measured over ([`crate::drift`]) |
//! | `DRIFT_SAMPLE` | 0.1 | share (above 0, at most 1) of served rows counted into that window, drawn at random per row |

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Error;
use crate::scheduling::Yielder;

mod check;
pub mod folder;
mod layers;
mod models;
mod values;

pub use folder::{MAX_MODELS_FILE_BYTES, MODELS_FILE, ModelsFolder};
use layers::{Layers, layer_file, read_file};
pub use layers::{MAX_CONFIG_FILE_BYTES, SETTING_NAMES};
pub use models::{MAX_NAME_CHARS, ModelEntry, ModelSettings, RESERVED_NAMES, ShadowSettings};
pub use values::{AdminToken, ErrorDetail, InputSample};

/// Where the service runs; decides the default `HOST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Production,
    Development,
    Testing,
}

/// Everything the service needs to start, already checked.
/// `DRIFT_SAMPLE`'s default: one served row in ten is counted into the
/// drift window. Counting costs about a microsecond a row (a bin look-up per
/// input), a tenth of a prediction's cost; a random tenth of the traffic
/// estimates the same distributions.
pub const DEFAULT_DRIFT_SAMPLE: f64 = 0.1;

#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    pub server: ServerSettings,
    pub limits: Limits,
    pub errors: ErrorSettings,
    pub logging: LogSettings,
    /// The artifact to serve and to reload; `None` serves the model shipped
    /// in `regression-model` (and a reload has nothing to read).
    pub model_path: Option<PathBuf>,
    /// Every model to serve (from `MODELS`, else the one above) and the
    /// aliases `champion` and `challenger`.
    pub models: ModelSettings,
    pub shadow: ShadowSettings,
    /// `None` leaves the admin routes unregistered (404).
    pub admin_token: Option<AdminToken>,
    /// The drift monitor's window (`DRIFT_WINDOW`, in ten blocks).
    pub drift: regression_model::DriftSettings,
    /// The share of served rows counted into the drift window
    /// (`DRIFT_SAMPLE`).
    pub drift_sample: f64,
}

#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub host: IpAddr,
    pub port: u16,
    pub workers: usize,
    /// When a busy worker gives its CPU away; `None`: never.
    pub yielder: Option<Yielder>,
    /// Threads that parse and predict the bodies too large to handle on a
    /// worker, in all (split among the workers). Batches are CPU work: more
    /// threads than CPUs only add stacks, heaps and context switches.
    pub batch_threads: usize,
    pub shutdown_timeout_secs: u64,
    /// Time to receive a request head (actix answers 408 past it).
    pub client_request_timeout: Duration,
    /// How long an idle keep-alive connection stays open.
    pub keep_alive: Duration,
    /// Open connections per worker; past it the server stops accepting.
    pub max_connections: usize,
    /// Request-body bytes buffered at once by all connections together;
    /// past it, 503 `overloaded` ([`crate::budget`]).
    pub max_inflight_body_bytes: usize,
}

/// Request limits, enforced before and while a request is parsed.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_rows: usize,
    /// Most records in one explanation request: each row's answer holds
    /// a contribution per input column, so this bounds the response.
    pub max_explain_rows: usize,
    pub max_json_depth: usize,
    /// Request line plus headers, counted as sent (name, value, `: `, CRLF).
    pub max_header_bytes: usize,
    /// Time to receive a whole body once the head is in.
    pub body_timeout: Duration,
}

/// What error responses hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorSettings {
    /// Field errors kept per request (the rest are only counted), so a
    /// body with a problem in every cell costs a counter, not an error per
    /// cell.
    pub max_errors: usize,
    /// Whether responses may quote request bytes (unknown field names).
    pub detail: ErrorDetail,
}

impl Default for ErrorSettings {
    /// `MAX_ERRORS` and `ERROR_DETAIL`'s defaults.
    fn default() -> Self {
        ErrorSettings {
            max_errors: 100,
            detail: ErrorDetail::Full,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LogSettings {
    pub dir: PathBuf,
    /// A flexi_logger specification, checked at start-up.
    pub level: String,
    /// Size at which a log file is rotated before midnight; with the kept
    /// file count it bounds the log's disk use.
    pub max_file_bytes: u64,
    pub input_sample: InputSample,
    /// Files or stdout; the bounds below apply to both.
    pub sink: crate::telemetry::LogSink,
    /// Longest line, newline included ([`crate::telemetry::line`]).
    pub max_line_bytes: usize,
    /// The log's byte budget ([`crate::telemetry::rate`]).
    pub max_bytes_per_sec: u64,
}

impl Settings {
    /// Reads the process environment (and `APP_CONFIG_FILE`); `cli_model`
    /// (from `--model`) wins over `MODEL_PATH`.
    ///
    /// # Errors
    /// [`Error::Setting`] or [`Error::ConfigFile`] naming the bad setting.
    pub fn from_env(cli_model: Option<PathBuf>) -> Result<Settings, Error> {
        Settings::load(|key| std::env::var(key).ok(), cli_model)
    }

    /// Builds settings from a variable lookup, so tests need not touch the
    /// process environment; reads the file named by `APP_CONFIG_FILE`.
    ///
    /// # Errors
    /// [`Error::Setting`] or [`Error::ConfigFile`] naming the bad setting.
    pub fn load(
        env: impl Fn(&str) -> Option<String>,
        cli_model: Option<PathBuf>,
    ) -> Result<Settings, Error> {
        match env("APP_CONFIG_FILE").filter(|f| !f.is_empty()) {
            Some(file) => {
                let path = Path::new(&file);
                let text = read_file(path)?;
                let origin = path.display().to_string();
                Settings::layered(Some((&text, &origin)), env, cli_model)
            }
            None => Settings::layered(None, env, cli_model),
        }
    }

    /// Builds settings from the text of a settings file (and the name it
    /// is reported by), a variable lookup and `--model`: everything
    /// [`Settings::load`] does but reading the file.
    ///
    /// # Errors
    /// [`Error::Setting`] or [`Error::ConfigFile`] naming the bad setting.
    pub fn layered(
        file: Option<(&str, &str)>,
        env: impl Fn(&str) -> Option<String>,
        cli_model: Option<PathBuf>,
    ) -> Result<Settings, Error> {
        let mut layers = Layers(HashMap::new());
        if let Some((text, origin)) = file {
            layer_file(text, origin, &mut layers)?;
        }
        for key in SETTING_NAMES {
            if let Some(value) = env(key).filter(|v| !v.is_empty()) {
                layers.0.insert(key, (value, "the environment".into()));
            }
        }
        if let Some(path) = cli_model {
            let value = path.to_string_lossy().into_owned();
            layers.0.insert("MODEL_PATH", (value, "--model".into()));
        }
        Settings::check(&layers)
    }
}

#[cfg(test)]
mod tests;
