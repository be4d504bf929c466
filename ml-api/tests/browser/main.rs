//! The page in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) against the real `ml-api` binary. It loads the page,
//! checks the card, reaches the submit button by keyboard, changes a field
//! and submits, checks the shown price against `POST /v1/predict/regression`
//! for the same record and the waterfall, shows a field error, and checks
//! that the page asked nothing outside its origin, logged no console
//! error or CSP violation, and has no text under WCAG AA contrast. A second test does the same behind a proxy that
//! serves the service under a path prefix.
//!
//! Without chromium and chromedriver the tests print why and pass, except
//! under `CI=true`, where they fail: CI installs both (`.ci/run`).

mod contrast;
mod logs;
mod proxy;
mod tools;

use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use tools::{Browser, Running};

const WAIT: Duration = Duration::from_secs(30);

/// The browser, or `None` (after saying why) when the test should skip.
fn browser_or_skip() -> Option<Browser> {
    match Browser::find() {
        Ok(browser) => Some(browser),
        Err(reason) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("the browser test is required under CI=true: {reason}")
        }
        Err(reason) => {
            eprintln!("SKIPPED: browser test: {reason}");
            None
        }
    }
}

/// A headless Chromium session that logs the console and network events.
async fn session(browser: &Browser, driver: &Running) -> Client {
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": browser.chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1200,1800", "--no-first-run", "--disable-extensions"]
        },
        "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}

async fn press(client: &Client, key: Key) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key.into() })
        .then(KeyAction::Up { value: key.into() });
    client.perform_actions(keys).await.expect("key press");
}

