//! The typed [`House`] record and its rendering into Kaggle's column order.
//!
//! Generation, the price function and tests all work on typed fields (so a test can check
//! `gr_liv_area == first_flr_sf + second_flr_sf + low_qual_fin_sf` without parsing), and
//! this module is the single place that knows the CSV layout: [`HEADER`] and
//! [`House::render`]. `None` renders as Kaggle's `NA`.

use std::fmt::{Display, Write as _};

/// Kaggle's training header, in order; test files omit the last column ([`TARGET`]).
#[rustfmt::skip]
pub const HEADER: [&str; 81] = [
    "Id", "MSSubClass", "MSZoning", "LotFrontage", "LotArea", "Street", "Alley", "LotShape",
    "LandContour", "Utilities", "LotConfig", "LandSlope", "Neighborhood", "Condition1",
    "Condition2", "BldgType", "HouseStyle", "OverallQual", "OverallCond", "YearBuilt",
    "YearRemodAdd", "RoofStyle", "RoofMatl", "Exterior1st", "Exterior2nd", "MasVnrType",
    "MasVnrArea", "ExterQual", "ExterCond", "Foundation", "BsmtQual", "BsmtCond",
    "BsmtExposure", "BsmtFinType1", "BsmtFinSF1", "BsmtFinType2", "BsmtFinSF2", "BsmtUnfSF",
    "TotalBsmtSF", "Heating", "HeatingQC", "CentralAir", "Electrical", "1stFlrSF", "2ndFlrSF",
    "LowQualFinSF", "GrLivArea", "BsmtFullBath", "BsmtHalfBath", "FullBath", "HalfBath",
    "BedroomAbvGr", "KitchenAbvGr", "KitchenQual", "TotRmsAbvGrd", "Functional", "Fireplaces",
    "FireplaceQu", "GarageType", "GarageYrBlt", "GarageFinish", "GarageCars", "GarageArea",
    "GarageQual", "GarageCond", "PavedDrive", "WoodDeckSF", "OpenPorchSF", "EnclosedPorch",
    "3SsnPorch", "ScreenPorch", "PoolArea", "PoolQC", "Fence", "MiscFeature", "MiscVal",
    "MoSold", "YrSold", "SaleType", "SaleCondition", "SalePrice",
];

/// The target column, last in training files and absent from test files.
pub const TARGET: &str = "SalePrice";

/// Index of a Kaggle column name in [`HEADER`].
pub fn column_index(name: &str) -> Option<usize> {
    HEADER.iter().position(|&c| c == name)
}

/// One synthetic house, field for field a Kaggle row (`None` = `NA`).
///
/// Field names are the Kaggle column names in snake case (`1stFlrSF` -> `first_flr_sf`,
/// `3SsnPorch` -> `three_ssn_porch`). Invariants the generator guarantees are listed in the
/// crate docs.
#[derive(Debug, Clone, PartialEq)]
pub struct House {
    pub id: u64,
    pub ms_sub_class: u32,
    pub ms_zoning: &'static str,
    pub lot_frontage: Option<u32>,
    pub lot_area: u32,
    pub street: &'static str,
    pub alley: Option<&'static str>,
    pub lot_shape: &'static str,
    pub land_contour: &'static str,
    pub utilities: &'static str,
    pub lot_config: &'static str,
    pub land_slope: &'static str,
    pub neighborhood: &'static str,
    pub condition1: &'static str,
    pub condition2: &'static str,
    pub bldg_type: &'static str,
    pub house_style: &'static str,
    pub overall_qual: u32,
    pub overall_cond: u32,
    pub year_built: u32,
    pub year_remod_add: u32,
    pub roof_style: &'static str,
    pub roof_matl: &'static str,
    pub exterior1st: &'static str,
    pub exterior2nd: &'static str,
    pub mas_vnr_type: Option<&'static str>,
    pub mas_vnr_area: Option<u32>,
    pub exter_qual: &'static str,
    pub exter_cond: &'static str,
    pub foundation: &'static str,
    pub bsmt_qual: Option<&'static str>,
    pub bsmt_cond: Option<&'static str>,
    pub bsmt_exposure: Option<&'static str>,
    pub bsmt_fin_type1: Option<&'static str>,
    pub bsmt_fin_sf1: u32,
    pub bsmt_fin_type2: Option<&'static str>,
    pub bsmt_fin_sf2: u32,
    pub bsmt_unf_sf: u32,
    pub total_bsmt_sf: u32,
    pub heating: &'static str,
    pub heating_qc: &'static str,
    pub central_air: &'static str,
    pub electrical: Option<&'static str>,
    pub first_flr_sf: u32,
    pub second_flr_sf: u32,
    pub low_qual_fin_sf: u32,
    pub gr_liv_area: u32,
    pub bsmt_full_bath: u32,
    pub bsmt_half_bath: u32,
    pub full_bath: u32,
    pub half_bath: u32,
    pub bedroom_abv_gr: u32,
    pub kitchen_abv_gr: u32,
    pub kitchen_qual: &'static str,
    pub tot_rms_abv_grd: u32,
    pub functional: &'static str,
    pub fireplaces: u32,
    pub fireplace_qu: Option<&'static str>,
    pub garage_type: Option<&'static str>,
    pub garage_yr_blt: Option<u32>,
    pub garage_finish: Option<&'static str>,
    pub garage_cars: u32,
    pub garage_area: u32,
    pub garage_qual: Option<&'static str>,
    pub garage_cond: Option<&'static str>,
    pub paved_drive: &'static str,
    pub wood_deck_sf: u32,
    pub open_porch_sf: u32,
    pub enclosed_porch: u32,
    pub three_ssn_porch: u32,
    pub screen_porch: u32,
    pub pool_area: u32,
    pub pool_qc: Option<&'static str>,
    pub fence: Option<&'static str>,
    pub misc_feature: Option<&'static str>,
    pub misc_val: u32,
    pub mo_sold: u32,
    pub yr_sold: u32,
    pub sale_type: &'static str,
    pub sale_condition: &'static str,
    /// The gaussian noise (sd [`crate::NOISE_SD`]) added to [`crate::log_price`] for this house.
    pub price_noise: f64,
    /// `sale_price_from_log(log_price(self) + price_noise)`.
    pub sale_price: u32,
}

