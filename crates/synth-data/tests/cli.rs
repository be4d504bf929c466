//! The binary: `--out FILE` and stdout give the same bytes; bad input exits non-zero with a message.

use std::process::Command;

fn synth_data(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_synth-data"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn out_file_equals_stdout() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("synth-data-cli-test.csv");
    let args = [
        "--rows",
        "25",
        "--seed",
        "5",
        "--no-target",
        "--first-id",
        "1461",
    ];
    let to_stdout = synth_data(&args);
    assert!(to_stdout.status.success());
    let to_file = synth_data(&[&args[..], &["--out", path.to_str().unwrap()]].concat());
    assert!(to_file.status.success() && to_file.stdout.is_empty());
    assert_eq!(std::fs::read(&path).unwrap(), to_stdout.stdout);
    let text = String::from_utf8(to_stdout.stdout).unwrap();
    assert_eq!(text.lines().count(), 26);
    assert!(text.lines().nth(1).unwrap().starts_with("1461,"));
}

#[test]
fn errors_exit_non_zero_with_a_message() {
    for args in [
        &["--rows", "5"][..],
        &["--rows", "5", "--seed", "1", "--unseen-label-rate", "2"],
        &[
            "--rows",
            "5",
            "--seed",
            "1",
            "--out",
            "/nonexistent-dir/x.csv",
        ],
    ] {
        let run = synth_data(args);
        assert!(!run.status.success(), "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains("error"),
            "{args:?}"
        );
    }
}
