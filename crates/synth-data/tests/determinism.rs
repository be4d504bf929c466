//! Same configuration -> same bytes; different seeds -> different data; the house stream of a
//! seed does not depend on the row count or the output style.

mod common;

use common::{Table, generate};
use synth_data::{Generator, GeneratorConfig, HEADER, write_csv};

#[test]
fn same_seed_gives_identical_bytes() {
    for config in [
        GeneratorConfig::train(300, 7),
        GeneratorConfig::test(300, 7),
    ] {
        assert_eq!(generate(&config), generate(&config));
    }
}

#[test]
fn different_seeds_differ() {
    let a = Table::parse(&generate(&GeneratorConfig::train(100, 1)));
    let b = Table::parse(&generate(&GeneratorConfig::train(100, 2)));
    assert_ne!(a.rows, b.rows);
    let (pa, pb) = (a.column("SalePrice"), b.column("SalePrice"));
    assert!(pa.iter().zip(&pb).filter(|(x, y)| x == y).count() < 5);
}

#[test]
fn known_bytes_for_seed_42_are_stable() {
    // Pins the stream across machines and versions: if this changes, every seeded fixture
    // and expectation moved, so regenerate the fixtures and say so in the change.
    let text = String::from_utf8(generate(&GeneratorConfig::train(1, 42))).unwrap();
    assert_eq!(
        text.lines().nth(1).unwrap(),
        "1,160,FV,NA,5898,Pave,NA,Reg,Lvl,AllPub,Inside,Gtl,Somerst,Norm,Norm,Twnhs,2Story,6,6,\
         2009,2009,Gable,CompShg,MetalSd,MetalSd,None,0,TA,TA,PConc,TA,TA,Av,ALQ,659,Unf,0,227,\
         886,GasA,Fa,Y,SBrkr,881,723,0,1604,1,0,2,1,3,1,TA,7,Typ,1,TA,Attchd,2009,Fin,1,308,TA,\
         TA,Y,0,0,0,0,0,0,NA,NA,NA,0,11,2009,New,Partial,200574"
    );
}

#[test]
fn row_n_does_not_depend_on_row_count_or_style() {
    let short = generate(&GeneratorConfig::train(50, 9));
    let long = generate(&GeneratorConfig::train(80, 9));
    assert!(long.starts_with(&short));

    let train = Table::parse(&long);
    let undistorted = GeneratorConfig {
        unseen_label_rate: 0.0,
        test_style_missing_rate: 0.0,
        ..GeneratorConfig::test(80, 9)
    };
    let test = Table::parse(&generate(&undistorted));
    for (tr, te) in train.rows.iter().zip(&test.rows) {
        assert_eq!(&tr[..80], &te[..]);
    }
    let houses: Vec<_> = Generator::new(&GeneratorConfig::train(80, 9)).collect();
    assert_eq!(houses.len(), 80);
    let prices: Vec<String> = houses.iter().map(|h| h.sale_price.to_string()).collect();
    assert_eq!(train.column("SalePrice"), prices);
}

#[test]
fn first_id_offsets_ids_only() {
    let a = Table::parse(&generate(&GeneratorConfig::train(10, 3)));
    let b = Table::parse(&generate(&GeneratorConfig {
        first_id: 1461,
        ..GeneratorConfig::train(10, 3)
    }));
    assert_eq!(b.column("Id")[0], "1461");
    assert_eq!(
        a.rows.iter().map(|r| &r[1..]).collect::<Vec<_>>(),
        b.rows.iter().map(|r| &r[1..]).collect::<Vec<_>>()
    );
}

#[test]
fn invalid_configs_are_rejected() {
    let bad = [
        GeneratorConfig {
            unseen_label_rate: 1.5,
            ..GeneratorConfig::test(1, 0)
        },
        GeneratorConfig {
            test_style_missing_rate: f64::NAN,
            ..GeneratorConfig::test(1, 0)
        },
        GeneratorConfig {
            first_id: u64::MAX,
            ..GeneratorConfig::train(2, 0)
        },
    ];
    for config in bad {
        assert!(write_csv(&config, Vec::new()).is_err(), "{config:?}");
    }
    assert_eq!(
        generate(&GeneratorConfig::train(0, 0)),
        format!("{}\n", HEADER.join(",")).into_bytes()
    );
}
