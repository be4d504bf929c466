//! The distinct values of a column, each stored once and numbered in the
//! order first seen: a column keeps a four-byte code per cell
//! ([`super::RawColumn`]), and while it is read, an [`Interner`] gives
//! each cell its code.

use std::collections::HashMap;
use std::hash::BuildHasher;

use foldhash::fast::RandomState;

/// Distinct present values in one text buffer: a value costs its bytes
/// and one four-byte offset.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Values {
    text: String,
    /// Where each value ends in `text`.
    ends: Vec<u32>,
}

/// Numbers the values of a column being read.
#[derive(Debug, Default)]
pub(super) struct Interner {
    values: Values,
    /// Built once there are more than [`SCANNED_VALUES`] values.
    index: Option<Box<Index>>,
}

/// Distinct values a cell is looked up among by scanning; past these a
/// hash index is built. Most columns have a few values, and a file of
/// 100,000 columns would otherwise hold 100,000 hash tables.
const SCANNED_VALUES: usize = 8;

/// Codes run below this (`u32::MAX` is a column's missing cell).
const MAX_CODES: u32 = u32::MAX;

impl Values {
    /// The value of `code`.
    pub(super) fn get(&self, code: u32) -> &str {
        let at = code as usize;
        let start = match at {
            0 => 0,
            _ => self.ends[at - 1] as usize,
        };
        &self.text[start..self.ends[at] as usize]
    }

    /// Distinct values.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The values in code order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len() as u32).map(|code| self.get(code))
    }
}

impl Interner {
    /// The code of `text`, added when new; `None` once codes (four
    /// billion) or the buffer's offsets (4 GiB) run out.
    pub(super) fn code_of(&mut self, text: &str) -> Option<u32> {
        let values = &mut self.values;
        let found = match &self.index {
            Some(index) => index.find(text, values),
            None => (0..)
                .zip(values.iter())
                .find(|(_, v)| *v == text)
                .map(|(c, _)| c),
        };
        if found.is_some() {
            return found;
        }
        let code = u32::try_from(values.len())
            .ok()
            .filter(|c| *c < MAX_CODES)?;
        let end = u32::try_from(values.text.len() + text.len()).ok()?;
        values.text.push_str(text);
        values.ends.push(end);
        if let Some(index) = &mut self.index {
            index.insert(text, code);
        } else if values.len() > SCANNED_VALUES {
            let mut index = Index::default();
            for (code, value) in (0..).zip(values.iter()) {
                index.insert(value, code);
            }
            self.index = Some(Box::new(index));
        }
        Some(code)
    }

    /// The values, their buffers no larger than they are.
    pub(super) fn into_values(self) -> Values {
        let mut values = self.values;
        values.text.shrink_to_fit();
        values.ends.shrink_to_fit();
        values
    }
}

/// Finds a value's code by its hash.
#[derive(Debug, Default)]
struct Index {
    /// A 32-bit hash of each value to its code: eight bytes an entry where
    /// a 64-bit hash took sixteen. Two values of one hash are rare (about
    /// 100 in a million values) and go to `collided`.
    by_hash: HashMap<u32, u32, RandomState>,
    /// Values whose hash an earlier, different value already had.
    collided: HashMap<String, u32>,
    hashes: RandomState,
}

impl Index {
    fn hash(&self, text: &str) -> u32 {
        // The low half of a 64-bit hash, which is as well mixed.
        self.hashes.hash_one(text) as u32
    }

    fn find(&self, text: &str, values: &Values) -> Option<u32> {
        match self.by_hash.get(&self.hash(text)) {
            Some(&code) if values.get(code) == text => Some(code),
            Some(_) => self.collided.get(text).copied(),
            None => None,
        }
    }

    /// Notes a value [`Index::find`] did not find.
    fn insert(&mut self, text: &str, code: u32) {
        let hash = self.hash(text);
        if let std::collections::hash_map::Entry::Vacant(entry) = self.by_hash.entry(hash) {
            entry.insert(code);
        } else {
            self.collided.insert(text.to_owned(), code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_gets_one_code_and_many_values_are_found_through_the_index() {
        let mut interner = Interner::default();
        let texts: Vec<String> = (0..1_000).map(|i| format!("v{}", i % 300)).collect();
        let codes: Vec<u32> = texts.iter().map(|t| interner.code_of(t).unwrap()).collect();
        assert!(interner.index.is_some());
        assert_eq!((codes[0], codes[300], codes[299]), (0, 0, 299));
        let values = interner.into_values();
        assert_eq!((values.len(), values.get(299)), (300, "v299"));
    }

    #[test]
    fn a_few_values_are_scanned_without_an_index() {
        let mut interner = Interner::default();
        for text in ["b", "a", "b", "c"] {
            interner.code_of(text).unwrap();
        }
        assert!(interner.index.is_none());
        let values = interner.into_values();
        assert_eq!(values.iter().collect::<Vec<_>>(), ["b", "a", "c"]);
        assert_eq!(values.text, "bac");
    }

    #[test]
    fn a_value_whose_hash_another_value_has_gets_its_own_code() {
        let mut interner = Interner::default();
        for v in ["a", "b"] {
            interner.code_of(v).unwrap();
        }
        let values = interner.into_values();
        let mut index = Index::default();
        index.insert("a", 0);
        // As if "b" hashed like "a".
        index.by_hash.insert(index.hash("b"), 0);
        assert_eq!(index.find("b", &values), None);
        index.insert("b", 1);
        assert_eq!(index.find("b", &values), Some(1));
        assert_eq!(index.find("a", &values), Some(0));
    }
}
