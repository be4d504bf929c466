//! The committed fixtures are exactly what the commands documented in their README produce,
//! and they have the promised shape.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Table;
use synth_data::{HEADER, TEST_ONLY_MISSING, UNSEEN_LABELS};

const COMMAND_PREFIX: &str = "cargo run -p synth-data --release -- ";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = workspace_root().join("fixtures/synthetic").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `(args without --out, --out path)` of every documented regeneration command.
fn documented_commands() -> Vec<(Vec<String>, String)> {
    let readme = String::from_utf8(fixture("README.md")).unwrap();
    readme
        .lines()
        .filter_map(|line| line.trim().strip_prefix(COMMAND_PREFIX))
        .map(|args| {
            let words: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
            let at = words
                .iter()
                .position(|w| w == "--out")
                .expect("documented command has --out");
            let out = words[at + 1].clone();
            let rest = words[..at]
                .iter()
                .chain(&words[at + 2..])
                .cloned()
                .collect();
            (rest, out)
        })
        .collect()
}

#[test]
fn fixtures_are_byte_identical_to_the_documented_commands() {
    let commands = documented_commands();
    let outs: Vec<&str> = commands.iter().map(|(_, out)| out.as_str()).collect();
    assert_eq!(
        outs,
        [
            "fixtures/synthetic/train.csv",
            "fixtures/synthetic/test.csv"
        ]
    );
    for (args, out) in &commands {
        let run = Command::new(env!("CARGO_BIN_EXE_synth-data"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let committed = std::fs::read(workspace_root().join(out)).unwrap();
        assert!(
            run.stdout == committed,
            "{out} differs from `synth-data {}`; regenerate it as fixtures/synthetic/README.md says",
            args.join(" ")
        );
    }
}

#[test]
fn fixtures_have_kaggle_shape() {
    for (name, rows, columns, first_id) in [("train.csv", 400, 81, 1), ("test.csv", 120, 80, 1001)]
    {
        let bytes = fixture(name);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            !text.contains('\r') && !text.contains('"'),
            "{name}: plain LF, unquoted"
        );
        assert_eq!(text.lines().next().unwrap(), HEADER[..columns].join(","));
        let table = Table::parse(&bytes);
        assert_eq!(table.rows.len(), rows, "{name}");
        assert!(
            table.rows.iter().all(|r| r.len() == columns),
            "{name}: ragged rows"
        );
        let ids = table.numbers("Id");
        assert!(
            ids.iter()
                .enumerate()
                .all(|(i, &id)| id == (first_id + i) as f64),
            "{name} ids"
        );
    }
}

#[test]
fn test_fixture_has_unseen_labels_and_unexpected_missing_values_train_has_none() {
    let train = Table::parse(&fixture("train.csv"));
    let test = Table::parse(&fixture("test.csv"));
    for u in UNSEEN_LABELS {
        assert!(
            !train.column(u.column).contains(&u.label),
            "train has {}={}",
            u.column,
            u.label
        );
    }
    let unseen = UNSEEN_LABELS
        .iter()
        .filter(|u| test.column(u.column).contains(&u.label))
        .count();
    assert!(unseen >= 2, "only {unseen} unseen labels in test.csv");
    for column in TEST_ONLY_MISSING {
        assert!(
            !train.column(column).contains(&"NA"),
            "train has NA in {column}"
        );
    }
    let missing = TEST_ONLY_MISSING
        .iter()
        .filter(|c| test.column(c).contains(&"NA"))
        .count();
    assert!(
        missing >= 2,
        "only {missing} test-only-missing columns have NA in test.csv"
    );
}
