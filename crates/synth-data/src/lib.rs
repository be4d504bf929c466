//! Seeded synthetic data shaped like Kaggle's "House Prices" CSVs, for tests and benches.
//!
//! The real data is small, fixed and licensed; tests need any number of rows, known ground
//! truth and deliberate defects. This crate streams rows with Kaggle's exact header, label
//! sets and rough frequencies ([`HEADER`]), a documented price function ([`log_price`],
//! [`price`] module docs), planted redundancy ([`PLANTED`]) and, in test style, unseen labels
//! and unexpected missing values ([`UNSEEN_LABELS`], [`TEST_ONLY_MISSING`]).
//!
//! Output is byte-identical for the same [`GeneratorConfig`] and crate version on any machine:
//! randomness is `ChaCha8Rng::seed_from_u64(seed)` and all math is portable
//! ([`portable`]). Memory is bounded: rows are generated and written one at a time.
//!
//! Guarantees on every generated [`House`] (training style):
//! - no basement (`total_bsmt_sf == 0`) <=> all five basement categoricals `NA`; then all
//!   basement areas and basement baths are 0; always
//!   `bsmt_fin_sf1 + bsmt_fin_sf2 + bsmt_unf_sf == total_bsmt_sf`;
//! - no garage (`garage_type == None`) <=> GarageFinish/Qual/Cond and GarageYrBlt `NA`,
//!   GarageCars and GarageArea 0;
//! - `fireplaces == 0` <=> `fireplace_qu == None`; `pool_area == 0` <=> `pool_qc == None`;
//! - `gr_liv_area == first_flr_sf + second_flr_sf + low_qual_fin_sf`;
//! - `year_built <= year_remod_add <= yr_sold`, `yr_sold` in 2006..=2010;
//! - MasVnrType `NA` <=> MasVnrArea `NA`; MasVnrType `None` (a real label) => area 0;
//! - LotFrontage is `NA` in about 17.7% of rows, like Kaggle;
//! - SalePrice in [`MIN_PRICE`]`..=`[`MAX_PRICE`].
//!
//! ```
//! use synth_data::{GeneratorConfig, write_csv};
//! let mut out = Vec::new();
//! write_csv(&GeneratorConfig::train(5, 42), &mut out).unwrap();
//! assert_eq!(String::from_utf8(out).unwrap().lines().count(), 6);
//! ```

mod generate;
mod house;
mod inject;
#[rustfmt::skip] // hand-aligned data tables; rustfmt would put every pair on its own line
mod labels;
mod parts;
mod planted;
pub mod portable;
pub mod price;

use std::io::{self, Write};

pub use house::{HEADER, House, TARGET, column_index};
pub use inject::{TEST_ONLY_MISSING, UNSEEN_LABELS, UnseenLabel};
pub use planted::{PLANTED, Planted};
pub use price::{MAX_PRICE, MIN_PRICE, NOISE_SD, log_price, sale_price_from_log};

use inject::Injector;
use portable::Sampler;

/// What to generate. Build with [`GeneratorConfig::train`] / [`GeneratorConfig::test`] or
/// struct-update syntax from [`Default`].
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorConfig {
    /// Number of data rows (the header is extra).
    pub rows: usize,
    /// Seed for `ChaCha8Rng::seed_from_u64`.
    pub seed: u64,
    /// `true`: training style, 81 columns ending in SalePrice, no distortions.
    /// `false`: test style, 80 columns, with unseen labels and unexpected `NA`s injected.
    pub with_target: bool,
    /// Id of the first row; ids are consecutive.
    pub first_id: u64,
    /// Test style only: per-row probability of each [`UNSEEN_LABELS`] entry.
    pub unseen_label_rate: f64,
    /// Test style only: per-row probability of `NA` in each [`TEST_ONLY_MISSING`] column.
    pub test_style_missing_rate: f64,
}

impl Default for GeneratorConfig {
    /// Kaggle-sized training file: 1460 rows, seed 0, Id from 1; test-style rates 2% / 1%.
    fn default() -> Self {
        Self {
            rows: 1460,
            seed: 0,
            with_target: true,
            first_id: 1,
            unseen_label_rate: 0.02,
            test_style_missing_rate: 0.01,
        }
    }
}

