//! The common schema: the words of the scenario and determination contracts, sets of places
//! and dates. Depends on nothing else in the crate.

mod date;
mod outcome;
mod scenario;
mod sets;
mod words;

pub use date::{Date, InForce, Validity};
pub use outcome::{Confidence, LicencePolicy, Outcome};
pub use scenario::{Exporter, PartyHit, Scenario};
pub use sets::{IndexSet, Member, PlaceSet, TriSet};
pub use words::{Currency, EndUse, EndUser, Transaction, Word};
