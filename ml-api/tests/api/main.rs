//! Integration tests of `ml-api`: each spawns the real server on a free port
//! and talks HTTP to it.

mod bad_input;
mod health;
mod helpers;
mod logging;
mod metrics;
mod oip;
mod predict;
mod startup;
