//! `GET /`: one self-contained HTML page for people. A model card rendered
//! on the server (`card`), a try-it form (`form`) whose script posts to
//! the explain endpoint and draws the price and a waterfall chart, and the
//! API reference (`api_ref`). Style and script are inline and allowed by
//! hash in a strict CSP (`csp`); every URL is relative (or under
//! `X-Forwarded-Prefix`), so the page works behind an ingress that serves
//! it under a path prefix.

mod api_ref;
mod card;
mod chart;
mod csp;
mod escape;
mod form;
mod groups;
mod weights;

use std::fmt::Write;

use crate::configuration::{ErrorSettings, Limits};
use crate::model::LoadedModel;

pub use csp::policy as content_security_policy;

/// The page's style sheet and script, inlined into every page.
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// The explain route; the form falls back to predict where it is missing.
const EXPLAIN_PATH: &str = "/v1/explain/regression";

/// What a page shows.
pub struct PageInput<'a> {
    /// The model being served (`None` while the slot is empty).
    pub model: Option<&'a LoadedModel>,
    pub limits: &'a Limits,
    pub errors: &'a ErrorSettings,
    /// The request's `X-Forwarded-Prefix` header, if any.
    pub forwarded_prefix: Option<&'a str>,
}

/// The whole HTML document.
pub fn render(input: &PageInput<'_>) -> String {
    let base = base_href(input.forwarded_prefix);
    let ranked = input
        .model
        .map(|m| weights::ranked_inputs(&m.model))
        .unwrap_or_default();
    // The form asks for explanations where this build routes them and the
    // model can give them; else it asks for bare prices.
    let routed = crate::openapi::document()["paths"]
        .get(EXPLAIN_PATH)
        .is_some();
    let explain = if routed && input.model.is_some_and(|m| weights::explainable(&m.model)) {
        format!(r#" data-explain="{}""#, &EXPLAIN_PATH[1..])
    } else {
        String::new()
    };
    let mut html = String::with_capacity(96 * 1024);
    let _ = write!(
        html,
        concat!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8">"#,
            r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
            r#"<title>House prices: ml-api</title><link rel="icon" href="data:,">"#,
            "<style>{style}</style></head><body>",
            r##"<a class="skip" href="#try">Skip to the form</a>"##,
            r#"<header><h1>House price model</h1><nav aria-label="Sections">"#,
            r##"<a href="#card">Model card</a> <a href="#try">Try it</a> <a href="#api">API reference</a>"##,
            r#"</nav></header><main id="app" data-base="{base}"{explain}>"#
        ),
        style = STYLE,
        base = escape::Esc(&base),
        explain = explain,
    );
    html.push_str(&card::render(input.model, input.limits, input.errors));
    html.push_str(&form::render(&ranked));
    html.push_str(&api_ref::render(&base));
    let _ = write!(
        html,
        "</main><footer><p>ml-api {}</p></footer><script>{SCRIPT}</script></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    html
}

/// What the page's links and requests are relative to: `""` (the page's
/// own folder, right when it is served at `/` or `/prefix/`), or the
/// ingress's `X-Forwarded-Prefix` plus `/` when that header holds a plain
/// path. Anything else in the header is ignored, never echoed.
fn base_href(forwarded_prefix: Option<&str>) -> String {
    let Some(prefix) = forwarded_prefix.map(|p| p.trim_end_matches('/')) else {
        return String::new();
    };
    let plain = prefix.len() <= 200
        && prefix.starts_with('/')
        && !prefix.contains("//")
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-._~".contains(&b));
    if plain && !prefix.split('/').any(|s| s == "." || s == "..") {
        format!("{prefix}/")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::base_href;

    #[test]
    fn a_plain_forwarded_prefix_becomes_the_base_and_anything_else_is_ignored() {
        assert_eq!(base_href(None), "");
        assert_eq!(base_href(Some("/ml")), "/ml/");
        assert_eq!(base_href(Some("/team/ml-api/")), "/team/ml-api/");
        assert_eq!(base_href(Some("/")), "");
        for bad in [
            "ml",
            "//evil.example",
            "/a/../b",
            "/a\"><script>",
            "/a b",
            "https://x",
        ] {
            assert_eq!(base_href(Some(bad)), "", "{bad}");
        }
    }
}
