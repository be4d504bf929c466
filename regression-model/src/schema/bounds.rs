//! Plausibility bounds: the largest value a numeric input can have for a
//! house that exists. The schema's `validator` rules already say what no
//! value may be (a negative area, a year before 1800, a quality outside
//! 1–10, a month outside 1–12); these add the upper end for the areas,
//! counts and money, so that a typo or a hostile `1e300` is refused with
//! the field and the rule named, instead of being priced.
//!
//! Each bound sits far above `train.csv` and `test.csv` (largest living
//! area 5,642 sq ft, lot 215,245 sq ft, 5 garage cars, 15 rooms;
//! `data_description.txt`) and above any single-family house: a value past
//! it is a mistake, not a mansion. A value between the training range and
//! the bound is priced and flagged as extrapolated (see
//! `pipeline::guard`).

use super::{CellRef, Column, HouseRecord};

/// `(column, largest plausible value, the rule as told to the client)`.
/// Columns with a `validator` maximum (years, scores, month) are not here.
pub const BOUNDS: &[(Column, f64, &str)] = &[
    (
        Column::LotFrontage,
        5_000.0,
        "must be at most 5,000 feet of street",
    ),
    (
        Column::LotArea,
        5_000_000.0,
        "must be at most 5,000,000 sq ft (about 115 acres)",
    ),
    (Column::MasVnrArea, 20_000.0, "must be at most 20,000 sq ft"),
    (Column::BsmtFinSf1, 30_000.0, "must be at most 30,000 sq ft"),
    (Column::BsmtFinSf2, 30_000.0, "must be at most 30,000 sq ft"),
    (Column::BsmtUnfSf, 30_000.0, "must be at most 30,000 sq ft"),
    (
        Column::TotalBsmtSf,
        30_000.0,
        "must be at most 30,000 sq ft",
    ),
    (Column::FirstFlrSf, 30_000.0, "must be at most 30,000 sq ft"),
    (
        Column::SecondFlrSf,
        30_000.0,
        "must be at most 30,000 sq ft",
    ),
    (
        Column::LowQualFinSf,
        30_000.0,
        "must be at most 30,000 sq ft",
    ),
    (Column::GrLivArea, 30_000.0, "must be at most 30,000 sq ft"),
    (Column::BsmtFullBath, 10.0, "must be at most 10 bathrooms"),
    (Column::BsmtHalfBath, 10.0, "must be at most 10 bathrooms"),
    (Column::FullBath, 20.0, "must be at most 20 bathrooms"),
    (Column::HalfBath, 20.0, "must be at most 20 bathrooms"),
    (Column::BedroomAbvGr, 30.0, "must be at most 30 bedrooms"),
    (Column::KitchenAbvGr, 10.0, "must be at most 10 kitchens"),
    (Column::TotRmsAbvGrd, 60.0, "must be at most 60 rooms"),
    (Column::Fireplaces, 20.0, "must be at most 20 fireplaces"),
    (Column::GarageCars, 20.0, "must be at most 20 cars"),
    (Column::GarageArea, 20_000.0, "must be at most 20,000 sq ft"),
    (Column::WoodDeckSf, 20_000.0, "must be at most 20,000 sq ft"),
    (
        Column::OpenPorchSf,
        20_000.0,
        "must be at most 20,000 sq ft",
    ),
    (
        Column::EnclosedPorch,
        20_000.0,
        "must be at most 20,000 sq ft",
    ),
    (
        Column::ThreeSsnPorch,
        20_000.0,
        "must be at most 20,000 sq ft",
    ),
    (
        Column::ScreenPorch,
        20_000.0,
        "must be at most 20,000 sq ft",
    ),
    (Column::PoolArea, 20_000.0, "must be at most 20,000 sq ft"),
    (Column::MiscVal, 10_000_000.0, "must be at most $10,000,000"),
];

/// The bounds `record` exceeds, as `(column, rule)`, in column order.
pub fn exceeded(record: &HouseRecord) -> impl Iterator<Item = (Column, &'static str)> + '_ {
    BOUNDS
        .iter()
        .filter_map(|&(column, max, rule)| match record.get(column) {
            CellRef::Number(Some(value)) if value > max => Some((column, rule)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ColumnKind;

    #[test]
    fn every_numeric_input_has_an_upper_bound_here_or_in_its_validator_rule() {
        // The validator's maxima: years, the two scores, the month.
        let validated = [
            Column::OverallQual,
            Column::OverallCond,
            Column::YearBuilt,
            Column::YearRemodAdd,
            Column::GarageYrBlt,
            Column::MoSold,
            Column::YrSold,
        ];
        for &column in Column::ALL
            .iter()
            .filter(|c| c.kind() == ColumnKind::Numeric)
        {
            let here = BOUNDS.iter().filter(|(c, _, _)| *c == column).count();
            let expected = usize::from(!validated.contains(&column));
            assert_eq!(here, expected, "{column}");
        }
        assert!(
            BOUNDS.windows(2).all(|w| w[0].0 < w[1].0),
            "in column order"
        );
    }

    #[test]
    fn a_value_past_its_bound_is_named_with_the_rule_and_a_plausible_one_passes() {
        let record = HouseRecord {
            gr_liv_area: Some(1e7),
            lot_area: Some(200_000.0),
            garage_cars: Some(1e300),
            ..HouseRecord::default()
        };
        let found: Vec<_> = exceeded(&record).collect();
        assert_eq!(
            found,
            [
                (Column::GrLivArea, "must be at most 30,000 sq ft"),
                (Column::GarageCars, "must be at most 20 cars"),
            ]
        );
    }

    /// Every row of the real `train.csv` and `test.csv` is within the
    /// bounds (runs when `HOUSE_PRICES_DATA` or `data/house-prices` has
    /// them; required under `CI=true`).
    #[test]
    fn every_row_of_the_real_data_is_within_the_plausibility_bounds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = std::env::var_os("HOUSE_PRICES_DATA")
            .map_or_else(|| root.join("data/house-prices"), |d| root.join(d));
        if !dir.join("test.csv").is_file() {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "CI=true requires the real data in {}",
                dir.display()
            );
            return;
        }
        for file in ["train.csv", "test.csv"] {
            let rows = crate::input::read_csv_file(&dir.join(file)).unwrap().rows;
            let past: Vec<(usize, Column)> = (rows.iter().enumerate())
                .flat_map(|(i, r)| exceeded(&r.record).map(move |(c, _)| (i, c)))
                .collect();
            assert!(past.is_empty(), "{file}: {past:?}");
            assert!(rows.len() > 1400);
        }
    }
}
