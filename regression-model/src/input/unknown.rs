//! Field names outside the schema, met in one batch: each distinct name is
//! one problem of the whole batch, not one per row or cell, so a body of
//! many unknown keys costs a hash per key and a short list, not an error per
//! cell.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

/// Longest name quoted back, in characters after escaping.
pub const NAME_CHARS: usize = 64;

/// Unknown field names of one batch: the first few (escaped, clipped to
/// [`NAME_CHARS`]), and how many distinct ones there were.
#[derive(Debug, Clone, Default)]
pub struct UnknownFields {
    kept: Vec<String>,
    /// Hashes of the names seen; a hash collision can only undercount.
    seen: HashSet<u64, BuildHasherDefault<Prehashed>>,
    hasher: RandomState,
}

impl UnknownFields {
    /// How many names are quoted back; the rest are counted.
    pub const KEPT: usize = 100;

    /// Records `name`, once however often it comes.
    pub fn note(&mut self, name: &str) {
        if self.seen.insert(self.hasher.hash_one(name)) && self.kept.len() < Self::KEPT {
            self.kept.push(escape_clipped(name, NAME_CHARS));
        }
    }

    /// The first distinct names, in the order met, escaped and clipped.
    pub fn names(&self) -> &[String] {
        &self.kept
    }

    /// How many distinct unknown names the batch held.
    pub fn count(&self) -> usize {
        self.seen.len()
    }

    /// Whether the input held no unknown name.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// The set's keys are already hashes (seeded per batch, so a client
/// cannot choose collisions): hashing them again would only cost time.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; fold anything else in, to stay correct.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.kept == other.kept && self.count() == other.count()
    }
}

/// `text` with control and non-ASCII characters escaped (`\u{7}`) and cut
/// to at most `max` characters, the cut marked with `…`.
pub fn escape_clipped(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 8));
    let mut chars = 0;
    for c in text.chars() {
        let escaped: String = if c.is_ascii_graphic() || c == ' ' {
            c.to_string()
        } else {
            c.escape_unicode().to_string()
        };
        let width = escaped.chars().count();
        if chars + width > max {
            out.push('…');
            return out;
        }
        chars += width;
        out.push_str(&escaped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_kept_once_however_often_it_comes() {
        let mut unknown = UnknownFields::default();
        for _ in 0..1000 {
            unknown.note("LotAreaa");
        }
        unknown.note("Colour");
        assert_eq!(unknown.names(), ["LotAreaa", "Colour"]);
        assert_eq!(unknown.count(), 2);
    }

    #[test]
    fn many_names_keep_a_short_list_and_an_exact_count() {
        let mut unknown = UnknownFields::default();
        for i in 0..10_000 {
            unknown.note(&format!("k{i}"));
        }
        assert_eq!(unknown.names().len(), UnknownFields::KEPT);
        assert_eq!(unknown.count(), 10_000);
    }

    #[test]
    fn names_are_escaped_and_clipped() {
        assert_eq!(escape_clipped("a\nb\u{1b}", 64), "a\\u{a}b\\u{1b}");
        let long = "x".repeat(1000);
        let clipped = escape_clipped(&long, NAME_CHARS);
        assert_eq!(clipped.chars().count(), NAME_CHARS + 1);
        assert!(clipped.ends_with('…'));
        // An escape is never cut in half.
        assert_eq!(escape_clipped("ab\u{0}", 5), "ab…");
    }
}
