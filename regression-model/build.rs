//! Records the compiler version for the artifact metadata, and whether this
//! crate version's trained model exists to be embedded (it does in every
//! release; it cannot while the very first model is being trained).

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=REGRESSION_MODEL_RUSTC_VERSION={version}");

    let artifact = format!(
        "trained_models/regression_model_output_v{}.postcard",
        std::env::var("CARGO_PKG_VERSION").unwrap()
    );
    println!("cargo:rerun-if-changed={artifact}");
    println!("cargo:rerun-if-changed=trained_models");
    println!("cargo::rustc-check-cfg=cfg(shipped_model)");
    if std::path::Path::new(&artifact).exists() {
        println!("cargo:rustc-cfg=shipped_model");
    } else {
        println!(
            "cargo:warning=no trained model at {artifact}: this build ships no model (train one with `regression-model train`)"
        );
    }
}
