//! `wassenaar`: load the export-control lists of the Wassenaar Arrangement participants into
//! one schema, evaluate transaction scenarios under each jurisdiction's law as in force on a
//! given day, and compare them.
//!
//! Layers, each importing only from those before it (a test checks this):
//! `model` and `error` (the contract's words) → `data` (loaders, typed rules, validation) →
//! `engine` (compile once, evaluate many; names no jurisdiction) → `input` (scenario files) →
//! `analysis` (matrix, alignment, routing, comparison) → `output` (writers) → `report`
//! (feature `report`) → `cli` (argument parsing only).

pub mod analysis;
pub mod cli;
pub mod data;
pub mod engine;
pub mod error;
pub mod input;
pub mod model;
pub mod output;
#[cfg(feature = "report")]
pub mod report;

pub use engine::World;
pub use error::{Error, Result};
