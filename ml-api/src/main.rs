//! `ml-api`: serve the shipped house-price model (or `--model PATH`) over HTTP.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use ml_api::configuration::Settings;
use ml_api::startup::Application;

/// Serve the house-price regression model over HTTP. Everything else is
/// configured through the environment (PORT, HOST, APP_ENVIRONMENT, ...) or
/// the TOML file named by APP_CONFIG_FILE.
#[derive(Parser)]
#[command(name = "ml-api", version)]
struct Cli {
    /// Serve this model artifact instead of the shipped one (overrides MODEL_PATH).
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
}

#[actix_web::main]
async fn main() -> ExitCode {
    ml_api::memory::configure();
    match serve(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("{error:#}");
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn serve(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_env(cli.model).context("invalid configuration")?;
    let _logger = ml_api::telemetry::init(&settings.logging)?;
    let (host, sink) = (settings.server.host, settings.logging.sink);
    let application = Application::build(settings).context("cannot start")?;
    // The one line for the console (the log has its own sink, and no copy
    // of it goes to stderr): where to connect. `eprintln!` would panic on
    // a closed stderr.
    let _ = writeln!(
        std::io::stderr(),
        "ml-api {} listening on {host}:{} (LOG_SINK={})",
        env!("CARGO_PKG_VERSION"),
        application.port(),
        sink.name()
    );
    application
        .run_until_stopped()
        .await
        .context("server failed")
}
