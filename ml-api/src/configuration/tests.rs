//! The settings' defaults, layers and checks.

use super::*;

fn load(vars: &[(&str, &str)]) -> Result<Settings, Error> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::load(|key| vars.get(key).cloned(), None)
}

#[test]
fn defaults_listen_on_localhost_port_5000_with_the_documented_limits() {
    let settings = load(&[]).unwrap();
    assert_eq!(settings.environment, Environment::Development);
    assert_eq!(settings.server.host, IpAddr::from([127, 0, 0, 1]));
    assert_eq!(settings.server.port, 5000);
    assert_eq!(settings.limits.max_body_bytes, 8 * 1024 * 1024);
    assert_eq!(settings.limits.max_rows, 10_000);
    assert_eq!(settings.logging.input_sample.share(), 0.01);
    assert_eq!(settings.logging.sink, crate::telemetry::LogSink::File);
    assert_eq!(settings.logging.max_line_bytes, 16 * 1024);
    assert_eq!(settings.logging.max_bytes_per_sec, 1024 * 1024);
    assert_eq!(settings.logging.level, "info");
    assert!(settings.model_path.is_none());
    assert!(settings.admin_token.is_none());
    assert_eq!(settings.limits.max_json_depth, 32);
    assert_eq!(settings.limits.max_header_bytes, 16 * 1024);
    assert_eq!(settings.limits.body_timeout, Duration::from_secs(30));
    assert_eq!(
        settings.server.client_request_timeout,
        Duration::from_secs(5)
    );
    assert_eq!(settings.server.keep_alive, Duration::from_secs(5));
    assert_eq!(settings.server.max_connections, 1024);
    assert_eq!(settings.server.max_inflight_body_bytes, 64 * 1024 * 1024);
    assert_eq!(
        settings.server.yielder.map(Yielder::interval),
        Some(Duration::from_micros(250))
    );
    let never = load(&[("YIELD_INTERVAL_US", "0")]).unwrap();
    assert_eq!(never.server.yielder, None);
}

#[test]
fn every_limit_is_set_from_the_environment() {
    let settings = load(&[
        ("MAX_JSON_DEPTH", "8"),
        ("MAX_HEADER_BYTES", "4096"),
        ("BODY_TIMEOUT", "2.5"),
        ("CLIENT_REQUEST_TIMEOUT", "0.5"),
        ("KEEP_ALIVE", "75"),
        ("MAX_CONNECTIONS", "64"),
        ("ADMIN_TOKEN", "0123456789abcdef-token"),
    ])
    .unwrap();
    assert_eq!(settings.limits.max_json_depth, 8);
    assert_eq!(settings.limits.max_header_bytes, 4096);
    assert_eq!(settings.limits.body_timeout, Duration::from_millis(2500));
    assert_eq!(
        settings.server.client_request_timeout,
        Duration::from_millis(500)
    );
    assert_eq!(settings.server.keep_alive, Duration::from_secs(75));
    assert_eq!(settings.server.max_connections, 64);
    assert!(
        settings
            .admin_token
            .unwrap()
            .matches(b"0123456789abcdef-token")
    );
}

