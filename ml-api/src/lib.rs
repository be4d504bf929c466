//! `ml-api`: the HTTP service in front of the house-price regression model.
//!
//! [`configuration`] turns defaults, a TOML file and the environment into one
//! checked [`configuration::Settings`]; [`startup`] loads the model once and
//! binds the server, its workers sharing the CPUs as [`scheduling`] says; [`routes`] holds one thin handler module per resource,
//! [`body`] and [`oip`] parse request bodies at the edge (within the
//! [`budget`] of body bytes buffered at once), [`models`] keeps every
//! loaded model and its aliases, [`prediction`] runs
//! the model (and hands a share to the [`shadow`]) and logs what went in and out, [`reload`] verifies artifacts
//! and swaps models while serving, and [`error`] maps every problem to a
//! status code and one error body. [`page`] is the HTML page at `/`.

pub mod body;
pub mod budget;
pub mod configuration;
pub mod connection;
pub mod drift;
pub mod error;
pub mod explanation;
pub mod memory;
pub mod metrics;
pub mod middleware;
pub mod model;
pub mod models;
pub mod oip;
pub mod openapi;
pub mod page;
pub mod prediction;
pub mod reload;
pub mod routes;
pub mod scan;
pub mod scheduling;
pub mod shadow;
pub mod startup;
pub mod state;
pub mod telemetry;
