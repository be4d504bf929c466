//! Draws one realistic [`House`] from a [`Sampler`]: the dependent structure lives here.
//!
//! The draw order follows causality: sale year and neighborhood first; the neighborhood
//! drives era, quality, size, lot and zoning; era drives the dwelling class, foundation,
//! wiring and garage type; quality drives the graded columns; size drives rooms, baths and
//! the basement; finally the price is computed with [`crate::log_price`] plus noise. Every
//! house consumes a data-dependent but seed-determined amount of randomness from one stream,
//! so row `n` of a seed never depends on configuration such as the test-style rates.

use crate::House;
use crate::labels::{self as l, Hood, NEIGHBORHOODS};
use crate::parts::{
    NO_BASEMENT, NO_GARAGE, amount, basement, dwelling, first_floor_share, garage, grade, opt, pick,
};
use crate::portable::{Sampler, exp, round_u32};
use crate::price::{NOISE_SD, log_price, sale_price_from_log};

/// Draws the next house; `id` is assigned by the caller.
pub(crate) fn house(s: &mut Sampler, id: u64) -> House {
    let yr_sold = s.pick(l::YR_SOLD);
    let mo_sold = s.pick(l::MO_SOLD);
    let hood: &Hood = s.pick_by(&NEIGHBORHOODS, |h| h.weight);

    // Era: YearRemodAdd >= YearBuilt, and (like Kaggle) never before 1950.
    let mut year_built = round_u32(s.normal(hood.year, 14.0).max(1872.0));
    if year_built > yr_sold {
        year_built = yr_sold - s.int(0, 3);
    }
    let remod = if s.chance(0.52) {
        year_built
    } else {
        s.int(year_built, yr_sold)
    };
    let year_remod_add = remod.max(1950);
    let old = year_built < 1946;
    let ms_sub_class = s.pick(if old {
        l::SUBCLASS_OLD
    } else {
        l::SUBCLASS_NEW
    });
    let (bldg_type, house_style) = dwelling(s, ms_sub_class);

    // Quality and size: GrLivArea = 1stFlrSF + 2ndFlrSF + LowQualFinSF exactly.
    let overall_qual = round_u32(s.normal(hood.qual, 1.0).clamp(1.0, 10.0));
    let q = f64::from(overall_qual);
    let area_median = hood.area * exp(0.10 * (q - hood.qual));
    let target_area = round_u32(s.lognormal(area_median, 0.25).clamp(400.0, 5600.0));
    let low_qual_fin_sf = if s.chance(0.018) { s.int(80, 480) } else { 0 };
    let above = target_area.saturating_sub(low_qual_fin_sf).max(334);
    let share = first_floor_share(s, house_style);
    let first_flr_sf = round_u32(f64::from(above) * share).max(334);
    let second_flr_sf = above.saturating_sub(first_flr_sf);
    let gr_liv_area = first_flr_sf + second_flr_sf + low_qual_fin_sf;
    let area = f64::from(gr_liv_area);

    // Lot: LotFrontage missing for ~17.7% of rows, like Kaggle.
    let mut lot = s.lognormal(hood.lot, 0.3);
    if s.chance(0.01) {
        lot *= s.uniform(2.0, 8.0);
    }
    let lot_area = round_u32(lot.clamp(1300.0, 215_000.0));
    let lot_frontage = (!s.chance(0.177))
        .then(|| round_u32((s.normal(0.72, 0.12) * f64::from(lot_area).sqrt()).clamp(21.0, 313.0)));

    let mas_vnr_type = opt(pick(
        s,
        if overall_qual >= 8 {
            l::MAS_VNR_HIGH_QUAL
        } else {
            l::MAS_VNR
        },
    ));
    let mas_vnr_area = mas_vnr_type.map(|t| match t {
        "None" => 0,
        "Stone" => round_u32(s.lognormal(230.0, 0.6).clamp(10.0, 1600.0)),
        _ => round_u32(s.lognormal(180.0, 0.6).clamp(10.0, 1600.0)),
    });
    let foundation = pick(
        s,
        match year_built {
            ..1946 => l::FOUNDATION_OLD,
            1946..1985 => l::FOUNDATION_MID,
            _ => l::FOUNDATION_NEW,
        },
    );
    let bsmt_quality = q + (f64::from(year_built) - 1975.0) / 80.0;
    let b = if foundation == "Slab" || s.chance(0.005) {
        NO_BASEMENT
    } else {
        basement(s, first_flr_sf, bsmt_quality)
    };

    let bedroom_abv_gr = if s.chance(0.004) {
        0
    } else {
        round_u32(s.normal(1.0 + area / 750.0, 0.45).clamp(1.0, 8.0))
    };
    let kitchen_abv_gr = if matches!(bldg_type, "Duplex" | "2fmCon") && s.chance(0.85) {
        2
    } else {
        1
    };
    let rooms = round_u32(s.normal(1.6 + area / 330.0, 0.55).clamp(2.0, 14.0));
    let p_no_fireplace = (0.75 - 0.09 * (q - 3.0)).clamp(0.1, 0.95);
    let fireplaces = if s.chance(p_no_fireplace) {
        0
    } else {
        s.pick(&[(1, 850), (2, 145), (3, 6)])
    };
    let p_no_garage = match overall_qual {
        ..=4 => 0.15,
        5 | 6 => 0.07,
        _ => 0.01,
    };
    let g = if s.chance(p_no_garage) {
        NO_GARAGE
    } else {
        garage(s, q, year_built, yr_sold)
    };
    let (pool_area, pool_qc) = if s.chance(0.005) {
        (s.int(480, 738), Some(pick(s, l::POOL_QC)))
    } else {
        (0, None)
    };
    let misc_feature = opt(pick(s, l::MISC_FEATURE));
    let new_sale = year_built + 1 >= yr_sold && s.chance(0.85);
    let exterior = pick(s, l::EXTERIOR);

    let mut h = House {
        id,
        ms_sub_class,
        ms_zoning: pick(s, l::ZONING[usize::from(hood.zoning)]),
        lot_frontage,
        lot_area,
        street: if s.chance(0.0025) { "Grvl" } else { "Pave" },
        alley: opt(pick(s, l::ALLEY)),
        lot_shape: pick(s, l::LOT_SHAPE),
        land_contour: pick(s, l::LAND_CONTOUR),
        utilities: "AllPub",
        lot_config: pick(s, l::LOT_CONFIG),
        land_slope: pick(s, l::LAND_SLOPE),
        neighborhood: hood.name,
        condition1: pick(s, l::CONDITION1),
        condition2: pick(s, l::CONDITION2),
        bldg_type,
        house_style,
        overall_qual,
        overall_cond: s.pick(l::OVERALL_COND),
        year_built,
        year_remod_add,
        roof_style: pick(s, l::ROOF_STYLE),
        roof_matl: pick(s, l::ROOF_MATL),
        exterior1st: exterior,
        exterior2nd: exterior, // planted duplicate
        mas_vnr_type,
        mas_vnr_area,
        exter_qual: grade(s.normal(q, 0.7), 3.0, 6.5, 8.8),
        exter_cond: pick(s, l::EXTER_COND),
        foundation,
        bsmt_qual: b.qual,
        bsmt_cond: b.cond,
        bsmt_exposure: b.exposure,
        bsmt_fin_type1: b.type1,
        bsmt_fin_sf1: b.sf1,
        bsmt_fin_type2: b.type2,
        bsmt_fin_sf2: b.sf2,
        bsmt_unf_sf: b.unf,
        total_bsmt_sf: b.total,
        heating: pick(s, l::HEATING),
        heating_qc: pick(s, l::HEATING_QC),
        central_air: if s.chance(if old { 0.22 } else { 0.02 }) {
            "N"
        } else {
            "Y"
        },
        electrical: opt(pick(
            s,
            if old {
                l::ELECTRICAL_OLD
            } else {
                l::ELECTRICAL_NEW
            },
        )),
        first_flr_sf,
        second_flr_sf,
        low_qual_fin_sf,
        gr_liv_area,
        bsmt_full_bath: b.full_bath,
        bsmt_half_bath: b.half_bath,
        full_bath: if s.chance(0.006) {
            0
        } else {
            round_u32(s.normal(0.2 + area / 1100.0, 0.3).clamp(1.0, 3.0))
        },
        half_bath: if s.chance(0.01) {
            2
        } else {
            u32::from(s.chance(if second_flr_sf > 0 { 0.6 } else { 0.25 }))
        },
        bedroom_abv_gr,
        kitchen_abv_gr,
        kitchen_qual: grade(s.normal(q, 0.9), 3.2, 6.1, 8.5),
        tot_rms_abv_grd: rooms.max(bedroom_abv_gr + kitchen_abv_gr + 1),
        functional: pick(s, l::FUNCTIONAL),
        fireplaces,
        fireplace_qu: (fireplaces > 0).then(|| pick(s, l::FIREPLACE_QU)),
        garage_type: g.kind,
        garage_yr_blt: g.yr_blt,
        garage_finish: g.finish,
        garage_cars: g.cars,
        garage_area: g.area,
        garage_qual: g.qual,
        garage_cond: g.cond,
        paved_drive: pick(s, l::PAVED_DRIVE),
        wood_deck_sf: amount(s, 0.48, 170.0, 0.5, 857.0),
        open_porch_sf: amount(s, 0.55, 55.0, 0.6, 547.0),
        enclosed_porch: amount(s, if old { 0.45 } else { 0.07 }, 130.0, 0.45, 552.0),
        three_ssn_porch: amount(s, 0.016, 180.0, 0.4, 508.0),
        screen_porch: amount(s, 0.08, 170.0, 0.35, 480.0),
        pool_area,
        pool_qc,
        fence: opt(pick(s, l::FENCE)),
        misc_feature,
        misc_val: match misc_feature {
            Some("Shed") => 50 * round_u32(s.lognormal(500.0, 0.6) / 50.0).max(1),
            Some("Gar2") => 50 * round_u32(s.lognormal(8000.0, 0.4) / 50.0),
            Some("Othr") => 50 * round_u32(s.lognormal(2000.0, 0.7) / 50.0),
            Some(_) => 2000,
            None => 0,
        },
        mo_sold,
        yr_sold,
        sale_type: if new_sale && s.chance(0.95) {
            "New"
        } else {
            pick(s, l::SALE_TYPE)
        },
        sale_condition: if new_sale {
            if s.chance(0.9) { "Partial" } else { "Normal" }
        } else {
            pick(s, l::SALE_CONDITION)
        },
        price_noise: 0.0,
        sale_price: 0,
    };
    h.price_noise = NOISE_SD * s.std_normal();
    h.sale_price = sale_price_from_log(log_price(&h) + h.price_noise);
    h
}
