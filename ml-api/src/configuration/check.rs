//! The rule of every setting: its default, the values it accepts (said in
//! the error when another is given) and how it is parsed, applied to the
//! merged layers in one place. Loading the layers is the parent module's.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::layers::{Layers, number, within};
use super::values::{self, AdminToken, ErrorDetail, InputSample};
use super::{
    DEFAULT_DRIFT_SAMPLE, Environment, ErrorSettings, Limits, LogSettings, ServerSettings, Settings,
};
use crate::error::Error;
use crate::scheduling::Yielder;

impl Settings {
    /// Parses and checks every setting from the merged layers.
    ///
    /// # Errors
    /// [`Error::Setting`] naming the first bad setting, where it came from
    /// and what would be accepted.
    pub(super) fn check(layers: &Layers) -> Result<Settings, Error> {
        let environment = layers.parse(
            "APP_ENVIRONMENT",
            Environment::Development,
            "production, development or testing",
            |v| match v.to_ascii_lowercase().as_str() {
                "production" => Ok(Environment::Production),
                "development" => Ok(Environment::Development),
                "testing" => Ok(Environment::Testing),
                _ => Err(format!("`{v}` is not an environment")),
            },
        )?;
        let default_host = match environment {
            Environment::Production => IpAddr::from([0, 0, 0, 0]),
            _ => IpAddr::from([127, 0, 0, 1]),
        };
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let server = ServerSettings {
            host: layers.parse(
                "HOST",
                default_host,
                "an IP address such as 127.0.0.1 or 0.0.0.0",
                |v| v.parse().map_err(|_| format!("`{v}` is not an IP address")),
            )?,
            port: layers.parse("PORT", 5000, "a port number 0..=65535", number)?,
            workers: layers.parse("WORKERS", cpus, "a whole number 1..=512", |v| {
                number(v).and_then(|n| within(n, 1, 512))
            })?,
            yielder: layers.parse(
                "YIELD_INTERVAL_US",
                Yielder::every(Duration::from_micros(250)),
                "microseconds from 0 (never) to 1000000",
                |v| {
                    number(v)
                        .and_then(|n| within(n, 0, 1_000_000))
                        .map(|us| Yielder::every(Duration::from_micros(us)))
                },
            )?,
            batch_threads: layers.parse("BATCH_THREADS", cpus, "a whole number 1..=512", |v| {
                number(v).and_then(|n| within(n, 1, 512))
            })?,
            shutdown_timeout_secs: layers.parse(
                "SHUTDOWN_TIMEOUT",
                30,
                "seconds, 0..=3600",
                |v| number(v).and_then(|n| within(n, 0, 3600)),
            )?,
            client_request_timeout: layers.parse(
                "CLIENT_REQUEST_TIMEOUT",
                Duration::from_secs(5),
                "seconds from 0.1 to 300",
                |v| values::seconds(v, 0.1, 300.0),
            )?,
            keep_alive: layers.parse(
                "KEEP_ALIVE",
                Duration::from_secs(5),
                "seconds from 0.1 to 3600",
                |v| values::seconds(v, 0.1, 3600.0),
            )?,
            max_connections: layers.parse(
                "MAX_CONNECTIONS",
                1024,
                "a connection count from 1 to 100000",
                |v| number(v).and_then(|n| within(n, 1, 100_000)),
            )?,
            max_inflight_body_bytes: layers.parse(
                "MAX_INFLIGHT_BODY_BYTES",
                64 * 1024 * 1024,
                "a byte count from 1024 to 68719476736",
                |v| number(v).and_then(|n| within(n, 1024, 1 << 36)),
            )?,
        };
        let limits = Limits {
            max_body_bytes: layers.parse(
                "MAX_BODY_BYTES",
                8 * 1024 * 1024,
                "a byte count from 1024 to 1073741824",
                |v| number(v).and_then(|n| within(n, 1024, 1 << 30)),
            )?,
            max_rows: layers.parse("MAX_ROWS", 10_000, "a row count from 1 to 1000000", |v| {
                number(v).and_then(|n| within(n, 1, 1_000_000))
            })?,
            max_explain_rows: layers.parse(
                "MAX_EXPLAIN_ROWS",
                100,
                "a row count from 1 to 10000",
                |v| number(v).and_then(|n| within(n, 1, 10_000)),
            )?,
            // An inference request needs 4 levels; serde_json stops at 128.
            max_json_depth: layers.parse("MAX_JSON_DEPTH", 32, "a depth from 4 to 128", |v| {
                number(v).and_then(|n| within(n, 4, 128))
            })?,
            // actix refuses heads over 128 KiB itself (431, empty body).
            max_header_bytes: layers.parse(
                "MAX_HEADER_BYTES",
                16 * 1024,
                "a byte count from 1024 to 131072",
                |v| number(v).and_then(|n| within(n, 1024, 128 * 1024)),
            )?,
            body_timeout: layers.parse(
                "BODY_TIMEOUT",
                Duration::from_secs(30),
                "seconds from 0.1 to 3600",
                |v| values::seconds(v, 0.1, 3600.0),
            )?,
        };
        let errors = ErrorSettings {
            // At about 150 bytes an error, 300 keep an error body under 64 KiB.
            max_errors: layers.parse(
                "MAX_ERRORS",
                ErrorSettings::default().max_errors,
                "an error count from 1 to 300",
                |v| number(v).and_then(|n| within(n, 1, 300)),
            )?,
            detail: layers.parse(
                "ERROR_DETAIL",
                ErrorDetail::Full,
                "`full` or `redacted`",
                ErrorDetail::parse,
            )?,
        };
        // A body that can never fit beside nothing would always get a 503.
        if server.max_inflight_body_bytes < limits.max_body_bytes {
            return Err(Error::Setting {
                setting: "MAX_INFLIGHT_BODY_BYTES".into(),
                problem: format!(
                    "{} is less than MAX_BODY_BYTES ({}); one largest body must fit",
                    server.max_inflight_body_bytes, limits.max_body_bytes
                ),
            });
        }
        let logging = LogSettings {
            dir: layers.parse("LOG_DIR", PathBuf::from("logs"), "a folder", |v| {
                Ok(PathBuf::from(v))
            })?,
            level: layers.parse(
                "LOG_LEVEL",
                "info".to_owned(),
                "a log level (error, warn, info, debug, trace) or a flexi_logger spec without a `/regex` text filter",
                |v| {
                    // A text filter is a regex run on every line: its cost
                    // has no bound we set, so it is refused.
                    if v.contains('/') {
                        return Err("a `/regex` text filter is not supported".into());
                    }
                    flexi_logger::LogSpecification::parse(v)
                        .map(|_| v.to_owned())
                        .map_err(|e| format!("`{v}` is not a log specification ({e})"))
                },
            )?,
            max_file_bytes: layers.parse(
                "LOG_MAX_FILE_BYTES",
                16 * 1024 * 1024,
                "a byte count from 1048576 to 4294967296",
                |v| number(v).and_then(|n| within(n, 1 << 20, 1 << 32)),
            )?,
            input_sample: layers.parse(
                "LOG_INPUT_SAMPLE",
                InputSample::DEFAULT,
                "a share between 0 and 1",
                |v| number::<f64>(v).and_then(InputSample::parse),
            )?,
            sink: layers.parse(
                "LOG_SINK",
                crate::telemetry::LogSink::File,
                "file or stdout",
                crate::telemetry::LogSink::parse,
            )?,
            max_line_bytes: layers.parse(
                "LOG_MAX_LINE_BYTES",
                16 * 1024,
                "a byte count from 1024 to 1048576",
                |v| number(v).and_then(|n| within(n, 1024, 1 << 20)),
            )?,
            max_bytes_per_sec: layers.parse(
                "LOG_MAX_BYTES_PER_SEC",
                1024 * 1024,
                "a byte count from 1024 to 1073741824",
                |v| number(v).and_then(|n| within(n, 1024, 1 << 30)),
            )?,
        };
        let model_path = layers.get("MODEL_PATH").map(PathBuf::from);
        let admin_token = layers.parse(
            "ADMIN_TOKEN",
            None,
            "at least 16 visible ASCII characters, such as `openssl rand -hex 24` prints",
            |v| AdminToken::parse(v).map(Some),
        )?;
        let models = super::models::models(layers)?;
        let shadow = super::models::shadow(layers, &models)?;
        // Ten blocks: the window slides by a tenth of itself; memory is ten
        // blocks of bin counts whatever the window.
        let drift = regression_model::DriftSettings {
            window: layers.parse(
                "DRIFT_WINDOW",
                regression_model::DriftSettings::default().window,
                "a row count from 100 to 10000000",
                |v| number(v).and_then(|n| within(n, 100, 10_000_000)),
            )?,
            blocks: 10,
        };
        let drift_sample = layers.parse(
            "DRIFT_SAMPLE",
            DEFAULT_DRIFT_SAMPLE,
            "a share above 0 and at most 1",
            |v| {
                number::<f64>(v).and_then(|share| {
                    if share > 0.0 && share <= 1.0 {
                        Ok(share)
                    } else {
                        Err(format!("{share} is not a share above 0 and at most 1"))
                    }
                })
            },
        )?;
        Ok(Settings {
            models,
            shadow,
            environment,
            server,
            limits,
            errors,
            logging,
            model_path,
            admin_token,
            drift,
            drift_sample,
        })
    }
}