#[test]
fn a_rejected_admin_token_is_not_repeated_in_the_error() {
    let error = load(&[("ADMIN_TOKEN", "hunter2")]).unwrap_err().to_string();
    assert!(error.contains("ADMIN_TOKEN"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn the_log_bounds_and_sink_are_set_from_the_file_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ml-api.toml");
    std::fs::write(&file, "log_sink = \"stdout\"\nlog_max_line_bytes = 2048\n").unwrap();
    let file = file.to_str().unwrap();
    let settings = load(&[
        ("APP_CONFIG_FILE", file),
        ("LOG_MAX_BYTES_PER_SEC", "4096"),
        ("LOG_INPUT_SAMPLE", "1"),
    ])
    .unwrap();
    assert_eq!(settings.logging.sink, crate::telemetry::LogSink::Stdout);
    assert_eq!(settings.logging.max_line_bytes, 2048);
    assert_eq!(settings.logging.max_bytes_per_sec, 4096);
    assert_eq!(settings.logging.input_sample.share(), 1.0);
}

#[test]
fn a_settings_file_larger_than_a_mebibyte_is_refused_unread() {
    let error = load(&[("APP_CONFIG_FILE", "/dev/zero")])
        .unwrap_err()
        .to_string();
    assert!(error.contains("larger than"), "{error}");
}

#[test]
fn the_inflight_body_budget_must_hold_one_largest_body() {
    let settings = load(&[
        ("MAX_INFLIGHT_BODY_BYTES", "1048576"),
        ("MAX_BODY_BYTES", "1048576"),
    ])
    .unwrap();
    assert_eq!(settings.server.max_inflight_body_bytes, 1 << 20);
    let error = load(&[
        ("MAX_INFLIGHT_BODY_BYTES", "1048576"),
        ("MAX_BODY_BYTES", "2097152"),
    ])
    .unwrap_err()
    .to_string();
    assert!(error.contains("MAX_INFLIGHT_BODY_BYTES"), "{error}");
    assert!(error.contains("MAX_BODY_BYTES"), "{error}");
}

#[test]
fn production_listens_on_every_interface_unless_host_is_set() {
    let settings = load(&[("APP_ENVIRONMENT", "production")]).unwrap();
    assert_eq!(settings.server.host, IpAddr::from([0, 0, 0, 0]));
    let settings = load(&[("APP_ENVIRONMENT", "production"), ("HOST", "127.0.0.2")]).unwrap();
    assert_eq!(settings.server.host, IpAddr::from([127, 0, 0, 2]));
}

#[test]
fn an_invalid_value_names_the_setting_and_its_origin() {
    for (key, value) in [
        ("PORT", "http"),
        ("PORT", "70000"),
        ("LOG_INPUT_SAMPLE", "1.5"),
        ("LOG_SINK", "stderr"),
        ("LOG_MAX_LINE_BYTES", "100"),
        ("LOG_MAX_BYTES_PER_SEC", "0"),
        ("MAX_ROWS", "0"),
        ("APP_ENVIRONMENT", "staging"),
        ("HOST", "example"),
        ("WORKERS", "0"),
        ("BATCH_THREADS", "0"),
        ("YIELD_INTERVAL_US", "2000000"),
        ("MAX_JSON_DEPTH", "2"),
        ("MAX_HEADER_BYTES", "1000000"),
        ("BODY_TIMEOUT", "0"),
        ("CLIENT_REQUEST_TIMEOUT", "never"),
        ("KEEP_ALIVE", "-1"),
        ("MAX_CONNECTIONS", "0"),
        ("MAX_INFLIGHT_BODY_BYTES", "lots"),
        ("ADMIN_TOKEN", "short"),
    ] {
        let error = load(&[(key, value)]).unwrap_err().to_string();
        assert!(error.contains(key), "{error}");
        assert!(error.contains("the environment"), "{error}");
    }
}

#[test]
fn the_environment_overrides_the_file_and_the_file_overrides_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ml-api.toml");
    std::fs::write(&file, "port = 8080\nmax_rows = 5\nlog_level = \"warn\"\n").unwrap();
    let file = file.to_str().unwrap();
    let settings = load(&[("APP_CONFIG_FILE", file), ("PORT", "9090")]).unwrap();
    assert_eq!(settings.server.port, 9090);
    assert_eq!(settings.limits.max_rows, 5);
    assert_eq!(settings.logging.level, "warn");
}

#[test]
fn the_example_file_is_valid() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/config/example.toml");
    let settings = load(&[("APP_CONFIG_FILE", file)]).unwrap();
    assert_eq!(settings.environment, Environment::Production);
    assert_eq!(settings.limits.max_body_bytes, 8 * 1024 * 1024);
}

#[test]
fn an_unknown_key_in_the_file_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ml-api.toml");
    std::fs::write(&file, "prot = 8080\n").unwrap();
    let error = load(&[("APP_CONFIG_FILE", file.to_str().unwrap())])
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown setting `prot`"), "{error}");
}

