use std::sync::{Arc, Mutex};

use indicatif::TermLike;

use super::*;

/// A terminal that keeps what is drawn on it.
#[derive(Debug, Clone, Default)]
struct Screen(Arc<Mutex<String>>);

impl TermLike for Screen {
    fn width(&self) -> u16 {
        100
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.write_str(&format!("{s}\n"))
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.0.lock().unwrap().push_str(s);
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_terminal_gets_a_bar_with_rows_per_second_and_an_eta() {
    let screen = Screen::default();
    let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
    let mut progress = Progress::with(
        "predict",
        Some(1000),
        Unit::Input,
        Show::Bar(bar("predict", Some(1000), Unit::Input, target)),
    );
    progress.update(500, 12_345);
    progress.finish();
    let drawn = screen.0.lock().unwrap().clone();
    assert!(drawn.contains("predict"), "{drawn}");
    assert!(drawn.contains("12,345 rows, "), "{drawn}");
    assert!(drawn.contains(" rows/s"), "{drawn}");
    assert!(drawn.contains("50%") && drawn.contains("ETA"), "{drawn}");
}

#[test]
fn an_input_of_unknown_size_gets_a_spinner_with_bytes_and_rows_per_second() {
    let screen = Screen::default();
    let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
    let show = Show::Bar(bar("predict", None, Unit::Input, target));
    let mut progress = Progress::with("predict", None, Unit::Input, show);
    progress.update(2048, 7);
    progress.finish();
    let drawn = screen.0.lock().unwrap().clone();
    assert!(drawn.contains("2.00 KiB read, 7 rows, "), "{drawn}");
    assert!(drawn.contains(" rows/s"), "{drawn}");
}

#[test]
fn a_log_line_gives_rows_rate_share_and_time_left() {
    let text = line(
        "predict",
        250,
        1_000_000,
        Some(1000),
        Duration::from_secs(4),
    );
    assert_eq!(
        text,
        "predict: 1,000,000 rows, 250,000 rows/s, 25%, ETA 12 s"
    );
    let unknown = line("train", 250, 10, None, Duration::from_secs(1));
    assert_eq!(unknown, "train: 10 rows, 10 rows/s");
}

#[test]
fn without_a_terminal_a_line_is_logged_once_per_interval() {
    let log = |every| Show::Log {
        every,
        last: Instant::now(),
    };
    let mut waiting = Progress::with(
        "predict",
        Some(100),
        Unit::Input,
        log(Duration::from_secs(3600)),
    );
    assert_eq!(waiting.step(50, 5), None, "not before the interval");
    let mut due = Progress::with("predict", Some(100), Unit::Input, log(Duration::ZERO));
    let line = due.step(50, 5).expect("a line once the interval is over");
    assert!(
        line.starts_with("predict: 5 rows, ") && line.contains("50%, ETA"),
        "{line}"
    );
}

#[test]
fn steps_get_a_bar_with_the_count_and_an_eta() {
    let screen = Screen::default();
    let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
    let unit = Unit::Steps("folds fitted");
    let show = Show::Bar(bar("tune", Some(40), unit, target));
    let mut progress = Progress::with("tune", Some(40), unit, show);
    progress.update(10, 10);
    progress.finish();
    let drawn = screen.0.lock().unwrap().clone();
    assert!(drawn.contains("tune"), "{drawn}");
    assert!(drawn.contains("10/40 folds fitted, ETA"), "{drawn}");
}

#[test]
fn a_steps_log_line_gives_the_count_and_time_left() {
    let text = steps_line("tune", 10, "folds fitted", Some(40), Duration::from_secs(5));
    assert_eq!(text, "tune: 10 of 40 folds fitted, ETA 15 s");
    let none_yet = steps_line("tune", 0, "folds fitted", Some(40), Duration::ZERO);
    assert_eq!(none_yet, "tune: 0 of 40 folds fitted");
}

#[test]
fn quiet_shows_nothing_whatever_is_reported() {
    let mut quiet = Progress::with("predict", Some(10), Unit::Input, Show::Nothing);
    assert_eq!(quiet.step(10, 10), None);
}

#[test]
fn thousands_are_separated() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(12_345_678), "12,345,678");
}
