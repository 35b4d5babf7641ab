use crate::model::{EndUse, EndUser, Transaction};

/// One transaction scenario, resolved against the datasets (DESIGN.md "Scenarios").
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: String,
    /// Catalogue item (`data::catalogue::ItemId`).
    pub item: u32,
    /// Destination place (`data::places::PlaceId`); for deemed exports, the nationality.
    pub destination: u16,
    pub end_user: EndUser,
    pub end_use: EndUse,
    /// Index into `World::jurisdictions`, when the scenario names its exporter.
    pub exporter: Option<usize>,
    pub deemed: bool,
    pub us_content_pct: Option<f64>,
    pub us_origin_software: bool,
    pub transaction: Transaction,
    /// Line of the input file the scenario came from (for messages).
    pub line: u64,
}