/// Polls `read` until it returns `Some`, for up to [`WAIT`].
async fn until<T, F, Fut>(what: &str, mut read: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(value) = read().await {
            return value;
        }
        assert!(Instant::now() < deadline, "waited {WAIT:?} for {what}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the element with this id.
async fn click(client: &Client, id: &str) {
    let element = client.find(Locator::Id(id)).await.expect(id);
    element.click().await.expect("click");
}

/// The visible text of the element with this id.
async fn text_of(client: &Client, id: &str) -> String {
    let element = client.find(Locator::Id(id)).await.expect(id);
    element.text().await.expect("text")
}

async fn attribute(client: &Client, css: &str, name: &str) -> Option<String> {
    let element = client.find(Locator::Css(css)).await.ok()?;
    element.attr(name).await.ok().flatten()
}

/// Waits until the shown price differs from `before` and returns it.
async fn shown_price(client: &Client, before: Option<&str>) -> String {
    until("the price", || async {
        attribute(client, "#price", "data-price")
            .await
            .filter(|p| Some(p.as_str()) != before)
    })
    .await
}

/// Sets an input's value as a person would (the field unfolded first).
async fn type_into(client: &Client, id: &str, text: &str) {
    let open =
        "const d = document.getElementById(arguments[0]).closest('details'); if (d) d.open = true;";
    client.execute(open, vec![json!(id)]).await.expect("unfold");
    let input = client.find(Locator::Id(id)).await.expect(id);
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

/// The price the API gives the record the page sent.
async fn api_price(origin: &str, sent: &str) -> f64 {
    let client = awc::Client::default();
    let mut response = client
        .post(format!("{origin}/v1/predict/regression"))
        .insert_header(("content-type", "application/json"))
        .send_body(sent.to_owned())
        .await
        .expect("predict answers");
    let body: Value = response.json().await.expect("JSON");
    body["predictions"][0]["price"]
        .as_f64()
        .unwrap_or_else(|| panic!("{body}"))
}

/// Submits the form by clicking and checks the price against the API.
async fn submit_and_check_price(client: &Client, api_origin: &str, before: Option<&str>) -> String {
    click(client, "submit").await;
    let shown = shown_price(client, before).await;
    let sent = client
        .find(Locator::Id("sent"))
        .await
        .unwrap()
        .prop("textContent")
        .await;
    let sent = sent.unwrap().unwrap();
    let expected = api_price(api_origin, &sent).await;
    let shown_value: f64 = shown.parse().expect("a number");
    assert!(
        (shown_value - expected).abs() <= 1e-9 * expected.abs(),
        "page {shown_value} against API {expected}"
    );
    shown
}

/// Every request went to `origin` (or was a `data:` URL).
fn assert_same_origin(urls: &[String], origin: &str) {
    assert!(!urls.is_empty(), "the performance log saw the page load");
    for url in urls {
        assert!(
            url.starts_with(&format!("{origin}/")) || url.starts_with("data:"),
            "a request outside the page's origin: {url}"
        );
    }
}

#[actix_web::test]
async fn in_a_browser_the_form_prices_a_changed_house_like_the_api_and_explains_it() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let server = tools::start_server();
    let driver = tools::start_chromedriver(&browser.chromedriver);
    let client = session(&browser, &driver).await;
    let origin = format!("http://127.0.0.1:{}", server.port);

    // 1. The page and its card.
    client
        .goto(&format!("{origin}/"))
        .await
        .expect("the page loads");
    let card = text_of(&client, "card").await;
    assert!(
        card.contains(&format!(
            "Model version\n{}",
            regression_model::MODEL_VERSION
        )),
        "{card}"
    );
    assert!(
        client.find(Locator::Css("#weights rect")).await.is_ok(),
        "the weights chart"
    );
    let low = contrast::below_minimum(&client).await;
    assert!(
        low.is_empty(),
        "text under {}:1 contrast: {low:?}",
        contrast::MINIMUM
    );

    // 2. The keyboard reaches the submit button, through the fields, and
    // Enter submits.
    let mut focused = Vec::new();
    for _ in 0..80 {
        press(&client, Key::Tab).await;
        let active = client.active_element().await.unwrap();
        let id = active.attr("id").await.unwrap().unwrap_or_default();
        focused.push(format!("{}#{id}", active.tag_name().await.unwrap()));
        if id == "submit" {
            break;
        }
    }
    assert_eq!(
        focused.last().map(String::as_str),
        Some("button#submit"),
        "{focused:?}"
    );
    assert!(
        focused.iter().any(|f| f.starts_with("input#f-")),
        "{focused:?}"
    );
    assert!(
        focused.iter().any(|f| f.starts_with("summary")),
        "{focused:?}"
    );
    press(&client, Key::Enter).await;
    let sample_price = shown_price(&client, None).await;

    // 3. A changed field, submitted: the price the API gives that record.
    type_into(&client, "f-GrLivArea", "1600").await;
    let price = submit_and_check_price(&client, &origin, Some(&sample_price)).await;
    assert_ne!(price, sample_price, "a larger house, another price");

    // 4. The waterfall, where the server explains.
    let explains = attribute(&client, "#app", "data-explain").await.is_some();
    if explains {
        let bars = client
            .find_all(Locator::Css("#waterfall svg rect"))
            .await
            .unwrap();
        assert!(
            bars.len() >= 3,
            "base, contributions, price: {}",
            bars.len()
        );
    } else {
        let text = text_of(&client, "waterfall").await;
        assert!(text.contains("no explanations"), "{text}");
    }
    let screenshot = client.screenshot().await.expect("a screenshot");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("page.png"), screenshot).unwrap();
    eprintln!("screenshot: {}", dir.join("page.png").display());

    // 5. Nothing outside the origin, no console error, no CSP violation.
    assert_same_origin(&logs::requested_urls(&client).await, &origin);
    let problems = logs::console_problems(&client).await;
    assert!(problems.is_empty(), "{problems:#?}");

    // 6. A field the API refuses: its message next to the field.
    type_into(&client, "f-OverallQual", "excellent").await;
    click(&client, "submit").await;
    let message = until("a field error", || async {
        let slot = client.find(Locator::Id("e-OverallQual")).await.ok()?;
        Some(slot.text().await.ok()?).filter(|t| !t.is_empty())
    })
    .await;
    assert!(!message.contains("excellent"), "no value quoted: {message}");
    let invalid = attribute(&client, "#f-OverallQual", "aria-invalid").await;
    assert_eq!(invalid.as_deref(), Some("true"));
    // The only console line allowed now: the browser's note of the 422.
    for problem in logs::console_problems(&client).await {
        assert!(
            problem.contains("network") && problem.contains("422"),
            "{problem}"
        );
    }

    client.close().await.unwrap();
}

#[actix_web::test]
async fn in_a_browser_behind_a_prefix_stripping_proxy_the_page_and_form_work() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let server = tools::start_server();
    let driver = tools::start_chromedriver(&browser.chromedriver);
    let proxy_port = proxy::start("/ml", server.port);
    let client = session(&browser, &driver).await;
    let origin = format!("http://127.0.0.1:{proxy_port}");

    client
        .goto(&format!("{origin}/ml/"))
        .await
        .expect("the page loads");
    let price =
        submit_and_check_price(&client, &format!("http://127.0.0.1:{}", server.port), None).await;
    assert!(price.parse::<f64>().unwrap() > 0.0);

    let urls = logs::requested_urls(&client).await;
    assert_same_origin(&urls, &origin);
    assert!(
        urls.iter().all(|u| u.starts_with(&format!("{origin}/ml/"))),
        "{urls:#?}"
    );
    assert!(
        urls.iter().any(|u| u.contains("/ml/v1/")),
        "the form's request: {urls:#?}"
    );
    let href = attribute(&client, "#api a", "href").await.unwrap();
    assert_eq!(href, "openapi.json");
    let problems = logs::console_problems(&client).await;
    assert!(problems.is_empty(), "{problems:#?}");

    client.close().await.unwrap();
}
