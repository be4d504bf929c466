//! Statistical and structural promises, checked on 2000-row samples.

mod common;

use std::collections::HashMap;

use common::{Table, generate, pearson};
use synth_data::{
    Generator, GeneratorConfig, HEADER, House, MAX_PRICE, MIN_PRICE, NOISE_SD, PLANTED,
    TEST_ONLY_MISSING, UNSEEN_LABELS, log_price, sale_price_from_log,
};

const KAGGLE_HEADER: &str = "Id,MSSubClass,MSZoning,LotFrontage,LotArea,Street,Alley,LotShape,LandContour,\
Utilities,LotConfig,LandSlope,Neighborhood,Condition1,Condition2,BldgType,HouseStyle,OverallQual,OverallCond,\
YearBuilt,YearRemodAdd,RoofStyle,RoofMatl,Exterior1st,Exterior2nd,MasVnrType,MasVnrArea,ExterQual,ExterCond,\
Foundation,BsmtQual,BsmtCond,BsmtExposure,BsmtFinType1,BsmtFinSF1,BsmtFinType2,BsmtFinSF2,BsmtUnfSF,\
TotalBsmtSF,Heating,HeatingQC,CentralAir,Electrical,1stFlrSF,2ndFlrSF,LowQualFinSF,GrLivArea,BsmtFullBath,\
BsmtHalfBath,FullBath,HalfBath,BedroomAbvGr,KitchenAbvGr,KitchenQual,TotRmsAbvGrd,Functional,Fireplaces,\
FireplaceQu,GarageType,GarageYrBlt,GarageFinish,GarageCars,GarageArea,GarageQual,GarageCond,PavedDrive,\
WoodDeckSF,OpenPorchSF,EnclosedPorch,3SsnPorch,ScreenPorch,PoolArea,PoolQC,Fence,MiscFeature,MiscVal,\
MoSold,YrSold,SaleType,SaleCondition,SalePrice";

const N: usize = 2000;

fn train() -> Table {
    Table::parse(&generate(&GeneratorConfig::train(N, 2024)))
}

fn share(values: &[&str], pred: impl Fn(&str) -> bool) -> f64 {
    values.iter().filter(|v| pred(v)).count() as f64 / values.len() as f64
}

