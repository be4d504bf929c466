//! The input schema: one typed record for a house, with the 79 input columns of
//! the Kaggle data (plus the optional `Id`), and a [`Column`] enum that names
//! them, so the rest of the crate addresses inputs by name and never by position.
//!
//! Numeric columns are `Option<f64>`, categorical ones `Option<String>`; `None`
//! is a missing value. Range rules (no negative areas, years that can exist,
//! quality scores 1–10) are `validator` attributes on the fields.

use std::borrow::Cow;

use serde::Serialize;
use validator::Validate;

use crate::frame::ColumnData;

pub mod bounds;
mod names;

/// Whether a column holds numbers or labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Numbers (`Option<f64>` in a record).
    Numeric,
    /// Labels (`Option<String>` in a record).
    Categorical,
}

/// Maps a field's Rust type to its column kind (used by the schema macro).
pub trait FieldType {
    const KIND: ColumnKind;
}
impl FieldType for f64 {
    const KIND: ColumnKind = ColumnKind::Numeric;
}
impl FieldType for String {
    const KIND: ColumnKind = ColumnKind::Categorical;
}

/// A borrowed view of one cell of a [`HouseRecord`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    /// A numeric column's value; `None` when missing.
    Number(Option<f64>),
    /// A categorical column's label; `None` when missing.
    Label(Option<&'a str>),
}

trait AsCell {
    fn as_cell(&self) -> CellRef<'_>;
    /// One column of many records, as a frame column (`NaN` or `None` for
    /// missing values).
    fn gather<'a>(cells: impl ExactSizeIterator<Item = &'a Self>) -> ColumnData<'a>
    where
        Self: 'a;
}
impl AsCell for Option<f64> {
    fn as_cell(&self) -> CellRef<'_> {
        CellRef::Number(*self)
    }
    fn gather<'a>(cells: impl ExactSizeIterator<Item = &'a Self>) -> ColumnData<'a> {
        ColumnData::Numeric(cells.map(|n| n.unwrap_or(f64::NAN)).collect())
    }
}
impl AsCell for Option<String> {
    fn as_cell(&self) -> CellRef<'_> {
        CellRef::Label(self.as_deref())
    }
    fn gather<'a>(cells: impl ExactSizeIterator<Item = &'a Self>) -> ColumnData<'a> {
        ColumnData::Categorical(cells.map(|l| l.as_deref().map(Cow::Borrowed)).collect())
    }
}

macro_rules! house_schema {
    ($(
        $(#[$attr:meta])*
        $variant:ident $field:ident : Option<$t:ident> = $name:literal $(| $alias:literal)?;
    )*) => {
        /// One of the 79 input columns of the house-prices data, in Kaggle order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Column { $(#[doc = concat!("`", $name, "`.")] $variant,)* }

        impl Column {
            /// Every input column, in the order of the Kaggle files.
            pub const ALL: &'static [Column] = &[$(Column::$variant,)*];

            /// The Kaggle name of the column (`1stFlrSF`, `MSZoning`, ...).
            pub fn name(self) -> &'static str {
                match self { $(Column::$variant => $name,)* }
            }

            /// The course's alias for the columns whose Kaggle name starts
            /// with a digit (`FirstFlrSF`, `SecondFlrSF`, `ThreeSsnPortch`).
            pub fn alias(self) -> Option<&'static str> {
                match self { $(Column::$variant => None $(.or(Some($alias)))?,)* }
            }

            /// Whether the column holds numbers or labels.
            pub fn kind(self) -> ColumnKind {
                match self { $(Column::$variant => <$t as FieldType>::KIND,)* }
            }

            /// Looks a column up by its Kaggle name or its course alias.
            pub fn from_name(name: &str) -> Option<Column> {
                match name {
                    $($name $(| $alias)? => Some(Column::$variant),)*
                    _ => None,
                }
            }

            /// The Rust field that stores this column (validator reports
            /// errors by field name).
            pub(crate) fn from_field(field: &str) -> Option<Column> {
                match field {
                    $(stringify!($field) => Some(Column::$variant),)*
                    _ => None,
                }
            }
        }

        /// One house: the raw inputs of the model, as a client sends them.
        ///
        /// Build it from JSON or CSV with [`crate::parse_json_batch`] or
        /// [`crate::read_csv`], which accept
        /// both the Kaggle names and the course's aliases and reports every
        /// bad field instead of stopping at the first.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Validate)]
        pub struct HouseRecord {
            /// The Kaggle `Id`; optional, echoed back with predictions.
            #[serde(rename = "Id", skip_serializing_if = "Option::is_none")]
            pub id: Option<i64>,
            $(
                $(#[$attr])*
                #[doc = concat!("`", $name, "`; `None` when missing.")]
                #[serde(rename = $name)]
                pub $field: Option<$t>,
            )*
        }

        impl HouseRecord {
            /// The value of one column.
            pub fn get(&self, column: Column) -> CellRef<'_> {
                match column { $(Column::$variant => self.$field.as_cell(),)* }
            }

            /// One column of `records` as frame data. The column is matched
            /// once, outside the loop, so each column is a plain strided copy.
            pub(crate) fn gather<'a>(records: &[&'a HouseRecord], column: Column) -> ColumnData<'a> {
                match column {
                    $(Column::$variant => AsCell::gather(records.iter().map(|r| &r.$field)),)*
                }
            }

            pub(crate) fn number_mut(&mut self, column: Column) -> Option<&mut Option<f64>> {
                house_schema!(@mut self, column, f64, $($variant $field $t),*)
            }

            pub(crate) fn label_mut(&mut self, column: Column) -> Option<&mut Option<String>> {
                house_schema!(@mut self, column, String, $($variant $field $t),*)
            }
        }
    };
    (@mut $self:ident, $column:ident, $want:ident, $($variant:ident $field:ident $t:ident),*) => {{
        use std::any::Any;
        match $column {
            $(Column::$variant => (&mut $self.$field as &mut dyn Any).downcast_mut::<Option<$want>>(),)*
        }
    }};
}

