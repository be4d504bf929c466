//! Where setting values come from: the layers (settings file, then the
//! environment, then `--model`), each value with its origin for error
//! messages, and the small parsers every setting shares.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, clip};

/// The settings' names, as environment variables; file keys are the same in lower case.
pub const SETTING_NAMES: &[&str] = &[
    "APP_ENVIRONMENT",
    "HOST",
    "PORT",
    "WORKERS",
    "YIELD_INTERVAL_US",
    "BATCH_THREADS",
    "MAX_BODY_BYTES",
    "MAX_ROWS",
    "MAX_EXPLAIN_ROWS",
    "MAX_JSON_DEPTH",
    "MAX_ERRORS",
    "ERROR_DETAIL",
    "MAX_HEADER_BYTES",
    "BODY_TIMEOUT",
    "CLIENT_REQUEST_TIMEOUT",
    "KEEP_ALIVE",
    "MAX_CONNECTIONS",
    "MAX_INFLIGHT_BODY_BYTES",
    "SHUTDOWN_TIMEOUT",
    "LOG_DIR",
    "LOG_LEVEL",
    "LOG_MAX_FILE_BYTES",
    "LOG_INPUT_SAMPLE",
    "LOG_SINK",
    "LOG_MAX_LINE_BYTES",
    "LOG_MAX_BYTES_PER_SEC",
    "MODEL_PATH",
    "ADMIN_TOKEN",
    "MODELS",
    "MODELS_DIR",
    "MAX_MODELS",
    "CHAMPION",
    "CHALLENGER",
    "SHADOW_SAMPLE",
    "SHADOW_QUEUE",
    "SHADOW_QUEUE_BYTES",
    "DRIFT_WINDOW",
    "DRIFT_SAMPLE",
];

/// Raw values by setting, each with where it came from (for error messages).
pub(super) struct Layers(pub(super) HashMap<&'static str, (String, String)>);

impl Layers {
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|(value, _)| value.as_str())
    }

    /// Parses one setting, or returns the default when it is not set.
    pub(super) fn parse<T>(
        &self,
        key: &'static str,
        default: T,
        expected: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, Error> {
        match self.0.get(key) {
            None => Ok(default),
            Some((value, origin)) => parse(value.trim()).map_err(|problem| Error::Setting {
                setting: format!("{key} (from {origin})"),
                problem: format!("{problem}; expected {expected}"),
            }),
        }
    }
}

pub(super) fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("`{value}` is not a valid number here"))
}

pub(super) fn within<T: PartialOrd + std::fmt::Display>(
    n: T,
    low: T,
    high: T,
) -> Result<T, String> {
    if n < low || n > high {
        Err(format!("{n} is out of range"))
    } else {
        Ok(n)
    }
}

/// Largest settings file read: a flat list of a few dozen keys fits in a
/// few KiB, and `APP_CONFIG_FILE=/dev/zero` must not fill the memory.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

pub(super) fn read_file(path: &Path) -> Result<String, Error> {
    read_capped(
        path,
        MAX_CONFIG_FILE_BYTES,
        "a settings file is a short list of keys",
    )
}

/// Reads a text file of at most `max` bytes; `why` says, in the error, why
/// a larger one cannot be what was meant.
pub(super) fn read_capped(path: &Path, max: u64, why: &str) -> Result<String, Error> {
    use std::io::Read;
    let fail = |message: String| Error::ConfigFile {
        path: path.to_owned(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut text = String::new();
    file.take(max + 1)
        .read_to_string(&mut text)
        .map_err(|e| fail(e.to_string()))?;
    if text.len() as u64 > max {
        return Err(fail(format!("larger than {max} bytes; {why}")));
    }
    Ok(text)
}

/// Adds the keys of a flat TOML file (`port = 8080`, `log_level = "warn"`).
pub(super) fn layer_file(text: &str, origin: &str, layers: &mut Layers) -> Result<(), Error> {
    let fail = |message: String| Error::ConfigFile {
        path: PathBuf::from(origin),
        message,
    };
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| fail(clip(&e.to_string(), 400)))?;
    for (key, value) in table {
        let upper = key.to_ascii_uppercase();
        let Some(known) = SETTING_NAMES.iter().find(|k| **k == upper) else {
            return Err(fail(format!(
                "unknown setting `{}` (known: {})",
                clip(&key, 60),
                SETTING_NAMES.join(", ").to_ascii_lowercase()
            )));
        };
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                value.to_string()
            }
            other => {
                return Err(fail(format!(
                    "`{key}` must be a single value, got {}",
                    clip(&other.to_string(), 60)
                )));
            }
        };
        layers.0.insert(known, (value, origin.to_owned()));
    }
    Ok(())
}
