//! Config loading and the whole-config check.

use super::*;

fn load(text: &str) -> Result<CheckedConfig> {
    PipelineConfig::from_toml(text, "test.toml")
}

fn error_of(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

const MINIMAL: &str = r#"
        name = "t"
        features = ["GrLivArea", "YrSold", "Neighborhood"]
        [[steps]]
        step = "drop"
        variables = ["YrSold"]
        [[steps]]
        step = "ordinal_by_target"
        variables = ["Neighborhood"]
        [estimator]
        model = "lasso"
        alpha = 0.001
    "#;

#[test]
fn the_shipped_configs_are_valid() {
    for file in [
        "generation-1.toml",
        "generation-2.toml",
        "random-forest.toml",
        "generation-3.toml",
        "generation-3-blend.toml",
        "generation-3-forest.toml",
        "generation-4-gbm.toml",
        "generation-4-krr.toml",
        "generation-4-svr.toml",
        "generation-4.toml",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config")
            .join(file);
        PipelineConfig::from_file(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    assert_eq!(
        PipelineConfig::default_config().config().name,
        "generation-3"
    );
}

#[test]
fn a_minimal_config_loads_with_defaults() {
    let checked = load(MINIMAL).unwrap();
    assert_eq!(checked.features().len(), 3);
    assert_eq!(checked.config().target_transform, TargetTransform::Log);
}

#[test]
fn an_unknown_step_is_rejected_by_name() {
    let text = MINIMAL.replace("step = \"drop\"", "step = \"dropp\"");
    assert!(error_of(&text).contains("dropp"), "{}", error_of(&text));
}

#[test]
fn an_unknown_column_is_rejected_by_name() {
    let text = MINIMAL.replace(
        "\"GrLivArea\", \"YrSold\"",
        "\"GrLivArea\", \"YrSold\", \"Garage\"",
    );
    assert!(error_of(&text).contains("`Garage` is not a column"));
}

#[test]
fn a_step_reading_a_dropped_column_is_rejected_with_its_position() {
    let text = MINIMAL.replace(
        "variables = [\"Neighborhood\"]",
        "variables = [\"Neighborhood\"]\n[[steps]]\nstep = \"log\"\nvariables = [\"YrSold\"]",
    );
    let message = error_of(&text);
    assert!(
        message.contains("step 3 (log)") && message.contains("dropped"),
        "{message}"
    );
}

#[test]
fn a_column_left_categorical_is_rejected() {
    let text = MINIMAL.replace(
        "step = \"ordinal_by_target\"\n        variables = [\"Neighborhood\"]",
        "step = \"drop\"\n        variables = [\"GrLivArea\"]",
    );
    assert!(error_of(&text).contains("`Neighborhood` is still categorical"));
}

#[test]
fn a_step_given_the_wrong_column_kind_is_rejected() {
    let text = MINIMAL.replace(
        "variables = [\"YrSold\"]",
        "variables = [\"YrSold\"]\n[[steps]]\nstep = \"log\"\nvariables = [\"Neighborhood\"]",
    );
    assert!(error_of(&text).contains("needs `Neighborhood` to be Numeric"));
}

#[test]
fn invalid_hyper_parameters_and_unknown_keys_are_rejected() {
    assert!(error_of(&MINIMAL.replace("alpha = 0.001", "alpha = -1.0")).contains("alpha"));
    assert!(error_of(&MINIMAL.replace("alpha = 0.001", "alpah = 0.1")).contains("alpah"));
    assert!(error_of(&MINIMAL.replace("model = \"lasso\"", "model = \"svm\"")).contains("svm"));
}

#[test]
fn toml_that_does_not_parse_names_the_file() {
    assert!(error_of("name = ").starts_with("config test.toml"));
}
