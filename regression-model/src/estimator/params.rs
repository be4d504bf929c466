//! Why a hyper-parameter is refused: which estimator, which parameter, the
//! value given and the rule it breaks, as values a caller can match on
//! (linfa's `check()` habit). Config loading turns it into its message.

/// A hyper-parameter an estimator cannot use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParamError {
    /// A number outside its range, e.g. a negative `alpha`.
    #[error("{estimator} {parameter} must be {rule}, got {value}")]
    OutOfRange {
        /// The estimator (`lasso`, `gbm`, ...).
        estimator: &'static str,
        /// The parameter (`alpha`, `learning_rate`, ...).
        parameter: &'static str,
        /// The value given.
        value: f64,
        /// The range it must be in.
        rule: Rule,
    },
    /// A blend needs at least one member.
    #[error("blend has no members")]
    NoBlendMembers,
    /// A blend member's weight (members counted from 1).
    #[error("blend member {member} has weight {weight}; weights must be finite numbers > 0")]
    BlendWeight {
        /// The member, from 1.
        member: usize,
        /// The weight given.
        weight: f64,
    },
    /// A stacked blend's member has a weight, which stacking would ignore.
    #[error("blend member {member} has a weight, but stacking learns the weights: remove it")]
    StackedMemberWeight {
        /// The member, from 1.
        member: usize,
    },
    /// A fixed blend's member has no weight.
    #[error("blend member {member} has no weight; give one, or learn them with `stacking`")]
    MissingBlendWeight {
        /// The member, from 1.
        member: usize,
    },
    /// Stacking solves every subset of members, so their number is bounded.
    #[error("stacking learns weights for at most {max} members, got {members}")]
    TooManyStackedMembers {
        /// Members given.
        members: usize,
        /// Members allowed.
        max: usize,
    },
}

/// The range a number must be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// Finite and `>= 0` (penalties).
    NonNegative,
    /// Finite and `> 0` (tolerances).
    Positive,
    /// At least 1 (counts).
    AtLeastOne,
    /// Between 0 and 1, both included (mixing ratios).
    Fraction,
    /// Finite, `> 0` and `<= 1` (shares of rows or columns, learning rates).
    Share,
    /// A whole number from `min` to `max`, both included.
    Count {
        /// The smallest allowed.
        min: usize,
        /// The largest allowed.
        max: usize,
    },
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::NonNegative => f.write_str("a finite number >= 0"),
            Rule::Positive => f.write_str("a finite number > 0"),
            Rule::AtLeastOne => f.write_str("at least 1"),
            Rule::Fraction => f.write_str("between 0 and 1"),
            Rule::Share => f.write_str("in (0, 1]"),
            Rule::Count { min, max } => write!(f, "in {min}..={max}"),
        }
    }
}

impl Rule {
    /// Whether `value` keeps the rule.
    pub fn allows(self, value: f64) -> bool {
        match self {
            Rule::NonNegative => value.is_finite() && value >= 0.0,
            Rule::Positive => value.is_finite() && value > 0.0,
            Rule::AtLeastOne => value >= 1.0,
            Rule::Fraction => (0.0..=1.0).contains(&value),
            Rule::Share => value.is_finite() && value > 0.0 && value <= 1.0,
            Rule::Count { min, max } => (min as f64..=max as f64).contains(&value),
        }
    }
}

/// Checks one parameter: `Ok` or the [`ParamError::OutOfRange`] naming it.
pub(crate) fn check(
    estimator: &'static str,
    parameter: &'static str,
    value: f64,
    rule: Rule,
) -> Result<(), ParamError> {
    if rule.allows(value) {
        Ok(())
    } else {
        Err(ParamError::OutOfRange {
            estimator,
            parameter,
            value,
            rule,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_out_of_range_value_is_named_with_its_rule() {
        let error = check("lasso", "alpha", -1.0, Rule::NonNegative).unwrap_err();
        assert_eq!(
            error.to_string(),
            "lasso alpha must be a finite number >= 0, got -1"
        );
        assert!(check("lasso", "tol", f64::NAN, Rule::Positive).is_err());
        assert!(check("x", "max_iter", 0.0, Rule::AtLeastOne).is_err());
        assert!(check("x", "l1_ratio", 1.5, Rule::Fraction).is_err());
        assert!(check("x", "l1_ratio", 1.0, Rule::Fraction).is_ok());
        assert!(check("x", "subsample", 0.0, Rule::Share).is_err());
        assert!(check("x", "subsample", 1.0, Rule::Share).is_ok());
        let error = check("gbm", "max_bins", 1.0, Rule::Count { min: 2, max: 256 }).unwrap_err();
        assert_eq!(error.to_string(), "gbm max_bins must be in 2..=256, got 1");
        assert!(check("x", "n", 256.0, Rule::Count { min: 2, max: 256 }).is_ok());
    }
}
