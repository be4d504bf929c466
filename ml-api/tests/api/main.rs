//! Integration tests of `ml-api`: each spawns the real server on a free port
//! and talks HTTP to it.

mod alloc;
mod bad_input;
mod budget;
mod content_encoding;
mod drift;
mod explain;
mod faults;
mod fuzz;
mod fuzz_files;
mod fuzz_http;
mod guard;
mod health;
mod helpers;
mod http2;
mod limits;
mod logging;
mod memory;
mod metrics;
mod model_pair;
mod models;
mod models_dir;
mod models_shadow;
mod oip;
mod oip_binary;
mod page;
mod predict;
mod raw;
mod reload;
mod slow_clients;
mod startup;
