//! The research and explanation commands (`tune`, `analyze`, `select`,
//! `explain`), run as a user would, each test in its own temporary directory.

use crate::helpers::{
    config_path, fixture, run_cli as run, synthetic_arg, temp_dir, text, train_into,
};

#[test]
fn tune_prints_mean_and_sd_per_grid_point_and_the_same_json_for_any_thread_count() {
    let dir = temp_dir();
    let tune = |threads: &str| {
        let output = run(
            &[
                "tune",
                "--config",
                config_path("generation-2").to_str().unwrap(),
                "--data",
                &synthetic_arg("train.csv"),
                "--grid",
                "estimator.alpha=0.001,0.01",
                "--folds",
                "3",
                "--seed",
                "5",
                "--threads",
                threads,
                "--json",
            ],
            dir.path(),
        );
        assert!(output.status.success(), "{}", text(&output.stderr));
        let mut report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["threads"] = serde_json::Value::Null;
        for point in report["points"].as_array_mut().unwrap() {
            point["summary"]["fit_seconds_mean"] = serde_json::Value::Null;
            for fold in point["folds"].as_array_mut().unwrap() {
                fold["fit_seconds"] = serde_json::Value::Null;
            }
        }
        report
    };
    let one = tune("1");
    assert_eq!(one, tune("2"));
    assert_eq!(one["points"].as_array().unwrap().len(), 2);
    let table = run(
        &[
            "tune",
            "--config",
            config_path("generation-2").to_str().unwrap(),
            "--data",
            &synthetic_arg("train.csv"),
            "--grid",
            "estimator.alpha=0.001,0.01",
        ],
        dir.path(),
    );
    let stdout = text(&table.stdout);
    assert!(
        stdout.contains("±") && stdout.contains("best: point"),
        "{stdout}"
    );
}

#[test]
fn analyze_prints_the_redundancy_and_writes_svg_charts() {
    let dir = temp_dir();
    let plots = dir.path().join("plots");
    let output = run(
        &[
            "analyze",
            "--data",
            &synthetic_arg("train.csv"),
            "--plots",
            plots.to_str().unwrap(),
            "--config",
            config_path("generation-2").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("constant        Utilities"), "{stdout}");
    assert!(stdout.contains("Exterior2nd = Exterior1st"), "{stdout}");
    for chart in [
        "target.svg",
        "missing.svg",
        "correlations.svg",
        "residuals.svg",
    ] {
        let svg = std::fs::read_to_string(plots.join(chart)).unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
    }
    let json = run(
        &["analyze", "--data", &synthetic_arg("train.csv"), "--json"],
        dir.path(),
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["redundancy"]["constant"][0], "Utilities");
}

#[test]
fn select_writes_a_config_with_the_reasons_as_comments() {
    let dir = temp_dir();
    let out = dir.path().join("selected.toml");
    let output = run(
        &[
            "select",
            "--config",
            config_path("generation-3").to_str().unwrap(),
            "--data",
            &synthetic_arg("train.csv"),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("# Written by `regression-model select`"));
    assert!(written.contains("Exterior2nd") && written.contains("duplicate of Exterior1st"));
    regression_model::PipelineConfig::from_file(&out).unwrap();
}

#[test]
fn explain_writes_one_json_line_per_predicted_row_that_adds_up_to_its_price() {
    let dir = temp_dir();
    let model = train_into(dir.path(), "generation-2");
    let input = fixture("synthetic/test.csv");
    let args = ["--model", &model, "--input", input.to_str().unwrap()];
    let explained = run(
        &[&["explain"], &args[..], &["--output", "out.jsonl"]].concat(),
        dir.path(),
    );
    assert!(explained.status.success(), "{}", text(&explained.stderr));
    let predicted = run(&[&["predict"], &args[..]].concat(), dir.path());
    let prices: Vec<f64> = text(&predicted.stdout)
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let lines = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    let explanations: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(explanations.len(), prices.len());
    for (e, price) in explanations.iter().zip(prices) {
        // serde_json's default float parsing may be one ulp off.
        assert!(
            (e["price"].as_f64().unwrap() / price - 1.0).abs() < 1e-12,
            "{e}"
        );
        let sum: f64 = e["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["value"].as_f64().unwrap())
            .sum();
        let output = e["base_value"].as_f64().unwrap() + sum;
        assert!((output - price.ln()).abs() < 1e-9, "{e}");
        assert!(
            e["contributions"][0]["factor"].as_f64().unwrap() > 0.0,
            "{e}"
        );
    }
    // The same rejections (predict also notes imputed and extrapolated
    // inputs, which an explanation does not list).
    let rejections = |stderr: &[u8]| -> Vec<String> {
        (text(stderr).lines())
            .filter(|l| !l.starts_with("note: "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(rejections(&explained.stderr), rejections(&predicted.stderr));
}

#[test]
fn explain_refuses_a_model_with_trees_and_says_why() {
    let dir = temp_dir();
    let model = train_into(dir.path(), "random-forest");
    let input = fixture("synthetic/test.csv");
    let output = run(
        &[
            "explain",
            "--model",
            &model,
            "--input",
            input.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("cannot explain a random_forest model"),
        "{}",
        text(&output.stderr)
    );
}
