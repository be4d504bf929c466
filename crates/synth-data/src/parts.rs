//! Building blocks of a house draw: dwelling type, floor split, basement and garage.
//!
//! Split out of [`crate::generate`] to keep each piece readable. The basement and garage
//! helpers are where two planted correlations come from (TotalBsmtSF ~ 1stFlrSF and
//! GarageArea ~ GarageCars) and where the "absent => `NA` categoricals and zero areas" rule is
//! enforced, through [`NO_BASEMENT`] and [`NO_GARAGE`].

use crate::labels::{self as l, Table};
use crate::portable::{Sampler, round_u32};

/// `"NA"` in a weight table means missing.
pub(crate) fn opt(label: &'static str) -> Option<&'static str> {
    (label != "NA").then_some(label)
}

pub(crate) fn pick(s: &mut Sampler, table: Table) -> &'static str {
    s.pick(table)
}

/// Maps a noisy quality score onto Kaggle's Fa/TA/Gd/Ex grades.
pub(crate) fn grade(score: f64, ta: f64, gd: f64, ex: f64) -> &'static str {
    if score < ta {
        "Fa"
    } else if score < gd {
        "TA"
    } else if score < ex {
        "Gd"
    } else {
        "Ex"
    }
}

/// Dwelling class -> (BldgType, HouseStyle).
pub(crate) fn dwelling(s: &mut Sampler, class: u32) -> (&'static str, &'static str) {
    match class {
        20 | 30 | 40 => ("1Fam", "1Story"),
        45 => ("1Fam", "1.5Unf"),
        50 => ("1Fam", "1.5Fin"),
        60 | 70 => ("1Fam", "2Story"),
        75 => (
            "1Fam",
            pick(s, &[("2.5Unf", 11), ("2.5Fin", 8), ("2Story", 6)]),
        ),
        80 => ("1Fam", "SLvl"),
        85 => ("1Fam", "SFoyer"),
        90 => (
            "Duplex",
            pick(
                s,
                &[("1Story", 30), ("2Story", 12), ("SFoyer", 6), ("SLvl", 4)],
            ),
        ),
        120 => ("TwnhsE", "1Story"),
        160 => (pick(s, &[("TwnhsE", 40), ("Twnhs", 23)]), "2Story"),
        180 => ("Twnhs", pick(s, &[("SFoyer", 6), ("SLvl", 4)])),
        _ => (
            "2fmCon",
            pick(s, &[("2Story", 12), ("1.5Fin", 10), ("1Story", 8)]),
        ),
    }
}

/// Share of the above-grade area on the first floor, by house style.
pub(crate) fn first_floor_share(s: &mut Sampler, style: &str) -> f64 {
    match style {
        "2Story" | "2.5Fin" | "2.5Unf" => s.uniform(0.48, 0.60),
        "1.5Fin" => s.uniform(0.58, 0.72),
        "SLvl" if s.chance(0.5) => s.uniform(0.60, 0.75),
        "1.5Unf" if s.chance(0.2) => s.uniform(0.80, 0.90),
        _ => 1.0,
    }
}

/// A positive area that is present with probability `p`, log-normal around `median`.
pub(crate) fn amount(s: &mut Sampler, p: f64, median: f64, sigma: f64, max: f64) -> u32 {
    if s.chance(p) {
        round_u32(s.lognormal(median, sigma).clamp(10.0, max))
    } else {
        0
    }
}

/// Basement columns; all `NA`/0 when there is no basement.
pub(crate) struct Basement {
    pub(crate) qual: Option<&'static str>,
    pub(crate) cond: Option<&'static str>,
    pub(crate) exposure: Option<&'static str>,
    pub(crate) type1: Option<&'static str>,
    pub(crate) sf1: u32,
    pub(crate) type2: Option<&'static str>,
    pub(crate) sf2: u32,
    pub(crate) unf: u32,
    pub(crate) total: u32,
    pub(crate) full_bath: u32,
    pub(crate) half_bath: u32,
}

/// Basement under a first floor of `first` sq ft (planted: TotalBsmtSF ~ 1stFlrSF).
pub(crate) fn basement(s: &mut Sampler, first: u32, quality: f64) -> Basement {
    let total = round_u32(f64::from(first) * s.normal(0.93, 0.12).clamp(0.4, 1.5)).max(100);
    let type1 = pick(s, l::BSMT_FIN_TYPE1);
    let sf1 = if type1 == "Unf" {
        0
    } else {
        round_u32(f64::from(total) * s.uniform(0.3, 0.95))
    };
    let type2 = if type1 == "Unf" {
        "Unf"
    } else {
        pick(s, l::BSMT_FIN_TYPE2)
    };
    let sf2 = if type2 == "Unf" {
        0
    } else {
        round_u32(f64::from(total - sf1) * s.uniform(0.2, 1.0))
    };
    let full_bath = if sf1 > 0 {
        u32::from(s.chance(0.7))
    } else {
        u32::from(s.chance(0.05))
    };
    Basement {
        qual: Some(grade(s.normal(quality, 0.9), 2.8, 6.0, 8.5)),
        cond: Some(pick(s, l::BSMT_COND)),
        exposure: Some(pick(s, l::BSMT_EXPOSURE)),
        type1: Some(type1),
        sf1,
        type2: Some(type2),
        sf2,
        unf: total - sf1 - sf2,
        total,
        full_bath: if s.chance(0.01) { 2 } else { full_bath },
        half_bath: u32::from(s.chance(0.055)),
    }
}

pub(crate) const NO_BASEMENT: Basement = Basement {
    qual: None,
    cond: None,
    exposure: None,
    type1: None,
    sf1: 0,
    type2: None,
    sf2: 0,
    unf: 0,
    total: 0,
    full_bath: 0,
    half_bath: 0,
};

/// Garage columns; all `NA`/0 when there is no garage.
pub(crate) struct Garage {
    pub(crate) kind: Option<&'static str>,
    pub(crate) yr_blt: Option<u32>,
    pub(crate) finish: Option<&'static str>,
    pub(crate) cars: u32,
    pub(crate) area: u32,
    pub(crate) qual: Option<&'static str>,
    pub(crate) cond: Option<&'static str>,
}

/// A garage for a house of quality `q` (planted: GarageArea ~ GarageCars).
pub(crate) fn garage(s: &mut Sampler, q: f64, year_built: u32, yr_sold: u32) -> Garage {
    let kind = pick(
        s,
        if year_built < 1946 {
            l::GARAGE_TYPE_OLD
        } else {
            l::GARAGE_TYPE_NEW
        },
    );
    let yr_blt = if s.chance(0.75) {
        year_built
    } else {
        s.int(year_built, yr_sold)
    };
    let cars = round_u32(s.normal(0.3 + 0.25 * q, 0.55).clamp(1.0, 4.0));
    let area = round_u32((f64::from(cars) * 250.0 + s.normal(20.0, 60.0)).max(120.0));
    let finish_score = s.normal(q + (f64::from(year_built) - 1970.0) / 30.0, 1.2);
    Garage {
        kind: Some(kind),
        yr_blt: Some(yr_blt),
        finish: Some(if finish_score < 5.8 {
            "Unf"
        } else if finish_score < 7.6 {
            "RFn"
        } else {
            "Fin"
        }),
        cars,
        area,
        qual: Some(pick(s, l::GARAGE_QUAL)),
        cond: Some(pick(s, l::GARAGE_COND)),
    }
}

pub(crate) const NO_GARAGE: Garage = Garage {
    kind: None,
    yr_blt: None,
    finish: None,
    cars: 0,
    area: 0,
    qual: None,
    cond: None,
};
