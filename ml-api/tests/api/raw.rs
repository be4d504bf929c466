//! Test support below HTTP clients: raw TCP connections that send a
//! request slowly or not at all, and the real `ml-api` binary run as a
//! child process (for signals and for faults that need their own logger).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a raw connection read back, and when the server stopped sending.
pub struct RawReply {
    pub text: String,
    pub elapsed: Duration,
}

impl RawReply {
    pub fn status(&self) -> Option<u16> {
        self.text
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
    }
}

/// Connects to `address` (`http://127.0.0.1:PORT`), sends `first`, waits
/// `pause`, sends `then`, and reads until the server closes the connection
/// or `give_up` passes. Runs on the blocking pool.
pub async fn exchange(
    address: &str,
    first: Vec<u8>,
    pause: Duration,
    then: Vec<u8>,
    give_up: Duration,
) -> RawReply {
    let host = address.trim_start_matches("http://").to_owned();
    actix_web::rt::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut stream = TcpStream::connect(&host).expect("connects");
        stream.set_read_timeout(Some(give_up)).unwrap();
        stream.write_all(&first).unwrap();
        std::thread::sleep(pause);
        // The server may have closed already; that is what some tests expect.
        let _ = stream.write_all(&then);
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        RawReply {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            elapsed: started.elapsed(),
        }
    })
    .await
    .expect("the raw connection thread")
}

/// The `ml-api` binary, running with its own environment.
pub struct Service {
    pub child: Child,
    pub address: String,
    pub stderr: Arc<Mutex<Vec<String>>>,
}

impl Service {
    /// Starts the binary with `vars` (plus port 0 and one worker) and waits
    /// until it says where it listens.
    pub fn start(vars: &[(&str, &str)]) -> Service {
        Service::spawn(Command::new(env!("CARGO_BIN_EXE_ml-api")), vars)
    }

    /// Starts the binary in its own mount namespace with a `size` tmpfs
    /// mounted on `dir`: a small disk that fills up, gone with the process.
    /// Root needs only the mount namespace; anyone else gets a user
    /// namespace that maps them to root inside it, where the kernel allows
    /// unprivileged user namespaces. `None` when neither is allowed.
    pub fn start_on_small_disk(dir: &Path, size: &str, vars: &[(&str, &str)]) -> Option<Service> {
        const AS_ROOT: &[&str] = &["--mount"];
        const AS_USER: &[&str] = &["--user", "--map-root-user", "--mount"];
        let namespaces = [AS_ROOT, AS_USER].into_iter().find(|flags| {
            Command::new("unshare")
                .args(*flags)
                .arg("true")
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })?;
        let mut command = Command::new("unshare");
        command.args(namespaces).args([
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -t tmpfs -o size=\"$0\" ml-api-test \"$1\" && exec \"$2\"",
        ]);
        command
            .arg(size)
            .arg(dir)
            .arg(env!("CARGO_BIN_EXE_ml-api"))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        Some(Service::spawn(command, vars))
    }

    fn spawn(mut command: Command, vars: &[(&str, &str)]) -> Service {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut child = command
            .env_clear()
            .env("PATH", path)
            .envs([("PORT", "0"), ("WORKERS", "1"), ("HOST", "127.0.0.1")])
            .envs(vars.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ml-api starts");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let seen = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Some((_, port)) = line.split_once("listening on 127.0.0.1:") {
                    let port: String = port.chars().take_while(char::is_ascii_digit).collect();
                    let _ = port_tx.send(port);
                }
                seen.lock().unwrap().push(line);
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("ml-api did not start: {:?}", stderr.lock().unwrap()));
        Service {
            child,
            address: format!("http://127.0.0.1:{port}"),
            stderr,
        }
    }

    /// Sends a signal (`HUP`, `TERM`) with `kill`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Lines of stderr so far that contain `text`.
    pub fn stderr_lines_with(&self, text: &str) -> Vec<String> {
        let lines = self.stderr.lock().unwrap();
        lines.iter().filter(|l| l.contains(text)).cloned().collect()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` every 50 ms until it holds or `within` passes.
pub async fn eventually(within: Duration, mut check: impl AsyncFnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < within {
        if check().await {
            return true;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

impl Service {
    /// An HTTP client for this service, like the one of `spawn_app`.
    pub fn app(&self) -> crate::helpers::TestApp {
        crate::helpers::TestApp {
            address: self.address.clone(),
            client: awc::Client::builder()
                .timeout(Duration::from_secs(60))
                .finish(),
        }
    }
}
