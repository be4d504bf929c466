//! The checked value types of [`super::Settings`]: each is built only by its
//! `parse`, so a value that travels is a value that was accepted.

use std::time::Duration;

/// The share of prediction requests whose input is logged: a number in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputSample(f64);

impl InputSample {
    /// Every request's input is logged.
    pub const EVERY: InputSample = InputSample(1.0);

    /// One request in a hundred (the default): enough to see what clients
    /// send, and about 15 bytes a request on average for a one-record body
    /// instead of 1.5 KB.
    pub const DEFAULT: InputSample = InputSample(0.01);

    /// # Errors
    /// A message when `share` is not a number between 0 and 1.
    pub fn parse(share: f64) -> Result<InputSample, String> {
        if (0.0..=1.0).contains(&share) {
            Ok(InputSample(share))
        } else {
            Err(format!("{share} is not a share between 0 and 1"))
        }
    }

    pub fn share(self) -> f64 {
        self.0
    }
}

/// How much of a request an error response may quote back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorDetail {
    /// Unknown field names, escaped and clipped to 64 characters, help a
    /// client find its typo.
    Full,
    /// No request bytes in any response: unknown fields are only counted.
    Redacted,
}

impl ErrorDetail {
    /// # Errors
    /// A message when `value` is neither `full` nor `redacted`.
    pub fn parse(value: &str) -> Result<ErrorDetail, String> {
        match value {
            "full" => Ok(ErrorDetail::Full),
            "redacted" => Ok(ErrorDetail::Redacted),
            _ => Err("it is neither `full` nor `redacted`".into()),
        }
    }
}

/// The bearer token that unlocks `POST /admin/reload`.
///
/// Its `Debug` output hides the value, so settings can be logged, and
/// [`AdminToken::matches`] compares in constant time, so the answer time
/// does not tell how much of a guess was right.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminToken(String);

impl AdminToken {
    /// Shortest token accepted: 16 characters (about 96 bits when random).
    pub const MIN_CHARS: usize = 16;

    /// # Errors
    /// A message (without the value) when the token is shorter than
    /// [`AdminToken::MIN_CHARS`] or holds anything but visible ASCII.
    pub fn parse(token: &str) -> Result<AdminToken, String> {
        if token.len() < Self::MIN_CHARS {
            return Err(format!(
                "the token has {} characters, fewer than {}",
                token.len(),
                Self::MIN_CHARS
            ));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("the token holds spaces, control or non-ASCII characters".into());
        }
        Ok(AdminToken(token.to_owned()))
    }

    /// Whether `presented` is this token, compared in constant time.
    pub fn matches(&self, presented: &[u8]) -> bool {
        let expected = self.0.as_bytes();
        let mut difference = expected.len() ^ presented.len();
        for (i, byte) in expected.iter().enumerate() {
            difference |= usize::from(byte ^ presented.get(i).copied().unwrap_or(0));
        }
        difference == 0
    }
}

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(<hidden>)")
    }
}

/// A number of seconds (decimals allowed) within `low..=high`.
///
/// # Errors
/// A message when `value` is not such a number.
pub fn seconds(value: &str, low: f64, high: f64) -> Result<Duration, String> {
    let n: f64 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a number of seconds"))?;
    if !(low..=high).contains(&n) {
        return Err(format!("{n} is out of range"));
    }
    Ok(Duration::from_secs_f64(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_itself_only() {
        let token = AdminToken::parse("0123456789abcdef").unwrap();
        assert!(token.matches(b"0123456789abcdef"));
        assert!(!token.matches(b"0123456789abcdeg"));
        assert!(!token.matches(b"0123456789abcdef0"));
        assert!(!token.matches(b"0123456789abcde"));
        assert!(!token.matches(b""));
    }

    #[test]
    fn short_or_spaced_tokens_are_refused_and_never_printed() {
        assert!(AdminToken::parse("short").is_err());
        assert!(AdminToken::parse("0123456789 abcdef").is_err());
        let token = AdminToken::parse("secret-secret-secret").unwrap();
        assert!(!format!("{token:?}").contains("secret"));
    }

    #[test]
    fn seconds_accept_decimals_within_the_range() {
        assert_eq!(seconds("0.5", 0.1, 10.0), Ok(Duration::from_millis(500)));
        assert!(seconds("0", 0.1, 10.0).is_err());
        assert!(seconds("soon", 0.1, 10.0).is_err());
        assert!(seconds("NaN", 0.1, 10.0).is_err());
    }
}
