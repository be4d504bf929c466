//! Lookup tables derived from the fitted steps, built once per pipeline.
//!
//! Fitted steps keep their labels in sorted maps and sets: that is what
//! serializes deterministically into an artifact and reads well in tests.
//! Prediction wants one hash probe per label instead of a tree walk of
//! string comparisons, so a pipeline derives these tables when it is fitted
//! or loaded and hands them to its steps on every batch (building them per
//! batch cost more than a small batch's lookups saved).

use std::collections::{BTreeMap, BTreeSet};

pub use super::label_table::{LabelMap, LabelSet};
use super::one_hot::OneHotColumns;
use super::{FittedStep, RARE_LABEL};

/// The tables of one fitted step; steps that look no label up have none.
#[derive(Debug, Clone, Default)]
pub enum Lookups {
    #[default]
    None,
    /// `map_labels`: its one mapping, shared by all its variables.
    Codes(LabelMap<f64>),
    /// `rare_labels`: the labels kept, per variable; `None` for a variable
    /// the next step groups itself (see [`Lookups::for_pipeline`]).
    Kept(Vec<Option<LabelSet>>),
    /// `ordinal_by_target`: the codes, per variable.
    Ranks(Vec<RankTable>),
    /// `one_hot`: each variable's columns and label positions.
    Columns(Vec<OneHotColumns>),
}

impl Lookups {
    /// The tables `step` uses.
    pub fn of(step: &FittedStep) -> Lookups {
        match step {
            FittedStep::MapLabels(s) => Lookups::Codes(label_map(&s.mapping)),
            FittedStep::RareLabels(s) => Lookups::Kept(
                s.frequent
                    .iter()
                    .map(|(_, keep)| Some(label_set(keep)))
                    .collect(),
            ),
            FittedStep::OrdinalByTarget(s) => {
                Lookups::Ranks(s.codes.iter().map(|(_, map)| RankTable::new(map)).collect())
            }
            FittedStep::OneHot(s) => {
                Lookups::Columns(s.variables.iter().map(OneHotColumns::new).collect())
            }
            _ => Lookups::None,
        }
    }

    /// The tables of every step of a pipeline. Where `rare_labels` is
    /// followed directly by `ordinal_by_target` on the same variable (the
    /// course's pattern), the two lookups per label become one: the ordinal
    /// table takes the kept labels' codes, and every other label gets the
    /// code of `Rare`, exactly what the two steps give one after the other.
    pub fn for_pipeline(steps: &[FittedStep]) -> Vec<Lookups> {
        let mut lookups: Vec<Lookups> = steps.iter().map(Lookups::of).collect();
        for (at, pair) in steps.windows(2).enumerate() {
            let [
                FittedStep::RareLabels(rare),
                FittedStep::OrdinalByTarget(ordinal),
            ] = pair
            else {
                continue;
            };
            let (before, after) = lookups.split_at_mut(at + 1);
            let (Lookups::Kept(kept), Lookups::Ranks(ranks)) = (&mut before[at], &mut after[0])
            else {
                continue;
            };
            for ((name, keep), kept) in rare.frequent.iter().zip(kept.iter_mut()) {
                let Some(variable) = ordinal.codes.iter().position(|(n, _)| n == name) else {
                    continue;
                };
                if let Some(fused) = RankTable::grouped(keep, &ordinal.codes[variable].1) {
                    ranks[variable] = fused;
                    *kept = None;
                }
            }
        }
        lookups
    }
}

/// The codes of one variable of an ordinal encoder.
#[derive(Debug, Clone)]
pub struct RankTable {
    codes: LabelMap<f64>,
    /// The code of `Rare`, given to labels without one of their own.
    rare: Option<f64>,
    /// Whether this table also does the rare-label grouping before it, so
    /// that any label without a code stands for `Rare`.
    pub(super) grouped: bool,
}

impl RankTable {
    pub fn new(codes: &BTreeMap<String, f64>) -> RankTable {
        RankTable {
            codes: label_map(codes),
            rare: codes.get(RARE_LABEL).copied(),
            grouped: false,
        }
    }

    /// The composition of grouping every label outside `keep` into `Rare`
    /// and then encoding with `codes`; `None` if a kept label has no code
    /// (then the steps stay apart, to keep their own error for it).
    fn grouped(keep: &BTreeSet<String>, codes: &BTreeMap<String, f64>) -> Option<RankTable> {
        let rare = codes.get(RARE_LABEL).copied();
        let codes = keep
            .iter()
            .map(|label| Some((label.clone(), codes.get(label).copied().or(rare)?)))
            .collect::<Option<LabelMap<f64>>>()?;
        Some(RankTable {
            codes,
            rare,
            grouped: true,
        })
    }

