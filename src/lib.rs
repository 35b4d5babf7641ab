//! `wassenaar`: load the export-control lists of the Wassenaar Arrangement participants into
//! one schema, evaluate transaction scenarios under each jurisdiction's law, and compare them.
//!
//! Layers: `model` (the contract's words) → `data` (loaders, validation) → `engine`
//! (compile once, evaluate many; no polars, no plotters) → `output` → `cli`.

pub mod cli;
pub mod data;
pub mod engine;
pub mod error;
pub mod input;
pub mod model;
pub mod output;
pub mod report;

pub use engine::World;
pub use error::{Error, Result};
