//! Reading a training file: only the columns a config reads, hashed as it
//! streams (the hash goes into the artifact's metadata), so a large file is
//! read once and never held whole.

use std::io::Read;

use sha2::{Digest, Sha256};

use super::{TrainOptions, TrainingReport, train_columns};
use crate::artifact::TrainedModel;
use crate::config::CheckedConfig;
use crate::error::{Error, Result};
use crate::input::{InputRows, TrainingColumns};

/// Reads a labelled CSV file, keeping only the columns `config` reads, and
/// hashes the file's bytes while streaming it (the hash goes into the
/// artifact's metadata), so a large file is read once and never held whole.
pub fn read_training_file(
    path: &std::path::Path,
    config: &CheckedConfig,
) -> Result<(InputRows, String)> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    let mut reader = HashingReader {
        inner: std::io::BufReader::with_capacity(1 << 16, file),
        hasher: Sha256::new(),
    };
    let rows = crate::input::read_csv_columns(&mut reader, Some(config.features())).map_err(
        |e| match e {
            Error::Csv { line, message } => Error::Csv {
                line,
                message: format!("{}: {message}", path.display()),
            },
            other => other,
        },
    )?;
    // Hash whatever the CSV reader left unread (nothing, normally).
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    Ok((rows, crate::artifact::hex(&reader.hasher.finalize())))
}

/// Trains `config` on a labelled CSV file read from `reader`: the model of
/// [`read_training_file`] then [`super::train`], from a fraction of the
/// memory. The rows are stored by column, only the config's columns, each
/// label once per column: a generation-3 row takes ~120 bytes instead of
/// ~3 KB, and the training run never holds a [`crate::HouseRecord`] per row.
/// The SHA-256 of the bytes read goes into the artifact's metadata.
///
/// # Errors
/// [`Error::Csv`] as [`crate::read_csv`] (naming the line, not the file:
/// add it); then as [`super::train`].
pub fn train_csv(
    config: &CheckedConfig,
    reader: impl Read,
    options: TrainOptions,
) -> Result<(TrainedModel, TrainingReport)> {
    let mut reader = HashingReader {
        inner: reader,
        hasher: Sha256::new(),
    };
    let data = TrainingColumns::read_csv(&mut reader, config.features())?;
    // Hash whatever the CSV reader left unread (nothing, normally).
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(|_| Error::Csv {
        line: 0,
        message: "could not be read to its end".into(),
    })?;
    let sha = crate::artifact::hex(&reader.hasher.finalize());
    log::info!("read {} rows; fitting", data.rows());
    train_columns(config, &data, &sha, options)
}

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: std::io::Read> std::io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}
