//! What one log line costs the thread that logs it, in a loop: the service's
//! writer (escaped, bounded, budgeted, handed to the log thread) with a sink
//! that discards, for the
//! two lines a prediction writes, next to formatting the same record into a
//! plain buffer as the writer did before the bounds (flexi_logger's
//! timestamp, no escaping). Timed in the thread's own CPU time
//! (`/proc/thread-self/schedstat`, Linux), not the wall clock: on a shared
//! machine the thread waits for a CPU for much of the wall time. Numbers
//! for `BENCHMARKS.md` §5, "Logging cost":
//!
//!     cargo run --release -p ml-api --example log_line_cost

use std::hint::black_box;

use flexi_logger::DeferredNow;
use flexi_logger::writers::LogWriter;
use ml_api::telemetry::bounded::{BoundedWriter, LineSink};

const LINES: u32 = 500_000;

/// Discards the lines, so only the writer's own work is timed.
struct Discard;

impl LineSink for Discard {
    fn write(&self, lines: &[u8]) {
        black_box(lines);
    }
    fn tick(&self) {}
    fn shutdown(&self) {}
}

fn before(
    w: &mut dyn std::io::Write,
    now: &mut DeferredNow,
    r: &log::Record,
) -> std::io::Result<()> {
    write!(
        w,
        "{} {} [{}] {}",
        now.format_rfc3339(),
        r.level(),
        r.target(),
        r.args()
    )
}

/// Nanoseconds this thread has run on a CPU.
fn cpu_ns() -> u64 {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    let first = text.split_whitespace().next().unwrap_or_default();
    first.parse().expect("a CPU time in ns")
}

fn time(what: &str, mut log: impl FnMut(&log::Record)) {
    let output = r#"{"predictions":[{"row":0,"id":1461,"price":117187.0226640523}],"version":"0.2.0","errors":[]}"#;
    let input = format!(
        "[{}]",
        r#"{"Id":1461,"MSSubClass":20,"MSZoning":"RH","LotFrontage":80,"LotArea":11622}"#
            .repeat(20)
    );
    for (line, target, message) in [
        (
            "output",
            "ml_api::output",
            format!("rows=1 predicted=1 rejected_fields=0 output={output}"),
        ),
        (
            "input",
            "ml_api::input",
            format!("format=Json bytes={} input={input}", input.len()),
        ),
    ] {
        let started = cpu_ns();
        for i in 0..LINES {
            let args = format_args!("request_id=fd544fe4-{i:x} model_version=0.2.0 {message}");
            let record = log::Record::builder()
                .args(args)
                .level(log::Level::Info)
                .target(target)
                .build();
            log(&record);
        }
        let ns = (cpu_ns() - started) as f64 / f64::from(LINES);
        println!(
            "{what:>40}, {line:>6} line ({:>4} bytes): {ns:>6.0} ns",
            message.len() + 80
        );
    }
}

fn main() {
    let writer = BoundedWriter::start(
        Box::new(Discard),
        ml_api::telemetry::format_line,
        16 * 1024,
        1 << 30,
    );
    time("bounded writer (this service)", |record| {
        let _ = writer.write(&mut DeferredNow::new(), record);
    });
    let mut buffer = Vec::new();
    time("plain buffer, flexi_logger timestamp", |record| {
        buffer.clear();
        let _ = before(&mut buffer, &mut DeferredNow::new(), record);
        buffer.push(b'\n');
        black_box(&buffer);
    });
    let budget = BoundedWriter::start(
        Box::new(Discard),
        ml_api::telemetry::format_line,
        16 * 1024,
        1024,
    );
    time("bounded writer past its budget (dropped)", |record| {
        let _ = budget.write(&mut DeferredNow::new(), record);
    });
}
