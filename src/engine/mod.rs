//! The engine: compiles the datasets into dense tables once, then evaluates scenarios against
//! them. It depends on neither polars nor plotters.

mod batch;
pub mod bitset;
pub mod bulk;
pub mod compare;
mod compile;
mod evaluate;
pub mod matrix;
mod render;

pub use compile::{Fact, FactId, Jurisdiction, Regime, World};
pub use evaluate::{Determination, NO_ENTRY, Step};
pub use render::{COLUMNS, Parts, Rendered, ear_text};
