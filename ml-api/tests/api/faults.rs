//! Faults around a running service: the log file cannot be written (disk
//! full: a 128 KiB tmpfs in the binary's own mount namespace; the folder
//! replaced by a file). Requests keep succeeding; the fault is
//! reported once on stderr and in `/metrics`. These run the real binary,
//! since the logger is process-wide. The small disk needs root or
//! unprivileged user namespaces; without them the test is skipped on a
//! developer's machine and fails under `CI=true`.

use std::time::Duration;

use crate::helpers::{TestApp, as_json, valid_records};
use crate::raw::{Service, eventually};

const FAULT: &str = "cannot write the log file";

async fn predictions_succeed(app: &TestApp, count: usize) {
    let records = as_json(&valid_records()[..2]);
    for _ in 0..count {
        assert_eq!(app.predict(&records).await.status, 200);
    }
}

async fn metric(app: &TestApp, name: &str) -> Option<u64> {
    let text = app.get("/metrics").await.text();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[actix_web::test]
async fn with_a_full_disk_requests_succeed_and_the_fault_is_reported_once() {
    let logs = tempfile::tempdir().unwrap();
    let Some(service) = Service::start_on_small_disk(
        logs.path(),
        "128k",
        &[
            ("LOG_DIR", logs.path().to_str().unwrap()),
            ("LOG_INPUT_SAMPLE", "1"),
        ],
    ) else {
        // Skipping is fine on a developer's machine, but CI must not pass
        // a test it did not run.
        let reason = "a private tmpfs needs root or unprivileged user namespaces (unshare)";
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true, but this test cannot run here: {reason}"
        );
        eprintln!("skipped: {reason}");
        return;
    };
    let app = service.app();

    // With every input logged, about 2.5 KB of log per prediction: 100 fill 128 KiB.
    predictions_succeed(&app, 150).await;
    let reported = eventually(Duration::from_secs(10), async || {
        metric(&app, "ml_api_log_file_healthy").await == Some(0)
    })
    .await;
    predictions_succeed(&app, 20).await;
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;

    assert!(reported, "the fault shows in /metrics");
    assert!(metric(&app, "ml_api_log_write_failures_total").await >= Some(1));
    assert!(metric(&app, "ml_api_log_lines_dropped_total").await >= Some(20));
    let reports = service.stderr_lines_with(FAULT);
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(reports[0].contains("No space left"), "{reports:?}");
    assert!(service.stderr_lines_with("can be written again").is_empty());
}

#[actix_web::test]
async fn when_the_log_folder_is_replaced_by_a_file_requests_succeed_and_logging_recovers() {
    let root = tempfile::tempdir().unwrap();
    let logs = root.path().join("logs");
    let service = Service::start(&[("LOG_DIR", logs.to_str().unwrap())]);
    let app = service.app();
    predictions_succeed(&app, 3).await;

    std::fs::remove_dir_all(&logs).unwrap();
    std::fs::write(&logs, "a file where the log folder was").unwrap();
    predictions_succeed(&app, 10).await;
    let failing = eventually(Duration::from_secs(10), async || {
        metric(&app, "ml_api_log_file_healthy").await == Some(0)
    })
    .await;
    predictions_succeed(&app, 10).await;
    assert!(failing, "the fault shows in /metrics");
    assert_eq!(service.stderr_lines_with(FAULT).len(), 1);

    std::fs::remove_file(&logs).unwrap();
    std::fs::create_dir(&logs).unwrap();
    let recovered = eventually(Duration::from_secs(10), async || {
        metric(&app, "ml_api_log_file_healthy").await == Some(1)
    })
    .await;

    assert!(recovered);
    let recoveries = service.stderr_lines_with("can be written again");
    assert_eq!(recoveries.len(), 1, "{recoveries:?}");
    predictions_succeed(&app, 3).await;
    let log = std::fs::read_to_string(logs.join(ml_api::telemetry::CURRENT_FILE)).unwrap();
    assert!(log.contains("can be written again"), "{log}");
}

#[actix_web::test]
async fn a_log_folder_that_cannot_be_created_stops_start_up_with_a_clear_message() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("not-a-folder");
    std::fs::write(&file, "").unwrap();

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ml-api"))
        .env_clear()
        .env("PORT", "0")
        .env("LOG_DIR", &file)
        .output()
        .unwrap();

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot start logging"), "{stderr}");
}
