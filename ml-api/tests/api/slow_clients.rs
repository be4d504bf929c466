//! Slow clients after the first request of a keep-alive connection: every
//! head is held to `CLIENT_REQUEST_TIMEOUT` (actix-http alone times only a
//! connection's first), while bodies keep `BODY_TIMEOUT` and idle
//! connections `KEEP_ALIVE`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::helpers::spawn_app_with;

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n";

fn connect(address: &str) -> TcpStream {
    TcpStream::connect(address.trim_start_matches("http://")).expect("connects")
}

/// Reads one `/health` answer (`ok`, two bytes of body).
fn read_health(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut text = Vec::new();
    let mut byte = [0u8; 1];
    while !text.ends_with(b"\r\n\r\nok") {
        match stream.read(&mut byte) {
            Ok(1) => text.push(byte[0]),
            other => panic!(
                "the answer stopped ({other:?}): {}",
                String::from_utf8_lossy(&text)
            ),
        }
    }
    String::from_utf8_lossy(&text).into_owned()
}

/// Sends `bytes` one a second until the server closes the connection;
/// returns how long that took from the first byte (`None`: still open
/// after `give_up`).
fn drip(
    stream: &mut TcpStream,
    bytes: impl Iterator<Item = u8>,
    give_up: Duration,
) -> Option<Duration> {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    for byte in bytes {
        if started.elapsed() > give_up {
            return None;
        }
        let _ = stream.write_all(&[byte]);
        let mut answer = [0u8; 256];
        match stream.read(&mut answer) {
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            // End of stream, a reset, or an answer (a 408) before closing.
            _ => return Some(started.elapsed()),
        }
    }
    None
}

#[actix_web::test]
async fn a_keep_alive_client_dripping_its_second_head_is_cut_off_within_10_s() {
    // The defaults: CLIENT_REQUEST_TIMEOUT and KEEP_ALIVE of 5 s.
    let app = spawn_app_with(&[]).await;
    let address = app.address.clone();

    let cut_off = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = connect(&address);
        stream.write_all(HEALTH).unwrap();
        read_health(&mut stream);
        let head = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: "
            .iter()
            .copied();
        drip(
            &mut stream,
            head.chain(std::iter::repeat(b'a')),
            Duration::from_secs(20),
        )
    })
    .await
    .unwrap();

    let cut_off = cut_off.expect("still connected after 20 s of dripping");
    assert!(
        cut_off < Duration::from_secs(10),
        "cut off after {cut_off:?}"
    );
    assert!(
        cut_off >= Duration::from_secs(4),
        "cut off after {cut_off:?}, before CLIENT_REQUEST_TIMEOUT"
    );
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_keep_alive_client_that_pauses_between_requests_keeps_its_connection() {
    let app = spawn_app_with(&[("CLIENT_REQUEST_TIMEOUT", "0.5"), ("KEEP_ALIVE", "3")]).await;
    let address = app.address.clone();

    let answers = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = connect(&address);
        (0..3)
            .map(|request| {
                // Idle for longer than the head timeout, shorter than
                // keep-alive (a new connection's first head is actix's:
                // it is timed from the connection's start).
                if request > 0 {
                    std::thread::sleep(Duration::from_millis(1200));
                }
                stream.write_all(HEALTH).unwrap();
                read_health(&mut stream)
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();

    assert_eq!(answers.len(), 3);
    assert!(
        answers.iter().all(|a| a.starts_with("HTTP/1.1 200")),
        "{answers:?}"
    );
}

#[actix_web::test]
async fn a_slow_body_after_a_first_request_is_held_to_body_timeout_not_the_head_timeout() {
    let app = spawn_app_with(&[("CLIENT_REQUEST_TIMEOUT", "0.5"), ("BODY_TIMEOUT", "10")]).await;
    let address = app.address.clone();
    let body = br#"[{"Id": 1}]"#;

    let answer = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = connect(&address);
        stream.write_all(HEALTH).unwrap();
        read_health(&mut stream);
        let head = format!(
            "POST /v1/predict/regression HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        // The body takes three times the head timeout to arrive.
        for byte in body {
            std::thread::sleep(Duration::from_millis(150));
            stream.write_all(&[*byte]).unwrap();
        }
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut answer = [0u8; 512];
        let n = stream.read(&mut answer).unwrap_or(0);
        String::from_utf8_lossy(&answer[..n]).into_owned()
    })
    .await
    .unwrap();

    assert!(answer.starts_with("HTTP/1.1 "), "no answer: {answer:?}");
    assert!(!answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[actix_web::test]
async fn a_partial_head_sent_along_with_a_request_is_cut_off_within_keep_alive_and_head_timeout() {
    let app = spawn_app_with(&[("CLIENT_REQUEST_TIMEOUT", "1"), ("KEEP_ALIVE", "1")]).await;
    let address = app.address.clone();

    let closed_after = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = connect(&address);
        // One whole request and the start of a next one, in one write; then silence.
        let mut pipelined = HEALTH.to_vec();
        pipelined.extend_from_slice(b"GET /health HTTP/1.1\r\nHo");
        stream.write_all(&pipelined).unwrap();
        let started = Instant::now();
        read_health(&mut stream);
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        started.elapsed()
    })
    .await
    .unwrap();

    // At most KEEP_ALIVE + CLIENT_REQUEST_TIMEOUT after the answer (actix's
    // keep-alive timer gets there first when nothing more arrives), with
    // room for a busy machine.
    assert!(
        closed_after < Duration::from_secs(6),
        "closed after {closed_after:?}"
    );
}
