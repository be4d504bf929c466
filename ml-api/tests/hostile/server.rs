//! The `ml-api` binary as a child process on a free loopback port, with a
//! log folder of its own, spoken to over raw HTTP/1.1.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Server {
    /// Starts the binary with its defaults; `prlimit` arguments, if any,
    /// put it under those resource limits.
    pub fn start(prlimit: &[&str]) -> Server {
        Server::start_with(prlimit, &[])
    }

    /// [`Server::start`] with extra environment variables (`MODEL_PATH`).
    pub fn start_with(prlimit: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let binary = env!("CARGO_BIN_EXE_ml-api");
        let mut command = if prlimit.is_empty() {
            Command::new(binary)
        } else {
            let mut command = Command::new("prlimit");
            command.args(prlimit).arg("--").arg(binary);
            command
        };
        let stderr = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
        let stdout = std::fs::File::create(dir.path().join("stdout.log")).unwrap();
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .env("LOG_DIR", dir.path().join("logs"))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        let child = command.spawn().expect("the ml-api binary starts");
        let server = Server { child, port, dir };
        server.wait_until_ready();
        server
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = stream
                    .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                let mut answer = Vec::new();
                let _ = stream.read_to_end(&mut answer);
                if answer.starts_with(b"HTTP/1.1 200") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("ml-api did not become ready on port {}", self.port);
    }

    /// Sends a whole request (its `Connection: close` ends the answer) and
    /// reads the answer; a server that answers before reading the whole
    /// body may close its side early, which is not an error here.
    pub fn send(&self, request: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let request = request.to_vec();
        let sender = std::thread::spawn(move || {
            let _ = writer.write_all(&request);
            let _ = writer.shutdown(Shutdown::Write);
        });
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let _ = sender.join();
        parse(&answer)
    }

    pub fn is_running(&self) -> bool {
        Path::new(&format!("/proc/{}", self.child.id())).exists()
    }

    /// Bytes the server has logged so far, in every file it writes.
    pub fn log_bytes(&self) -> u64 {
        folder_bytes(self.dir.path())
    }

    /// Resets the server's peak resident set to its current one, so the
    /// next [`Server::peak_rss`] is the peak of what happens in between.
    pub fn reset_peak_rss(&self) {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")
            .expect("the peak RSS can be reset (/proc/<pid>/clear_refs)");
    }

    /// The server's peak resident set (VmHWM).
    pub fn peak_rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is running");
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status");
        kib * 1024
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn folder_bytes(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => folder_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn parse(answer: &[u8]) -> Reply {
    let status = answer
        .get(9..12)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(Vec::new(), |at| answer[at + 4..].to_vec());
    Reply { status, body }
}
