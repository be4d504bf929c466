//! HTML escaping. Every value the page shows goes through [`Esc`], so a
//! model card value (a config name, a label) can never become markup.

use std::fmt;

/// Writes its text with `& < > " '` replaced by entities: safe in element
/// content and in quoted attribute values.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::Esc;

    #[test]
    fn markup_characters_become_entities_and_the_rest_is_kept() {
        let escaped = Esc(r#"<script>alert("x & 'y'")</script> ü"#).to_string();

        assert_eq!(
            escaped,
            "&lt;script&gt;alert(&quot;x &amp; &#39;y&#39;&quot;)&lt;/script&gt; ü"
        );
    }
}
