//! The known price function, so regression tests can compare a model against the truth.
//!
//! Real house prices have an unknown data-generating process; here it is written down:
//!
//! ```text
//! log_price = 7.82
//!     + 0.07   * OverallQual                  (1..10)
//!     + 0.040  * OverallCond                  (1..9)
//!     + 0.38   * ln(GrLivArea)
//!     + Neighborhood effect                   (-0.22 IDOTRR .. +0.18 NridgHt/NoRidge/StoneBr)
//!     - 0.002  * (YrSold - YearBuilt)         (house age)
//!     - 0.0015 * (YrSold - YearRemodAdd)      (years since remodelling)
//!     + 0.045  * GarageCars
//!     + KitchenQual effect                    (Ex +0.10, Gd +0.05, TA 0, Fa -0.05, Po -0.10)
//!     + 0.00008 * TotalBsmtSF
//!     + 0.07   * ln(LotArea)
//!     + 0.035  * min(Fireplaces, 2)
//!     + 0.07   * [CentralAir = Y]
//!     + MSZoning effect                       (RL 0, FV +0.03, RM/RH -0.05, C (all) -0.25)
//! SalePrice = clamp(round(exp(log_price + noise)), 35_000, 750_000),  noise ~ N(0, 0.1^2)
//! ```
//!
//! [`log_price`] is the noise-free part; [`crate::House::price_noise`] holds the noise that
//! was drawn, so `sale_price_from_log(log_price(h) + h.price_noise) == h.sale_price` exactly.
//! All logarithms/exponentials use [`crate::portable`], so prices are identical on every
//! machine. The planted redundant columns GarageArea, TotRmsAbvGrd and Exterior2nd do not
//! enter the function (1stFlrSF only through GrLivArea): they carry information only through
//! their correlated partner. Labels unknown to the tables (e.g. the test-only `Synthtown`)
//! have effect 0.

use crate::House;
use crate::labels::NEIGHBORHOODS;
use crate::portable::{exp, ln, round_u32};

/// Standard deviation of the gaussian noise on the log price.
pub const NOISE_SD: f64 = 0.10;
/// Lowest SalePrice ever written (prices are clamped to this floor).
pub const MIN_PRICE: u32 = 35_000;
/// Highest SalePrice ever written (prices are clamped to this ceiling).
pub const MAX_PRICE: u32 = 750_000;

const INTERCEPT: f64 = 7.82;

/// Additive log-price effect of a neighborhood label (0 for labels the table lacks).
pub fn neighborhood_effect(neighborhood: &str) -> f64 {
    NEIGHBORHOODS
        .iter()
        .find(|h| h.name == neighborhood)
        .map_or(0.0, |h| h.effect)
}

/// Additive log-price effect of a KitchenQual grade.
pub fn kitchen_effect(kitchen_qual: &str) -> f64 {
    match kitchen_qual {
        "Ex" => 0.10,
        "Gd" => 0.05,
        "Fa" => -0.05,
        "Po" => -0.10,
        _ => 0.0,
    }
}

/// Additive log-price effect of an MSZoning label.
pub fn zoning_effect(ms_zoning: &str) -> f64 {
    match ms_zoning {
        "FV" => 0.03,
        "RM" | "RH" => -0.05,
        "C (all)" => -0.25,
        _ => 0.0,
    }
}

/// The noise-free log SalePrice of a house (see the module docs for the formula).
pub fn log_price(h: &House) -> f64 {
    let age = f64::from(h.yr_sold.saturating_sub(h.year_built));
    let remod_age = f64::from(h.yr_sold.saturating_sub(h.year_remod_add));
    INTERCEPT
        + 0.07 * f64::from(h.overall_qual)
        + 0.040 * f64::from(h.overall_cond)
        + 0.38 * ln(f64::from(h.gr_liv_area.max(1)))
        + neighborhood_effect(h.neighborhood)
        - 0.002 * age
        - 0.0015 * remod_age
        + 0.045 * f64::from(h.garage_cars)
        + kitchen_effect(h.kitchen_qual)
        + 0.00008 * f64::from(h.total_bsmt_sf)
        + 0.07 * ln(f64::from(h.lot_area.max(1)))
        + 0.035 * f64::from(h.fireplaces.min(2))
        + if h.central_air == "Y" { 0.07 } else { 0.0 }
        + zoning_effect(h.ms_zoning)
}

/// Turns a (noisy) log price into the written SalePrice: rounded to whole dollars and
/// clamped to [`MIN_PRICE`]`..=`[`MAX_PRICE`].
pub fn sale_price_from_log(log_price: f64) -> u32 {
    round_u32(exp(log_price)).clamp(MIN_PRICE, MAX_PRICE)
}
