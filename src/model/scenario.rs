use crate::model::{Currency, EndUse, EndUser, Transaction};

/// One transaction scenario, resolved against the datasets (the scenario contract).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The scenario's id as written.
    pub id: String,
    /// Catalogue item.
    pub item: u32,
    /// Destination place; for deemed exports, the nationality of the recipient.
    pub destination: u16,
    /// Who receives the item.
    pub end_user: EndUser,
    /// What it will be used for.
    pub end_use: EndUse,
    /// The exporting place, when the scenario names one.
    pub exporter: Option<Exporter>,
    /// Release of technology or software to a foreign national inside the exporting state.
    pub deemed: bool,
    /// Share of US-origin controlled content, 0–100.
    pub us_content_pct: Option<f64>,
    /// The item is US-origin software exported on its own.
    pub us_origin_software: bool,
    /// The kind of transaction.
    pub transaction: Transaction,
    /// The end user's name as written (free text), screened against the party lists.
    pub end_user_name: Option<String>,
    /// Contract value, in `currency`.
    pub value: Option<f64>,
    /// Currency of `value`.
    pub currency: Option<Currency>,
    /// Party-list matches of `end_user_name` (indices into the engine's party table).
    pub hits: Vec<PartyHit>,
    /// Line of the input file the scenario came from (for messages).
    pub line: u64,
}

/// The exporting place of a scenario and, when the datasets model its law, its jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exporter {
    /// The place (any ISO 3166 code).
    pub place: u16,
    /// Index of the jurisdiction whose law applies, when modelled.
    pub jurisdiction: Option<usize>,
}

/// One match of an end-user name against a party list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartyHit {
    /// Index of the party in the engine's party table.
    pub party: u32,
    /// `true` for an exact name or alias match; `false` for a near match needing review.
    pub exact: bool,
}

impl Scenario {
    /// A plain export of `item` to `destination`, no exporter named.
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
            end_user_name: None,
            value: None,
            currency: None,
            hits: Vec::new(),
            line: 0,
        }
    }
}