impl GeneratorConfig {
    /// Training style: `rows` rows with SalePrice, Id from 1.
    pub fn train(rows: usize, seed: u64) -> Self {
        Self {
            rows,
            seed,
            ..Self::default()
        }
    }

    /// Test style: `rows` rows without SalePrice, with the default distortion rates, Id from 1
    /// (set [`GeneratorConfig::first_id`] to continue after a training file).
    pub fn test(rows: usize, seed: u64) -> Self {
        Self {
            rows,
            seed,
            with_target: false,
            ..Self::default()
        }
    }

    /// Number of CSV columns: 81 with the target, 80 without.
    pub fn columns(&self) -> usize {
        if self.with_target {
            HEADER.len()
        } else {
            HEADER.len() - 1
        }
    }

    /// Checks the rates are probabilities and the ids fit in `u64`.
    pub fn validate(&self) -> Result<(), GenerateError> {
        for (name, rate) in [
            ("unseen_label_rate", self.unseen_label_rate),
            ("test_style_missing_rate", self.test_style_missing_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(GenerateError::InvalidConfig(format!(
                    "{name} must be in [0, 1], got {rate}"
                )));
            }
        }
        if self.first_id.checked_add(self.rows as u64).is_none() {
            return Err(GenerateError::InvalidConfig(format!(
                "ids overflow: first_id {} + {} rows",
                self.first_id, self.rows
            )));
        }
        Ok(())
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The configuration is unusable (see [`GeneratorConfig::validate`]).
    #[error("invalid generator config: {0}")]
    InvalidConfig(String),
    /// Writing to the output failed.
    #[error("cannot write CSV output: {0}")]
    Io(#[from] io::Error),
    /// The CSV encoder failed for a reason other than I/O.
    #[error("cannot encode CSV: {0}")]
    Csv(csv::Error),
}

impl From<csv::Error> for GenerateError {
    fn from(e: csv::Error) -> Self {
        if !e.is_io_error() {
            return Self::Csv(e);
        }
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Self::Io(io),
            _ => unreachable!("is_io_error() implies ErrorKind::Io"),
        }
    }
}

/// Streams [`House`]s for a configuration (training-style values: no distortions).
///
/// Yields `config.rows` houses with consecutive ids from `config.first_id`. Row `n` of a
/// seed is the same house whatever `rows`, `with_target` or the rates are.
pub struct Generator {
    sampler: Sampler,
    next_id: u64,
    remaining: usize,
}

impl Generator {
    /// Starts the house stream of `config.seed`.
    pub fn new(config: &GeneratorConfig) -> Self {
        Self {
            sampler: Sampler::new(config.seed, 0),
            next_id: config.first_id,
            remaining: config.rows,
        }
    }
}

impl Iterator for Generator {
    type Item = House;

    fn next(&mut self) -> Option<House> {
        self.remaining = self.remaining.checked_sub(1)?;
        let house = generate::house(&mut self.sampler, self.next_id);
        self.next_id += 1;
        Some(house)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

/// Writes the header and `config.rows` rows as CSV (`\n` line ends, `NA` for missing) to
/// `out`, one row at a time, and flushes. Returns the number of data rows written.
///
/// Memory use is constant in `config.rows`; wrap `out` in nothing: the CSV writer buffers.
pub fn write_csv<W: Write>(config: &GeneratorConfig, out: W) -> Result<u64, GenerateError> {
    config.validate()?;
    let columns = config.columns();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_writer(out);
    writer.write_record(&HEADER[..columns])?;
    let mut injector = (!config.with_target).then(|| {
        Injector::new(
            config.seed,
            config.unseen_label_rate,
            config.test_style_missing_rate,
        )
    });
    let mut cells = vec![String::new(); HEADER.len()];
    let mut written = 0;
    for house in Generator::new(config) {
        let n = house.render(config.with_target, &mut cells);
        if let Some(injector) = injector.as_mut() {
            injector.apply(&mut cells[..n]);
        }
        writer.write_record(&cells[..n])?;
        written += 1;
    }
    writer.flush()?;
    Ok(written)
}
