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

impl Scenario {
    /// A plain export of `item` to `destination` (ids as in `Scenario`), no exporter named.
    pub fn new(item: u32, destination: u16, end_user: EndUser, end_use: EndUse) -> Scenario {
        Scenario {
            id: String::new(),
            item,
            destination,
            end_user,
            end_use,
            exporter: None,
            deemed: false,
            us_content_pct: None,
            us_origin_software: false,
            transaction: Transaction::Export,
            line: 0,
        }
    }
}
