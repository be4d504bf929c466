//! What the server's memory does under large bodies, read from
//! `/proc/<pid>/status` of the real binary: memory goes back after a large
//! request (what the body budget caps is in `budget.rs`).

use std::time::Duration;

use crate::raw::{Service, eventually};

const PREDICT: &str = "/v1/predict/regression";
pub const MIB: usize = 1024 * 1024;

/// A field of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in bytes.
pub fn memory_of(pid: u32, field: &str) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let line = status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in {status}"));
    let kib: usize = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a size in kB");
    kib * 1024
}

/// A CSV body of the fixture's rows, repeated up to `rows` rows.
fn large_csv(rows: usize) -> String {
    let text = std::fs::read_to_string(crate::helpers::fixture("test.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let records: Vec<&str> = lines.collect();
    let mut body = format!("{header}\n");
    for line in records.iter().cycle().take(rows) {
        body.push_str(line);
        body.push('\n');
    }
    body
}

/// A JSON body of valid records, as many as fit in `bytes`.
fn large_json(bytes: usize) -> String {
    let records: Vec<String> = crate::helpers::valid_records()
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let mut body = String::from("[");
    for record in records.iter().cycle() {
        if body.len() + record.len() + 2 > bytes {
            break;
        }
        if body.len() > 1 {
            body.push(',');
        }
        body.push_str(record);
    }
    body.push(']');
    body
}

/// The real binary, logging into a temporary folder but not its inputs:
/// the logger formats each line in a buffer of its thread that grows to
/// the longest line and never shrinks, so an 8 MiB input line would stay,
/// whatever the allocator does, until log lines are cut at
/// LOG_MAX_LINE_BYTES (issue 12, item 3).
fn start_without_input_logs() -> (tempfile::TempDir, Service) {
    let logs = tempfile::tempdir().unwrap();
    let service = Service::start(&[
        ("LOG_DIR", logs.path().to_str().unwrap()),
        ("LOG_INPUT_SAMPLE", "0"),
    ]);
    (logs, service)
}

#[actix_web::test]
async fn memory_goes_back_after_large_requests() {
    let (_logs, service) = start_without_input_logs();
    let pid = service.child.id();
    let app = service.app();
    let (csv, json) = (large_csv(10_000), large_json(8 * MIB - 1024));
    assert!(csv.len() <= 8 * MIB && json.len() <= 8 * MIB);
    // Warm up: the first requests of each kind set up what every later
    // request shares (thread pools, lazily built tables).
    let small = crate::helpers::as_json(&crate::helpers::valid_records()[..20]);
    for _ in 0..3 {
        assert_eq!(app.predict(&small).await.status, 200);
        let csv_small = large_csv(20);
        assert_eq!(
            app.post(PREDICT, Some("text/csv"), csv_small).await.status,
            200
        );
    }
    let before = memory_of(pid, "VmRSS");

    for _ in 0..3 {
        let reply = app.post(PREDICT, Some("text/csv"), csv.clone()).await;
        assert_eq!(
            reply.status,
            200,
            "{}",
            reply.text().get(..300).unwrap_or("")
        );
        let reply = app
            .post(PREDICT, Some("application/json"), json.clone())
            .await;
        assert_eq!(
            reply.status,
            200,
            "{}",
            reply.text().get(..300).unwrap_or("")
        );
    }
    let peak = memory_of(pid, "VmHWM");
    // The heap is trimmed once the last response is written, off the
    // event loop: give it a moment.
    let settled = eventually(Duration::from_secs(5), async || {
        memory_of(pid, "VmRSS") <= before + before / 5
    })
    .await;
    let after = memory_of(pid, "VmRSS");

    eprintln!(
        "RSS before {} KiB, peak {} KiB, after {} KiB",
        before / 1024,
        peak / 1024,
        after / 1024
    );
    assert!(
        settled,
        "RSS went from {} KiB to {} KiB (peak {} KiB)",
        before / 1024,
        after / 1024,
        peak / 1024
    );
}

#[actix_web::test]
async fn memory_goes_back_after_small_bodies_of_many_rows() {
    // 10,000 empty records: a 30 KB body, below the body-size trigger,
    // whose rows (1.7 KB each however short the record) take 17 MB.
    let (_logs, service) = start_without_input_logs();
    let pid = service.child.id();
    let app = service.app();
    let small = crate::helpers::as_json(&crate::helpers::valid_records()[..20]);
    for _ in 0..3 {
        assert_eq!(app.predict(&small).await.status, 200);
    }
    let before = memory_of(pid, "VmRSS");
    let empty = format!("[{}{{}}]", "{},".repeat(9_999));
    assert!(empty.len() < 64 * 1024);

    for _ in 0..4 {
        let reply = app
            .post(PREDICT, Some("application/json"), empty.clone())
            .await;
        assert_eq!(
            reply.status,
            422,
            "{}",
            reply.text().get(..300).unwrap_or("")
        );
    }
    let settled = eventually(Duration::from_secs(5), async || {
        memory_of(pid, "VmRSS") <= before + before / 5 + 4 * MIB
    })
    .await;

    assert!(
        settled,
        "RSS went from {} KiB to {} KiB (peak {} KiB)",
        before / 1024,
        memory_of(pid, "VmRSS") / 1024,
        memory_of(pid, "VmHWM") / 1024
    );
}
