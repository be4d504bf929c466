//! Test support: `spawn_app()` starts the real server on a free port (port
//! 0) with one worker; logging goes once per test binary to a temporary
//! folder.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use flexi_logger::LoggerHandle;
use ml_api::configuration::Settings;
use ml_api::startup::Application;
use regression_model::HouseRecord;
use regression_model::{InputRows, read_csv_file};
use serde_json::{Value, json};
use tempfile::TempDir;

/// Largest response body the tests read.
const BODY_LIMIT: usize = 64 * 1024 * 1024;

pub struct TestApp {
    pub address: String,
    pub client: awc::Client,
}

/// A response, read in full.
pub struct Reply {
    pub status: u16,
    pub request_id: Option<String>,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts the common v1 error body and returns its `code`.
    pub fn error_code(&self) -> String {
        let body = self.json();
        let error = &body["error"];
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        error["code"].as_str().expect("error.code").to_owned()
    }
}

struct Logging {
    dir: TempDir,
    handle: LoggerHandle,
}

fn logging() -> &'static Logging {
    static LOGGING: OnceLock<Logging> = OnceLock::new();
    LOGGING.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp log dir");
        // The whole binary shares this logger: a test that counts its lines
        // must not find them spent by the byte budget of another one.
        let settings = test_settings(&[
            ("LOG_DIR", dir.path().to_str().unwrap()),
            ("LOG_MAX_BYTES_PER_SEC", "1073741824"),
        ]);
        let handle = ml_api::telemetry::init(&settings.logging).expect("logging");
        Logging { dir, handle }
    })
}

/// Every log line written so far by this test binary.
pub fn log_lines() -> Vec<String> {
    let logging = logging();
    logging.handle.flush();
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(logging.dir.path()).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        lines.extend(text.lines().map(str::to_owned));
    }
    lines
}

/// Settings for tests: testing environment, port 0, one worker, plus `vars`.
pub fn test_settings(vars: &[(&str, &str)]) -> Settings {
    try_test_settings(vars).expect("test settings")
}

/// [`test_settings`], or why they are refused.
pub fn try_test_settings(vars: &[(&str, &str)]) -> Result<Settings, ml_api::error::Error> {
    let lookup = |key: &str| {
        vars.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
            .or_else(|| match key {
                "APP_ENVIRONMENT" => Some("testing".into()),
                "PORT" => Some("0".into()),
                "WORKERS" => Some("1".into()),
                "LOG_DIR" => Some(std::env::temp_dir().to_string_lossy().into_owned()),
                _ => None,
            })
    };
    Settings::load(lookup, None)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the server with extra settings (`("MAX_ROWS", "5")`, ...).
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    spawn_with_settings(test_settings(vars)).await
}

pub async fn spawn_with_settings(settings: Settings) -> TestApp {
    logging();
    let application = Application::build(settings).expect("the application starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    actix_web::rt::spawn(application.run_until_stopped());
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(60))
        .disable_redirects()
        .finish();
    TestApp { address, client }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> Reply {
        let response = self.client.get(format!("{}{path}", self.address)).send();
        read(response.await.expect("GET is answered")).await
    }

    /// POSTs `body` with the given content type (`None`: no header).
    pub async fn post(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: impl Into<Vec<u8>>,
    ) -> Reply {
        let mut request = self.client.post(format!("{}{path}", self.address));
        if let Some(content_type) = content_type {
            request = request.insert_header(("content-type", content_type));
        }
        let response = request.send_body(body.into());
        read(response.await.expect("POST is answered")).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.post(path, Some("application/json"), body.to_string())
            .await
    }

    pub async fn predict(&self, body: &Value) -> Reply {
        self.post_json("/v1/predict/regression", body).await
    }

    /// The server still answers after whatever the test sent it.
    pub async fn assert_still_serving(&self) {
        let reply = self.get("/health").await;
        assert_eq!((reply.status, reply.text().as_str()), (200, "ok"));
    }
}

pub async fn read<S>(mut response: awc::ClientResponse<S>) -> Reply
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request_id = header("x-request-id");
    let content_type = header("content-type").unwrap_or_default();
    let body = response.body().limit(BODY_LIMIT).await.expect("body");
    Reply {
        status: response.status().as_u16(),
        request_id,
        content_type,
        body: body.to_vec(),
    }
}

/// A synthetic fixture file; through the `regression-model/fixtures` link
/// when it exists, else from the workspace's `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let linked = root
        .join("../regression-model/fixtures/synthetic")
        .join(name);
    if linked.exists() {
        linked
    } else {
        root.join("../fixtures/synthetic").join(name)
    }
}

/// The 120 synthetic test rows, parsed by the model crate.
pub fn fixture_rows() -> InputRows {
    read_csv_file(&fixture("test.csv")).expect("fixture test.csv")
}

/// The fixture's records (as the model crate parsed them).
pub fn fixture_records() -> Vec<HouseRecord> {
    fixture_rows().rows.into_iter().map(|r| r.record).collect()
}

/// Records as a JSON list with Kaggle names, `null` for missing values.
pub fn as_json(records: &[HouseRecord]) -> Value {
    serde_json::to_value(records).expect("records serialize")
}

/// The records as an OIP v2 request: one column tensor per field, `BYTES`
/// where a value is a string, else `FP64`.
pub fn infer_body(records: &[HouseRecord]) -> Value {
    let rows = as_json(records);
    let first = rows[0].as_object().expect("records serialize as objects");
    let inputs: Vec<Value> = first
        .keys()
        .map(|name| {
            let data: Vec<Value> = rows
                .as_array()
                .expect("a list")
                .iter()
                .map(|r| r[name].clone())
                .collect();
            let datatype = if data.iter().any(Value::is_string) {
                "BYTES"
            } else {
                "FP64"
            };
            json!({ "name": name, "shape": [records.len()], "datatype": datatype, "data": data })
        })
        .collect();
    json!({ "inputs": inputs })
}

/// The fixture's records that the shipped model predicts.
pub fn valid_records() -> Vec<HouseRecord> {
    let records = fixture_records();
    let response = regression_model::predict(&records).unwrap();
    response
        .predictions
        .iter()
        .map(|p| records[p.row].clone())
        .collect()
}
