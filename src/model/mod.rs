//! The common schema: the words of the scenario and determination contracts.

mod outcome;
mod scenario;
mod words;

pub use outcome::{Confidence, LicencePolicy, Outcome};
pub use scenario::Scenario;
pub use words::{END_USERS, END_USES, EndUse, EndUser, TRANSACTIONS, Transaction};
