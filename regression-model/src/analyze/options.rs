//! The thresholds of an analysis, checked before any work.

use crate::error::{Error, Result};

/// Thresholds of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyzeOptions {
    /// The target column (default `SalePrice`); `None` analyses inputs only.
    pub target: Option<String>,
    /// Share of rows under which a label is rare (default 0.01).
    pub rare_share: f64,
    /// Share of the most frequent value from which a column is
    /// quasi-constant (default 0.99).
    pub quasi_constant_share: f64,
    /// |Pearson r| above which two numeric columns are correlated (default 0.8).
    pub correlation: f64,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            target: Some("SalePrice".into()),
            rare_share: 0.01,
            quasi_constant_share: 0.99,
            correlation: 0.8,
        }
    }
}

impl AnalyzeOptions {
    /// Checks every threshold is a number in its range: `NaN` compares
    /// false with everything, a quasi-constant share of 0 calls every
    /// column quasi-constant, a rare share of 1 every label rare.
    ///
    /// # Errors
    /// [`Error::AnalyzeSetting`] naming the first threshold out of range.
    pub fn check(&self) -> Result<()> {
        let out_of_range = |setting, value, expected| {
            Err(Error::AnalyzeSetting {
                setting,
                value,
                expected,
            })
        };
        if !(0.0..1.0).contains(&self.rare_share) {
            return out_of_range("rare_share", self.rare_share, "[0, 1)");
        }
        let quasi = self.quasi_constant_share;
        if !(quasi > 0.0 && quasi <= 1.0) {
            return out_of_range("quasi_constant_share", quasi, "(0, 1]");
        }
        if !(0.0..=1.0).contains(&self.correlation) {
            return out_of_range("correlation", self.correlation, "[0, 1]");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threshold_out_of_its_range_is_refused_by_name() {
        let cases = [
            AnalyzeOptions {
                rare_share: 1.0,
                ..Default::default()
            },
            AnalyzeOptions {
                quasi_constant_share: 0.0,
                ..Default::default()
            },
            AnalyzeOptions {
                correlation: f64::NAN,
                ..Default::default()
            },
        ];
        let names = ["rare_share", "quasi_constant_share", "correlation"];
        for (options, name) in cases.iter().zip(names) {
            match options.check() {
                Err(Error::AnalyzeSetting { setting, .. }) => assert_eq!(setting, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert!(AnalyzeOptions::default().check().is_ok());
        let table = super::super::RawTable::read(&b"Id,LotArea\n1,5\n"[..]).unwrap();
        assert!(super::super::analyze(&table, &cases[2]).is_err());
    }
}
