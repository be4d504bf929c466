//! Chrome's logs over WebDriver: the console (`browser`) and the DevTools
//! network events (`performance`). The W3C protocol has no log command;
//! chromedriver keeps the old one at `session/{id}/se/log`.

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

#[derive(Debug)]
struct GetLog(&'static str);

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "type": self.0 }).to_string();
        (http::Method::POST, Some(body))
    }
}

/// The entries logged since the last call (reading a log empties it).
async fn entries(client: &Client, kind: &'static str) -> Vec<Value> {
    let log = client
        .issue_cmd(GetLog(kind))
        .await
        .expect("chromedriver returns the log");
    log.as_array().cloned().unwrap_or_default()
}

/// Console entries at level WARNING or above, as `level source: message`.
pub async fn console_problems(client: &Client) -> Vec<String> {
    entries(client, "browser")
        .await
        .iter()
        .filter(|e| matches!(e["level"].as_str(), Some("SEVERE" | "WARNING")))
        .map(|e| format!("{} {}: {}", e["level"], e["source"], e["message"]))
        .collect()
}

/// The URL of every request the page's documents made.
pub async fn requested_urls(client: &Client) -> Vec<String> {
    entries(client, "performance")
        .await
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
        .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
        .filter_map(|m| {
            m["message"]["params"]["request"]["url"]
                .as_str()
                .map(str::to_owned)
        })
        .collect()
}
