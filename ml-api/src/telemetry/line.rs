//! One log line with a bounded size and no control characters: whatever a
//! record's message holds (a request body, a client's field name), the line
//! that reaches the sink is one line of at most `LOG_MAX_LINE_BYTES` bytes.
//! Both rules live here, in the writer every record is formatted into, so
//! no call site has to remember them.
//!
//! Escapes: `\n`, `\r`, `\t`, other ASCII controls and DEL as `\x1b`, C1
//! controls, line and paragraph separators and bidirectional overrides as
//! `\u{202e}`, bytes that are not UTF-8 as `\xff`. A backslash is left as
//! it is (JSON bodies stay readable), so an escape is a hint, not a proof:
//! what matters is that a client cannot start a line of its own or hide
//! text from the reader of the log.

use std::io::Write;

mod escape;

use escape::{Escaper, printable_ascii};

/// Appended to a line that was cut, before the size and the newline.
const MARKER_START: &str = " … [cut: ";
const MARKER_END: &str = " bytes]";

/// Room kept for the marker of a cut line: its text, the largest size it
/// can name (20 digits) and the newline.
pub const MARKER_RESERVE: usize = MARKER_START.len() + 20 + MARKER_END.len() + 1;

/// Smallest line limit accepted: the marker plus room for the timestamp,
/// level, target and the start of the message.
pub const MIN_LINE_BYTES: usize = 1024;

/// The two buffers a line is made in, reused from line to line: the
/// record formatted as it comes (at most the limit kept), and, when it needs
/// escaping or cutting, the line as written. Neither grows past the limit.
///
/// ```
/// use std::io::Write;
/// use ml_api::telemetry::line::LineBuffers;
///
/// let mut buffers = LineBuffers::default();
/// let line = buffers.line(1024, |w| write!(w, "input=a\nb\x1b[31m")).unwrap();
/// assert_eq!(line, b"input=a\\nb\\x1b[31m\n");
/// ```
#[derive(Debug, Default)]
pub struct LineBuffers {
    raw: Vec<u8>,
    escaped: Vec<u8>,
}

impl LineBuffers {
    /// Formats one line with `format` and returns it, escaped, at most
    /// `max_bytes` long (raised to [`MIN_LINE_BYTES`] if lower), ending in
    /// its one newline.
    ///
    /// # Errors
    /// The error of `format`.
    pub fn line(
        &mut self,
        max_bytes: usize,
        format: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<&[u8]> {
        let max = max_bytes.max(MIN_LINE_BYTES);
        let keep = max - MARKER_RESERVE;
        self.raw.clear();
        let mut capture = Capture {
            buf: &mut self.raw,
            cap: max,
            original: 0,
        };
        format(&mut capture)?;
        let original = capture.original;
        // The common line, printable ASCII that fits, is used as it is.
        if original <= keep as u64 && printable_ascii(&self.raw) {
            self.raw.push(b'\n');
            return Ok(&self.raw);
        }
        self.escaped.clear();
        let mut line = Escaper {
            out: &mut self.escaped,
            keep,
            full: false,
        };
        for chunk in self.raw.utf8_chunks() {
            line.push_str(chunk.valid());
            for byte in chunk.invalid() {
                let mut escape = [0u8; 4];
                let _ = write!(&mut escape[..], "\\x{byte:02x}");
                line.push(&escape);
            }
        }
        if line.full || original > self.raw.len() as u64 {
            let _ = write!(self.escaped, "{MARKER_START}{original}{MARKER_END}");
        }
        self.escaped.push(b'\n');
        Ok(&self.escaped)
    }
}

/// Keeps the first `cap` bytes given and counts them all: past the limit,
/// formatting the rest of an 8 MiB message costs a length, not a copy.
struct Capture<'a> {
    buf: &'a mut Vec<u8>,
    cap: usize,
    original: u64,
}

