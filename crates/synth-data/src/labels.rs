//! Label sets and relative frequencies, transcribed from Kaggle's `data_description.txt`/`train.csv`.
//!
//! The weights are (rounded) counts out of Kaggle's 1,460 training rows, so rare labels stay
//! rare (under 1% of rows) exactly like in the real data. Labels that the generator must
//! *never* emit in training style (the ones [`crate::UNSEEN_LABELS`] injects into test-style
//! files, e.g. MSSubClass 150 or MSZoning `A`) are deliberately absent from these tables.
//! Exterior2nd has no table: it is planted as an exact copy of Exterior1st.

/// A weighted label table: `(label, relative weight)`.
pub(crate) type Table = &'static [(&'static str, u32)];

/// One Kaggle neighborhood and the parameters it drives.
pub(crate) struct Hood {
    pub name: &'static str,
    /// Kaggle row count (sampling weight).
    pub weight: u32,
    /// Additive effect on log SalePrice (see [`crate::price`]).
    pub effect: f64,
    /// Centre of the YearBuilt distribution.
    pub year: f64,
    /// Mean OverallQual.
    pub qual: f64,
    /// Median GrLivArea (sq ft).
    pub area: f64,
    /// Median LotArea (sq ft).
    pub lot: f64,
    /// Zoning profile: 0 suburban, 1 Somerset (FV), 2 old town, 3 industrial, 4 townhouse.
    pub zoning: u8,
}

#[allow(clippy::too_many_arguments)]
const fn hood(
    name: &'static str,
    weight: u32,
    effect: f64,
    year: f64,
    qual: f64,
    area: f64,
    lot: f64,
    zoning: u8,
) -> Hood {
    Hood { name, weight, effect, year, qual, area, lot, zoning }
}

/// Neighborhoods with Kaggle's weights; `effect` is roughly 40% of the raw mean log-price gap
/// (the rest is explained by quality, size and age, which the neighborhood also drives).
/// Columns: name, weight, effect, year, qual, area, lot, zoning.
pub(crate) const NEIGHBORHOODS: [Hood; 25] = [
    hood("NAmes", 225, -0.06, 1960.0, 5.4, 1200.0, 9500.0, 0),
    hood("CollgCr", 150, 0.05, 2000.0, 6.6, 1500.0, 9400.0, 0),
    hood("OldTown", 113, -0.12, 1920.0, 5.4, 1370.0, 7800.0, 2),
    hood("Edwards", 100, -0.12, 1954.0, 5.1, 1200.0, 9100.0, 0),
    hood("Somerst", 86, 0.08, 2005.0, 7.3, 1560.0, 8600.0, 1),
    hood("Gilbert", 79, 0.04, 2000.0, 6.6, 1590.0, 10000.0, 0),
    hood("NridgHt", 77, 0.18, 2006.0, 8.2, 1850.0, 11700.0, 0),
    hood("Sawyer", 74, -0.08, 1965.0, 5.0, 1110.0, 9700.0, 0),
    hood("NWAmes", 73, 0.03, 1976.0, 6.3, 1660.0, 11000.0, 0),
    hood("SawyerW", 59, 0.02, 1991.0, 6.3, 1600.0, 9300.0, 0),
    hood("BrkSide", 58, -0.13, 1930.0, 5.0, 1210.0, 6200.0, 2),
    hood("Crawfor", 51, 0.08, 1938.0, 6.3, 1720.0, 11500.0, 0),
    hood("Mitchel", 49, -0.03, 1982.0, 5.6, 1200.0, 9900.0, 0),
    hood("NoRidge", 41, 0.18, 1995.0, 7.9, 2400.0, 12100.0, 0),
    hood("Timber", 38, 0.10, 2002.0, 7.2, 1690.0, 12800.0, 0),
    hood("IDOTRR", 37, -0.22, 1922.0, 4.8, 1130.0, 7900.0, 3),
    hood("ClearCr", 28, 0.08, 1966.0, 5.9, 1740.0, 17500.0, 0),
    hood("StoneBr", 25, 0.18, 2001.0, 8.2, 1740.0, 6800.0, 4),
    hood("SWISU", 25, -0.07, 1925.0, 5.4, 1690.0, 7800.0, 2),
    hood("MeadowV", 17, -0.20, 1972.0, 4.5, 1090.0, 2000.0, 4),
    hood("Blmngtn", 17, 0.05, 2005.0, 7.2, 1500.0, 3200.0, 4),
    hood("BrDale", 16, -0.18, 1971.0, 5.7, 1150.0, 1700.0, 4),
    hood("Veenker", 11, 0.12, 1978.0, 6.7, 1440.0, 11100.0, 0),
    hood("NPkVill", 9, -0.06, 1976.0, 6.0, 1320.0, 2300.0, 4),
    hood("Blueste", 2, -0.07, 1980.0, 6.0, 1390.0, 1600.0, 4),
];

