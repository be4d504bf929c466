//! Start-up: load and verify every model, start the shadow, bind the listener, build the server
//! with its connection limits, and reload the model on SIGHUP. The model is
//! in shared state before the port accepts a connection, so `/ready` is 200
//! from the first request on.

use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use actix_http::error::DispatchError;
use actix_http::{Extensions, HttpService};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::{AppConfig, Server};
use actix_web::middleware::from_fn;
use actix_web::rt::net::TcpStream;
use actix_web::{App, web};

use crate::budget::BodyBudget;
use crate::configuration::ModelSettings;
use crate::configuration::{AdminToken, ServerSettings, Settings};
use crate::connection::{Guarded, HeadClock, HeadTimeouts};
use crate::error::Error;
use crate::model::LoadedModel;
use crate::models::{Models, Roster};
use crate::shadow::Shadow;
use crate::state::AppState;

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
        let roster = load_models(&settings.models)?;
        let mut state = AppState::new(
            Models::new(roster),
            settings.limits,
            settings.logging.input_sample,
        );
        state.shadow = Shadow::start(settings.shadow).map_err(|problem| Error::Bind {
            address: "the shadow's thread".into(),
            problem,
        })?;
        state.yielder = settings.server.yielder;
        state.errors = settings.errors;
        state.drift = settings.drift;
        state.drift_sample = settings.drift_sample;
        state.models_folder = settings.models.folder.clone();
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
/// This is what `HttpServer::listen` builds (actix-server workers running
/// actix-http's HTTP/1 service around the app), with one difference: each
/// accepted socket is wrapped in [`Guarded`], which holds every request
/// head of the connection, not only the first, to `CLIENT_REQUEST_TIMEOUT`
/// ([`crate::connection`]). `HttpServer` offers no way to wrap a socket.
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
    let budget = BodyBudget::new(settings.max_inflight_body_bytes);
    let timeouts = HeadTimeouts {
        head: settings.client_request_timeout,
        idle: settings.keep_alive,
    };
    let (keep_alive, client_request_timeout) =
        (settings.keep_alive, settings.client_request_timeout);
    let address = listener.local_addr()?;
    let builder = actix_server::Server::build();
    let shutdown = builder.graceful_shutdown_signal();
    let app = move || {
        App::new()
            .wrap(from_fn(crate::middleware::observe))
            .wrap(from_fn(crate::connection::track))
            .app_data(state.clone())
            .app_data(limits)
            .app_data(budget.clone())
            .configure(|cfg| crate::routes::configure_with(cfg, admin_token.as_ref()))
    };
    let server = builder
        .workers(settings.workers)
        // actix's default is 512 blocking threads per worker: under a burst of
        // large bodies that meant dozens of threads (and their heaps) for work
        // that only ever has `cpus` cores to run on.
        .worker_max_blocking_threads(settings.batch_threads.div_ceil(settings.workers))
        .max_concurrent_connections(settings.max_connections)
        .shutdown_timeout(settings.shutdown_timeout_secs)
        .listen("ml-api", listener, move || {
            let shutdown = shutdown.clone();
            // `AppConfig` only names the host for URLs built from routes,
            // which this service never builds.
            let app = map_config(app().into_factory(), |_| AppConfig::default());
            let http = HttpService::build()
                .keep_alive(keep_alive)
                .client_request_timeout(client_request_timeout)
                // `HttpServer`'s defaults, kept.
                .client_disconnect_timeout(Duration::from_secs(1))
                .h1_allow_half_closed(true)
                .local_addr(address)
                .graceful_shutdown_signal(move || {
                    let shutdown = shutdown.clone();
                    async move { shutdown.notified().await }
                })
                .on_connect_ext(|io: &Guarded<TcpStream>, data: &mut Extensions| {
                    data.insert(io.clock().clone());
                })
                .h1(app);
            fn_service(move |io: TcpStream| {
                let peer = io.peer_addr().ok();
                let io = Guarded::new(io, HeadClock::new(timeouts));
                std::future::ready(Ok::<_, DispatchError>((io, peer)))
            })
            .and_then(http)
        })?
        .run();
    Ok(server)
}

/// Loads and verifies every model of the settings, in order, logging each.
///
/// # Errors
/// The first model that does not load: [`Error::Model`] for a single
/// model, [`Error::ModelEntry`] naming the `MODELS` (or `models.toml`) entry.
fn load_models(settings: &ModelSettings) -> Result<Roster, Error> {
    let list = settings
        .folder
        .as_ref()
        .map_or_else(|| "MODELS".to_owned(), |f| f.file().display().to_string());
    let mut models = Vec::with_capacity(settings.entries.len());
    for entry in &settings.entries {
        let name = entry.name.as_deref();
        let loaded = LoadedModel::load_source(entry.source.clone())
            .map_err(|problem| match name {
                Some(name) => Error::ModelEntry {
                    list: list.clone(),
                    name: name.to_owned(),
                    problem: Box::new(problem),
                },
                None => problem,
            })?
            .named(name);
        let metadata = &loaded.model.metadata;
        log::info!(
            "model {} ({} config, {}, sha256 {}) loaded and verified as `{}`, from {}",
            metadata.model_version,
            metadata.config_name,
            metadata.estimator,
            loaded.artifact_sha256,
            loaded.name,
            loaded.source
        );
        models.push(loaded);
    }
    let roster = Roster::new(models, settings.champion, settings.challenger)?;
    log::info!(
        "champion `{}`, challenger `{}`",
        roster.champion().name,
        roster.challenger().map_or("none", |c| &c.name)
    );
    Ok(roster)
}

/// Reloads `MODEL_PATH` (or the `MODELS` files) on every SIGHUP, off the event loop; the outcome
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
