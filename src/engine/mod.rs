//! The engine: compiles the datasets, as in force on one day, into dense tables once, then
//! evaluates scenarios against them. It names no jurisdiction: every rule, including the
//! reach of one state's law over items exported from another, is dataset data. It depends on
//! neither polars nor plotters.

pub mod bulk;
mod compile;
mod evaluate;
mod render;
pub mod screen;

pub use compile::{
    CAuthorisation, CCatchAll, CCondition, COverlay, CRequirement, CScope, Entry, Fact, FactId,
    FactKind, ItemMatcher, Jurisdiction, Plan, Regime, World, datasets_date,
};
pub use evaluate::{Chain, Determination, NO_ENTRY, Reach, ReachStep, Step};
pub use render::{COLUMNS, DestUse, Parts, Rendered, ear_text};