/// MSZoning by neighborhood zoning profile (index = [`Hood::zoning`]). Never `A` or `I`.
pub(crate) const ZONING: [Table; 5] = [
    &[("RL", 930), ("RM", 50), ("RH", 12), ("FV", 5), ("C (all)", 3)],
    &[("FV", 600), ("RL", 350), ("RM", 50)],
    &[("RM", 450), ("RL", 480), ("RH", 50), ("C (all)", 20)],
    &[("RM", 550), ("RL", 250), ("C (all)", 200)],
    &[("RM", 550), ("RL", 400), ("FV", 50)],
];

/// MSSubClass for houses built before 1946 (no 150: that one is test-only).
pub(crate) const SUBCLASS_OLD: &[(u32, u32)] = &[(30, 69), (50, 100), (70, 60), (45, 12),
    (75, 16), (190, 20), (40, 4), (90, 5)];
/// MSSubClass for houses built 1946 and later.
pub(crate) const SUBCLASS_NEW: &[(u32, u32)] = &[(20, 536), (60, 299), (120, 87), (160, 63),
    (80, 58), (85, 20), (90, 47), (50, 44), (180, 10), (190, 10)];

pub(crate) const LOT_SHAPE: Table = &[("Reg", 925), ("IR1", 484), ("IR2", 41), ("IR3", 10)];
pub(crate) const LAND_CONTOUR: Table = &[("Lvl", 1311), ("Bnk", 63), ("HLS", 50), ("Low", 36)];
pub(crate) const LOT_CONFIG: Table = &[("Inside", 1052), ("Corner", 263), ("CulDSac", 94),
    ("FR2", 47), ("FR3", 4)];
pub(crate) const LAND_SLOPE: Table = &[("Gtl", 1382), ("Mod", 65), ("Sev", 13)];
/// Alley; `NA` (no alley access) dominates.
pub(crate) const ALLEY: Table = &[("NA", 1369), ("Grvl", 50), ("Pave", 41)];
pub(crate) const CONDITION1: Table = &[("Norm", 1260), ("Feedr", 81), ("Artery", 48),
    ("RRAn", 26), ("PosN", 19), ("RRAe", 11), ("PosA", 8), ("RRNn", 5), ("RRNe", 2)];
pub(crate) const CONDITION2: Table = &[("Norm", 1445), ("Feedr", 6), ("Artery", 2), ("RRNn", 2),
    ("PosN", 2), ("PosA", 1), ("RRAn", 1), ("RRAe", 1)];
pub(crate) const OVERALL_COND: &[(u32, u32)] = &[(5, 821), (6, 252), (7, 205), (8, 72), (4, 57),
    (3, 25), (9, 22), (2, 5), (1, 1)];
pub(crate) const ROOF_STYLE: Table = &[("Gable", 1141), ("Hip", 286), ("Flat", 13),
    ("Gambrel", 11), ("Mansard", 7), ("Shed", 2)];
pub(crate) const ROOF_MATL: Table = &[("CompShg", 1434), ("Tar&Grv", 11), ("WdShngl", 6),
    ("WdShake", 5), ("Metal", 1), ("Membran", 1), ("Roll", 1), ("ClyTile", 1)];
pub(crate) const EXTERIOR: Table = &[("VinylSd", 515), ("HdBoard", 222), ("MetalSd", 220),
    ("Wd Sdng", 206), ("Plywood", 108), ("CemntBd", 61), ("BrkFace", 50), ("WdShing", 26),
    ("Stucco", 25), ("AsbShng", 20), ("BrkComm", 2), ("Stone", 2), ("AsphShn", 1), ("ImStucc", 1),
    ("CBlock", 1)];
/// MasVnrType; `None` is a real label (no veneer), `NA` is missing.
pub(crate) const MAS_VNR: Table = &[("None", 864), ("BrkFace", 445), ("Stone", 128),
    ("BrkCmn", 15), ("NA", 8)];
pub(crate) const MAS_VNR_HIGH_QUAL: Table = &[("Stone", 40), ("BrkFace", 45), ("None", 15)];
pub(crate) const EXTER_COND: Table = &[("TA", 1282), ("Gd", 146), ("Fa", 28), ("Ex", 3), ("Po", 1)];
pub(crate) const FOUNDATION_OLD: Table = &[("BrkTil", 600), ("CBlock", 200), ("PConc", 120),
    ("Stone", 50), ("Slab", 20), ("Wood", 2)];