/// Writes successive cells into a reusable row buffer.
struct Cells<'a> {
    cells: &'a mut [String],
    next: usize,
}

impl Cells<'_> {
    fn put(&mut self, value: impl Display) {
        let cell = &mut self.cells[self.next];
        cell.clear();
        write!(cell, "{value}").expect("writing to a String cannot fail");
        self.next += 1;
    }

    fn opt(&mut self, value: Option<impl Display>) {
        match value {
            Some(v) => self.put(v),
            None => self.put("NA"),
        }
    }
}

impl House {
    /// Renders the row into `cells` (at least 81 long, reused across rows to avoid
    /// allocation) in [`HEADER`] order; returns the number of cells written: 81 with the
    /// target, 80 without.
    pub fn render(&self, with_target: bool, cells: &mut [String]) -> usize {
        let mut c = Cells { cells, next: 0 };
        c.put(self.id);
        c.put(self.ms_sub_class);
        c.put(self.ms_zoning);
        c.opt(self.lot_frontage);
        c.put(self.lot_area);
        c.put(self.street);
        c.opt(self.alley);
        for s in [
            self.lot_shape,
            self.land_contour,
            self.utilities,
            self.lot_config,
            self.land_slope,
            self.neighborhood,
            self.condition1,
            self.condition2,
            self.bldg_type,
            self.house_style,
        ] {
            c.put(s);
        }
        for n in [
            self.overall_qual,
            self.overall_cond,
            self.year_built,
            self.year_remod_add,
        ] {
            c.put(n);
        }
        for s in [
            self.roof_style,
            self.roof_matl,
            self.exterior1st,
            self.exterior2nd,
        ] {
            c.put(s);
        }
        c.opt(self.mas_vnr_type);
        c.opt(self.mas_vnr_area);
        for s in [self.exter_qual, self.exter_cond, self.foundation] {
            c.put(s);
        }
        for s in [
            self.bsmt_qual,
            self.bsmt_cond,
            self.bsmt_exposure,
            self.bsmt_fin_type1,
        ] {
            c.opt(s);
        }
        c.put(self.bsmt_fin_sf1);
        c.opt(self.bsmt_fin_type2);
        for n in [self.bsmt_fin_sf2, self.bsmt_unf_sf, self.total_bsmt_sf] {
            c.put(n);
        }
        for s in [self.heating, self.heating_qc, self.central_air] {
            c.put(s);
        }
        c.opt(self.electrical);
        for n in [
            self.first_flr_sf,
            self.second_flr_sf,
            self.low_qual_fin_sf,
            self.gr_liv_area,
            self.bsmt_full_bath,
            self.bsmt_half_bath,
            self.full_bath,
            self.half_bath,
            self.bedroom_abv_gr,
            self.kitchen_abv_gr,
        ] {
            c.put(n);
        }
        c.put(self.kitchen_qual);
        c.put(self.tot_rms_abv_grd);
        c.put(self.functional);
        c.put(self.fireplaces);
        c.opt(self.fireplace_qu);
        c.opt(self.garage_type);
        c.opt(self.garage_yr_blt);
        c.opt(self.garage_finish);
        c.put(self.garage_cars);
        c.put(self.garage_area);
        c.opt(self.garage_qual);
        c.opt(self.garage_cond);
        c.put(self.paved_drive);
        for n in [
            self.wood_deck_sf,
            self.open_porch_sf,
            self.enclosed_porch,
            self.three_ssn_porch,
            self.screen_porch,
            self.pool_area,
        ] {
            c.put(n);
        }
        for s in [self.pool_qc, self.fence, self.misc_feature] {
            c.opt(s);
        }
        for n in [self.misc_val, self.mo_sold, self.yr_sold] {
            c.put(n);
        }
        c.put(self.sale_type);
        c.put(self.sale_condition);
        if with_target {
            c.put(self.sale_price);
        }
        c.next
    }
}