house_schema! {
    MsSubClass ms_sub_class: Option<String> = "MSSubClass";
    MsZoning ms_zoning: Option<String> = "MSZoning";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    LotFrontage lot_frontage: Option<f64> = "LotFrontage";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    LotArea lot_area: Option<f64> = "LotArea";
    Street street: Option<String> = "Street";
    Alley alley: Option<String> = "Alley";
    LotShape lot_shape: Option<String> = "LotShape";
    LandContour land_contour: Option<String> = "LandContour";
    Utilities utilities: Option<String> = "Utilities";
    LotConfig lot_config: Option<String> = "LotConfig";
    LandSlope land_slope: Option<String> = "LandSlope";
    Neighborhood neighborhood: Option<String> = "Neighborhood";
    Condition1 condition1: Option<String> = "Condition1";
    Condition2 condition2: Option<String> = "Condition2";
    BldgType bldg_type: Option<String> = "BldgType";
    HouseStyle house_style: Option<String> = "HouseStyle";
    #[validate(range(min = 1.0, max = 10.0, message = "must be a score from 1 to 10"))]
    OverallQual overall_qual: Option<f64> = "OverallQual";
    #[validate(range(min = 1.0, max = 10.0, message = "must be a score from 1 to 10"))]
    OverallCond overall_cond: Option<f64> = "OverallCond";
    #[validate(range(min = 1800.0, max = 2100.0, message = "must be a year between 1800 and 2100"))]
    YearBuilt year_built: Option<f64> = "YearBuilt";
    #[validate(range(min = 1800.0, max = 2100.0, message = "must be a year between 1800 and 2100"))]
    YearRemodAdd year_remod_add: Option<f64> = "YearRemodAdd";
    RoofStyle roof_style: Option<String> = "RoofStyle";
    RoofMatl roof_matl: Option<String> = "RoofMatl";
    Exterior1st exterior1st: Option<String> = "Exterior1st";
    Exterior2nd exterior2nd: Option<String> = "Exterior2nd";
    MasVnrType mas_vnr_type: Option<String> = "MasVnrType";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    MasVnrArea mas_vnr_area: Option<f64> = "MasVnrArea";
    ExterQual exter_qual: Option<String> = "ExterQual";
    ExterCond exter_cond: Option<String> = "ExterCond";
    Foundation foundation: Option<String> = "Foundation";
    BsmtQual bsmt_qual: Option<String> = "BsmtQual";
    BsmtCond bsmt_cond: Option<String> = "BsmtCond";
    BsmtExposure bsmt_exposure: Option<String> = "BsmtExposure";
    BsmtFinType1 bsmt_fin_type1: Option<String> = "BsmtFinType1";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    BsmtFinSf1 bsmt_fin_sf1: Option<f64> = "BsmtFinSF1";
    BsmtFinType2 bsmt_fin_type2: Option<String> = "BsmtFinType2";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    BsmtFinSf2 bsmt_fin_sf2: Option<f64> = "BsmtFinSF2";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    BsmtUnfSf bsmt_unf_sf: Option<f64> = "BsmtUnfSF";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    TotalBsmtSf total_bsmt_sf: Option<f64> = "TotalBsmtSF";
    Heating heating: Option<String> = "Heating";
    HeatingQc heating_qc: Option<String> = "HeatingQC";
    CentralAir central_air: Option<String> = "CentralAir";
    Electrical electrical: Option<String> = "Electrical";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    FirstFlrSf first_flr_sf: Option<f64> = "1stFlrSF" | "FirstFlrSF";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    SecondFlrSf second_flr_sf: Option<f64> = "2ndFlrSF" | "SecondFlrSF";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    LowQualFinSf low_qual_fin_sf: Option<f64> = "LowQualFinSF";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    GrLivArea gr_liv_area: Option<f64> = "GrLivArea";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    BsmtFullBath bsmt_full_bath: Option<f64> = "BsmtFullBath";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    BsmtHalfBath bsmt_half_bath: Option<f64> = "BsmtHalfBath";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    FullBath full_bath: Option<f64> = "FullBath";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    HalfBath half_bath: Option<f64> = "HalfBath";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    BedroomAbvGr bedroom_abv_gr: Option<f64> = "BedroomAbvGr";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    KitchenAbvGr kitchen_abv_gr: Option<f64> = "KitchenAbvGr";
    KitchenQual kitchen_qual: Option<String> = "KitchenQual";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    TotRmsAbvGrd tot_rms_abv_grd: Option<f64> = "TotRmsAbvGrd";
    Functional functional: Option<String> = "Functional";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    Fireplaces fireplaces: Option<f64> = "Fireplaces";
    FireplaceQu fireplace_qu: Option<String> = "FireplaceQu";
    GarageType garage_type: Option<String> = "GarageType";
    #[validate(range(min = 1800.0, max = 2100.0, message = "must be a year between 1800 and 2100"))]
    GarageYrBlt garage_yr_blt: Option<f64> = "GarageYrBlt";
    GarageFinish garage_finish: Option<String> = "GarageFinish";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    GarageCars garage_cars: Option<f64> = "GarageCars";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    GarageArea garage_area: Option<f64> = "GarageArea";
    GarageQual garage_qual: Option<String> = "GarageQual";
    GarageCond garage_cond: Option<String> = "GarageCond";
    PavedDrive paved_drive: Option<String> = "PavedDrive";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    WoodDeckSf wood_deck_sf: Option<f64> = "WoodDeckSF";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    OpenPorchSf open_porch_sf: Option<f64> = "OpenPorchSF";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    EnclosedPorch enclosed_porch: Option<f64> = "EnclosedPorch";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    ThreeSsnPorch three_ssn_porch: Option<f64> = "3SsnPorch" | "ThreeSsnPortch";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    ScreenPorch screen_porch: Option<f64> = "ScreenPorch";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    PoolArea pool_area: Option<f64> = "PoolArea";
    PoolQc pool_qc: Option<String> = "PoolQC";
    Fence fence: Option<String> = "Fence";
    MiscFeature misc_feature: Option<String> = "MiscFeature";
    #[validate(range(min = 0.0, message = "must not be negative"))]
    MiscVal misc_val: Option<f64> = "MiscVal";
    #[validate(range(min = 1.0, max = 12.0, message = "must be a month from 1 to 12"))]
    MoSold mo_sold: Option<f64> = "MoSold";
    #[validate(range(min = 1800.0, max = 2100.0, message = "must be a year between 1800 and 2100"))]
    YrSold yr_sold: Option<f64> = "YrSold";
    SaleType sale_type: Option<String> = "SaleType";
    SaleCondition sale_condition: Option<String> = "SaleCondition";
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests;
