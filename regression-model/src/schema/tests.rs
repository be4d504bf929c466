//! The input schema: columns, kinds, order and validation.

use super::*;

#[test]
fn the_schema_has_the_79_kaggle_inputs_in_file_order() {
    assert_eq!(Column::ALL.len(), 79);
    assert_eq!(Column::ALL[0].name(), "MSSubClass");
    assert_eq!(Column::ALL[78].name(), "SaleCondition");
}

#[test]
fn names_and_course_aliases_resolve_to_the_same_column() {
    for (kaggle, alias) in [
        ("1stFlrSF", "FirstFlrSF"),
        ("2ndFlrSF", "SecondFlrSF"),
        ("3SsnPorch", "ThreeSsnPortch"),
    ] {
        let column = Column::from_name(kaggle).unwrap();
        assert_eq!(Column::from_name(alias), Some(column));
        assert_eq!(column.alias(), Some(alias));
    }
    assert_eq!(Column::from_name("NoSuchColumn"), None);
}

#[test]
fn every_column_is_reachable_through_get_and_the_mut_accessors() {
    let mut record = HouseRecord::default();
    for &column in Column::ALL {
        assert_eq!(Column::from_name(column.name()), Some(column));
        match column.kind() {
            ColumnKind::Numeric => {
                *record.number_mut(column).unwrap() = Some(1.0);
                assert!(record.label_mut(column).is_none());
                assert_eq!(record.get(column), CellRef::Number(Some(1.0)));
            }
            ColumnKind::Categorical => {
                *record.label_mut(column).unwrap() = Some("x".into());
                assert!(record.number_mut(column).is_none());
                assert_eq!(record.get(column), CellRef::Label(Some("x")));
            }
        }
    }
}

#[test]
fn mssubclass_is_a_categorical_code() {
    assert_eq!(Column::MsSubClass.kind(), ColumnKind::Categorical);
    assert_eq!(Column::GrLivArea.kind(), ColumnKind::Numeric);
}
