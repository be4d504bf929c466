//! Progress of long commands, on stderr only: a bar with rows/s and an ETA
//! when stderr is a terminal, otherwise one log line every few seconds (a
//! job's log stays short and greppable), nothing with `--quiet`. Never on
//! stdout, which may be the output.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static QUIET: OnceLock<bool> = OnceLock::new();

/// How often a progress line is logged when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// Called once by `main`: `--quiet` silences every progress display.
pub fn init(quiet: bool) {
    let _ = QUIET.set(quiet);
}

/// The progress of one pass over an input of `total` bytes (when known),
/// reported by the caller as bytes read and rows done; or of a count of
/// like steps ([`Progress::steps`], e.g. the fold fits of a grid).
pub struct Progress {
    what: &'static str,
    total: Option<u64>,
    started: Instant,
    show: Show,
    unit: Unit,
}

/// What a progress counts.
#[derive(Clone, Copy)]
enum Unit {
    /// Bytes of input (the bar's position) and rows done (its message).
    Input,
    /// Steps named by the string ("folds fitted"), `total` of them.
    Steps(&'static str),
}

enum Show {
    Bar(ProgressBar),
    Log { every: Duration, last: Instant },
    Nothing,
}

impl Progress {
    /// A bar on a terminal, log lines elsewhere, nothing when quiet.
    pub fn start(what: &'static str, total: Option<u64>) -> Progress {
        Progress::shown(what, total, Unit::Input)
    }

    /// Progress over `total` steps called `unit` ("folds fitted"), each
    /// reported with [`Progress::update`]`(done, done)`.
    pub fn steps(what: &'static str, total: u64, unit: &'static str) -> Progress {
        Progress::shown(what, Some(total), Unit::Steps(unit))
    }

    /// One step of unknown length (fitting a model): a spinner with the
    /// time so far on a terminal, one log line at its start elsewhere.
    pub fn phase(what: &'static str) -> Progress {
        let progress = Progress::shown(what, None, Unit::Steps(""));
        match &progress.show {
            Show::Bar(bar) => bar.enable_steady_tick(Duration::from_millis(120)),
            Show::Log { .. } => log::info!("{what}"),
            Show::Nothing => {}
        }
        progress
    }

    fn shown(what: &'static str, total: Option<u64>, unit: Unit) -> Progress {
        let show = if QUIET.get().copied().unwrap_or(false) {
            Show::Nothing
        } else if std::io::stderr().is_terminal() {
            Show::Bar(bar(what, total, unit, ProgressDrawTarget::stderr()))
        } else {
            Show::Log {
                every: LOG_EVERY,
                last: Instant::now(),
            }
        };
        Progress::with(what, total, unit, show)
    }

    fn with(what: &'static str, total: Option<u64>, unit: Unit, show: Show) -> Progress {
        Progress {
            what,
            total,
            started: Instant::now(),
            show,
            unit,
        }
    }

    /// Reports `bytes` of the input read and `rows` done so far.
    pub fn update(&mut self, bytes: u64, rows: u64) {
        if let Some(line) = self.step(bytes, rows) {
            log::info!("{line}");
        }
    }

    /// Updates the bar, or returns the log line due now, if one is.
    fn step(&mut self, bytes: u64, rows: u64) -> Option<String> {
        let elapsed = self.started.elapsed();
        match &mut self.show {
            Show::Bar(bar) => {
                bar.set_position(bytes);
                if let Unit::Input = self.unit {
                    bar.set_message(format!("{} rows, {}", thousands(rows), rate(rows, elapsed)));
                }
                None
            }
            Show::Log { every, last } if last.elapsed() >= *every => {
                *last = Instant::now();
                Some(match self.unit {
                    Unit::Input => line(self.what, bytes, rows, self.total, elapsed),
                    Unit::Steps(unit) => steps_line(self.what, rows, unit, self.total, elapsed),
                })
            }
            Show::Log { .. } | Show::Nothing => None,
        }
    }

    /// Runs `f` (which writes to stderr) with the bar out of the way.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.show {
            Show::Bar(bar) => bar.suspend(f),
            _ => f(),
        }
    }

    /// Ends the display: the bar is cleared (the command's own summary
    /// follows; a bar left standing would share its line).
    pub fn finish(self) {
        if let Show::Bar(bar) = self.show {
            bar.finish_and_clear();
        }
    }
}

fn bar(
    what: &'static str,
    total: Option<u64>,
    unit: Unit,
    target: ProgressDrawTarget,
) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(total, target);
    let template = match (unit, total) {
        (Unit::Input, Some(_)) => {
            "{prefix} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg}, ETA {eta}"
        }
        (Unit::Input, None) => "{spinner} {prefix} [{elapsed_precise}] {binary_bytes} read, {msg}",
        (Unit::Steps(_), Some(_)) => {
            "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg}, ETA {eta}"
        }
        (Unit::Steps(_), None) => "{spinner} {prefix} [{elapsed_precise}]",
    };
    let style = ProgressStyle::with_template(template).expect("the templates are valid");
    bar.set_style(style);
    bar.set_prefix(what);
    if let Unit::Steps(unit) = unit {
        bar.set_message(unit);
    }
    bar
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn rate(rows: u64, elapsed: Duration) -> String {
    let per_second = rows as f64 / elapsed.as_secs_f64().max(1e-3);
    format!("{} rows/s", thousands(per_second.round() as u64))
}

/// A progress log line: rows, rate, and with a known size the share done
/// and the time left at the rate so far.
fn line(what: &str, bytes: u64, rows: u64, total: Option<u64>, elapsed: Duration) -> String {
    let mut text = format!("{what}: {} rows, {}", thousands(rows), rate(rows, elapsed));
    if let Some(total) = total.filter(|&t| t > 0 && bytes > 0) {
        let done = (bytes as f64 / total as f64).min(1.0);
        let left = elapsed.as_secs_f64() * (1.0 - done) / done;
        text.push_str(&format!(", {:.0}%, ETA {:.0} s", done * 100.0, left));
    }
    text
}

/// A progress log line for steps: how many of how many, and the time left
/// at the rate so far.
fn steps_line(what: &str, done: u64, unit: &str, total: Option<u64>, elapsed: Duration) -> String {
    let mut text = format!("{what}: {done}");
    if let Some(total) = total.filter(|&t| t > 0) {
        text.push_str(&format!(" of {total}"));
        if done > 0 {
            let left = elapsed.as_secs_f64() * total.saturating_sub(done) as f64 / done as f64;
            text.push_str(&format!(" {unit}, ETA {left:.0} s"));
            return text;
        }
    }
    text.push_str(&format!(" {unit}"));
    text
}

#[cfg(test)]
mod tests;