    /// The code of a label: its own, else `Rare`'s (if training had one).
    pub fn code(&self, label: &str) -> Option<f64> {
        self.codes.get(label).copied().or(self.rare)
    }
}

pub(super) fn label_map<V: Copy>(map: &BTreeMap<String, V>) -> LabelMap<V> {
    map.iter().map(|(k, v)| (k.clone(), *v)).collect()
}

pub(super) fn label_set(set: &BTreeSet<String>) -> LabelSet {
    set.iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{ColumnData, Frame};
    use crate::transform::{FittedOrdinalByTarget, FittedRareLabels};

    fn frame<'a>(values: &[Option<&'static str>]) -> Frame<'a> {
        Frame::from_columns(vec![(
            "V",
            ColumnData::Categorical(values.iter().map(|v| v.map(Into::into)).collect()),
        )])
    }

    fn steps(ranks: &[(&str, f64)]) -> Vec<FittedStep> {
        vec![
            FittedStep::RareLabels(FittedRareLabels {
                frequent: vec![("V".into(), ["a".to_owned(), "b".to_owned()].into())],
            }),
            FittedStep::OrdinalByTarget(FittedOrdinalByTarget {
                codes: vec![(
                    "V".into(),
                    ranks.iter().map(|(l, c)| ((*l).to_owned(), *c)).collect(),
                )],
            }),
        ]
    }

    /// What a frame holds after the steps: the codes, the errors and the
    /// rows still accepted.
    #[derive(Debug, PartialEq)]
    struct Encoded {
        codes: Vec<f64>,
        errors: Vec<crate::error::FieldError>,
        accepted: Vec<usize>,
    }

    impl Encoded {
        fn of(frame: &Frame) -> Encoded {
            Encoded {
                // NaN (a missing label) as a sentinel so that equality holds.
                codes: frame
                    .numeric("t", "V")
                    .unwrap()
                    .iter()
                    .map(|c| if c.is_nan() { -1.0 } else { *c })
                    .collect(),
                errors: frame.errors().to_vec(),
                accepted: frame.accepted_rows().collect(),
            }
        }
    }

    /// Runs the steps one by one with their own tables, and with the
    /// pipeline's fused tables; both must give the same frame.
    fn both_ways(steps: &[FittedStep], values: &[Option<&'static str>]) -> [Encoded; 2] {
        let mut apart = frame(values);
        for step in steps {
            step.transform(&mut apart).unwrap();
        }
        let lookups = Lookups::for_pipeline(steps);
        assert!(matches!(&lookups[0], Lookups::Kept(k) if k[0].is_none()));
        let mut fused: Frame<'_> = frame(values);
        for (step, lookups) in steps.iter().zip(&lookups) {
            step.transform_with(&mut fused, lookups).unwrap();
        }
        [Encoded::of(&apart), Encoded::of(&fused)]
    }

    #[test]
    fn fused_rare_and_ordinal_lookups_encode_like_the_two_steps() {
        let values = [
            Some("a"),
            Some("b"),
            Some("c"),
            Some("Rare"),
            Some("never seen"),
            None,
        ];
        let [apart, fused] = both_ways(&steps(&[("Rare", 0.0), ("a", 1.0), ("b", 2.0)]), &values);
        assert_eq!(fused.codes, [1.0, 2.0, 0.0, 0.0, 0.0, -1.0]);
        assert_eq!(fused, apart);
        assert!(fused.errors.is_empty());
    }

    #[test]
    fn fused_lookups_reject_grouped_labels_like_the_two_steps_without_a_rare_code() {
        let values = [Some("a"), Some("c"), Some("Rare")];
        let [apart, fused] = both_ways(&steps(&[("a", 0.0), ("b", 1.0)]), &values);
        assert_eq!(fused, apart);
        assert_eq!(fused.errors.len(), 2);
        assert_eq!(fused.accepted, vec![0]);
    }

    #[test]
    fn steps_apart_or_on_other_variables_are_not_fused() {
        let mut steps = steps(&[("a", 0.0)]);
        if let FittedStep::OrdinalByTarget(o) = &mut steps[1] {
            o.codes[0].0 = "W".into();
        }
        let lookups = Lookups::for_pipeline(&steps);
        assert!(matches!(&lookups[0], Lookups::Kept(k) if k[0].is_some()));
        steps.swap(0, 1);
        let lookups = Lookups::for_pipeline(&steps);
        assert!(matches!(&lookups[1], Lookups::Kept(k) if k[0].is_some()));
    }
}
