//! The processes the browser test drives: the real `ml-api` binary on port
//! 0, and chromedriver on a free port. Each is killed when dropped.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Where chromium and chromedriver are, or why the test cannot run.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Browser {
    /// `$CHROMIUM` / `$CHROMEDRIVER`, else `chromium` / `chromedriver` on
    /// the `PATH` (Debian's `chromium` and `chromium-driver` packages).
    pub fn find() -> Result<Browser, String> {
        let find = |variable: &str, name: &str| {
            std::env::var_os(variable)
                .map(PathBuf::from)
                .or_else(|| on_path(name))
                .ok_or_else(|| format!("`{name}` is not installed (apt-get install chromium chromium-driver) and ${variable} is not set"))
        };
        Ok(Browser {
            chromium: find("CHROMIUM", "chromium")?,
            chromedriver: find("CHROMEDRIVER", "chromedriver")?,
        })
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// A child process killed (and reaped) on drop.
pub struct Running {
    child: Child,
    pub port: u16,
    _dir: Option<TempDir>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `target/.../ml-api` with `PORT=0` and reads the port it bound
/// from the one line it writes to stderr.
pub fn start_server() -> Running {
    let dir = tempfile::tempdir().expect("temp log dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ml-api"))
        .env("PORT", "0")
        .env("HOST", "127.0.0.1")
        .env("WORKERS", "2")
        .env("LOG_DIR", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ml-api starts");
    let stderr = child.stderr.take().expect("piped stderr");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = received.recv_timeout(left).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("ml-api wrote no `listening on` line within 30 s")
        });
        if let Some(address) = line.split("listening on ").nth(1) {
            let port = address
                .split_whitespace()
                .next()
                .and_then(|a| a.rsplit(':').next());
            break port
                .and_then(|p| p.parse().ok())
                .expect("a port in the line");
        }
    };
    Running {
        child,
        port,
        _dir: Some(dir),
    }
}

/// Starts chromedriver on a free port and waits until it accepts
/// connections.
pub fn start_chromedriver(chromedriver: &Path) -> Running {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let running = Running {
        child,
        port,
        _dir: None,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen within 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    running
}
