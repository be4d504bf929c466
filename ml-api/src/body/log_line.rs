//! A request body as the text of one log line, written straight into the
//! logger's line: line breaks escaped (`\n`, `\r`), each byte that is not
//! UTF-8 written as `\xff` (as the log writer escapes them, and as the
//! README promises: the audit trail keeps which bytes were sent, where
//! U+FFFD made every invalid sequence, and a U+FFFD the client sent, look
//! the same), the raw tensor bytes of the OIP binary extension counted,
//! not written.
//!
//! It is a `Display` rather than a `String` because the log writer keeps only
//! the first `LOG_MAX_LINE_BYTES` of a line and counts the rest
//! ([`crate::telemetry::line`]): building the whole text first cost three
//! copies of the body (the lossy conversion and two replacements), about
//! 11 instructions a byte on the worker's event loop (1.6 million for a
//! 140 KB batch), for a line then cut at 16 KiB. Written piece by piece,
//! the part past the limit costs a UTF-8 check and a search for line
//! breaks, and the line (cut marker and size included) is byte for byte
//! what copies would make (the tests' oracle).

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
            Err(_) => {
                for chunk in self.text.utf8_chunks() {
                    escape_breaks(f, chunk.valid())?;
                    for byte in chunk.invalid() {
                        write!(f, "\\x{byte:02x}")?;
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

    /// The line built by copies, a byte at a time: the oracle.
    fn copied(text: &[u8]) -> String {
        let mut line = String::new();
        for chunk in text.utf8_chunks() {
            line.push_str(&chunk.valid().replace('\r', "\\r").replace('\n', "\\n"));
            for byte in chunk.invalid() {
                line.push_str(&format!("\\x{byte:02x}"));
            }
        }
        line
    }

    #[test]
    fn each_byte_that_is_not_utf8_is_written_as_a_hex_escape() {
        let text = b"a\xffb\xc3\n\xe2\x82c\r\xf0\x9f\x98\x80";
        let line = LogLine { text, binary: 0 }.to_string();
        assert_eq!(line, copied(text));
        assert_eq!(line, "a\\xffb\\xc3\\n\\xe2\\x82c\\r\u{1f600}");
    }

    proptest::proptest! {
        #[test]
        fn the_line_is_the_text_with_its_breaks_and_invalid_bytes_escaped(
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
