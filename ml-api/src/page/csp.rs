//! The page's `Content-Security-Policy`: nothing from outside its origin,
//! and only the page's own inline style sheet and script, allowed by their
//! SHA-256 hashes (no `'unsafe-inline'`, no nonce to generate per request:
//! both are the same bytes in every response).

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::{SCRIPT, STYLE};

/// The header's value, computed once.
pub fn policy() -> &'static str {
    static POLICY: OnceLock<String> = OnceLock::new();
    POLICY.get_or_init(|| {
        format!(
            concat!(
                "default-src 'none'; script-src '{}'; style-src '{}'; ",
                // `fetch` to this origin only; the favicon is an empty data: URL
                // (without one the browser asks for /favicon.ico, a 404).
                "connect-src 'self'; img-src data:; ",
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            ),
            source_hash(SCRIPT),
            source_hash(STYLE)
        )
    })
}

/// `sha256-<base64 of the digest>`, as CSP level 2 spells a hash source.
fn source_hash(text: &str) -> String {
    format!("sha256-{}", base64(&Sha256::digest(text.as_bytes())))
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{base64, policy, source_hash};

    #[test]
    fn base64_matches_the_rfc_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64(input.as_bytes()), expected, "{input}");
        }
    }

    #[test]
    fn a_hash_source_is_the_base64_sha256_of_the_text() {
        // `printf 'abc' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            source_hash("abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }

    #[test]
    fn the_policy_allows_no_inline_code_but_the_pages_own() {
        let policy = policy();

        assert!(policy.starts_with("default-src 'none'; script-src 'sha256-"));
        assert!(!policy.contains("unsafe"), "{policy}");
        assert!(policy.contains("connect-src 'self'"), "{policy}");
    }
}
