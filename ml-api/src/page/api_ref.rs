//! The API reference, rendered on the server from the same document that
//! `/openapi.json` serves (so it reads without JavaScript and cannot drift
//! from it): one row per path and method, with its responses.

use std::fmt::Write;
use std::sync::OnceLock;

use serde_json::Value;

use super::escape::Esc;

/// The reference's `<section>`; `base` prefixes its links (see
/// [`super::base_href`]).
pub fn render(base: &str) -> String {
    let base = Esc(base);
    let mut html = String::with_capacity(table().len() + 600);
    let _ = write!(
        html,
        concat!(
            r#"<section id="api" aria-labelledby="api-h"><h2 id="api-h">API reference</h2>"#,
            r#"<p>Rendered from <a href="{base}openapi.json">openapi.json</a>, the OpenAPI 3.1 document of this service. "#,
            r#"Prometheus metrics are at <a href="{base}metrics">metrics</a>.</p>"#
        ),
        base = base
    );
    html.push_str(table());
    html.push_str("</section>");
    html
}

/// The table, built once: the document does not change while serving.
fn table() -> &'static str {
    static TABLE: OnceLock<String> = OnceLock::new();
    TABLE.get_or_init(|| build_table(&crate::openapi::document()))
}

fn build_table(document: &Value) -> String {
    let mut html = String::from(concat!(
        r#"<div class="scroll"><table><caption class="sr-only">Routes</caption><thead><tr>"#,
        r#"<th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th><th scope="col">Responses</th>"#,
        "</tr></thead><tbody>"
    ));
    let paths = document["paths"].as_object().into_iter().flatten();
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().into_iter().flatten() {
            let text = |key: &str| operation[key].as_str().unwrap_or_default().to_owned();
            let _ = write!(
                html,
                r#"<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}"#,
                Esc(&method.to_uppercase()),
                Esc(path),
                Esc(&text("summary"))
            );
            let description = text("description");
            if !description.is_empty() {
                let _ = write!(html, r#"<p class="note">{}</p>"#, Esc(&description));
            }
            html.push_str("</td><td><ul class=\"codes\">");
            for (code, response) in operation["responses"].as_object().into_iter().flatten() {
                let description = response["description"].as_str().unwrap_or_default();
                let _ = write!(html, "<li><b>{}</b> {}</li>", Esc(code), Esc(description));
            }
            html.push_str("</ul></td></tr>");
        }
    }
    html.push_str("</tbody></table></div>");
    html
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{build_table, render};

    #[test]
    fn every_documented_route_gets_a_row_with_its_responses() {
        let html = render("");

        assert!(html.contains("<code>POST</code></td><td><code>/v1/predict/regression</code>"));
        assert!(html.contains("<li><b>413</b>"), "{html}");
        assert!(html.contains(r#"<a href="openapi.json">"#), "{html}");
        assert!(html.contains(r#"<a href="metrics">"#), "{html}");
    }

    #[test]
    fn document_text_is_escaped() {
        let document = json!({ "paths": { "/<x>": { "get": {
            "summary": "<script>", "responses": { "200": { "description": "a & b" } }
        }}}});

        let html = build_table(&document);

        assert!(
            html.contains("/&lt;x&gt;") && html.contains("&lt;script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("a &amp; b") && !html.contains("<script>"),
            "{html}"
        );
    }
}
