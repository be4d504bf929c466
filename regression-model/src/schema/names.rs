//! A [`Column`] is written as its Kaggle name (in JSON answers, in the
//! artifact): readable, and stable whatever order the enum has.

use serde::de::{self, Deserialize, Deserializer};
use serde::{Serialize, Serializer};

use super::Column;

impl Serialize for Column {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Column {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Column, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Column::from_name(&name).ok_or_else(|| {
            de::Error::custom("not a column of the house-prices data (a Kaggle name expected)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_written_and_read_as_its_kaggle_name() {
        let json = serde_json::to_string(&[Column::FirstFlrSf, Column::Functional]).unwrap();
        assert_eq!(json, r#"["1stFlrSF","Functional"]"#);
        let back: Vec<Column> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [Column::FirstFlrSf, Column::Functional]);
        let bytes = postcard::to_stdvec(&Column::GrLivArea).unwrap();
        assert_eq!(
            postcard::from_bytes::<Column>(&bytes).unwrap(),
            Column::GrLivArea
        );
        assert!(serde_json::from_str::<Column>(r#""Garage""#).is_err());
    }
}
