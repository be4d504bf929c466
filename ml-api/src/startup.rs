//! Start-up: load and verify the model, bind the listener, build the server
//! with its connection limits, and reload the model on SIGHUP. The model is
//! in shared state before the port accepts a connection, so `/ready` is 200
//! from the first request on.

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use crate::configuration::{AdminToken, ServerSettings, Settings};
use crate::error::{ApiError, Error};
use crate::state::{AppState, LoadedModel, ModelSlot};

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Loads the model named by the settings (or the shipped one), binds
    /// `HOST:PORT` (port 0 picks a free port) and builds the server.
    /// Must be called inside an actix/tokio runtime.
    ///
    /// # Errors
    /// [`Error::Model`] when the model does not load or verify,
    /// [`Error::Bind`] when the address cannot be bound.
    pub fn build(settings: Settings) -> Result<Application, Error> {
        let loaded = LoadedModel::load(settings.model_path.as_deref())?;
        let metadata = &loaded.model.metadata;
        log::info!(
            "model {} ({} config, {}, sha256 {}) loaded and verified, from {}",
            metadata.model_version,
            metadata.config_name,
            metadata.estimator,
            loaded.artifact_sha256,
            loaded.source
        );
        let mut state = AppState::new(
            ModelSlot::new(loaded),
            settings.limits,
            settings.logging.input_sample,
            settings.model_path.clone(),
        );
        state.yielder = settings.server.yielder;
        let state = web::Data::new(state);
        let address = SocketAddr::new(settings.server.host, settings.server.port);
        let bind_error = |problem| Error::Bind {
            address: address.to_string(),
            problem,
        };
        let listener = TcpListener::bind(address).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        reload_on_hangup(state.clone()).map_err(bind_error)?;
        let admin_token = settings.admin_token.clone();
        let server = run(listener, state, &settings.server, admin_token).map_err(bind_error)?;
        log::info!(
            "ml-api {} listening on {}:{port} ({:?}, {} workers, admin routes {})",
            env!("CARGO_PKG_VERSION"),
            settings.server.host,
            settings.environment,
            settings.server.workers,
            if settings.admin_token.is_some() {
                "on"
            } else {
                "off: no ADMIN_TOKEN"
            }
        );
        Ok(Application { port, server })
    }

    /// The port actually bound (useful with `PORT=0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT/SIGTERM, then stops accepting, lets requests in
    /// flight finish (up to `SHUTDOWN_TIMEOUT` seconds) and returns.
    ///
    /// # Errors
    /// I/O errors of the server.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Builds the server on a bound listener with the given state.
///
/// # Errors
/// I/O errors from taking over the listener.
pub fn run(
    listener: TcpListener,
    state: web::Data<AppState>,
    settings: &ServerSettings,
    admin_token: Option<AdminToken>,
) -> std::io::Result<Server> {
    let limits = state.limits;
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(crate::middleware::observe))
            .app_data(state.clone())
            .app_data(limits)
            .app_data(web::PathConfig::default().error_handler(|error, _| {
                ApiError::from(Error::NotFound(error.to_string())).into()
            }))
            .configure(|cfg| crate::routes::configure_with(cfg, admin_token.as_ref()))
    })
    .workers(settings.workers)
    // actix's default is 512 blocking threads per worker: under a burst of
    // large bodies that meant dozens of threads (and their heaps) for work
    // that only ever has `cpus` cores to run on.
    .worker_max_blocking_threads(settings.batch_threads.div_ceil(settings.workers))
    .max_connections(settings.max_connections)
    .client_request_timeout(settings.client_request_timeout)
    .keep_alive(settings.keep_alive)
    .shutdown_timeout(settings.shutdown_timeout_secs)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Reloads `MODEL_PATH` on every SIGHUP, off the event loop; the outcome
/// goes to the log and the metrics. actix itself handles SIGINT and SIGTERM.
///
/// # Errors
/// When the signal handler cannot be installed.
#[cfg(unix)]
fn reload_on_hangup(state: web::Data<AppState>) -> std::io::Result<()> {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let mut hangups = signal(SignalKind::hangup())?;
    actix_web::rt::spawn(async move {
        while hangups.recv().await.is_some() {
            let state = state.clone();
            let reload = move || crate::reload::reload(&state, crate::reload::Trigger::Signal);
            // The outcome is logged and counted by `reload` itself.
            let _ = web::block(reload).await;
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn reload_on_hangup(_: web::Data<AppState>) -> std::io::Result<()> {
    Ok(())
}
