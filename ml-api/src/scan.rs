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
mod tests;
