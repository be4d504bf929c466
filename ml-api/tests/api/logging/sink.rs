//! The sink and the byte budget, in the real binary (the logger is
//! process-wide): log lines go to the one sink chosen, stderr gets only the
//! start-up line, and past `LOG_MAX_BYTES_PER_SEC` lines are dropped,
//! counted and reported.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::helpers::{TestApp, as_json, valid_records};

type Lines = Arc<Mutex<Vec<String>>>;

/// `ml-api` with both stdout and stderr captured, line by line.
struct Process {
    child: Child,
    address: String,
    stdout: (Lines, Option<JoinHandle<()>>),
    stderr: (Lines, Option<JoinHandle<()>>),
    /// stdout when nothing reads it: kept open, so writes to it block.
    _unread: Option<ChildStdout>,
}

fn collect(stream: impl Read + Send + 'static) -> (Lines, Option<JoinHandle<()>>) {
    let lines = Lines::default();
    let into = Arc::clone(&lines);
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            into.lock().unwrap().push(line);
        }
    });
    (lines, Some(reader))
}

impl Process {
    /// Starts the binary on port 0 with `vars` and waits for its
    /// start-up line on stderr.
    fn start(vars: &[(&str, &str)]) -> Process {
        Process::spawn(vars, true)
    }

    /// Like [`Process::start`], but nothing ever reads stdout.
    fn start_with_stdout_unread(vars: &[(&str, &str)]) -> Process {
        Process::spawn(vars, false)
    }

    fn spawn(vars: &[(&str, &str)], read_stdout: bool) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ml-api"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs([("PORT", "0"), ("WORKERS", "1"), ("HOST", "127.0.0.1")])
            .env("SHUTDOWN_TIMEOUT", "1")
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ml-api starts");
        let (stdout, unread) = match child.stdout.take() {
            Some(out) if read_stdout => (collect(out), None),
            out => ((Lines::default(), None), out),
        };
        let stderr = collect(child.stderr.take().unwrap());
        let started = Instant::now();
        let port = loop {
            let lines = stderr.0.lock().unwrap().clone();
            let port = lines.iter().find_map(|l| {
                let (_, rest) = l.split_once("listening on 127.0.0.1:")?;
                Some(
                    rest.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>(),
                )
            });
            if let Some(port) = port {
                break port;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "{lines:?}");
            std::thread::sleep(Duration::from_millis(20));
        };
        Process {
            child,
            address: format!("http://127.0.0.1:{port}"),
            stdout,
            stderr,
            _unread: unread,
        }
    }

    fn app(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: awc::Client::builder()
                .timeout(Duration::from_secs(60))
                .finish(),
        }
    }

    /// Stops the process with SIGTERM and returns all it printed on
    /// stdout and stderr.
    fn stop(mut self) -> (Vec<String>, Vec<String>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let exit = self.child.wait().expect("ml-api stops");
        assert!(exit.success(), "{exit:?}");
        let take = |(lines, reader): &mut (Lines, Option<JoinHandle<()>>)| {
            reader.take().map(JoinHandle::join);
            std::mem::take(&mut *lines.lock().unwrap())
        };
        (take(&mut self.stdout), take(&mut self.stderr))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn metric(app: &TestApp, name: &str) -> Option<u64> {
    let text = app.get("/metrics").await.text();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[actix_web::test]
async fn with_the_stdout_sink_lines_go_to_stdout_and_stderr_only_gets_the_start_up_line() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let process = Process::start(&[
        ("LOG_SINK", "stdout"),
        ("LOG_DIR", logs.to_str().unwrap()),
        ("LOG_INPUT_SAMPLE", "1"),
    ]);

    let reply = process.app().predict(&as_json(&valid_records()[..1])).await;
    let (stdout, stderr) = process.stop();

    assert_eq!(reply.status, 200);
    let tag = format!("request_id={} ", reply.request_id.unwrap());
    let mine: Vec<&String> = stdout.iter().filter(|l| l.contains(&tag)).collect();
    assert!(
        mine.iter().any(|l| l.contains("[ml_api::input]")),
        "{stdout:?}"
    );
    assert!(
        mine.iter().any(|l| l.contains("[ml_api::output]")),
        "{stdout:?}"
    );
    assert!(stdout.iter().any(|l| l.contains("INFO [ml_api::startup]")));
    assert_eq!(stderr.len(), 1, "{stderr:?}");
    assert!(stderr[0].contains("listening on"), "{stderr:?}");
    assert!(!logs.exists(), "the stdout sink writes no files");
}

#[actix_web::test]
async fn with_the_file_sink_no_line_is_copied_to_stderr_or_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let process = Process::start(&[
        ("LOG_DIR", dir.path().to_str().unwrap()),
        ("LOG_INPUT_SAMPLE", "1"),
    ]);

    let reply = process.app().predict(&as_json(&valid_records()[..1])).await;
    let (stdout, stderr) = process.stop();

    assert_eq!(reply.status, 200);
    let file = dir.path().join(ml_api::telemetry::CURRENT_FILE);
    let log = std::fs::read_to_string(file).unwrap();
    let tag = format!("request_id={} ", reply.request_id.unwrap());
    assert!(
        log.lines().filter(|l| l.contains(&tag)).count() >= 2,
        "{log}"
    );
    assert!(stdout.is_empty(), "{stdout:?}");
    assert_eq!(stderr.len(), 1, "{stderr:?}");
    assert!(stderr[0].contains("listening on"), "{stderr:?}");
}