#[test]
fn the_model_flag_wins_over_model_path() {
    let env = |key: &str| (key == "MODEL_PATH").then(|| "/from/env".to_owned());
    let settings = Settings::load(env, Some(PathBuf::from("/from/flag"))).unwrap();
    assert_eq!(settings.model_path, Some(PathBuf::from("/from/flag")));
}

#[test]
fn models_lists_named_artifacts_with_champion_and_challenger() {
    let settings = load(&[
        ("MODELS", "a=shipped, b=/models/b.postcard"),
        ("CHAMPION", "b"),
        ("CHALLENGER", "a"),
        ("SHADOW_SAMPLE", "0.25"),
        ("SHADOW_QUEUE", "16"),
    ])
    .unwrap();
    let models = &settings.models;
    assert_eq!(models.entries.len(), 2);
    assert_eq!(models.entries[0].name.as_deref(), Some("a"));
    assert_eq!(models.entries[0].source, crate::model::ModelSource::Shipped);
    assert_eq!(
        models.entries[1].source,
        crate::model::ModelSource::Listed(PathBuf::from("/models/b.postcard"))
    );
    assert_eq!((models.champion, models.challenger), (1, Some(0)));
    assert_eq!(settings.shadow.sample, 0.25);
    assert_eq!(settings.shadow.queue, 16);
}

#[test]
fn without_models_the_single_model_is_model_path_or_the_shipped_one() {
    let shipped = load(&[]).unwrap().models;
    assert_eq!(shipped.entries.len(), 1);
    assert_eq!(shipped.entries[0].name, None);
    assert_eq!(
        shipped.entries[0].source,
        crate::model::ModelSource::Shipped
    );
    assert_eq!(
        (shipped.champion, shipped.challenger, shipped.max_models),
        (0, None, 4)
    );
    let file = load(&[("MODEL_PATH", "/m.postcard")]).unwrap().models;
    assert_eq!(
        file.entries[0].source,
        crate::model::ModelSource::File(PathBuf::from("/m.postcard"))
    );
}

#[test]
fn a_bad_models_setting_is_refused_naming_the_setting() {
    for (vars, setting, words) in [
        (vec![("MODELS", "a")], "MODELS", "name=path"),
        (vec![("MODELS", "a=x,a=y")], "MODELS", "twice"),
        (vec![("MODELS", "champion=x")], "MODELS", "reserved"),
        (vec![("MODELS", "a/b=x")], "MODELS", "character"),
        (vec![("MODELS", ",")], "MODELS", "empty"),
        (
            vec![("MODELS", "a=x"), ("MODEL_PATH", "/m")],
            "MODELS",
            "MODEL_PATH",
        ),
        (
            vec![("MODELS", "a=x,b=y,c=z"), ("MAX_MODELS", "2")],
            "MODELS",
            "MAX_MODELS",
        ),
        (vec![("MAX_MODELS", "17")], "MAX_MODELS", "out of range"),
        (
            vec![("MODELS", "a=x"), ("CHALLENGER", "b")],
            "CHALLENGER",
            "not a name in MODELS",
        ),
        (
            vec![
                ("MODELS", "a=x,b=y"),
                ("CHAMPION", "b"),
                ("CHALLENGER", "b"),
            ],
            "CHALLENGER",
            "same model",
        ),
        (vec![("CHAMPION", "a")], "CHAMPION", "MODELS is not set"),
        (
            vec![("MODELS", "a=x,b=y"), ("SHADOW_SAMPLE", "0.5")],
            "SHADOW_SAMPLE",
            "CHALLENGER",
        ),
        (
            vec![("SHADOW_SAMPLE", "2")],
            "SHADOW_SAMPLE",
            "between 0 and 1",
        ),
        (vec![("SHADOW_QUEUE", "0")], "SHADOW_QUEUE", "out of range"),
        (
            vec![("SHADOW_QUEUE_BYTES", "10")],
            "SHADOW_QUEUE_BYTES",
            "out of range",
        ),
    ] {
        let error = load(&vars).unwrap_err().to_string();
        assert!(error.contains(setting), "{vars:?}: {error}");
        assert!(error.contains(words), "{vars:?}: {error}");
    }
}
