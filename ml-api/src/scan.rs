//! One linear pass over a body before it is parsed, so that the parsers
//! only ever see input whose size of work is known: how deep JSON nests
//! and how many records a body holds. A parser that builds one row per
//! record would otherwise allocate a row (about 2 KB) for each `{},` (3
//! bytes) of a body before the row limit could refuse it.

use crate::error::Error;

/// What the pass found in a JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonShape {
    /// Elements of the top-level list, or `None` when the top level is
    /// not a list (one record, or not JSON at all).
    pub top_level_elements: Option<usize>,
}

/// Checks the nesting depth of a JSON text and counts the elements of its
/// top-level list, without parsing it. serde_json limits the depth of what
/// it builds, but skips ignored values without a limit, so a list of 100 000
/// nested lists would otherwise pass as one odd row.
///
/// # Errors
/// [`Error::MalformedJson`] past `max_depth` levels.
pub fn json(bytes: &[u8], max_depth: usize) -> Result<JsonShape, Error> {
    let mut shape = Counts::default();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        // Sixteen bytes at once while they hold no backslash and nothing
        // waits for the first element.
        #[cfg(target_arch = "x86_64")]
        if shape.top_is_list.is_some() && !shape.awaits_element() {
            let from = at;
            while !shape.awaits_element()
                && let Some(block) = bytes.get(at..at + wide::BLOCK)
                && let Ok(block) = <&[u8; wide::BLOCK]>::try_from(block)
                && let Some(used) = wide::block(block, &mut shape, max_depth)?
            {
                at += used;
            }
            if shape.in_string {
                // The blocks ended inside a string: on to its end.
                shape.in_string = false;
                at = string_end(bytes, at);
            }
            if at != from {
                continue;
            }
        }
        at += 1;
        if shape.in_top_list() {
            match byte {
                b',' => shape.commas += 1,
                b']' | b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => shape.any_element = true,
            }
        }
        match byte {
            // Most of a body is text (keys and labels): jump from quote to
            // quote instead of looking at every byte.
            b'"' => at = string_end(bytes, at),
            b'[' | b'{' => shape.open(byte, max_depth)?,
            b']' | b'}' => shape.depth = shape.depth.saturating_sub(1),
            _ => {}
        }
        // The rest (numbers, `null`, `:`, blanks, and commas inside a
        // record) changes nothing counted here once the first element is
        // seen: one table look-up a byte instead of the two matches.
        if !shape.awaits_element() {
            let plain = if shape.in_top_list() {
                &PLAIN
            } else {
                &PLAIN_NESTED
            };
            while bytes.get(at).is_some_and(|&b| plain[usize::from(b)]) {
                at += 1;
            }
        }
    }
    let top_level_elements = match shape.top_is_list {
        Some(true) => Some(if shape.any_element {
            shape.commas + 1
        } else {
            0
        }),
        _ => None,
    };
    Ok(JsonShape { top_level_elements })
}

/// What [`json`] has counted so far.
#[derive(Debug, Default)]
struct Counts {
    depth: usize,
    top_is_list: Option<bool>,
    /// Commas of the top-level list.
    commas: usize,
    /// Whether the top-level list has an element.
    any_element: bool,
    /// Whether the last block ended inside a string (the wide scan only).
    in_string: bool,
}

impl Counts {
    fn in_top_list(&self) -> bool {
        self.depth == 1 && self.top_is_list == Some(true)
    }

    /// In the top-level list before its first element: every byte counts.
    fn awaits_element(&self) -> bool {
        self.in_top_list() && !self.any_element
    }

    /// `[` or `{` outside a string.
    fn open(&mut self, byte: u8, max_depth: usize) -> Result<(), Error> {
        if self.depth == 0 && self.top_is_list.is_none() {
            self.top_is_list = Some(byte == b'[');
        }
        self.depth += 1;
        if self.depth > max_depth {
            return Err(Error::MalformedJson(format!(
                "nested deeper than {max_depth} levels"
            )));
        }
        Ok(())
    }
}

#[cfg(target_arch = "x86_64")]
mod wide;

/// Bytes that change nothing [`json`] counts: all but quotes, brackets and braces,
/// and (in the top-level list, where they separate elements) commas.
const PLAIN: [bool; 256] = plain_bytes(b"\"[]{},");
/// [`PLAIN`] deeper down, where a comma separates nothing counted.
const PLAIN_NESTED: [bool; 256] = plain_bytes(b"\"[]{}");

const fn plain_bytes(special: &[u8]) -> [bool; 256] {
    let mut table = [true; 256];
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = false;
        i += 1;
    }
    table
}

/// Where the string whose opening quote ends before `from` ends: just
/// past its closing quote (or the end of the text, if it never closes).
///
/// Looks at eight bytes at a time (labels and keys are short, so a call to
/// a SIMD search costs more than it saves): a word without a quote or a
/// backslash is skipped whole.
fn string_end(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    // High bit set in each byte of `word` that is zero (and maybe in bytes
    // after the first zero one: only the first is used).
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let special = zero_bytes(word ^ QUOTES) | zero_bytes(word ^ BACKSLASHES);
        if special == 0 {
            from += 8;
            continue;
        }
        let at = from + (special.trailing_zeros() / 8) as usize;
        if bytes[at] == b'"' {
            return at + 1;
        }
        from = at + 2; // an escape: skip the character after the backslash
    }
    while let Some(&byte) = bytes.get(from) {
        match byte {
            b'"' => return from + 1,
            b'\\' => from += 2,
            _ => from += 1,
        }
    }
    bytes.len()
}