#[actix_web::test]
async fn past_the_byte_budget_lines_are_dropped_counted_and_reported() {
    let started = Instant::now();
    let process = Process::start(&[
        ("LOG_SINK", "stdout"),
        ("LOG_MAX_LINE_BYTES", "1024"),
        ("LOG_MAX_BYTES_PER_SEC", "1024"),
        ("LOG_INPUT_SAMPLE", "1"),
    ]);
    let app = process.app();
    let body = as_json(&valid_records()[..1]);

    for _ in 0..30 {
        assert_eq!(app.predict(&body).await.status, 200);
    }
    let counted = metric(&app, "ml_api_log_lines_rate_limited_total").await;
    // The monitor reports drops once a second.
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let (stdout, _) = process.stop();
    let elapsed = started.elapsed().as_secs_f64();

    // 30 requests log about 90 lines; 1 KiB a second admits a few.
    assert!(counted.is_some_and(|n| n >= 30), "{counted:?}");
    let (reports, budgeted): (Vec<&String>, Vec<&String>) = stdout
        .iter()
        .partition(|l| l.contains("log lines dropped: more than LOG_MAX_BYTES_PER_SEC=1024"));
    assert!(!reports.is_empty(), "{stdout:?}");
    assert!(stdout.iter().all(|l| l.len() < 1024));
    let bytes: usize = budgeted.iter().map(|l| l.len() + 1).sum();
    assert!(
        bytes as f64 <= 1024.0 * (1.0 + elapsed),
        "{bytes} in {elapsed} s"
    );
}

#[actix_web::test]
async fn a_stdout_nobody_reads_holds_up_the_log_not_the_requests() {
    let process = Process::start_with_stdout_unread(&[
        ("LOG_SINK", "stdout"),
        ("LOG_INPUT_SAMPLE", "1"),
        ("LOG_MAX_BYTES_PER_SEC", "1073741824"),
    ]);
    let app = process.app();
    let body = as_json(&valid_records()[..1]);

    // About 2 KB of log a request: 64 KiB fill the pipe, 1 MiB more the
    // lines waiting for it.
    for _ in 0..800 {
        let reply = actix_web::rt::time::timeout(Duration::from_secs(10), app.predict(&body))
            .await
            .expect("answered while stdout is not read");
        assert_eq!(reply.status, 200);
    }

    let dropped = metric(&app, "ml_api_log_lines_dropped_total").await;
    assert!(dropped.is_some_and(|n| n > 0), "{dropped:?}");
    assert_eq!(metric(&app, "ml_api_log_file_healthy").await, Some(1));
    // Not stopped with SIGTERM: its last flush would wait for the reader.
}
