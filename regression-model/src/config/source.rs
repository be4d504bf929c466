//! Config text from files and its TOML errors, both bounded: a path that
//! names something else entirely (`/dev/zero`, a data file) is refused after
//! a megabyte, and an error names the line and column instead of echoing
//! the line, which can be as long as the file.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest config file read; ours take a few KB.
pub(crate) const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The longest error message about a config: room for every message this
/// crate writes, while a value the message quotes (a 20 MB `target`) is cut.
const MAX_MESSAGE_CHARS: usize = 600;

/// Reads a config file of at most [`MAX_CONFIG_BYTES`] as UTF-8 text.
pub(crate) fn read_config_text(path: &Path) -> Result<String> {
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("longer than {MAX_CONFIG_BYTES} bytes, which no config is"),
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// A TOML syntax or shape error as `line L, column C: message`.
pub(crate) fn toml_error(origin: &str, text: &str, error: &toml::de::Error) -> Error {
    let message = match error.span() {
        Some(span) => {
            let before = &text.as_bytes()[..span.start.min(text.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            format!("line {line}, column {column}: {}", error.message())
        }
        None => error.message().to_owned(),
    };
    config_error(origin, message)
}

/// An [`Error::Config`], its origin and message each cut to
/// [`MAX_MESSAGE_CHARS`].
pub(crate) fn config_error(origin: &str, message: String) -> Error {
    Error::Config {
        origin: cut(origin.to_owned()),
        message: cut(message),
    }
}

/// `text`, or its first [`MAX_MESSAGE_CHARS`] characters and how long it was.
fn cut(text: String) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((at, _)) => format!("{}… ({} bytes in all)", &text[..at], text.len()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use crate::PipelineConfig;

    #[test]
    fn a_syntax_error_on_a_huge_line_names_line_and_column_without_echoing_it() {
        let text = format!("name = \"x\"\ntarget = {}\n", "9".repeat(1 << 20));
        let message = PipelineConfig::from_toml(&text, "huge.toml")
            .unwrap_err()
            .to_string();
        assert!(message.len() < 1_000, "{} bytes", message.len());
        assert!(
            message.contains("huge.toml") && message.contains("line 2, column 10"),
            "{message}"
        );
    }

    #[test]
    fn a_message_quoting_a_huge_value_is_cut() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/generation-2.toml"),
        )
        .unwrap()
        .replace(
            "target = \"SalePrice\"",
            &format!("target = \"{}\"", "é".repeat(1 << 20)),
        );
        let message = PipelineConfig::from_toml(&text, "g2.toml")
            .unwrap_err()
            .to_string();
        assert!(message.len() < 2_000, "{} bytes", message.len());
        assert!(message.contains("bytes in all"), "{message}");
    }

    #[test]
    fn a_file_past_the_size_bound_is_refused_after_reading_that_much() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        let line = "# padding\n".repeat(((super::MAX_CONFIG_BYTES / 10) + 1) as usize);
        std::fs::write(&path, line).unwrap();
        for path in [path.as_path(), std::path::Path::new("/dev/zero")] {
            let message = PipelineConfig::from_file(path).unwrap_err().to_string();
            assert!(message.contains("no config is"), "{message}");
        }
    }
}
