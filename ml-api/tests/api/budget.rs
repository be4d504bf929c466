//! The in-flight body budget (`MAX_INFLIGHT_BODY_BYTES`) is spent by bytes
//! that arrived, not by the `Content-Length` a client announces: idle
//! uploads cannot lock everyone else out, while bodies actually sent past
//! the budget are still refused with 503 `overloaded`, and the server's
//! memory stays under the budget (read from `/proc/<pid>/status` of the
//! real binary).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::helpers::{spawn_app_with, valid_records};
use crate::memory::{MIB, memory_of};
use crate::raw::{Service, eventually};

const PREDICT: &str = "/v1/predict/regression";

/// Opens a connection, announces a JSON body of `length` bytes and sends
/// `sent` of them; the returned stream keeps the upload open.
fn upload(address: &str, length: usize, sent: usize) -> TcpStream {
    let mut stream = TcpStream::connect(address.trim_start_matches("http://")).expect("connects");
    let head = format!(
        "POST {PREDICT} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&vec![b' '; sent]).unwrap();
    stream
}

#[actix_web::test]
async fn idle_uploads_announcing_the_whole_budget_do_not_block_a_small_request() {
    // The defaults: 8 MiB bodies, a 64 MiB budget, a 30 s body timeout.
    let app = spawn_app_with(&[]).await;
    let idle: Vec<TcpStream> = (0..8).map(|_| upload(&app.address, 8 * MIB, 1)).collect();
    // Give the server time to read all eight heads and first bytes.
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;

    let small = app
        .predict(&crate::helpers::as_json(&valid_records()[..2]))
        .await;
    let infer = app
        .post_json(
            "/v2/models/regression-model/infer",
            &crate::helpers::infer_body(&valid_records()[..2]),
        )
        .await;

    assert_eq!(small.status, 200, "{}", small.text());
    assert_eq!(infer.status, 200, "{}", infer.text());
    drop(idle);
}

#[actix_web::test]
async fn bodies_sent_past_the_budget_refuse_others_with_503_until_they_are_gone() {
    let app = spawn_app_with(&[
        ("MAX_BODY_BYTES", "1048576"),
        ("MAX_INFLIGHT_BODY_BYTES", "2097152"),
    ])
    .await;
    // Two bodies sent but for their last byte: together they fill the budget.
    let held: Vec<TcpStream> = (0..2).map(|_| upload(&app.address, MIB, MIB - 1)).collect();

    let refused = eventually(Duration::from_secs(10), async || {
        app.predict(&serde_json::json!([{}])).await.status == 503
    })
    .await;
    let reply = app.predict(&serde_json::json!([{}])).await;
    drop(held);
    let served_again = eventually(Duration::from_secs(10), async || {
        app.predict(&serde_json::json!([{}])).await.status != 503
    })
    .await;

    assert!(refused, "the budget was never spent: {}", reply.text());
    assert_eq!(reply.status, 503);
    assert_eq!(reply.error_code(), "overloaded");
    assert!(served_again, "the closed uploads kept their reservations");
}

/// How one held upload ended up.
#[derive(Debug, PartialEq)]
enum Upload {
    /// Its body is in but for the last byte, and the server holds it.
    Held,
    /// Refused while it was being sent, with this answer (empty when the
    /// connection was reset before the answer could be read).
    Refused(String),
}

/// Sends all but the last byte of a `length`-byte body, then waits for an
/// answer: none within 2 s means the server holds the body.
fn held_upload(address: &str, length: usize) -> (TcpStream, Upload) {
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connects");
    let head = format!(
        "POST {PREDICT} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    );
    // A refused upload may find its connection closed mid-body: its
    // answer, if it arrived, is still there to read.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&vec![b' '; length - 1]));
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e) if answer.is_empty() && e.kind() == std::io::ErrorKind::WouldBlock => {
                return (stream, Upload::Held);
            }
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    (stream, Upload::Refused(text))
}

#[actix_web::test]
async fn held_uploads_past_the_inflight_budget_get_503_and_memory_stays_under_the_budget() {
    let logs = tempfile::tempdir().unwrap();
    let service = Service::start(&[("LOG_DIR", logs.path().to_str().unwrap())]);
    let pid = service.child.id();
    let address = service.address.clone();
    let (connections, length) = (24, 8 * MIB);
    let barrier = Arc::new(Barrier::new(connections + 1));
    let before = memory_of(pid, "VmRSS");

    // Each upload runs on its own thread and holds its connection until
    // the barrier releases it, after the measurements.
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let (address, barrier) = (address.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let (stream, upload) = held_upload(&address, length);
                barrier.wait();
                barrier.wait();
                drop(stream);
                upload
            })
        })
        .collect();
    barrier.wait();
    let peak = memory_of(pid, "VmHWM");
    eprintln!(
        "RSS before the uploads {} KiB, peak with them held {} KiB",
        before / 1024,
        peak / 1024
    );
    let small = service.app().predict(&serde_json::json!([{}])).await;
    let metrics = service.app().get("/metrics").await.text();
    barrier.wait();
    let uploads: Vec<Upload> = threads.into_iter().map(|t| t.join().unwrap()).collect();

    let held = uploads.iter().filter(|u| **u == Upload::Held).count();
    // Reservations grow as bytes arrive, so which uploads fill the budget
    // is a race: at most eight 8 MiB bodies fit in 64 MiB, and a refusal
    // can come while others still hold half-grown reservations.
    assert!((6..=8).contains(&held), "{uploads:?}");
    for upload in &uploads {
        if let Upload::Refused(answer) = upload
            && !answer.is_empty()
        {
            let lower = answer.to_ascii_lowercase();
            assert!(lower.starts_with("http/1.1 503"), "{answer}");
            assert!(lower.contains("retry-after: 1\r\n"), "{answer}");
            assert!(answer.contains("\"overloaded\""), "{answer}");
        }
    }
    // The budget, plus what the allocator keeps of the buffers' first
    // steps until the next trim: below 1 MiB they come from the heap, up
    // to about 1 MiB per upload (`body.rs`).
    assert!(
        peak - before < 64 * MIB + connections * MIB,
        "RSS went from {} to {} MiB with {held} bodies held",
        before / MIB,
        peak / MIB
    );
    // The small request fits only beside fewer than eight held bodies.
    let small_refused = usize::from(held == 8);
    assert_eq!(small.status, [200, 503][small_refused], "{}", small.text());
    let refused = connections - held + small_refused;
    assert!(
        metrics.contains(&format!("ml_api_requests_overloaded_total {refused}\n")),
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