/// Counts the records of a CSV text the way the `csv` crate reads them:
/// lines that are not empty, where a line break inside a quoted field does
/// not end a record and a quote inside an unquoted field is a plain
/// character. The header line is one of the records.
pub fn csv_records(bytes: &[u8]) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let (mut state, mut records, mut line_has_content) = (State::FieldStart, 0usize, false);
    for &byte in bytes {
        state = match (state, byte) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n') => {
                records += usize::from(line_has_content);
                line_has_content = false;
                State::FieldStart
            }
            (_, b'\r') => state,
            (_, b',') => {
                line_has_content = true;
                State::FieldStart
            }
            (State::FieldStart, b'"') => {
                line_has_content = true;
                State::Quoted
            }
            _ => {
                line_has_content = true;
                State::Unquoted
            }
        };
        if state == State::Quoted {
            line_has_content = true;
        }
    }
    records + usize::from(line_has_content)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str) -> Option<usize> {
        json(text.as_bytes(), 32).unwrap().top_level_elements
    }

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(matches!(
            json(deep.as_bytes(), 32),
            Err(Error::MalformedJson(_))
        ));
        let brackets_in_text = format!(r#"[{{"a": "{}\\\"["}}]"#, "[".repeat(40));
        assert!(json(brackets_in_text.as_bytes(), 32).is_ok());
    }

    #[test]
    fn the_elements_of_the_top_level_list_are_counted() {
        assert_eq!(elements("[]"), Some(0));
        assert_eq!(elements(" [ ] "), Some(0));
        assert_eq!(elements("[{}]"), Some(1));
        assert_eq!(elements(r#"[{"a": [1, 2, 3]}, {"b": "x,y"}, {}]"#), Some(3));
        assert_eq!(elements(r#"{"a": 1, "b": 2}"#), None);
        assert_eq!(elements("42"), None);
    }

    #[test]
    fn a_real_body_is_counted_as_a_byte_by_byte_scan_counts_it() {
        let houses = include_str!("../../fixtures/requests/three-houses.json").trim();
        let records = houses.trim_start_matches('[').trim_end_matches(']');
        let many = format!("[{}]", vec![records; 40].join(",\n"));
        for text in [houses, many.as_str()] {
            let found = json(text.as_bytes(), 32).unwrap().top_level_elements;
            assert_eq!(Some(found), naive(text.as_bytes(), 32));
        }
        assert_eq!(elements(&many), Some(120));
    }

    /// The scan, byte by byte: the oracle for the quote-skipping one.
    fn naive(bytes: &[u8], max_depth: usize) -> Option<Option<usize>> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let (mut top_is_list, mut commas, mut any_element) = (None, 0usize, false);
        for &byte in bytes {
            if in_string {
                match byte {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            if depth == 1 && top_is_list == Some(true) {
                match byte {
                    b',' => commas += 1,
                    b']' | b' ' | b'\t' | b'\n' | b'\r' => {}
                    _ => any_element = true,
                }
            }
            match byte {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    if depth == 0 && top_is_list.is_none() {
                        top_is_list = Some(byte == b'[');
                    }
                    depth += 1;
                    if depth > max_depth {
                        return None;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        Some(match top_is_list {
            Some(true) => Some(if any_element { commas + 1 } else { 0 }),
            _ => None,
        })
    }

    proptest::proptest! {
        #[test]
        fn skipping_strings_finds_what_a_byte_by_byte_scan_finds(
            text in proptest::collection::vec(
                proptest::sample::select(b"[]{}\",\\ aaaaaaax\n:1".to_vec()),
                0..256,
            ),
        ) {
            let fast = json(&text, 4).ok().map(|shape| shape.top_level_elements);
            proptest::prop_assert_eq!(fast, naive(&text, 4));
        }

        /// Without backslashes every block of sixteen bytes takes the wide
        /// path (on x86-64), strings and all.
        #[test]
        fn sixteen_bytes_at_a_time_find_what_a_byte_by_byte_scan_finds(
            text in proptest::collection::vec(
                proptest::sample::select(b"[]{}\",, aaaaaaaaaaaax\n:1".to_vec()),
                0..600,
            ),
            max_depth in 1usize..12,
        ) {
            let fast = json(&text, max_depth).ok().map(|shape| shape.top_level_elements);
            proptest::prop_assert_eq!(fast, naive(&text, max_depth));
        }
    }

    #[test]
    fn csv_records_are_lines_outside_quotes_and_skip_empty_lines() {
        assert_eq!(csv_records(b""), 0);
        assert_eq!(csv_records(b"Id\n1\n2\n"), 3);
        assert_eq!(csv_records(b"Id\n1\n2"), 3);
        assert_eq!(csv_records(b"Id\r\n\r\n1\r\n\n\n2\r\n"), 3);
        assert_eq!(
            csv_records(b"Id,Note\n1,\"two\nlines\"\n2,\"a \"\"quote\"\"\"\n"),
            3
        );
        assert_eq!(csv_records(b"Id,Note\n1,say \"hi\n2,x\n"), 3);
    }

    #[test]
    fn csv_counts_agree_with_the_csv_reader() {
        let text = b"Id,MSZoning\n1,RL\n\n2,\"R\nM\"\n3,a\"b\n4,\"\"\n";
        let parsed = regression_model::read_csv(&text[..]).unwrap();
        assert_eq!(csv_records(text), parsed.rows.len() + 1);
    }
}
