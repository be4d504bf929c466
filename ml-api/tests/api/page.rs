//! `GET /`: the HTML page. Its headers, size, self-containment, prefix
//! handling and escaping; the browser test (`tests/browser`) drives it.

use regression_model::{TrainedModel, VersionPolicy};
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_app, spawn_app_with};

/// The page's budget: one document, everything inline.
const MAX_PAGE_BYTES: usize = 150 * 1024;

async fn page_with_prefix(prefix: Option<&str>) -> (awc::http::header::HeaderMap, String) {
    let app = spawn_app().await;
    let mut request = app.client.get(format!("{}/", app.address));
    if let Some(prefix) = prefix {
        request = request.insert_header(("x-forwarded-prefix", prefix));
    }
    let mut response = request.send().await.expect("GET / is answered");
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    let body = response.body().limit(1 << 20).await.expect("body");
    (headers, String::from_utf8(body.to_vec()).expect("UTF-8"))
}

/// The text between the first `open` and the next `close`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let end = start
        + text[start..]
            .find(close)
            .unwrap_or_else(|| panic!("no {close}"));
    &text[start..end]
}

/// Whether some ` on<letters>=` (an inline event handler) occurs.
fn has_event_handler_attribute(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let rest = html[at + 3..].trim_start_matches(|c: char| c.is_ascii_lowercase());
        rest.len() < html.len() - at - 3 && rest.starts_with('=')
    })
}

fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    // The test's own base64, independent of the server's.
    let mut bits = String::new();
    for byte in digest {
        bits.push_str(&format!("{byte:08b}"));
    }
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bits.as_bytes().chunks(6) {
        let mut six = String::from_utf8(chunk.to_vec()).unwrap();
        while six.len() < 6 {
            six.push('0');
        }
        let index = usize::from_str_radix(&six, 2).unwrap();
        out.push(alphabet.as_bytes()[index] as char);
    }
    format!("'sha256-{out}='")
}

#[actix_web::test]
async fn the_page_is_one_html_document_under_150_kb_with_a_strict_csp() {
    let (headers, html) = page_with_prefix(None).await;

    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "text/html; charset=utf-8");
    assert!(html.starts_with("<!doctype html>") && html.ends_with("</html>"));
    assert!(html.len() < MAX_PAGE_BYTES, "{} bytes", html.len());
    let csp = header("content-security-policy");
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(!csp.contains("unsafe-"), "{csp}");
    let script = between(&html, "<script>", "</script>");
    let style = between(&html, "<style>", "</style>");
    assert!(
        csp.contains(&format!("script-src {};", csp_hash(script))),
        "{csp}"
    );
    assert!(
        csp.contains(&format!("style-src {};", csp_hash(style))),
        "{csp}"
    );
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
    assert_eq!(html.matches("<style").count(), 1, "one inline style sheet");
    assert!(!html.contains(" style="), "no inline style attributes");
    assert!(
        !has_event_handler_attribute(&html),
        "no inline event handlers"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
}

#[actix_web::test]
async fn the_page_names_no_url_outside_its_origin() {
    let (_, html) = page_with_prefix(None).await;

    // The only absolute URL is SVG's namespace name, which is never fetched.
    let without_namespace = html.replace("\"http://www.w3.org/2000/svg\"", "");
    for absolute in ["http:", "https:", "//", "@import", "url("] {
        for attribute in ["src=\"", "href=\"", "action=\""] {
            let pattern = format!("{attribute}{absolute}");
            assert!(!html.contains(&pattern), "{pattern}");
        }
    }
    assert!(!without_namespace.contains("http://"), "an absolute URL");
    assert!(!without_namespace.contains("https://"), "an absolute URL");
    assert!(!html.contains("url("), "a CSS resource");
    assert!(
        html.contains(r#"<a href="openapi.json">"#),
        "relative links"
    );
    assert!(html.contains(r#"<a href="metrics">"#), "relative links");
}

#[actix_web::test]
async fn behind_an_ingress_the_links_and_requests_follow_x_forwarded_prefix() {
    let (_, prefixed) = page_with_prefix(Some("/team/ml")).await;
    let (_, hostile) = page_with_prefix(Some("/x\"><script>alert(1)</script>")).await;
    let (_, external) = page_with_prefix(Some("//evil.example")).await;

    assert!(prefixed.contains(r#"data-base="/team/ml/""#));
    assert!(prefixed.contains(r#"<a href="/team/ml/openapi.json">"#));
    assert!(prefixed.contains(r#"<a href="/team/ml/metrics">"#));
    for page in [&hostile, &external] {
        assert!(
            page.contains(r#"data-base="""#),
            "a prefix that is not a plain path is ignored"
        );
        assert!(!page.contains("alert(1)") && !page.contains("evil.example"));
    }
}

#[actix_web::test]
async fn the_page_shows_the_model_card_the_form_and_the_api_reference() {
    let (_, html) = page_with_prefix(None).await;

    let version = format!(
        "<dt>Model version</dt><dd>{}</dd>",
        regression_model::MODEL_VERSION
    );
    assert!(html.contains(&version), "the card names the version");
    for text in [
        "<dt>Config</dt><dd>generation-3</dd>",
        "<dt>Estimator</dt><dd>lasso</dd>",
        "<dt>Hold-out metrics</dt><dd>RMSE $",
        "<dt>MAX_ROWS</dt><dd>10000</dd>",
        "<dt>MAX_ERRORS</dt><dd>100</dd>",
        r#"<svg id="weights" class="chart" role="img""#,
        r#"<form id="try-form""#,
        r#"<button type="submit" id="submit">"#,
        "<code>POST</code></td><td><code>/v1/predict/regression</code>",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert_eq!(
        html.matches("<label for=\"f-").count(),
        79,
        "a label on every input"
    );
    assert_eq!(html.matches("<input id=\"f-").count(), 79);
}

#[actix_web::test]
async fn the_page_is_in_the_openapi_document() {
    let app = spawn_app().await;

    let document = app.get("/openapi.json").await.json();

    let page = &document["paths"]["/"]["get"]["responses"]["200"]["content"];
    assert!(page.get("text/html").is_some(), "{document}");
}

#[actix_web::test]
async fn after_a_reload_the_card_shows_the_new_model_with_its_values_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.postcard");
    std::fs::write(&path, regression_model::shipped_bytes().unwrap()).unwrap();
    let token = "page-test-admin-token-0123456789";
    let app = spawn_app_with(&[
        ("MODEL_PATH", path.to_str().unwrap()),
        ("ADMIN_TOKEN", token),
    ])
    .await;
    let bytes = regression_model::shipped_bytes().unwrap();
    let mut model = TrainedModel::from_bytes(bytes, "shipped", VersionPolicy::Exact).unwrap();
    model.metadata.model_version = "9.1.0".into();
    model.metadata.config_name = "<script>alert(1)</script>".into();
    std::fs::write(&path, model.to_bytes().unwrap()).unwrap();

    let reload = app
        .client
        .post(format!("{}/admin/reload", app.address))
        .insert_header(("authorization", format!("Bearer {token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(reload.status().as_u16(), 200);
    let html = app.get("/").await.text();

    assert!(
        html.contains("<dt>Model version</dt><dd>9.1.0</dd>"),
        "the new version"
    );
    assert!(html.contains("<dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>"));
    assert!(
        !html.contains("<script>alert"),
        "a card value never becomes markup"
    );
}
