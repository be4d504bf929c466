//! A request body as the text of one log line, written straight into the
//! logger's line: line breaks escaped (`\n`, `\r`), invalid UTF-8 replaced
//! by U+FFFD, the raw tensor bytes of the OIP binary extension counted, not
//! written.
//!
//! It is a `Display` rather than a `String` because the log writer keeps only
//! the first `LOG_MAX_LINE_BYTES` of a line and counts the rest
//! ([`crate::telemetry::line`]): building the whole text first cost three
//! copies of the body (the lossy conversion and two replacements), about
//! 11 instructions a byte on the worker's event loop (1.6 million for a
//! 140 KB batch), for a line then cut at 16 KiB. Written piece by piece,
//! the part past the limit costs a UTF-8 check and a search for line
//! breaks, and the line (cut marker and size included) is byte for byte
//! what the copies made.

use std::fmt;

/// See the module documentation; made by [`super::Body::as_log_line`].
#[derive(Debug, Clone, Copy)]
pub struct LogLine<'a> {
    pub(super) text: &'a [u8],
    /// Bytes after `text` that are counted, not written (0: none).
    pub(super) binary: usize,
}

impl fmt::Display for LogLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(self.text) {
            Ok(text) => escape_breaks(f, text)?,
            // What `String::from_utf8_lossy` does: each invalid sequence
            // becomes one replacement character.
            Err(_) => {
                for chunk in self.text.utf8_chunks() {
                    escape_breaks(f, chunk.valid())?;
                    if !chunk.invalid().is_empty() {
                        f.write_str(char::REPLACEMENT_CHARACTER.encode_utf8(&mut [0; 4]))?;
                    }
                }
            }
        }
        if self.binary > 0 {
            write!(f, " <{} bytes of binary tensor data>", self.binary)?;
        }
        Ok(())
    }
}

/// Writes `text` with each `\r` and `\n` as the two characters `\r`, `\n`.
fn escape_breaks(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let mut from = 0;
    for at in memchr::memchr2_iter(b'\r', b'\n', text.as_bytes()) {
        // Both are ASCII, so `at` is a character boundary.
        f.write_str(&text[from..at])?;
        f.write_str(if text.as_bytes()[at] == b'\r' {
            "\\r"
        } else {
            "\\n"
        })?;
        from = at + 1;
    }
    f.write_str(&text[from..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text the line replaced, built the old way: the oracle.
    fn copied(text: &[u8]) -> String {
        String::from_utf8_lossy(text)
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    }

    #[test]
    fn invalid_utf8_is_replaced_as_a_lossy_conversion_does() {
        let text = b"a\xffb\xc3\n\xe2\x82c\r\xf0\x9f\x98\x80";
        let line = LogLine { text, binary: 0 }.to_string();
        assert_eq!(line, copied(text));
        assert_eq!(line, "a\u{fffd}b\u{fffd}\\n\u{fffd}c\\r\u{1f600}");
    }

    proptest::proptest! {
        #[test]
        fn the_line_is_the_lossy_text_with_its_breaks_escaped(
            text in proptest::collection::vec(
                proptest::sample::select(b"ab{\"\r\n\\\xff\xc3\xa9\xe2\x82\xac".to_vec()),
                0..64,
            ),
        ) {
            let line = LogLine { text: &text, binary: 0 }.to_string();
            proptest::prop_assert_eq!(line, copied(&text));
        }
    }
}