pub(crate) const FOUNDATION_MID: Table = &[("CBlock", 750), ("PConc", 180), ("Slab", 40),
    ("BrkTil", 20), ("Stone", 3), ("Wood", 3)];
pub(crate) const FOUNDATION_NEW: Table =&[("PConc", 880), ("CBlock", 100), ("Slab", 10),
    ("Wood", 5)];
pub(crate) const BSMT_COND: Table = &[("TA", 1311), ("Gd", 65), ("Fa", 45), ("Po", 2)];
pub(crate) const BSMT_EXPOSURE: Table = &[("No", 953), ("Av", 221), ("Gd", 134), ("Mn", 114)];
pub(crate) const BSMT_FIN_TYPE1: Table = &[("Unf", 430), ("GLQ", 418), ("ALQ", 220), ("BLQ", 148),
    ("Rec", 133), ("LwQ", 74)];
pub(crate) const BSMT_FIN_TYPE2: Table = &[("Unf", 1256), ("Rec", 54), ("LwQ", 46), ("BLQ", 33),
    ("ALQ", 19), ("GLQ", 14)];
pub(crate) const HEATING: Table = &[("GasA", 1428), ("GasW", 18), ("Grav", 7), ("Wall", 4),
    ("OthW", 2), ("Floor", 1)];
pub(crate) const HEATING_QC: Table =&[("Ex", 741), ("TA", 428), ("Gd", 241), ("Fa", 49), ("Po", 1)];
pub(crate) const ELECTRICAL_OLD: Table = &[("SBrkr", 650), ("FuseA", 250), ("FuseF", 80),
    ("FuseP", 12), ("Mix", 3), ("NA", 5)];
pub(crate) const ELECTRICAL_NEW: Table = &[("SBrkr", 985), ("FuseA", 12), ("FuseF", 2), ("NA", 1)];
pub(crate) const FUNCTIONAL: Table = &[("Typ", 1360), ("Min2", 34), ("Min1", 31), ("Mod", 15),
    ("Maj1", 14), ("Maj2", 5), ("Sev", 1)];
pub(crate) const FIREPLACE_QU: Table =&[("Gd", 380), ("TA", 313), ("Fa", 33), ("Ex", 24),
    ("Po", 20)];
pub(crate) const GARAGE_TYPE_OLD: Table = &[("Detchd", 700), ("Attchd", 200), ("Basment", 30),
    ("CarPort", 30), ("2Types", 20), ("BuiltIn", 20)];
pub(crate) const GARAGE_TYPE_NEW: Table = &[("Attchd", 730), ("Detchd", 170), ("BuiltIn", 80),
    ("Basment", 14), ("CarPort", 4), ("2Types", 4)];
pub(crate) const GARAGE_QUAL: Table = &[("TA", 1311), ("Fa", 48), ("Gd", 14), ("Ex", 3), ("Po", 3)];
pub(crate) const GARAGE_COND: Table = &[("TA", 1326), ("Fa", 35), ("Gd", 9), ("Po", 7), ("Ex", 2)];
pub(crate) const PAVED_DRIVE: Table = &[("Y", 1340), ("N", 90), ("P", 30)];
pub(crate) const POOL_QC: Table = &[("Gd", 3), ("Ex", 2), ("Fa", 2)];
pub(crate) const FENCE: Table = &[("NA", 1179), ("MnPrv", 157), ("GdPrv", 59), ("GdWo", 54),
    ("MnWw", 11)];
pub(crate) const MISC_FEATURE: Table = &[("NA", 1406), ("Shed", 49), ("Gar2", 2), ("Othr", 2),
    ("TenC", 1)];
pub(crate) const MO_SOLD: &[(u32, u32)] = &[(1, 58), (2, 52), (3, 106), (4, 141), (5, 204),
    (6, 253), (7, 234), (8, 122), (9, 63), (10, 89), (11, 79), (12, 59)];
pub(crate) const YR_SOLD: &[(u32, u32)] = &[(2006, 314), (2007, 329), (2008, 304), (2009, 338),
    (2010, 175)];
/// SaleType for resales (new construction is mostly `New`).
pub(crate) const SALE_TYPE: Table = &[("WD", 1267), ("COD", 43), ("ConLD", 9), ("ConLI", 5),
    ("ConLw", 5), ("CWD", 4), ("Oth", 3), ("Con", 2)];
/// SaleCondition for resales (new construction is mostly `Partial`).
pub(crate) const SALE_CONDITION: Table = &[("Normal", 1198), ("Abnorml", 101), ("Family", 20),
    ("Alloca", 12), ("AdjLand", 4)];
