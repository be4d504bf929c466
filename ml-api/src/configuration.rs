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
//! | `ADMIN_TOKEN` | none: no admin routes | bearer token of `POST /admin/reload` |
//! | `DRIFT_WINDOW` | 10000 | served rows (100 to 10,000,000) each input's drift is measured over ([`crate::drift`]) |

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Error;
use crate::scheduling::Yielder;

mod check;
mod layers;
mod values;

use layers::{Layers, layer_file, read_file};
pub use layers::{MAX_CONFIG_FILE_BYTES, SETTING_NAMES};
pub use values::{AdminToken, ErrorDetail, InputSample};

/// Where the service runs; decides the default `HOST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Production,
    Development,
    Testing,
}

/// Everything the service needs to start, already checked.
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
    /// `None` leaves the admin routes unregistered (404).
    pub admin_token: Option<AdminToken>,
    /// The drift monitor's window (`DRIFT_WINDOW`, in ten blocks).
    pub drift: regression_model::DriftSettings,
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
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::load(|key| vars.get(key).cloned(), None)
    }

    #[test]
    fn defaults_listen_on_localhost_port_5000_with_the_documented_limits() {
        let settings = load(&[]).unwrap();
        assert_eq!(settings.environment, Environment::Development);
        assert_eq!(settings.server.host, IpAddr::from([127, 0, 0, 1]));
        assert_eq!(settings.server.port, 5000);
        assert_eq!(settings.limits.max_body_bytes, 8 * 1024 * 1024);
        assert_eq!(settings.limits.max_rows, 10_000);
        assert_eq!(settings.logging.input_sample.share(), 0.01);
        assert_eq!(settings.logging.sink, crate::telemetry::LogSink::File);
        assert_eq!(settings.logging.max_line_bytes, 16 * 1024);
        assert_eq!(settings.logging.max_bytes_per_sec, 1024 * 1024);
        assert_eq!(settings.logging.level, "info");
        assert!(settings.model_path.is_none());
        assert!(settings.admin_token.is_none());
        assert_eq!(settings.limits.max_json_depth, 32);
        assert_eq!(settings.limits.max_header_bytes, 16 * 1024);
        assert_eq!(settings.limits.body_timeout, Duration::from_secs(30));
        assert_eq!(
            settings.server.client_request_timeout,
            Duration::from_secs(5)
        );
        assert_eq!(settings.server.keep_alive, Duration::from_secs(5));
        assert_eq!(settings.server.max_connections, 1024);
        assert_eq!(settings.server.max_inflight_body_bytes, 64 * 1024 * 1024);
        assert_eq!(
            settings.server.yielder.map(Yielder::interval),
            Some(Duration::from_micros(250))
        );
        let never = load(&[("YIELD_INTERVAL_US", "0")]).unwrap();
        assert_eq!(never.server.yielder, None);
    }

    #[test]
    fn every_limit_is_set_from_the_environment() {
        let settings = load(&[
            ("MAX_JSON_DEPTH", "8"),
            ("MAX_HEADER_BYTES", "4096"),
            ("BODY_TIMEOUT", "2.5"),
            ("CLIENT_REQUEST_TIMEOUT", "0.5"),
            ("KEEP_ALIVE", "75"),
            ("MAX_CONNECTIONS", "64"),
            ("ADMIN_TOKEN", "0123456789abcdef-token"),
        ])
        .unwrap();
        assert_eq!(settings.limits.max_json_depth, 8);
        assert_eq!(settings.limits.max_header_bytes, 4096);
        assert_eq!(settings.limits.body_timeout, Duration::from_millis(2500));
        assert_eq!(
            settings.server.client_request_timeout,
            Duration::from_millis(500)
        );
        assert_eq!(settings.server.keep_alive, Duration::from_secs(75));
        assert_eq!(settings.server.max_connections, 64);
        assert!(
            settings
                .admin_token
                .unwrap()
                .matches(b"0123456789abcdef-token")
        );
    }

    #[test]
    fn a_rejected_admin_token_is_not_repeated_in_the_error() {
        let error = load(&[("ADMIN_TOKEN", "hunter2")]).unwrap_err().to_string();
        assert!(error.contains("ADMIN_TOKEN"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn the_log_bounds_and_sink_are_set_from_the_file_and_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ml-api.toml");
        std::fs::write(&file, "log_sink = \"stdout\"\nlog_max_line_bytes = 2048\n").unwrap();
        let file = file.to_str().unwrap();
        let settings = load(&[
            ("APP_CONFIG_FILE", file),
            ("LOG_MAX_BYTES_PER_SEC", "4096"),
            ("LOG_INPUT_SAMPLE", "1"),
        ])
        .unwrap();
        assert_eq!(settings.logging.sink, crate::telemetry::LogSink::Stdout);
        assert_eq!(settings.logging.max_line_bytes, 2048);
        assert_eq!(settings.logging.max_bytes_per_sec, 4096);
        assert_eq!(settings.logging.input_sample.share(), 1.0);
    }

    #[test]
    fn a_settings_file_larger_than_a_mebibyte_is_refused_unread() {
        let error = load(&[("APP_CONFIG_FILE", "/dev/zero")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("larger than"), "{error}");
    }

    #[test]
    fn the_inflight_body_budget_must_hold_one_largest_body() {
        let settings = load(&[
            ("MAX_INFLIGHT_BODY_BYTES", "1048576"),
            ("MAX_BODY_BYTES", "1048576"),
        ])
        .unwrap();
        assert_eq!(settings.server.max_inflight_body_bytes, 1 << 20);
        let error = load(&[
            ("MAX_INFLIGHT_BODY_BYTES", "1048576"),
            ("MAX_BODY_BYTES", "2097152"),
        ])
        .unwrap_err()
        .to_string();
        assert!(error.contains("MAX_INFLIGHT_BODY_BYTES"), "{error}");
        assert!(error.contains("MAX_BODY_BYTES"), "{error}");
    }

    #[test]
    fn production_listens_on_every_interface_unless_host_is_set() {
        let settings = load(&[("APP_ENVIRONMENT", "production")]).unwrap();
        assert_eq!(settings.server.host, IpAddr::from([0, 0, 0, 0]));
        let settings = load(&[("APP_ENVIRONMENT", "production"), ("HOST", "127.0.0.2")]).unwrap();
        assert_eq!(settings.server.host, IpAddr::from([127, 0, 0, 2]));
    }

    #[test]
    fn an_invalid_value_names_the_setting_and_its_origin() {
        for (key, value) in [
            ("PORT", "http"),
            ("PORT", "70000"),
            ("LOG_INPUT_SAMPLE", "1.5"),
            ("LOG_SINK", "stderr"),
            ("LOG_MAX_LINE_BYTES", "100"),
            ("LOG_MAX_BYTES_PER_SEC", "0"),
            ("MAX_ROWS", "0"),
            ("APP_ENVIRONMENT", "staging"),
            ("HOST", "example"),
            ("WORKERS", "0"),
            ("BATCH_THREADS", "0"),
            ("YIELD_INTERVAL_US", "2000000"),
            ("MAX_JSON_DEPTH", "2"),
            ("MAX_HEADER_BYTES", "1000000"),
            ("BODY_TIMEOUT", "0"),
            ("CLIENT_REQUEST_TIMEOUT", "never"),
            ("KEEP_ALIVE", "-1"),
            ("MAX_CONNECTIONS", "0"),
            ("MAX_INFLIGHT_BODY_BYTES", "lots"),
            ("ADMIN_TOKEN", "short"),
        ] {
            let error = load(&[(key, value)]).unwrap_err().to_string();
            assert!(error.contains(key), "{error}");
            assert!(error.contains("the environment"), "{error}");
        }
    }

    #[test]
    fn the_environment_overrides_the_file_and_the_file_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ml-api.toml");
        std::fs::write(&file, "port = 8080\nmax_rows = 5\nlog_level = \"warn\"\n").unwrap();
        let file = file.to_str().unwrap();
        let settings = load(&[("APP_CONFIG_FILE", file), ("PORT", "9090")]).unwrap();
        assert_eq!(settings.server.port, 9090);
        assert_eq!(settings.limits.max_rows, 5);
        assert_eq!(settings.logging.level, "warn");
    }

    #[test]
    fn the_example_file_is_valid() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/config/example.toml");
        let settings = load(&[("APP_CONFIG_FILE", file)]).unwrap();
        assert_eq!(settings.environment, Environment::Production);
        assert_eq!(settings.limits.max_body_bytes, 8 * 1024 * 1024);
    }

    #[test]
    fn an_unknown_key_in_the_file_stops_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ml-api.toml");
        std::fs::write(&file, "prot = 8080\n").unwrap();
        let error = load(&[("APP_CONFIG_FILE", file.to_str().unwrap())])
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown setting `prot`"), "{error}");
    }

    #[test]
    fn the_model_flag_wins_over_model_path() {
        let env = |key: &str| (key == "MODEL_PATH").then(|| "/from/env".to_owned());
        let settings = Settings::load(env, Some(PathBuf::from("/from/flag"))).unwrap();
        assert_eq!(settings.model_path, Some(PathBuf::from("/from/flag")));
    }
}
