//! Restricted parties (`parties.csv` of a regime folder): names and aliases on the lists a
//! regime keeps, with each entry's licence requirement and policy.

use crate::data::expr::Scope;
use crate::data::places::{PlaceId, Places};
use crate::data::source::Source;
use crate::data::table::{Columns, Table, list};
use crate::error::{Code, Diagnostics};
use crate::model::{Date, LicencePolicy, Word};

/// One listed party.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// The list id (`entity-list`, `denied-persons`, …), matching a `[[party_list]]` rule.
    pub list: String,
    /// The name as listed.
    pub name: String,
    /// Other names as listed.
    pub aliases: Vec<String>,
    /// Address countries.
    pub countries: Vec<PlaceId>,
    /// The entry's licence requirement as listed (text).
    pub requirement: String,
    /// Which items the requirement reaches.
    pub scope: Scope,
    /// The entry's licence review policy.
    pub policy: LicencePolicy,
    /// The notice that listed the party (`88 FR 46071`).
    pub notice: String,
    /// When it was listed, where known.
    pub listed_on: Option<Date>,
    /// Legal source of the list.
    pub source: String,
    /// Line in the file.
    pub line: u64,
}

const COLUMNS: Columns<'static> = Columns::exact(
    &[
        "list",
        "name",
        "aliases",
        "countries",
        "requirement",
        "scope",
        "licence_policy",
        "notice",
        "listed_on",
        "source",
    ],
    &[],
);

/// Loads `rel` (a `parties.csv`); problems go to `diag`.
pub fn load(source: &Source, rel: &str, places: &Places, diag: &mut Diagnostics) -> Vec<Party> {
    let Some(table) = Table::load(source, rel, &COLUMNS, diag) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(table.rows.len());
    let mut last_cited: Option<&str> = None;
    for row in &table.rows {
        let name = table.get(row, "name");
        if name.is_empty() {
            diag.push(table.err(row, "name", Code::Empty, "a party needs a name"));
            continue;
        }
        if table.get(row, "list").is_empty() {
            diag.push(table.err(row, "list", Code::Empty, "a party needs its list"));
            continue;
        }
        // Most rows of a list share its source: a source already found official is not
        // checked again (one that is not is reported on every row).
        let source = table.get(row, "source");
        if last_cited != Some(source) && table.cited(row, diag) {
            last_cited = Some(source);
        }
        let mut countries = Vec::new();
        for c in list(table.get(row, "countries")) {
            match places.by_code(c) {
                Some(p) => countries.push(p),
                None => diag.push(
                    table
                        .err(row, "countries", Code::UnknownPlace, "unknown country code")
                        .value(c),
                ),
            }
        }
        let scope = match table.get(row, "scope") {
            "all" => Scope::All,
            "listed" => Scope::Listed,
            "" | "unknown" => Scope::Patterns(Vec::new()),
            _ => {
                diag.push(
                    table
                        .err(row, "scope", Code::UnknownWord, "unknown requirement scope")
                        .accepted(
                            "all (every item subject to the law), listed (listed items), unknown",
                        ),
                );
                continue;
            }
        };
        let policy = match LicencePolicy::parse(table.get(row, "licence_policy")) {
            Some(p) => p,
            None => {
                diag.push(
                    table
                        .err(
                            row,
                            "licence_policy",
                            Code::UnknownWord,
                            "unknown licence policy",
                        )
                        .accepted(LicencePolicy::accepted()),
                );
                continue;
            }
        };
        let listed_on = match table.get(row, "listed_on") {
            "" => None,
            d => match Date::parse(d) {
                Some(d) => Some(d),
                None => {
                    diag.push(
                        table
                            .err(row, "listed_on", Code::BadDate, "not a date")
                            .accepted("YYYY-MM-DD"),
                    );
                    None
                }
            },
        };
        out.push(Party {
            list: table.get(row, "list").to_string(),
            name: name.to_string(),
            aliases: list(table.get(row, "aliases"))
                .map(str::to_string)
                .collect(),
            countries,
            requirement: table.get(row, "requirement").to_string(),
            scope,
            policy,
            notice: table.get(row, "notice").to_string(),
            listed_on,
            source: table.get(row, "source").to_string(),
            line: row.line,
        });
    }
    out
}
