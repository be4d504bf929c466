//! `Content-Encoding` of a request body: only `identity` (or none) is
//! taken. Nothing here decompresses, so a gzip body used to reach the
//! parser as bytes ("not UTF-8 text") and a plain body labelled `br` was
//! served; refusing both names the real problem, and keeps a compressed
//! bomb from ever costing more than its own bytes.

use actix_web::HttpRequest;
use actix_web::http::header::CONTENT_ENCODING;

use crate::error::{Error, clip};

/// Longest header value repeated in the error.
const VALUE_CHARS: usize = 60;

/// # Errors
/// [`Error::UnsupportedContentEncoding`] (415) for any coding but
/// `identity`, in any of the request's `Content-Encoding` headers.
pub fn check(req: &HttpRequest) -> Result<(), Error> {
    for value in req.headers().get_all(CONTENT_ENCODING) {
        let text = String::from_utf8_lossy(value.as_bytes());
        let identity = text
            .split(',')
            .map(str::trim)
            .all(|coding| coding.is_empty() || coding.eq_ignore_ascii_case("identity"));
        if !identity {
            return Err(Error::UnsupportedContentEncoding(clip(&text, VALUE_CHARS)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn with(values: &[&str]) -> Result<(), Error> {
        let mut request = TestRequest::post();
        for value in values {
            request = request.append_header((CONTENT_ENCODING, *value));
        }
        check(&request.to_http_request())
    }

    #[test]
    fn no_coding_or_identity_is_taken() {
        for values in [&[][..], &["identity"], &["Identity, identity"], &[" "]] {
            assert!(with(values).is_ok(), "{values:?}");
        }
    }

    #[test]
    fn any_other_coding_is_refused_naming_it() {
        for (values, named) in [
            (&["gzip"][..], "gzip"),
            (&["br"], "br"),
            (&["identity, deflate"], "identity, deflate"),
            (&["identity", "zstd"], "zstd"),
        ] {
            let Err(Error::UnsupportedContentEncoding(value)) = with(values) else {
                panic!("{values:?} is taken");
            };
            assert_eq!(value, named);
        }
    }
}
