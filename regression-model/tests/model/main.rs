//! Integration tests of the model crate: one binary, one module per topic.

mod artifact;
mod artifact_damage;
mod blend_flags;
mod boosting;
mod bounded_input;
mod chunked_commands;
mod cli;
mod cli_research;
mod differential;
mod drift;
mod explain;
mod guard;
mod helpers;
mod kernel_ridge;
mod output_files;
mod parity;
mod properties;
mod research;
mod stream;
mod stream_shards;
mod synthetic;
mod training;
mod tree_explain;
