//! What the server's memory does under large bodies, read from
//! `/proc/<pid>/status` of the real binary: the global body budget caps
//! what many slow uploads can hold at once, and memory goes back after a
//! large request.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::raw::{Service, eventually};

const PREDICT: &str = "/v1/predict/regression";
const MIB: usize = 1024 * 1024;

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

/// How one held upload ended up.
#[derive(Debug, PartialEq)]
enum Upload {
    /// Admitted: `sent` bytes of the body are in, the connection is held.
    Held { sent: usize },
    /// Refused before its body was read, with this answer.
    Refused(String),
}

/// Sends a head announcing `length` bytes, waits for an early answer, and
/// if none comes sends `sent` bytes of the body. Returns the stream (to
/// hold it open) and what happened.
fn start_upload(address: &str, length: usize, sent: usize) -> (TcpStream, Upload) {
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connects");
    let head = format!(
        "POST {PREDICT} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    // A refusal is decided on the head alone: wait for it before sending a
    // body the server would not read (closing on unread bytes resets the
    // connection and loses the answer).
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let mut answer = [0u8; 4096];
    if let Ok(n @ 1..) = stream.read(&mut answer) {
        let text = String::from_utf8_lossy(&answer[..n]).into_owned();
        return (stream, Upload::Refused(text));
    }
    let body = vec![b' '; sent];
    match stream.write_all(&body) {
        Ok(()) => (stream, Upload::Held { sent }),
        Err(e) => (stream, Upload::Refused(format!("write failed: {e}"))),
    }
}

#[actix_web::test]
async fn held_uploads_past_the_inflight_budget_get_503_and_memory_stays_under_the_budget() {
    let logs = tempfile::tempdir().unwrap();
    let service = Service::start(&[("LOG_DIR", logs.path().to_str().unwrap())]);
    let pid = service.child.id();
    let address = service.address.clone();
    let (connections, length) = (24, 8 * MIB);
    let barrier = Arc::new(Barrier::new(connections + 1));

    // Each upload runs on its own thread and holds its connection until
    // the barrier releases it, after the measurements.
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let (address, barrier) = (address.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let (stream, upload) = start_upload(&address, length, length - 1);
                barrier.wait();
                barrier.wait();
                drop(stream);
                upload
            })
        })
        .collect();
    barrier.wait();
    let peak = memory_of(pid, "VmHWM");
    eprintln!("peak RSS with the uploads held: {} KiB", peak / 1024);
    let small = service.app().predict(&serde_json::json!([{}])).await;
    let metrics = service.app().get("/metrics").await.text();
    barrier.wait();
    let uploads: Vec<Upload> = threads.into_iter().map(|t| t.join().unwrap()).collect();

    let held = uploads
        .iter()
        .filter(|u| matches!(u, Upload::Held { .. }))
        .count();
    assert_eq!(held, 8, "64 MiB holds eight 8 MiB bodies: {uploads:?}");
    for upload in &uploads {
        if let Upload::Refused(answer) = upload {
            let lower = answer.to_ascii_lowercase();
            assert!(lower.starts_with("http/1.1 503"), "{answer}");
            assert!(lower.contains("retry-after: 1\r\n"), "{answer}");
            assert!(answer.contains("\"overloaded\""), "{answer}");
        }
    }
    assert!(
        peak < 64 * MIB + 32 * MIB,
        "peak RSS {} MiB with {held} bodies held",
        peak / MIB
    );
    assert_eq!(small.status, 503, "the budget is spent: {}", small.text());
    // The 16 refused uploads and the small request.
    assert!(
        metrics.contains("ml_api_requests_overloaded_total 17\n"),
        "{metrics}"
    );
    // Closed uploads give their reservations back.
    let app = service.app();
    let served_again = eventually(Duration::from_secs(10), async || {
        app.predict(&serde_json::json!([{}])).await.status != 503
    })
    .await;
    assert!(served_again, "the budget was not given back");
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

#[actix_web::test]
async fn memory_goes_back_after_large_requests() {
    let logs = tempfile::tempdir().unwrap();
    // Input logging is off: the logger formats each line in a buffer of
    // its thread that grows to the longest line and never shrinks, so an
    // 8 MiB input line would stay, whatever the allocator does, until log
    // lines are cut at LOG_MAX_LINE_BYTES (issue 12, item 3).
    let service = Service::start(&[
        ("LOG_DIR", logs.path().to_str().unwrap()),
        ("LOG_INPUT_SAMPLE", "0"),
    ]);
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
