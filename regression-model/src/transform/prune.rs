//! Restricting a configured step to the columns that still exist, so that a
//! config can be rewritten for a smaller feature list (feature selection).

use super::StepConfig;

fn retain(variables: &[String], present: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    let kept: Vec<String> = variables.iter().filter(|v| present(v)).cloned().collect();
    (!kept.is_empty()).then_some(kept)
}

impl StepConfig {
    /// The step limited to the columns for which `present` is true, or
    /// `None` when nothing is left for it to do (no variable left, or a
    /// column it needs, such as a reference year or a summand, is gone).
    pub fn restrict(&self, present: &dyn Fn(&str) -> bool) -> Option<StepConfig> {
        let mut step = self.clone();
        match &mut step {
            StepConfig::AsNumber(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::ImputeCategorical(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::ImputeNumeric(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::MissingIndicator(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::ElapsedYears(s) => {
                if !present(&s.reference) {
                    return None;
                }
                s.variables = retain(&s.variables, present)?;
            }
            StepConfig::Drop(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::Log(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::Binarize(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::MapLabels(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::RareLabels(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::OrdinalByTarget(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::MinMaxScale(s) => {
                if let Some(v) = &s.variables {
                    s.variables = Some(retain(v, present)?);
                }
            }
            StepConfig::OneHot(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::Log1p(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::Combine(s) => {
                if !s.inputs().all(|n| present(n)) {
                    return None;
                }
            }
            StepConfig::Multiply(s) => {
                if !s.of.iter().all(|n| present(n)) {
                    return None;
                }
            }
            StepConfig::DropOutliers(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::Clip(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::AsLabel(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::BoxCox1p(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::Unskew(s) => s.variables = retain(&s.variables, present)?,
            StepConfig::ImputeByGroup(s) => {
                if !present(&s.by) {
                    return None;
                }
                s.variables = retain(&s.variables, present)?;
            }
            StepConfig::RobustScale(s) => {
                if let Some(v) = &s.variables {
                    s.variables = Some(retain(v, present)?);
                }
            }
            StepConfig::StandardScale(s) => {
                if let Some(v) = &s.variables {
                    s.variables = Some(retain(v, present)?);
                }
            }
        }
        Some(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::{Combine, ElapsedYears, Log};

    #[test]
    fn a_step_keeps_only_present_variables_and_vanishes_when_none_is_left() {
        let log = StepConfig::Log(Log {
            variables: vec!["A".into(), "B".into()],
        });
        let only_b = log.restrict(&|n| n == "B").unwrap();
        assert_eq!(
            only_b,
            StepConfig::Log(Log {
                variables: vec!["B".into()]
            })
        );
        assert!(log.restrict(&|_| false).is_none());
    }

    #[test]
    fn steps_that_need_a_missing_input_are_removed_whole() {
        let elapsed = StepConfig::ElapsedYears(ElapsedYears {
            variables: vec!["YearBuilt".into()],
            reference: "YrSold".into(),
        });
        assert!(elapsed.restrict(&|n| n != "YrSold").is_none());
        let combine = StepConfig::Combine(Combine {
            name: "T".into(),
            add: vec!["A".into(), "B".into()],
            subtract: vec![],
        });
        assert!(combine.restrict(&|n| n == "A").is_none());
        assert!(combine.restrict(&|_| true).is_some());
    }
}
