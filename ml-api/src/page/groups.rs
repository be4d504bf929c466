//! The try-it form's sections: the 79 inputs grouped in the order of
//! Kaggle's `data_description.txt`, each with its one-line description from
//! that file. A unit test checks that every input column appears once.

/// A section of the form: its heading and its fields `(column, description)`.
pub struct Group {
    pub title: &'static str,
    pub fields: &'static [(&'static str, &'static str)],
}

/// The sections, in the order of `data_description.txt`.
pub const GROUPS: &[Group] = &[
    Group {
        title: "Lot and location",
        fields: &[
            ("MSSubClass", "Type of dwelling involved in the sale (code)"),
            ("MSZoning", "General zoning classification of the sale"),
            ("LotFrontage", "Linear feet of street connected to property"),
            ("LotArea", "Lot size in square feet"),
            ("Street", "Type of road access to property"),
            ("Alley", "Type of alley access to property"),
            ("LotShape", "General shape of property"),
            ("LandContour", "Flatness of the property"),
            ("Utilities", "Type of utilities available"),
            ("LotConfig", "Lot configuration"),
            ("LandSlope", "Slope of property"),
            ("Neighborhood", "Physical location within Ames city limits"),
            ("Condition1", "Proximity to various conditions"),
            (
                "Condition2",
                "Proximity to various conditions (if more than one)",
            ),
        ],
    },
    Group {
        title: "Building",
        fields: &[
            ("BldgType", "Type of dwelling"),
            ("HouseStyle", "Style of dwelling"),
            (
                "OverallQual",
                "Overall material and finish of the house (1-10)",
            ),
            ("OverallCond", "Overall condition of the house (1-10)"),
            ("YearBuilt", "Original construction date"),
            ("YearRemodAdd", "Remodel date (construction date if none)"),
        ],
    },
    Group {
        title: "Roof, exterior and foundation",
        fields: &[
            ("RoofStyle", "Type of roof"),
            ("RoofMatl", "Roof material"),
            ("Exterior1st", "Exterior covering on house"),
            (
                "Exterior2nd",
                "Exterior covering (if more than one material)",
            ),
            ("MasVnrType", "Masonry veneer type"),
            ("MasVnrArea", "Masonry veneer area in square feet"),
            ("ExterQual", "Quality of the material on the exterior"),
            (
                "ExterCond",
                "Present condition of the material on the exterior",
            ),
            ("Foundation", "Type of foundation"),
        ],
    },
    Group {
        title: "Basement",
        fields: &[
            ("BsmtQual", "Height of the basement"),
            ("BsmtCond", "General condition of the basement"),
            ("BsmtExposure", "Walkout or garden level walls"),
            ("BsmtFinType1", "Rating of basement finished area"),
            ("BsmtFinSF1", "Type 1 finished square feet"),
            (
                "BsmtFinType2",
                "Rating of basement finished area (if multiple types)",
            ),
            ("BsmtFinSF2", "Type 2 finished square feet"),
            ("BsmtUnfSF", "Unfinished square feet of basement area"),
            ("TotalBsmtSF", "Total square feet of basement area"),
        ],
    },
    Group {
        title: "Heating and electrical",
        fields: &[
            ("Heating", "Type of heating"),
            ("HeatingQC", "Heating quality and condition"),
            ("CentralAir", "Central air conditioning (Y/N)"),
            ("Electrical", "Electrical system"),
        ],
    },
    Group {
        title: "Living area and rooms",
        fields: &[
            ("1stFlrSF", "First floor square feet"),
            ("2ndFlrSF", "Second floor square feet"),
            (
                "LowQualFinSF",
                "Low quality finished square feet (all floors)",
            ),
            ("GrLivArea", "Above grade (ground) living area square feet"),
            ("BsmtFullBath", "Basement full bathrooms"),
            ("BsmtHalfBath", "Basement half bathrooms"),
            ("FullBath", "Full bathrooms above grade"),
            ("HalfBath", "Half baths above grade"),
            ("BedroomAbvGr", "Bedrooms above grade (not in the basement)"),
            ("KitchenAbvGr", "Kitchens above grade"),
            ("KitchenQual", "Kitchen quality"),
            (
                "TotRmsAbvGrd",
                "Total rooms above grade (without bathrooms)",
            ),
            ("Functional", "Home functionality"),
            ("Fireplaces", "Number of fireplaces"),
            ("FireplaceQu", "Fireplace quality"),
        ],
    },
    Group {
        title: "Garage",
        fields: &[
            ("GarageType", "Garage location"),
            ("GarageYrBlt", "Year garage was built"),
            ("GarageFinish", "Interior finish of the garage"),
            ("GarageCars", "Size of garage in car capacity"),
            ("GarageArea", "Size of garage in square feet"),
            ("GarageQual", "Garage quality"),
            ("GarageCond", "Garage condition"),
        ],
    },
    Group {
        title: "Outside: drive, porches, pool, fence",
        fields: &[
            ("PavedDrive", "Paved driveway"),
            ("WoodDeckSF", "Wood deck area in square feet"),
            ("OpenPorchSF", "Open porch area in square feet"),
            ("EnclosedPorch", "Enclosed porch area in square feet"),
            ("3SsnPorch", "Three season porch area in square feet"),
            ("ScreenPorch", "Screen porch area in square feet"),
            ("PoolArea", "Pool area in square feet"),
            ("PoolQC", "Pool quality"),
            ("Fence", "Fence quality"),
            ("MiscFeature", "Miscellaneous feature not covered elsewhere"),
            ("MiscVal", "Dollar value of miscellaneous feature"),
        ],
    },
    Group {
        title: "Sale",
        fields: &[
            ("MoSold", "Month sold (1-12)"),
            ("YrSold", "Year sold"),
            ("SaleType", "Type of sale"),
            ("SaleCondition", "Condition of sale"),
        ],
    },
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use regression_model::Column;

    use super::GROUPS;

    #[test]
    fn the_groups_hold_every_input_column_exactly_once() {
        let names: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.fields.iter().map(|(name, _)| *name))
            .collect();
        let unique: BTreeSet<&str> = names.iter().copied().collect();
        let expected: BTreeSet<&str> = Column::ALL.iter().map(|c| c.name()).collect();

        assert_eq!(names.len(), unique.len(), "a column is listed twice");
        assert_eq!(unique, expected);
    }
}
