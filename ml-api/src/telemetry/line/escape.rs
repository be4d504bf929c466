//! The escaping half of a log line: which characters a client must not be
//! able to put in a log verbatim (controls, separators, bidirectional
//! overrides), their visible escapes, and the fast check that a line needs
//! none. Bounding and cutting the line is the parent module's.

use std::io::Write;

/// Whether every byte is printable ASCII (space to `~`). Folded without
/// an early exit inside each 32-byte block, so the compiler checks a block
/// at a time: a byte-by-byte `all` was most of a short line's cost.
pub(super) fn printable_ascii(bytes: &[u8]) -> bool {
    bytes.chunks(32).all(|block| {
        block
            .iter()
            .fold(true, |ok, b| ok & (b.wrapping_sub(0x20) < 0x5f))
    })
}

/// Escapes into `out` until the next unit would pass `keep` bytes.
pub(super) struct Escaper<'a> {
    pub(super) out: &'a mut Vec<u8>,
    pub(super) keep: usize,
    /// Set once a unit did not fit: nothing more is appended.
    pub(super) full: bool,
}

impl Escaper<'_> {
    /// Appends one escape or character, or marks the line cut when it
    /// would not fit: units are never split.
    pub(super) fn push(&mut self, unit: &[u8]) {
        if self.full || self.out.len() + unit.len() > self.keep {
            self.full = true;
            return;
        }
        self.out.extend_from_slice(unit);
    }

    /// Appends printable ASCII (one byte per character), as much as fits.
    fn push_plain(&mut self, run: &[u8]) {
        if self.full {
            return;
        }
        let room = self.keep.saturating_sub(self.out.len());
        if run.len() <= room {
            self.out.extend_from_slice(run);
        } else {
            self.out.extend_from_slice(&run[..room]);
            self.full = true;
        }
    }

    fn push_char(&mut self, c: char) {
        if needs_escape(c) {
            let mut escape = [0u8; 12];
            let mut cursor = std::io::Cursor::new(&mut escape[..]);
            let _ = match c {
                '\n' => write!(cursor, "\\n"),
                '\r' => write!(cursor, "\\r"),
                '\t' => write!(cursor, "\\t"),
                c if c.is_ascii() => write!(cursor, "\\x{:02x}", u32::from(c)),
                c => write!(cursor, "\\u{{{:x}}}", u32::from(c)),
            };
            let len = cursor.position() as usize;
            self.push(&escape[..len]);
        } else {
            let mut utf8 = [0u8; 4];
            self.push(c.encode_utf8(&mut utf8).as_bytes());
        }
    }

    pub(super) fn push_str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() && !self.full {
            let plain = bytes[start..]
                .iter()
                .position(|b| b.wrapping_sub(0x20) >= 0x5f)
                .map_or(bytes.len(), |n| start + n);
            self.push_plain(&bytes[start..plain]);
            if plain == bytes.len() {
                return;
            }
            // `plain` is a character boundary: everything before it is ASCII.
            let c = text[plain..].chars().next().unwrap_or('\u{fffd}');
            self.push_char(c);
            start = plain + c.len_utf8();
        }
    }
}

/// Characters that could start a new line, move the cursor or hide text
/// in a terminal or log viewer.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' // line and paragraph separators
                | '\u{061c}' | '\u{200e}' | '\u{200f}' // bidirectional marks
                | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' // embeddings, overrides, isolates
        )
}
