//! How `predict --output` (and `train --out`) treat what is already at the
//! path: a FIFO is written in place, a symbolic link stays a link to a
//! target that gets the rows, a directory is refused before any work, and
//! no run leaves a `.partial-<pid>` temporary behind.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::helpers::{run_cli as run, synthetic_arg, temp_dir, text};

/// What `predict` writes to stdout for the synthetic test fixture: what
/// every output file must hold.
fn expected_prices(dir: &Path) -> String {
    let output = run(&["predict", "--input", &synthetic_arg("test.csv")], dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

/// Names in `dir` (not recursive) that look like a temporary output.
fn partial_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".partial"))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_fifo_output_is_written_in_place_and_its_reader_gets_the_rows() {
    let dir = temp_dir();
    let expected = expected_prices(dir.path());
    let fifo = dir.path().join("prices.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let (sender, received) = mpsc::channel();
    let reader_path = fifo.clone();
    std::thread::spawn(move || {
        let mut rows = String::new();
        let read = std::fs::File::open(&reader_path).and_then(|mut f| f.read_to_string(&mut rows));
        let _ = sender.send(read.map(|_| rows));
    });

    let output = run(
        &[
            "predict",
            "--input",
            &synthetic_arg("test.csv"),
            "--output",
            "prices.csv",
        ],
        dir.path(),
    );

    if !output.status.success() {
        // Unblock the reader's `open` so the test fails instead of hanging.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
    }
    assert!(output.status.success(), "{}", text(&output.stderr));
    let rows = received
        .recv_timeout(Duration::from_secs(60))
        .expect("the FIFO's reader got an end of file")
        .expect("the FIFO reads");
    assert_eq!(rows, expected);
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by a {kind:?}");
    assert_eq!(partial_files(dir.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_symlink_output_stays_a_link_and_its_target_gets_the_rows_and_keeps_its_mode() {
    let dir = temp_dir();
    let expected = expected_prices(dir.path());
    std::fs::create_dir(dir.path().join("kept")).unwrap();
    let target = dir.path().join("kept/prices.csv");
    std::fs::write(&target, "old rows\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::Permissions::from_mode(0o640);
    std::fs::set_permissions(&target, mode).unwrap();
    let link = dir.path().join("latest.csv");
    std::os::unix::fs::symlink("kept/prices.csv", &link).unwrap();

    let output = run(
        &[
            "predict",
            "--input",
            &synthetic_arg("test.csv"),
            "--output",
            "latest.csv",
        ],
        dir.path(),
    );

    assert!(output.status.success(), "{}", text(&output.stderr));
    let kind = std::fs::symlink_metadata(&link).unwrap().file_type();
    assert!(kind.is_symlink(), "the link was replaced by a {kind:?}");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("kept/prices.csv")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), expected);
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o640,
        "the replaced file lost its permissions"
    );
    assert_eq!(partial_files(dir.path()), Vec::<String>::new());
    assert_eq!(
        partial_files(&dir.path().join("kept")),
        Vec::<String>::new()
    );
}

#[test]
fn a_directory_output_is_refused_before_scoring_and_leaves_no_partial_file() {
    for command in ["predict", "explain"] {
        let dir = temp_dir();
        std::fs::create_dir(dir.path().join("prices")).unwrap();
        let input = synthetic_arg("test.csv");
        let args = [command, "--input", &input, "--output", "prices"];

        let output = run(&args, dir.path());

        assert!(!output.status.success(), "{command}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("cannot write prices: it is a directory"),
            "{command}: {stderr}"
        );
        // Scoring the fixture notes imputed and extrapolated rows on stderr.
        assert!(
            !stderr.contains("row "),
            "{command} scored before refusing: {stderr}"
        );
        assert_eq!(partial_files(dir.path()), Vec::<String>::new());
        let inside = std::fs::read_dir(dir.path().join("prices"))
            .unwrap()
            .count();
        assert_eq!(inside, 0, "{command} wrote into the directory");
    }
}

#[test]
fn a_failed_rename_leaves_no_partial_file() {
    // Arrange: `predict` reads stdin, so the test can make `prices.csv` a
    // directory after the output is checked and its temporary created.
    let dir = temp_dir();
    let input = std::fs::read(synthetic_arg("test.csv")).unwrap();
    let header_end = input.iter().position(|b| *b == b'\n').unwrap() + 1;
    let mut child = Command::new(env!("CARGO_BIN_EXE_regression-model"))
        .args(["predict", "--input", "-", "--output", "prices.csv"])
        .current_dir(dir.path())
        .env("REGRESSION_MODEL_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().unwrap();
    // The input is opened (its first bytes read) before the output.
    stdin.write_all(&input[..header_end]).unwrap();
    stdin.flush().unwrap();
    let temporary = dir
        .path()
        .join(format!("prices.csv.partial-{}", child.id()));
    let waiting = Instant::now();
    while !temporary.exists() {
        assert!(waiting.elapsed() < Duration::from_secs(60), "no temporary");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::fs::create_dir(dir.path().join("prices.csv")).unwrap();
    std::fs::write(dir.path().join("prices.csv/other.csv"), "x\n").unwrap();

    // Act
    stdin.write_all(&input[header_end..]).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();

    // Assert
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("cannot rename"), "{stderr}");
    assert_eq!(partial_files(dir.path()), Vec::<String>::new());
}

#[test]
fn an_input_that_fails_to_parse_writes_no_header_to_stdout() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("bad.json"), "[{\"Id\": 1,").unwrap();

    let output = run(&["predict", "--input", "bad.json"], dir.path());

    assert!(!output.status.success());
    assert_eq!(text(&output.stdout), "", "{}", text(&output.stderr));
}

#[test]
fn an_input_without_rows_still_gets_the_header() {
    let dir = temp_dir();
    let fixture = std::fs::read_to_string(synthetic_arg("test.csv")).unwrap();
    let header = fixture.lines().next().unwrap();
    std::fs::write(dir.path().join("empty.csv"), format!("{header}\n")).unwrap();

    let output = run(&["predict", "--input", "empty.csv"], dir.path());

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "Id,SalePrice\n");
}

#[test]
fn train_refuses_a_directory_out_before_training() {
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("models")).unwrap();

    let output = run(
        &[
            "train",
            "--data",
            &synthetic_arg("train.csv"),
            "--out",
            "models",
        ],
        dir.path(),
    );

    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("cannot write models: it is a directory"),
        "{stderr}"
    );
    assert!(!text(&output.stdout).contains("trained"));
    assert_eq!(
        std::fs::read_dir(dir.path().join("models"))
            .unwrap()
            .count(),
        0
    );
}