#[test]
fn header_is_exactly_kaggles_and_rows_are_rectangular() {
    assert_eq!(HEADER.join(","), KAGGLE_HEADER);
    for (config, columns) in [
        (GeneratorConfig::train(N, 5), 81),
        (GeneratorConfig::test(N, 5), 80),
    ] {
        let table = Table::parse(&generate(&config));
        assert_eq!(
            table.header.join(","),
            KAGGLE_HEADER
                .split(',')
                .take(columns)
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(table.rows.len(), N);
        assert!(table.rows.iter().all(|r| r.len() == columns));
    }
}

#[test]
fn planted_redundancy_holds() {
    let t = train();
    for column in PLANTED.constant {
        assert!(
            t.column(column).iter().all(|v| *v == t.column(column)[0]),
            "{column} not constant"
        );
    }
    for column in PLANTED.quasi_constant {
        let values = t.column(column);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        values
            .iter()
            .for_each(|v| *counts.entry(v).or_default() += 1);
        let top = *counts.values().max().unwrap() as f64 / values.len() as f64;
        assert!(
            (PLANTED.quasi_constant_share..1.0).contains(&top),
            "{column}: top share {top}"
        );
    }
    for (copy, original) in PLANTED.duplicated {
        assert_eq!(t.column(copy), t.column(original));
    }
    for (a, b) in PLANTED.correlated {
        let r = pearson(&t.numbers(a), &t.numbers(b));
        assert!(r > PLANTED.min_correlation, "corr({a}, {b}) = {r}");
    }
}

#[test]
fn sale_price_is_the_documented_function_in_range() {
    let houses: Vec<House> = Generator::new(&GeneratorConfig::train(N, 11)).collect();
    let mut prices: Vec<u32> = houses.iter().map(|h| h.sale_price).collect();
    prices.sort_unstable();
    assert!(prices[0] >= MIN_PRICE && prices[N - 1] <= MAX_PRICE);
    assert!(
        (120_000..=220_000).contains(&prices[N / 2]),
        "median {}",
        prices[N / 2]
    );
    let mut residuals = Vec::new();
    for h in &houses {
        assert_eq!(
            h.sale_price,
            sale_price_from_log(log_price(h) + h.price_noise)
        );
        residuals.push(f64::from(h.sale_price).ln() - log_price(h));
    }
    let mean = residuals.iter().sum::<f64>() / N as f64;
    let sd = (residuals.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / N as f64).sqrt();
    assert!(
        mean.abs() < 0.01 && (sd - NOISE_SD).abs() < 0.01,
        "residual mean {mean}, sd {sd}"
    );
}

#[test]
fn dependent_structure_holds() {
    for h in Generator::new(&GeneratorConfig::train(N, 12)) {
        let no_bsmt = h.total_bsmt_sf == 0;
        let bsmt_cats = [
            h.bsmt_qual,
            h.bsmt_cond,
            h.bsmt_exposure,
            h.bsmt_fin_type1,
            h.bsmt_fin_type2,
        ];
        assert!(bsmt_cats.iter().all(|c| c.is_none() == no_bsmt), "{h:?}");
        assert_eq!(
            h.bsmt_fin_sf1 + h.bsmt_fin_sf2 + h.bsmt_unf_sf,
            h.total_bsmt_sf
        );
        assert!(!no_bsmt || h.bsmt_full_bath + h.bsmt_half_bath == 0);
        let no_garage = h.garage_type.is_none();
        assert!(
            [h.garage_finish, h.garage_qual, h.garage_cond]
                .iter()
                .all(|c| c.is_none() == no_garage)
        );
        assert_eq!(h.garage_yr_blt.is_none(), no_garage);
        assert_eq!(no_garage, h.garage_cars == 0);
        assert_eq!(no_garage, h.garage_area == 0);
        assert_eq!(h.fireplaces == 0, h.fireplace_qu.is_none());
        assert_eq!(h.pool_area == 0, h.pool_qc.is_none());
        assert_eq!(
            h.gr_liv_area,
            h.first_flr_sf + h.second_flr_sf + h.low_qual_fin_sf
        );
        assert!(h.year_built <= h.year_remod_add && h.year_remod_add <= h.yr_sold);
        assert!((2006..=2010).contains(&h.yr_sold) && (1..=12).contains(&h.mo_sold));
        assert_eq!(h.mas_vnr_type.is_none(), h.mas_vnr_area.is_none());
        assert!(h.mas_vnr_type != Some("None") || h.mas_vnr_area == Some(0));
        assert_eq!(h.utilities, "AllPub");
    }
}

#[test]
fn missing_values_and_rare_labels_look_like_kaggle() {
    let t = train();
    let frontage_na = share(&t.column("LotFrontage"), |v| v == "NA");
    assert!(
        (0.14..0.21).contains(&frontage_na),
        "LotFrontage NA share {frontage_na}"
    );
    let mas = t.column("MasVnrType");
    assert!(
        share(&mas, |v| v == "None") > 0.4,
        "None is a real, common MasVnrType label"
    );
    let hoods = t.column("Neighborhood");
    let blueste = share(&hoods, |v| v == "Blueste");
    assert!(
        blueste > 0.0 && blueste < 0.01,
        "rare label share {blueste}"
    );
    let rare_columns = [
        "RoofMatl",
        "Heating",
        "Condition2",
        "Exterior1st",
        "MSSubClass",
    ]
    .iter()
    .filter(|c| {
        let values = t.column(c);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        values
            .iter()
            .for_each(|v| *counts.entry(v).or_default() += 1);
        counts.values().any(|&n| (n as f64) < 0.01 * N as f64)
    })
    .count();
    assert_eq!(rare_columns, 5);
}

#[test]
fn only_test_style_has_unseen_labels_and_unexpected_missing_values() {
    let t = train();
    let test = Table::parse(&generate(&GeneratorConfig::test(N, 2024)));
    let rate = GeneratorConfig::default().unseen_label_rate;
    for u in UNSEEN_LABELS {
        assert!(
            !t.column(u.column).contains(&u.label),
            "train has {}={}",
            u.column,
            u.label
        );
        let s = share(&test.column(u.column), |v| v == u.label);
        assert!(
            s > rate / 3.0 && s < rate * 2.0,
            "{}={}: share {s}",
            u.column,
            u.label
        );
    }
    let rate = GeneratorConfig::default().test_style_missing_rate;
    for column in TEST_ONLY_MISSING {
        assert!(
            !t.column(column).contains(&"NA"),
            "train has NA in {column}"
        );
        let s = share(&test.column(column), |v| v == "NA");
        assert!(s > rate / 4.0 && s < rate * 3.0, "{column}: NA share {s}");
    }
}
