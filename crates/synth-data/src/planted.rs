//! Redundancy planted on purpose, so feature-analysis code has known right answers.
//!
//! A feature-selection or data-quality step should flag constant, quasi-constant, duplicated
//! and strongly correlated columns. Real data only approximately has these; the generator
//! guarantees them (in training style; test-style injection never touches these columns,
//! apart from GarageCars, which can be `NA`), and [`PLANTED`] names them so tests can assert
//! that an analysis finds exactly these.

/// Column names of each kind of planted redundancy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Planted {
    /// Columns holding a single value in every row (Utilities is always `AllPub`).
    pub constant: &'static [&'static str],
    /// Columns whose most frequent value covers at least [`Planted::quasi_constant_share`] of
    /// the rows but not all of them, in any sample of 2000+ rows (Street: `Pave` about 99.75%).
    pub quasi_constant: &'static [&'static str],
    /// Lower bound on the dominant value's share in the quasi-constant columns.
    pub quasi_constant_share: f64,
    /// `(copy, original)`: the first column equals the second in every row.
    pub duplicated: &'static [(&'static str, &'static str)],
    /// Numeric pairs whose Pearson correlation exceeds [`Planted::min_correlation`].
    pub correlated: &'static [(&'static str, &'static str)],
    /// Lower bound on the correlation of each correlated pair (on 2000+ rows).
    pub min_correlation: f64,
}

/// The redundancy this generator plants.
pub const PLANTED: Planted = Planted {
    constant: &["Utilities"],
    quasi_constant: &["Street"],
    quasi_constant_share: 0.995,
    duplicated: &[("Exterior2nd", "Exterior1st")],
    correlated: &[
        ("GarageArea", "GarageCars"),
        ("TotRmsAbvGrd", "GrLivArea"),
        ("TotalBsmtSF", "1stFlrSF"),
    ],
    min_correlation: 0.8,
};
