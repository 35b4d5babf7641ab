//! Analysis over many determinations: matrix specifications, comparisons with a baseline,
//! alignment (polars), routing across shipping entities, comparisons of one item between
//! jurisdictions, and descriptions of the datasets. Plain structs: no command-line types.

#[cfg(feature = "polars")]
pub mod align;
pub mod compare;
pub mod describe;
pub mod dims;
pub mod lists;
pub mod matrix;
pub mod route;
pub mod versus;