impl Write for Capture<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.original += bytes.len() as u64;
        let room = self.cap.saturating_sub(self.buf.len());
        self.buf.extend_from_slice(&bytes[..room.min(bytes.len())]);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(max: usize, text: &[u8]) -> Vec<u8> {
        let mut buffers = LineBuffers::default();
        let line = buffers.line(max, |w| w.write_all(text)).unwrap();
        line.to_vec()
    }

    #[test]
    fn a_short_line_is_kept_whole_with_one_newline() {
        assert_eq!(line(1024, b"GET /health -> 200"), b"GET /health -> 200\n");
    }

    #[test]
    fn every_control_character_is_escaped() {
        let all: String = (0u8..0x20).chain([0x7f]).map(char::from).collect();
        let out = String::from_utf8(line(4096, all.as_bytes())).unwrap();
        assert_eq!(out.matches('\n').count(), 1);
        assert!(!out[..out.len() - 1].chars().any(char::is_control), "{out}");
        assert!(out.starts_with("\\x00\\x01"), "{out}");
        assert!(out.contains("\\t\\n\\x0b\\x0c\\r"), "{out}");
        assert!(
            out.contains("\\x1b") && out.ends_with("\\x1f\\x7f\n"),
            "{out}"
        );
    }

    #[test]
    fn unicode_controls_separators_and_bidi_overrides_are_escaped() {
        let out = line(1024, "a\u{85}b\u{2028}c\u{202e}d é".as_bytes());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\u{85}b\\u{2028}c\\u{202e}d é\n"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_escaped() {
        assert_eq!(line(1024, b"a\xffb\xc3"), b"a\\xffb\\xc3\n");
    }

    #[test]
    fn a_long_line_is_cut_at_the_limit_and_marked_with_its_original_size() {
        let text = "x".repeat(812_345);
        let out = String::from_utf8(line(16 * 1024, text.as_bytes())).unwrap();
        assert!(out.len() <= 16 * 1024, "{}", out.len());
        assert!(out.len() > 16 * 1024 - MARKER_RESERVE, "{}", out.len());
        assert!(out.ends_with("x … [cut: 812345 bytes]\n"), "{out}");
        assert_eq!(out.matches('\n').count(), 1);
    }

    #[test]
    fn a_cut_never_splits_a_character_or_an_escape() {
        for text in ["é".repeat(2000), "\u{1b}".repeat(2000)] {
            let out = line(1024, text.as_bytes());
            assert!(out.len() <= 1024);
            let out = String::from_utf8(out).expect("whole characters");
            let kept = out.split(" … [cut: ").next().unwrap();
            assert!(kept.len() > 1024 - MARKER_RESERVE - 4, "{}", kept.len());
            assert!(kept.ends_with('é') || kept.ends_with("\\x1b"), "{kept}");
        }
    }

    #[test]
    fn after_an_escape_that_does_not_fit_nothing_more_is_kept() {
        let keep = 1024 - MARKER_RESERVE;
        let text = format!("{}\u{1b}yyyy", "x".repeat(keep - 2));
        let out = String::from_utf8(line(1024, text.as_bytes())).unwrap();
        assert_eq!(
            out,
            format!("{} … [cut: {} bytes]\n", "x".repeat(keep - 2), keep + 3)
        );
    }

    #[test]
    fn printable_lines_up_to_the_kept_length_are_whole_and_longer_ones_cut() {
        let keep = 1024 - MARKER_RESERVE;
        assert_eq!(line(1024, &vec![b'z'; keep]).len(), keep + 1);
        let out = line(1024, &vec![b'z'; keep + 1]);
        assert!(out.ends_with(format!(" [cut: {} bytes]\n", keep + 1).as_bytes()));
    }

    #[test]
    fn a_line_that_escapes_past_the_limit_is_cut_too() {
        let out = line(1024, &[0u8; 1000]);
        assert!(out.len() <= 1024, "{}", out.len());
        assert!(out.ends_with(b" [cut: 1000 bytes]\n"));
    }

    #[test]
    fn a_limit_below_the_minimum_is_raised_to_it() {
        let out = line(10, &[b'y'; 5000]);
        assert!(out.len() <= MIN_LINE_BYTES && out.len() > MIN_LINE_BYTES - MARKER_RESERVE);
    }
}
