//! The two swaps of the soak, A to B at one third and back at two thirds:
//! with `--swap reload` a new file at `MODEL_PATH` and `POST /admin/reload`,
//! then SIGHUP; with `--swap promote` (the service runs both models, B as
//! challenger) `POST /admin/promote` twice. Each is timed from the request
//! to the moment the new version is served.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::http::{Connection, Request};
use crate::{Args, Reload};

/// How the soak swaps the served model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Swap {
    /// Replace the file at MODEL_PATH and reload (HTTP, then SIGHUP).
    Reload,
    /// Promote the challenger, then promote again (roll back).
    Promote,
}

/// The first swap, into B.
pub fn into_b(
    args: &Args,
    model_b: &PathBuf,
    version_b: &str,
    at: impl Fn(Instant) -> f64,
) -> Reload {
    let begun = Instant::now();
    let (how, ok) = match args.swap {
        Swap::Reload => {
            install(model_b, &args.model_path);
            ("POST /admin/reload", admin(args, "/admin/reload"))
        }
        Swap::Promote => ("POST /admin/promote", admin(args, "/admin/promote")),
    };
    Reload {
        how,
        to_version: version_b.to_owned(),
        begun: at(begun),
        done: at(Instant::now()),
        ok,
    }
}

/// The second swap, back into A; done once `/version` says so.
pub fn back_to_a(args: &Args, version_a: &str, at: impl Fn(Instant) -> f64) -> Reload {
    let begun = Instant::now();
    let (how, asked) = match args.swap {
        Swap::Reload => {
            install(&args.model_a, &args.model_path);
            let signalled = std::process::Command::new("kill")
                .args(["-HUP", &args.server_pid.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            ("SIGHUP", signalled)
        }
        Swap::Promote => (
            "POST /admin/promote (rollback)",
            admin(args, "/admin/promote"),
        ),
    };
    let ok = asked && wait_for_version(&args.address, version_a, Duration::from_secs(10));
    Reload {
        how,
        to_version: version_a.to_owned(),
        begun: at(begun),
        done: at(Instant::now()),
        ok,
    }
}

/// `POST path` with the admin token; true on 200.
fn admin(args: &Args, path: &str) -> bool {
    let reply = Connection::open(&args.address).and_then(|mut c| {
        c.send(
            &Request::post(path, None, Vec::new())
                .header("Authorization", &format!("Bearer {}", args.admin_token)),
        )
    });
    let ok = reply.as_ref().is_ok_and(|r| r.status == 200);
    if !ok {
        eprintln!("soak: {path} failed: {reply:?}");
    }
    ok
}

/// The shadow's summary (`GET /v1/models/compare`), for the report.
pub fn shadow_summary(address: &str) -> Option<String> {
    let reply = Connection::open(address)
        .and_then(|mut c| c.send(&Request::get("/v1/models/compare")))
        .ok()?;
    let body: serde_json::Value = serde_json::from_slice(&reply.body).ok()?;
    let pairs: Vec<String> = body["pairs"]
        .as_array()?
        .iter()
        .map(|p| {
            format!(
                "{} vs {}: {} requests, {} rows compared, max abs ln ratio {}",
                p["champion"],
                p["challenger"],
                p["requests"],
                p["rows_compared"],
                p["abs_log_diff"]["max"]
            )
        })
        .collect();
    Some(format!(
        "queued {}, dropped {}; {}",
        body["requests_queued"],
        body["requests_dropped"],
        pairs.join("; ")
    ))
}

/// Replaces the served file atomically (write aside, rename).
fn install(from: &PathBuf, to: &PathBuf) {
    let aside = to.with_extension("incoming");
    std::fs::copy(from, &aside).expect("copy the artifact");
    std::fs::rename(&aside, to).expect("rename the artifact");
}

fn wait_for_version(address: &str, version: &str, within: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < within {
        let answer = Connection::open(address).and_then(|mut c| c.send(&Request::get("/version")));
        if let Ok(response) = answer
            && String::from_utf8_lossy(&response.body).contains(&format!("\"{version}\""))
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}
