//! Hash tables keyed by label, for the look-ups prediction makes once per
//! label and row.
//!
//! A label of at most 7 bytes (every label in the Ames data: `NoRidge`,
//! `Partial`, `Missing`...) is packed with its length into a `u64`, so its
//! look-up hashes one integer and compares one integer. Keyed by `String`,
//! a hit also called libc's `memcmp`: those calls were a tenth of
//! generation 4's time on `test.csv`. Longer labels keep a `String` table.

use std::collections::HashMap;

use foldhash::fast::FixedState;

/// A map from labels to `V`. foldhash with a fixed seed: fast on integers
/// and short strings, and no per-process set-up.
#[derive(Debug, Clone)]
pub struct LabelMap<V> {
    short: HashMap<u64, V, FixedState>,
    long: HashMap<String, V, FixedState>,
}

/// A set of labels.
pub type LabelSet = LabelMap<()>;

/// The label's bytes and, in the top byte, its length: distinct labels of
/// up to 7 bytes get distinct keys. `None` for longer labels.
///
/// Built from whole-word loads that may overlap (the overlapping bytes
/// land in the same place twice): copying the bytes into a buffer and
/// reading it back as one word stalled every look-up on the store buffer.
fn short_key(label: &str) -> Option<u64> {
    let bytes = label.as_bytes();
    let len = bytes.len();
    let word = |at: usize| -> u64 {
        let four: [u8; 4] = bytes[at..at + 4].try_into().unwrap_or_default();
        u64::from(u32::from_le_bytes(four)) << (8 * at)
    };
    let byte = |at: usize| u64::from(bytes[at]) << (8 * at);
    let key = match len {
        0 => 0,
        1..=3 => byte(0) | byte(len / 2) | byte(len - 1),
        4..=7 => word(0) | word(len - 4),
        _ => return None,
    };
    Some(key | (len as u64) << 56)
}

impl<V> Default for LabelMap<V> {
    fn default() -> Self {
        LabelMap {
            short: HashMap::default(),
            long: HashMap::default(),
        }
    }
}

impl<V> LabelMap<V> {
    pub fn get(&self, label: &str) -> Option<&V> {
        match short_key(label) {
            Some(key) => self.short.get(&key),
            None => self.long.get(label),
        }
    }

    pub fn insert(&mut self, label: String, value: V) {
        match short_key(&label) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(label, value),
        };
    }
}

impl LabelSet {
    pub fn contains(&self, label: &str) -> bool {
        self.get(label).is_some()
    }
}

impl<V> FromIterator<(String, V)> for LabelMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(pairs: I) -> Self {
        let mut map = LabelMap::default();
        for (label, value) in pairs {
            map.insert(label, value);
        }
        map
    }
}

impl FromIterator<String> for LabelSet {
    fn from_iter<I: IntoIterator<Item = String>>(labels: I) -> Self {
        labels.into_iter().map(|label| (label, ())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_short_and_long_are_found_and_only_they() {
        let labels = [
            "",
            "a",
            "a\0",
            "NoRidge",
            "Partial",
            "8 bytes!",
            "a longer label",
        ];
        let map: LabelMap<usize> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| ((*l).to_owned(), i))
            .collect();
        for (i, label) in labels.iter().enumerate() {
            assert_eq!(map.get(label), Some(&i), "{label:?}");
        }
        for absent in [
            "b",
            "a\0\0",
            "NoRidg",
            "NoRidgE",
            "8 bytes?",
            "a longer labe",
            "\0",
        ] {
            assert_eq!(map.get(absent), None, "{absent:?}");
        }
        let set: LabelSet = ["Gd".to_owned(), "Excellent".to_owned()]
            .into_iter()
            .collect();
        assert!(set.contains("Gd") && set.contains("Excellent"));
        assert!(!set.contains("TA") && !set.contains("Excellen"));
    }

    #[test]
    fn keys_keep_the_length_so_trailing_zero_bytes_differ() {
        assert_ne!(short_key("a"), short_key("a\0"));
        assert_ne!(short_key(""), short_key("\0"));
        assert_eq!(short_key("1234567").map(|k| k >> 56), Some(7));
        assert_eq!(short_key("12345678"), None);
        // Every byte of every length lands in its own place.
        for len in 0..8 {
            let label: String = "abcdefg"[..len].to_owned();
            let mut expected = [0u8; 8];
            expected[..len].copy_from_slice(label.as_bytes());
            expected[7] = len as u8;
            assert_eq!(
                short_key(&label),
                Some(u64::from_le_bytes(expected)),
                "{label:?}"
            );
        }
    }
}
