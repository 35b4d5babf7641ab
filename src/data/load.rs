//! Loads a whole datasets folder into memory. Every problem of every file is collected, each
//! with its file, line, column, code, value and what is accepted; loading fails only at the
//! end, with all of them.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::data::catalogue::{Catalogue, Item, ItemId, ItemKind, canonical_code};
use crate::data::parties::{self, Party};
use crate::data::places::{PlaceId, Places};
use crate::data::rules::{self, Names, Rules, line_col};
use crate::data::source::Source;
use crate::data::table::{Columns, Table, list};
use crate::error::{Code, Diagnostics, Error, Located, Result};
use crate::model::{Confidence, Date, EndUse, PlaceSet, TriSet, Validity, Word};

type S<T> = Spanned<T>;

/// A fact the datasets could not establish (`[[gap]]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// Stable id.
    pub id: String,
    /// What is not known, and what the datasets do instead.
    pub text: String,
    /// Which items, destinations or rules it affects.
    #[serde(default)]
    pub affects: String,
    /// A claim the tests check exhaustively (`no-clearance`: no outcome for `claim_items` to
    /// `claim_destinations`, any end user and end use, is a clearance).
    #[serde(default)]
    pub claim: Option<String>,
    /// Items the claim covers (codes, or `unlisted`).
    #[serde(default)]
    pub claim_items: Vec<String>,
    /// Destinations the claim covers (a destination expression).
    #[serde(default)]
    pub claim_destinations: Option<String>,
}

/// A dated event in a regime's history, for the report's timeline annotations.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// ISO date (`2014-12-31`), or year-month / year where the day is not established.
    pub date: String,
    /// `cyber-controls`, `note-4e001`, `general-licence`, `list-update`, `sanctions`, `other`.
    pub kind: String,
    /// What happened.
    pub event: String,
    /// The instrument.
    pub source: String,
    /// How it was established.
    #[serde(default)]
    pub confidence: Option<String>,
}

/// The milestone kinds.
pub const MILESTONE_KINDS: [&str; 6] = [
    "cyber-controls",
    "note-4e001",
    "general-licence",
    "list-update",
    "sanctions",
    "other",
];

/// A period in which a jurisdiction was governed by another regime's law (`[[period]]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    regime: S<String>,
    #[serde(default)]
    from: Option<S<String>>,
    #[serde(default)]
    to: Option<S<String>>,
    source: S<String>,
}

/// A period in which a jurisdiction was governed by another regime.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// The regime folder id (`eu`).
    pub regime: String,
    /// When (both ends inclusive; open ends are `None`).
    pub validity: Validity,
}

/// The deemed-export rule of a regime (`[deemed]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawDeemed {
    rule: S<String>,
    citation: S<String>,
    #[serde(default)]
    confidence: Option<S<String>>,
    #[serde(default)]
    note: Option<String>,
}

crate::vocabulary!(
    /// Whether releasing technology or software to a foreign national inside the state is an
    /// export.
    DeemedRule, "deemed-export rule", {
        /// Release of listed technology and source code is an export to the person's country.
        TechnologyAndSoftware => "technology-and-software",
        /// There is no deemed-export rule: a release inside the state is not an export.
        None => "none",
        /// Not established by the sources.
        Unknown => "unknown",
    }
);

/// A regime's deemed-export rule, cited.
#[derive(Debug, Clone, PartialEq)]
pub struct Deemed {
    /// The rule.
    pub rule: DeemedRule,
    /// The instrument that shows it.
    pub citation: String,
    /// How it was established.
    pub confidence: Confidence,
    /// A remark.
    pub note: Option<String>,
}

/// `regime.toml` (a regime shared by `members.csv`) or `jurisdiction.toml` (one state).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    code: Option<S<String>>,
    #[serde(default)]
    home: Option<S<String>>,
    name: String,
    regime: String,
    legal_basis: String,
    list_name: String,
    list_version: String,
    list_date: S<String>,
    #[serde(default)]
    wa_year: Option<u16>,
    #[serde(default)]
    confidence: Option<S<String>>,
    source: S<String>,
    #[serde(default)]
    gap: Vec<Gap>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    no_requirement_citation: Option<String>,
    #[serde(default)]
    export_definition: Option<String>,
    #[serde(default)]
    extends: Option<S<String>>,
    #[serde(default)]
    milestone: Vec<Milestone>,
    #[serde(default)]
    modelled_from: Option<S<String>>,
    #[serde(default)]
    modelled_from_source: Option<String>,
    #[serde(default)]
    groups_known_from: Option<S<String>>,
    #[serde(default)]
    groups_known_source: Option<String>,
    #[serde(default)]
    period: Vec<RawPeriod>,
    deemed: Option<RawDeemed>,
}

/// The typed head of a regime folder.
#[derive(Debug, Clone, PartialEq)]
pub struct RegimeMeta {
    /// Regime id (the folder name unless `id` says otherwise).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Regime family (`eu-dual-use`).
    pub regime: String,
    /// Legal basis.
    pub legal_basis: String,
    /// Name of the control list.
    pub list_name: String,
    /// Version of the list the datasets hold.
    pub list_version: String,
    /// Date of that version: undated rows are in force from it.
    pub list_date: Date,
    /// The Wassenaar list year implemented, where established.
    pub wa_year: Option<u16>,
    /// Confidence of the regime as a whole.
    pub confidence: Confidence,
    /// Sources the regime folder rests on.
    pub source: String,
    /// What is not established.
    pub gaps: Vec<Gap>,
    /// Wassenaar categories modelled (empty = all).
    pub categories: Vec<String>,
    /// Why no licence is needed where no requirement applies.
    pub no_requirement_citation: Option<String>,
    /// The definition of "export" that makes a transfer inside the state no export.
    pub export_definition: Option<String>,
    /// Parent regime of a national overlay.
    pub extends: Option<String>,
    /// Dated events for the timeline.
    pub milestones: Vec<Milestone>,
    /// Earliest date the datasets answer for; before it every outcome is indeterminate.
    pub modelled_from: Date,
    /// Why the law is known from that date.
    pub modelled_from_source: String,
    /// From when group memberships are known (the tables plus `group_changes.csv`).
    pub groups_known_from: Date,
    /// The record of group changes that makes them known.
    pub groups_known_source: String,
    /// Periods in which the jurisdiction was governed by another regime.
    pub periods: Vec<Period>,
    /// The deemed-export rule.
    pub deemed: Deemed,
}

/// One exporting jurisdiction as the datasets describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct JurisdictionMeta {
    /// ISO code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Regime id.
    pub regime_id: String,
    /// Confidence.
    pub confidence: Confidence,
    /// National measures noted for members of a shared regime.
    pub notes: String,
    /// Source.
    pub source: String,
    /// Places inside the exporting state (its code, and territories its law treats as part
    /// of it): a transfer there is not an export.
    pub home: Vec<PlaceId>,
}

/// One list row of a jurisdiction (`entries.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    /// Line in the file.
    pub line: u64,
    /// Local code as the list writes it.
    pub local_code: String,
    /// Catalogue item implemented.
    pub item: ItemId,
    /// Short label.
    pub label: String,
    /// US reasons for control (`NS1;AT1`).
    pub reasons: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Applies only when named (`4A005.z`).
    pub special: bool,
    /// End uses that take the item out of the entry (a Note).
    pub excluded_end_uses: Vec<EndUse>,
    /// Legal source.
    pub source: String,
    /// How it was established.
    pub confidence: Confidence,
    /// The row records that the list does *not* cover the item (tag `not-listed`).
    pub not_listed: bool,
    /// Regime folder the row comes from.
    pub origin: String,
    /// Origin of the control (`wa`, `mtcr`, …, `national`, `us-unilateral`).
    pub control_origin: String,
    /// Value limit in US dollars for value-based exceptions (US LVS).
    pub value_limit: Option<f64>,
    /// When the row is in force.
    pub validity: Validity,
}

/// One recorded change of a group membership (`group_changes.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupChange {
    /// The place.
    pub place: PlaceId,
    /// `true`: added on `date`; `false`: removed on `date` (a member through the day before).
    pub added: bool,
    /// First day of the new state.
    pub date: Date,
    /// The instrument.
    pub source: String,
}

/// A named set of destinations (a column of a group table, or a global group), with the
/// recorded changes that let it be read at an earlier date.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTable {
    /// Name as used in expressions (`D1`, `chart:NS1`, `EU`).
    pub name: String,
    /// Members at the version date.
    pub members: PlaceSet,
    /// Changes, in date order.
    pub changes: Vec<GroupChange>,
    /// File it was read from.
    pub file: String,
}

impl GroupTable {
    /// Membership on `day`: the table at `version`, with the recorded changes after `day`
    /// undone when `day >= known_from`; before `known_from`, membership is not established.
    pub fn at(&self, day: Date, version: Date, known_from: Date) -> TriSet {
        if day >= version {
            return TriSet::known(self.members);
        }
        if day < known_from {
            let mut maybe = self.members;
            for c in &self.changes {
                maybe.insert(c.place);
            }
            return TriSet {
                sure: PlaceSet::default(),
                maybe: maybe.union(&all_places_marker()),
            };
        }
        let mut set = self.members;
        for c in self.changes.iter().rev() {
            if c.date > day && c.date <= version {
                if c.added {
                    set.remove(c.place);
                } else {
                    set.insert(c.place);
                }
            }
        }
        TriSet::known(set)
    }
}

/// Before groups are known, any place may be a member. (The caller intersects with the
/// places that exist.)
fn all_places_marker() -> PlaceSet {
    let mut s = PlaceSet::default();
    for i in 0..PlaceSet::CAPACITY as u16 {
        s.insert(i);
    }
    s
}

/// A folder of rules shared by one or more jurisdictions.
#[derive(Debug)]
pub struct RegimeData {
    /// Regime id.
    pub id: String,
    /// Folder name within the datasets.
    pub folder: String,
    /// The typed head.
    pub meta: RegimeMeta,
    /// Member jurisdictions.
    pub members: Vec<JurisdictionMeta>,
    /// List rows (a national overlay's include its parent's first).
    pub entries: Vec<EntryRow>,
    /// `entries.csv` as named in messages.
    pub entries_file: String,
    /// Checked rules (an overlay's include its parent's first).
    pub rules: Rules,
    /// `rules.toml` as named in messages.
    pub rules_file: String,
    /// Group tables (an overlay's include its parent's).
    pub groups: Vec<GroupTable>,
    /// `parties.csv` of the folder, if any (read on demand: see `Datasets::parties`).
    pub parties_file: Option<String>,
}

/// A Wassenaar participating state.
#[derive(Debug, Clone)]
pub struct Participant {
    /// ISO code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Year (or date) it joined.
    pub joined: String,
    /// Member of the EU.
    pub eu_member: bool,
}

/// The Wassenaar list version (`wassenaar/list.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaList {
    /// Version designation.
    pub version: String,
    /// Date.
    pub date: String,
    /// Plenary that agreed it.
    #[serde(default)]
    pub plenary: String,
    /// Where it is published.
    pub source: String,
    /// Number of catalogue rows.
    #[serde(default)]
    pub entries: Option<u32>,
    /// Dated events of the list.
    #[serde(default)]
    pub history: Vec<WaEvent>,
}

/// A dated event of the Wassenaar list (`wassenaar/list.toml` `[[history]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaEvent {
    /// Date (day, month or year).
    pub date: String,
    /// What happened.
    pub event: String,
    /// Source.
    #[serde(default)]
    pub source: String,
}

/// Everything loaded from a datasets folder.
#[derive(Debug)]
pub struct Datasets {
    /// Where it came from.
    pub source: Source,
    /// SHA-256 of the dataset files.
    pub hash: String,
    /// Places.
    pub places: Places,
    /// The item catalogue.
    pub catalogue: Catalogue,
    /// Wassenaar participants.
    pub participants: Vec<Participant>,
    /// The Wassenaar list version.
    pub wa_list: WaList,
    /// Global groups (`all`, `EU`, `WA`) with their history.
    pub global_groups: Vec<GroupTable>,
    /// Regime folders.
    pub regimes: Vec<RegimeData>,
}

impl Datasets {
    /// Loads every file; fails with every problem found.
    pub fn load(source: Source) -> Result<Datasets> {
        let (data, diag) = Datasets::check(source);
        diag.finish()?;
        data.ok_or_else(|| {
            Error::dataset(Located::new("datasets", "the datasets could not be loaded"))
        })
    }

    /// Loads every file and returns what loaded together with every problem (errors and
    /// warnings). `None` when a file the rest depends on is unusable.
    pub fn check(source: Source) -> (Option<Datasets>, Diagnostics) {
        let mut diag = Diagnostics::default();
        if !source.exists("countries.csv") {
            diag.push(
                Located::new(source.describe(), "not a datasets folder")
                    .hint("expected `countries.csv` in it; set --datasets or WASSENAAR_DATASETS")
                    .code(Code::Unreadable),
            );
            return (None, diag);
        }
        let hash = diag.take(source.content_hash()).unwrap_or_default();
        let places = Places::load(&source, &mut diag);
        if places.is_empty() {
            // Every other file names places: stop here rather than report each of them.
            return (None, diag);
        }
        let mut catalogue = Catalogue::load(&source, &mut diag);
        let wa_list: Option<WaList> = read_toml(&source, "wassenaar/list.toml", &mut diag);
        let Some(wa_list) = wa_list else {
            return (None, diag);
        };
        catalogue.version = wa_list.version.clone();
        catalogue.date = wa_list.date.clone();
        let participants = load_participants(&source, &places, &mut diag);
        let global_groups = global_groups(&source, &places, &participants, &mut diag);

        let folders = diag.take(source.folders()).unwrap_or_default();
        let mut heads = Vec::new();
        for folder in folders {
            let single = source.exists(&format!("{folder}/jurisdiction.toml"));
            let shared = source.exists(&format!("{folder}/regime.toml"));
            if !single && !shared {
                continue;
            }
            let rel = if shared {
                format!("{folder}/regime.toml")
            } else {
                format!("{folder}/jurisdiction.toml")
            };
            if let Some(h) = load_head(&source, &folder, &rel, shared, &places, &mut diag) {
                heads.push(h);
            }
        }
        // Entries first (they add national items to the catalogue), rules after, so that a
        // rule may name any item.
        // Every file path once (generated entry and rule files are found among them).
        let all_files: Vec<String> = diag
            .take(source.files())
            .unwrap_or_default()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let mut partial: Vec<Partial> = Vec::new();
        for head in heads {
            let entries = load_entries(&source, &all_files, &head, &mut catalogue, &mut diag);
            let groups = load_groups(&source, &head.folder, &places, &mut diag);
            let parties_rel = format!("{}/parties.csv", head.folder);
            let parties = source.exists(&parties_rel).then_some(parties_rel);
            partial.push((head, entries, groups, parties));
        }
        link_national_parents(&mut catalogue, &partial);
        let mut regimes = Vec::new();
        for i in 0..partial.len() {
            let (head, entries, groups, _) = &partial[i];
            // Names a rule may use: global groups, its own tables, its parent's (overlays).
            let parent = head
                .meta
                .extends
                .as_ref()
                .and_then(|p| partial.iter().find(|(h, ..)| &h.meta.id == p));
            let mut group_names: HashSet<String> =
                global_groups.iter().map(|g| g.name.clone()).collect();
            let mut tags: HashSet<String> = HashSet::new();
            for (_, es, gs, _) in std::iter::once((head, entries, groups, &None))
                .chain(parent.map(|(h, e, g, p)| (h, e, g, p)))
            {
                group_names.extend(gs.iter().map(|g| g.name.clone()));
                for e in es {
                    tags.extend(e.tags.iter().cloned());
                }
            }
            let names = Names {
                places: &places,
                catalogue: &catalogue,
                groups: &|g| group_names.contains(g),
                tags: &|t| tags.contains(t),
            };
            // `rules.toml`, then generated rule files `rules.NAME.toml` in name order.
            let mut rule_files = vec![format!("{}/rules.toml", head.folder)];
            let prefix = format!("{}/rules.", head.folder);
            let mut generated: Vec<String> = all_files
                .iter()
                .filter(|p| {
                    p.starts_with(&prefix)
                        && p.ends_with(".toml")
                        && p.len() > prefix.len() + ".toml".len()
                        && p.matches('/').count() == 1
                })
                .cloned()
                .collect();
            generated.sort();
            rule_files.extend(generated);
            let mut rules = Rules::default();
            for rules_rel in rule_files {
                let Some(Some(bytes)) = diag.take(source.read(&rules_rel)) else {
                    continue;
                };
                match std::str::from_utf8(&bytes) {
                    Ok(text) => rules.extend(rules::check(
                        &source.display(&rules_rel),
                        text,
                        &head.meta.id,
                        &names,
                        &mut diag,
                    )),
                    Err(_) => diag.push(
                        Located::new(source.display(&rules_rel), "not valid UTF-8 text")
                            .code(Code::Syntax),
                    ),
                }
            }
            // A rule id may repeat only for periods that do not overlap (across all files).
            let mut seen: BTreeMap<(&str, &str), Vec<&Validity>> = BTreeMap::new();
            for (kind, m) in rules.metas() {
                if kind == "restriction" {
                    continue;
                }
                let earlier = seen.entry((kind, m.id.as_str())).or_default();
                if earlier.iter().any(|v| overlaps(v, &m.validity)) {
                    diag.push(
                        Located::new(
                            &m.loc.file,
                            format!("{kind} `{}` defined twice with overlapping validity", m.id),
                        )
                        .at(m.loc.line, m.loc.col)
                        .column("id")
                        .value(m.id.clone())
                        .code(Code::Duplicate),
                    );
                }
                earlier.push(&m.validity);
            }
            drop(seen);
            regimes.push(rules);
        }
        let mut out = Vec::new();
        for ((head, entries, groups, parties), rules) in partial.into_iter().zip(regimes) {
            out.push(RegimeData {
                id: head.meta.id.clone(),
                entries_file: source.display(&format!("{}/entries.csv", head.folder)),
                rules_file: source.display(&format!("{}/rules.toml", head.folder)),
                folder: head.folder,
                meta: head.meta,
                members: head.members,
                entries,
                rules,
                groups,
                parties_file: parties,
            });
        }
        apply_overlays(&source, &mut out, &mut diag);
        check_periods(&out, &mut diag);
        let data = Datasets {
            source,
            hash,
            places,
            catalogue,
            participants,
            wa_list,
            global_groups,
            regimes: out,
        };
        (Some(data), diag)
    }

    /// The listed parties of regime folder `r` (read from its `parties.csv`); problems go to
    /// `diag`. Read on demand: most runs name no end user.
    pub fn parties(&self, r: usize, diag: &mut Diagnostics) -> Vec<Party> {
        match self
            .regimes
            .get(r)
            .and_then(|rd| rd.parties_file.as_deref())
        {
            Some(rel) => parties::load(&self.source, rel, &self.places, diag),
            None => Vec::new(),
        }
    }

    /// The regime folder `id`.
    pub fn regime(&self, id: &str) -> Option<&RegimeData> {
        self.regimes.iter().find(|r| r.id == id)
    }
}

/// Reads and deserialises a TOML file, reporting problems to `diag`.
pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(
    source: &Source,
    rel: &str,
    diag: &mut Diagnostics,
) -> Option<T> {
    let bytes = diag.take(source.require(rel))?;
    let file = source.display(rel);
    let Ok(text) = std::str::from_utf8(&bytes) else {
        diag.push(Located::new(file, "not valid UTF-8 text").code(Code::Syntax));
        return None;
    };
    match toml::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut l = Located::new(file, e.message().to_lowercase()).code(Code::Syntax);
            if let Some(span) = e.span() {
                let (line, col) = line_col(text, span.start);
                l = l.at(line, col);
            }
            diag.push(l);
            None
        }
    }
}

fn load_participants(source: &Source, places: &Places, diag: &mut Diagnostics) -> Vec<Participant> {
    let columns = Columns::exact(&PARTICIPANT_COLUMNS, &[]);
    let Some(table) = Table::load(source, "wassenaar/participants.csv", &columns, diag) else {
        return Vec::new();
    };
    let mut out: Vec<Participant> = Vec::new();
    for row in &table.rows {
        let code = table.get(row, "code");
        if places.by_code(code).is_none() {
            diag.push(table.err(row, "code", Code::UnknownPlace, "unknown country code"));
            continue;
        }
        if out.iter().any(|p| p.code == code) {
            diag.push(table.err(row, "code", Code::Duplicate, "duplicate participant"));
            continue;
        }
        let joined = table.get(row, "joined");
        if !(joined.len() == 4 && joined.bytes().all(|b| b.is_ascii_digit()))
            && Date::parse(joined).is_none()
        {
            diag.push(
                table
                    .err(row, "joined", Code::BadDate, "not a year or a date")
                    .accepted("YYYY or YYYY-MM-DD"),
            );
        }
        table.cited(row, diag);
        out.push(Participant {
            code: code.to_string(),
            name: table.get(row, "name").to_string(),
            joined: joined.to_string(),
            eu_member: match table.get(row, "eu_member") {
                "true" => true,
                "false" => false,
                _ => {
                    diag.push(
                        table
                            .err(row, "eu_member", Code::UnknownWord, "not a boolean")
                            .accepted("true, false"),
                    );
                    false
                }
            },
        });
    }
    out
}

/// `all`, `EU` (the customs territory, with `group_changes.csv` at the top level) and `WA`
/// (the participants, from their joining dates).
fn global_groups(
    source: &Source,
    places: &Places,
    participants: &[Participant],
    diag: &mut Diagnostics,
) -> Vec<GroupTable> {
    let mut all = PlaceSet::default();
    let mut eu = PlaceSet::default();
    for id in places.ids() {
        all.insert(id);
        if places.get(id).eu_customs {
            eu.insert(id);
        }
    }
    let mut wa = PlaceSet::default();
    let mut wa_changes = Vec::new();
    for p in participants {
        if let Some(id) = places.by_code(&p.code) {
            wa.insert(id);
            let date = Date::parse(&p.joined).or_else(|| {
                p.joined
                    .parse::<u32>()
                    .ok()
                    .and_then(|y| Date::new(y, 1, 1))
            });
            if let Some(date) = date {
                wa_changes.push(GroupChange {
                    place: id,
                    added: true,
                    date,
                    source: "Wassenaar Arrangement participating states (joining date)".to_string(),
                });
            }
        }
    }
    let mut groups = vec![
        GroupTable {
            name: "all".into(),
            members: all,
            changes: Vec::new(),
            file: source.display("countries.csv"),
        },
        GroupTable {
            name: "EU".into(),
            members: eu,
            changes: Vec::new(),
            file: source.display("countries.csv"),
        },
        GroupTable {
            name: "WA".into(),
            members: wa,
            changes: wa_changes,
            file: source.display("wassenaar/participants.csv"),
        },
    ];
    if source.exists("group_changes.csv") {
        apply_changes(source, "group_changes.csv", places, &mut groups, diag);
    }
    groups
}

fn apply_changes(
    source: &Source,
    rel: &str,
    places: &Places,
    groups: &mut [GroupTable],
    diag: &mut Diagnostics,
) {
    let columns = Columns::exact(&GROUP_CHANGE_COLUMNS, &GROUP_CHANGE_OPTIONAL);
    let Some(table) = Table::load(source, rel, &columns, diag) else {
        return;
    };
    for row in &table.rows {
        let Some(place) = places.by_code(table.get(row, "destination")) else {
            diag.push(table.err(
                row,
                "destination",
                Code::UnknownPlace,
                "unknown country code",
            ));
            continue;
        };
        let added = match table.get(row, "change") {
            "added" => true,
            "removed" => false,
            _ => {
                diag.push(
                    table
                        .err(row, "change", Code::UnknownWord, "unknown change")
                        .accepted("added, removed"),
                );
                continue;
            }
        };
        let Some(date) = Date::parse(table.get(row, "date")) else {
            diag.push(
                table
                    .err(row, "date", Code::BadDate, "not a date")
                    .accepted("YYYY-MM-DD (first day of the new membership)"),
            );
            continue;
        };
        if !table.cited(row, diag) {
            continue;
        }
        let name = table.get(row, "group");
        let Some(g) = groups.iter_mut().find(|g| g.name == name) else {
            let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
            diag.push(
                table
                    .err(
                        row,
                        "group",
                        Code::UnknownGroup,
                        "not a group of this folder",
                    )
                    .accepted(names.join(", ")),
            );
            continue;
        };
        g.changes.push(GroupChange {
            place,
            added,
            date,
            source: table.get(row, "source").to_string(),
        });
    }
    for g in groups.iter_mut() {
        g.changes.sort_by_key(|c| c.date);
        // The change record must agree with the table: the last change of a place sets its
        // current membership.
        let mut last: BTreeMap<PlaceId, bool> = BTreeMap::new();
        for c in &g.changes {
            last.insert(c.place, c.added);
        }
        for (p, added) in last {
            if g.members.contains(p) != added {
                diag.push(
                    Located::new(
                        source.display(rel),
                        "the last recorded change disagrees with the current table",
                    )
                    .column("group")
                    .value(format!("{} {}", places.code(p), g.name))
                    .code(Code::Overlap),
                );
            }
        }
    }
}

struct Head {
    folder: String,
    meta: RegimeMeta,
    members: Vec<JurisdictionMeta>,
}

fn date_field(
    file: &str,
    text: &str,
    v: &S<String>,
    field: &str,
    diag: &mut Diagnostics,
) -> Option<Date> {
    let d = Date::parse(v.get_ref());
    if d.is_none() {
        let (line, col) = line_col(text, v.span().start);
        diag.push(
            Located::new(file, "not a date")
                .at(line, col)
                .column(field)
                .value(v.get_ref().clone())
                .accepted("YYYY-MM-DD")
                .code(Code::BadDate),
        );
    }
    d
}

/// The head file being read: its name for messages and its text for positions.
struct HeadFile<'a> {
    file: String,
    text: &'a str,
}

impl HeadFile<'_> {
    /// A problem at the position of a spanned value.
    fn at(&self, s: &S<String>, field: &str, code: Code, msg: &str) -> Located {
        let (line, col) = line_col(self.text, s.span().start);
        Located::new(&self.file, msg)
            .at(line, col)
            .column(field)
            .value(s.get_ref().clone())
            .code(code)
    }

    /// The folder's confidence (`primary` by default).
    fn confidence(&self, raw: &RawMeta, diag: &mut Diagnostics) -> Confidence {
        match &raw.confidence {
            Some(c) => match Confidence::parse(c.get_ref()) {
                Some(c) => c,
                None => {
                    diag.push(
                        self.at(c, "confidence", Code::UnknownWord, "unknown confidence")
                            .accepted(Confidence::accepted()),
                    );
                    Confidence::Assumed
                }
            },
            None => Confidence::Primary,
        }
    }

    /// Sources, milestones, gap claims and the citations of the head: present and official.
    fn check_citations(&self, raw: &RawMeta, diag: &mut Diagnostics) {
        if raw.source.get_ref().trim().is_empty() {
            diag.push(self.at(
                &raw.source,
                "source",
                Code::Uncited,
                "the folder must name its sources",
            ));
        } else if let Some(why) = crate::data::unofficial(raw.source.get_ref()) {
            diag.push(self.at(&raw.source, "source", Code::UnofficialSource, why));
        }
        for m in &raw.milestone {
            if !MILESTONE_KINDS.contains(&m.kind.as_str()) {
                diag.push(
                    Located::new(&self.file, "unknown milestone kind")
                        .column("kind")
                        .value(m.kind.clone())
                        .accepted(MILESTONE_KINDS.join(", "))
                        .code(Code::UnknownWord),
                );
            }
            let ok = m.date.split('-').enumerate().all(|(i, p)| {
                p.chars().all(|c| c.is_ascii_digit()) && p.len() == if i == 0 { 4 } else { 2 }
            }) && m.date.split('-').count() <= 3;
            if !ok {
                diag.push(
                    Located::new(
                        &self.file,
                        "milestone date is not YYYY, YYYY-MM or YYYY-MM-DD",
                    )
                    .column("date")
                    .value(m.date.clone())
                    .code(Code::BadDate),
                );
            }
            if m.source.trim().is_empty() {
                diag.push(
                    Located::new(&self.file, "every milestone must cite its source")
                        .value(m.event.clone())
                        .code(Code::Uncited),
                );
            } else if let Some(why) = crate::data::unofficial(&m.source) {
                diag.push(
                    Located::new(&self.file, why)
                        .column("source")
                        .value(m.source.clone())
                        .code(Code::UnofficialSource),
                );
            }
        }
        for g in &raw.gap {
            if let Some(c) = &g.claim
                && c != "no-clearance"
            {
                diag.push(
                    Located::new(&self.file, "unknown gap claim")
                        .column("claim")
                        .value(c.clone())
                        .accepted("no-clearance")
                        .code(Code::UnknownWord),
                );
            }
        }
        for (field, text_value) in [
            (
                "no_requirement_citation",
                raw.no_requirement_citation.as_deref(),
            ),
            ("export_definition", raw.export_definition.as_deref()),
            ("modelled_from_source", raw.modelled_from_source.as_deref()),
            ("groups_known_source", raw.groups_known_source.as_deref()),
        ] {
            if let Some(t) = text_value
                && let Some(why) = crate::data::unofficial(t)
            {
                diag.push(
                    Located::new(&self.file, why)
                        .column(field)
                        .value(t)
                        .code(Code::UnofficialSource),
                );
            }
        }
        for p in &raw.period {
            if let Some(why) = crate::data::unofficial(p.source.get_ref()) {
                diag.push(self.at(&p.source, "period.source", Code::UnofficialSource, why));
            }
        }
    }

    /// `list_date`, `modelled_from` and `groups_known_from`, each with its source.
    fn dates(
        &self,
        raw: &RawMeta,
        diag: &mut Diagnostics,
    ) -> (Option<Date>, Option<Date>, Option<Date>) {
        let list_date = date_field(&self.file, self.text, &raw.list_date, "list_date", diag);
        let modelled_from = raw
            .modelled_from
            .as_ref()
            .and_then(|d| date_field(&self.file, self.text, d, "modelled_from", diag));
        let groups_known_from = raw
            .groups_known_from
            .as_ref()
            .and_then(|d| date_field(&self.file, self.text, d, "groups_known_from", diag));
        if raw.modelled_from.is_some()
            && raw
                .modelled_from_source
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            diag.push(
                Located::new(&self.file, "`modelled_from` needs `modelled_from_source`")
                    .column("modelled_from_source")
                    .code(Code::BadDate),
            );
        }
        if raw.groups_known_from.is_some()
            && raw
                .groups_known_source
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            diag.push(
                Located::new(
                    &self.file,
                    "`groups_known_from` needs `groups_known_source`",
                )
                .column("groups_known_source")
                .code(Code::BadDate),
            );
        }
        (list_date, modelled_from, groups_known_from)
    }

    /// `[[period]]`: under which regime's law the state was, and when.
    fn periods(&self, raw: &RawMeta, diag: &mut Diagnostics) -> Vec<Period> {
        let mut periods = Vec::new();
        for p in &raw.period {
            let from = p
                .from
                .as_ref()
                .and_then(|d| date_field(&self.file, self.text, d, "from", diag));
            let to =
                p.to.as_ref()
                    .and_then(|d| date_field(&self.file, self.text, d, "to", diag));
            if p.source.get_ref().trim().is_empty() {
                diag.push(self.at(
                    &p.source,
                    "source",
                    Code::Uncited,
                    "a period must cite the instrument",
                ));
            }
            periods.push(Period {
                regime: p.regime.get_ref().clone(),
                validity: Validity {
                    from,
                    from_source: p.source.get_ref().clone(),
                    to,
                    to_source: p.source.get_ref().clone(),
                },
            });
        }
        periods
    }

    /// `[deemed]`: the deemed-export rule with its citation.
    fn deemed(&self, raw: &RawMeta, diag: &mut Diagnostics) -> Deemed {
        match &raw.deemed {
            Some(d) => {
                let rule = match DeemedRule::parse(d.rule.get_ref()) {
                    Some(r) => r,
                    None => {
                        diag.push(
                            self.at(
                                &d.rule,
                                "deemed.rule",
                                Code::UnknownWord,
                                "unknown deemed-export rule",
                            )
                            .accepted(DeemedRule::accepted()),
                        );
                        DeemedRule::Unknown
                    }
                };
                if d.citation.get_ref().trim().is_empty() {
                    diag.push(self.at(
                        &d.citation,
                        "deemed.citation",
                        Code::Uncited,
                        "the deemed-export rule must cite its instrument",
                    ));
                }
                if let Some(why) = crate::data::unofficial(d.citation.get_ref()) {
                    diag.push(self.at(&d.citation, "deemed.citation", Code::UnofficialSource, why));
                }
                let c = match &d.confidence {
                    None => Confidence::Primary,
                    Some(c) => Confidence::parse(c.get_ref()).unwrap_or_else(|| {
                        diag.push(
                            self.at(
                                c,
                                "deemed.confidence",
                                Code::UnknownWord,
                                "unknown confidence",
                            )
                            .accepted(Confidence::accepted()),
                        );
                        Confidence::Assumed
                    }),
                };
                Deemed {
                    rule,
                    citation: d.citation.get_ref().clone(),
                    confidence: c,
                    note: d.note.clone(),
                }
            }
            None => {
                diag.push(
                Located::new(&self.file, "missing `[deemed]`: the deemed-export rule (technology-and-software, none or unknown) with its citation")
                    .column("deemed")
                    .code(Code::Empty),
            );
                Deemed {
                    rule: DeemedRule::Unknown,
                    citation: String::new(),
                    confidence: Confidence::Assumed,
                    note: None,
                }
            }
        }
    }

    /// The one jurisdiction of a `jurisdiction.toml`, with the places inside it.
    fn single_member(
        &self,
        raw: &RawMeta,
        places: &Places,
        id: &str,
        confidence: Confidence,
        diag: &mut Diagnostics,
    ) -> Vec<JurisdictionMeta> {
        let id = id.to_string();
        match &raw.code {
            Some(code) if places.by_code(code.get_ref()).is_some() => {
                let mut home: Vec<PlaceId> = places.by_code(code.get_ref()).into_iter().collect();
                if let Some(listed) = &raw.home {
                    for c in listed.get_ref().split_whitespace() {
                        match places.by_code(c) {
                            Some(p) if !home.contains(&p) => home.push(p),
                            Some(_) => {}
                            None => diag.push(self.at(
                                listed,
                                "home",
                                Code::UnknownPlace,
                                "unknown country code in `home`",
                            )),
                        }
                    }
                }
                vec![JurisdictionMeta {
                    code: code.get_ref().clone(),
                    name: raw.name.clone(),
                    regime_id: id.clone(),
                    confidence,
                    notes: String::new(),
                    source: raw.source.get_ref().clone(),
                    home,
                }]
            }
            Some(code) => {
                diag.push(self.at(code, "code", Code::UnknownPlace, "unknown country code"));
                Vec::new()
            }
            None => {
                diag.push(
                    Located::new(
                        &self.file,
                        "missing `code`: the ISO code of the jurisdiction",
                    )
                    .column("code")
                    .code(Code::Empty),
                );
                Vec::new()
            }
        }
    }
}

fn load_head(
    source: &Source,
    folder: &str,
    rel: &str,
    shared: bool,
    places: &Places,
    diag: &mut Diagnostics,
) -> Option<Head> {
    let raw: RawMeta = read_toml(source, rel, diag)?;
    let bytes = source.read(rel).ok().flatten().unwrap_or_default();
    let h = HeadFile {
        file: source.display(rel),
        text: std::str::from_utf8(&bytes).unwrap_or(""),
    };
    let confidence = h.confidence(&raw, diag);
    h.check_citations(&raw, diag);
    let (list_date, modelled_from, groups_known_from) = h.dates(&raw, diag);
    let periods = h.periods(&raw, diag);
    let deemed = h.deemed(&raw, diag);
    let list_date = list_date?;
    let id = raw.id.clone().unwrap_or_else(|| folder.to_string());
    let meta = RegimeMeta {
        id: id.clone(),
        name: raw.name.clone(),
        regime: raw.regime.clone(),
        legal_basis: raw.legal_basis.clone(),
        list_name: raw.list_name.clone(),
        list_version: raw.list_version.clone(),
        list_date,
        wa_year: raw.wa_year,
        confidence,
        source: raw.source.get_ref().clone(),
        gaps: raw.gap.clone(),
        categories: raw.categories.clone(),
        no_requirement_citation: raw.no_requirement_citation.clone(),
        export_definition: raw.export_definition.clone(),
        extends: raw.extends.as_ref().map(|e| e.get_ref().clone()),
        milestones: raw.milestone.clone(),
        modelled_from: modelled_from.unwrap_or(list_date),
        modelled_from_source: raw.modelled_from_source.clone().unwrap_or_default(),
        groups_known_from: groups_known_from.unwrap_or(list_date),
        groups_known_source: raw.groups_known_source.clone().unwrap_or_default(),
        periods,
        deemed,
    };
    let members = if shared {
        load_members(
            source,
            &format!("{folder}/members.csv"),
            places,
            &id,
            confidence,
            diag,
        )
    } else {
        h.single_member(&raw, places, &id, confidence, diag)
    };
    Some(Head {
        folder: folder.to_string(),
        meta,
        members,
    })
}

fn load_members(
    source: &Source,
    rel: &str,
    places: &Places,
    regime: &str,
    regime_confidence: Confidence,
    diag: &mut Diagnostics,
) -> Vec<JurisdictionMeta> {
    let columns = Columns::exact(&MEMBER_COLUMNS, &MEMBER_OPTIONAL);
    let Some(table) = Table::load(source, rel, &columns, diag) else {
        return Vec::new();
    };
    let mut out: Vec<JurisdictionMeta> = Vec::new();
    for row in &table.rows {
        let code = table.get(row, "code");
        if places.by_code(code).is_none() {
            diag.push(table.err(row, "code", Code::UnknownPlace, "unknown country code"));
            continue;
        }
        if out.iter().any(|m| m.code == code) {
            diag.push(table.err(row, "code", Code::Duplicate, "duplicate member"));
            continue;
        }
        table.cited(row, diag);
        let confidence = confidence_cell(&table, row, diag);
        out.push(JurisdictionMeta {
            code: code.to_string(),
            name: table.get(row, "name").to_string(),
            regime_id: regime.to_string(),
            confidence: confidence.min(regime_confidence),
            notes: table.get(row, "national_measures").to_string(),
            source: table.get(row, "source").to_string(),
            home: places.by_code(code).into_iter().collect(),
        });
    }
    out
}

fn confidence_cell(
    table: &Table,
    row: &crate::data::table::Row,
    diag: &mut Diagnostics,
) -> Confidence {
    match table.get(row, "confidence") {
        "" => Confidence::Primary,
        c => Confidence::parse(c).unwrap_or_else(|| {
            diag.push(
                table
                    .err(row, "confidence", Code::UnknownWord, "unknown confidence")
                    .accepted(Confidence::accepted()),
            );
            Confidence::Assumed
        }),
    }
}

/// The origins of a control, for `entries.csv` column `origin`.
pub const ORIGINS: [&str; 8] = [
    "wa",
    "mtcr",
    "nsg",
    "ag",
    "cwc",
    "eu-autonomous",
    "national",
    "us-unilateral",
];

/// Required columns of `wassenaar/participants.csv`.
pub const PARTICIPANT_COLUMNS: [&str; 5] = ["code", "name", "joined", "eu_member", "source"];

/// Required columns of a shared regime's `members.csv`.
pub const MEMBER_COLUMNS: [&str; 3] = ["code", "name", "source"];
/// Optional columns of `members.csv`.
pub const MEMBER_OPTIONAL: [&str; 3] = ["competent_authority", "national_measures", "confidence"];

/// Required columns of `history.csv` (dates for rows of a generated `entries.csv`).
pub const HISTORY_COLUMNS: [&str; 3] = ["local_code", "valid_from", "valid_from_source"];
/// Optional columns of `history.csv`.
pub const HISTORY_OPTIONAL: [&str; 3] = ["valid_to", "valid_to_source", "note"];

/// Required columns of `group_changes.csv` (in a regime folder or at the top level).
pub const GROUP_CHANGE_COLUMNS: [&str; 5] = ["destination", "group", "change", "date", "source"];
/// Optional columns of `group_changes.csv`.
pub const GROUP_CHANGE_OPTIONAL: [&str; 1] = ["note"];

/// Required columns of a group table (`country_groups.csv`, `country_chart.csv`); every
/// other column is a group, except [`GROUP_TABLE_FIXED`].
pub const GROUP_TABLE_COLUMNS: [&str; 2] = ["destination", "source"];
/// Optional columns of a group table that are not groups.
pub const GROUP_TABLE_FIXED: [&str; 3] = ["chart_row", "notes", "footnotes"];

/// Required columns of a regime's `entries.csv`.
pub const ENTRY_COLUMNS: [&str; 4] = ["local_code", "item", "label", "source"];
/// Optional columns of `entries.csv`.
pub const ENTRY_OPTIONAL: [&str; 11] = [
    "reasons",
    "tags",
    "special",
    "excluded_end_uses",
    "confidence",
    "origin",
    "value_limit",
    "valid_from",
    "valid_from_source",
    "valid_to",
    "valid_to_source",
];

fn validity_cells(
    table: &Table,
    row: &crate::data::table::Row,
    diag: &mut Diagnostics,
) -> Validity {
    let mut v = Validity::default();
    for (col, src, slot) in [
        ("valid_from", "valid_from_source", 0),
        ("valid_to", "valid_to_source", 1),
    ] {
        let cell = table.get(row, col);
        if cell.is_empty() {
            continue;
        }
        let Some(d) = Date::parse(cell) else {
            diag.push(
                table
                    .err(row, col, Code::BadDate, "not a date")
                    .accepted("YYYY-MM-DD"),
            );
            continue;
        };
        let source = table.get(row, src).to_string();
        if source.is_empty() {
            diag.push(table.err(
                row,
                src,
                Code::BadDate,
                &format!("a dated change needs `{src}`: the instrument that made it"),
            ));
        } else if let Some(why) = crate::data::unofficial(&source) {
            diag.push(table.err(row, src, Code::UnofficialSource, why));
        }
        if slot == 0 {
            v.from = Some(d);
            v.from_source = source;
        } else {
            v.to = Some(d);
            v.to_source = source;
        }
    }
    if let (Some(f), Some(t)) = (v.from, v.to)
        && t < f
    {
        diag.push(table.err(
            row,
            "valid_to",
            Code::BadDate,
            "`valid_to` is before `valid_from`",
        ));
    }
    v
}

/// The list rows of a folder: `entries.csv`, then the generated `entries.NAME.csv` files in
/// name order (`files` lists every file of the datasets).
fn load_entries(
    source: &Source,
    files: &[String],
    head: &Head,
    catalogue: &mut Catalogue,
    diag: &mut Diagnostics,
) -> Vec<EntryRow> {
    let mut rels = vec![format!("{}/entries.csv", head.folder)];
    let prefix = format!("{}/entries.", head.folder);
    let mut generated: Vec<String> = files
        .iter()
        .filter(|p| {
            p.starts_with(&prefix)
                && p.ends_with(".csv")
                && p.len() > prefix.len() + ".csv".len()
                && p.matches('/').count() == 1
        })
        .cloned()
        .collect();
    generated.sort();
    rels.extend(generated);
    // Dates for rows of a generated entries file live in `history.csv`.
    let history = load_history(source, &format!("{}/history.csv", head.folder), diag);
    let mut rows: Vec<EntryRow> = Vec::new();
    let mut seen: HashMap<(String, ItemId), Vec<Validity>> = HashMap::new();
    for rel in &rels {
        load_entry_file(
            source, rel, head, catalogue, &history, &mut seen, &mut rows, diag,
        );
    }
    for local in history.keys() {
        if !rows.iter().any(|r| &r.local_code == local) {
            diag.push(
                Located::new(
                    source.display(&format!("{}/history.csv", head.folder)),
                    "dates a local code that entries.csv does not have",
                )
                .column("local_code")
                .value(local.clone())
                .code(Code::BadReference),
            );
        }
    }
    rows
}

/// The catalogue item of a list row: the named Wassenaar entry, or for a national-only entry a
/// catalogue item of its own; `None` (with a problem recorded) when neither works.
fn entry_item(
    table: &Table,
    row: &crate::data::table::Row,
    catalogue: &mut Catalogue,
    owner: &str,
    origin: &str,
    diag: &mut Diagnostics,
) -> Option<ItemId> {
    let local = table.get(row, "local_code");
    let item_code = table.get(row, "item");
    if item_code.is_empty() {
        // A national-only entry becomes a catalogue item of its own; a conditional row
        // (`4A001.a (meeting 4A101 parameters)`) keeps its text as code.
        let code = canonical_code(local).unwrap_or_else(|| local.to_string());
        match catalogue.add(Item {
            code: code.clone(),
            wa_code: String::new(),
            parent: None,
            children: Vec::new(),
            label: table.get(row, "label").to_string(),
            tags: list(table.get(row, "tags")).map(str::to_string).collect(),
            kind: ItemKind::National,
            owner: Some(owner.to_string()),
            origin: if origin.is_empty() {
                "national".to_string()
            } else {
                origin.to_string()
            },
            source: table.get(row, "source").to_string(),
        }) {
            Ok(id) => Some(id),
            Err(existing) if catalogue.get(existing).kind == ItemKind::National => Some(existing),
            Err(_) => {
                diag.push(
                    table
                        .err(
                            row,
                            "item",
                            Code::UnknownItem,
                            "empty item, but the local code is a Wassenaar entry",
                        )
                        .hint(format!("set `item` to `{code}`")),
                );
                None
            }
        }
    } else {
        match catalogue.lookup(item_code) {
            Some(id) => Some(id),
            None => {
                let mut err = table.err(
                    row,
                    "item",
                    Code::UnknownItem,
                    "item is not in the catalogue (wassenaar/entries.csv)",
                );
                if let Some(s) = catalogue.suggest(item_code) {
                    err = err.hint(format!("did you mean `{s}`?"));
                }
                diag.push(err);
                None
            }
        }
    }
}

/// The excluded end uses, the `special` flag and the value limit of a list row.
fn entry_flags(
    table: &Table,
    row: &crate::data::table::Row,
    diag: &mut Diagnostics,
) -> (Vec<EndUse>, bool, Option<f64>) {
    let mut excluded = Vec::new();
    for word in list(table.get(row, "excluded_end_uses")) {
        match EndUse::parse(word) {
            Some(e) => excluded.push(e),
            None => diag.push(
                table
                    .err(
                        row,
                        "excluded_end_uses",
                        Code::UnknownWord,
                        "unknown end use",
                    )
                    .value(word)
                    .accepted(<EndUse as Word>::accepted()),
            ),
        }
    }
    let special = match table.get(row, "special") {
        "true" => true,
        "" | "false" => false,
        _ => {
            diag.push(
                table
                    .err(row, "special", Code::UnknownWord, "not a boolean")
                    .accepted("true, false, empty"),
            );
            false
        }
    };
    let value_limit = match table.get(row, "value_limit") {
        "" => None,
        v => match v.replace(['$', ','], "").parse::<f64>() {
            Ok(x) if x >= 0.0 => Some(x),
            _ => {
                diag.push(
                    table
                        .err(
                            row,
                            "value_limit",
                            Code::BadNumber,
                            "not an amount in US dollars",
                        )
                        .accepted("a number, e.g. `5000`"),
                );
                None
            }
        },
    };
    (excluded, special, value_limit)
}

#[allow(clippy::too_many_arguments)]
fn load_entry_file(
    source: &Source,
    rel: &str,
    head: &Head,
    catalogue: &mut Catalogue,
    history: &BTreeMap<String, Validity>,
    seen: &mut HashMap<(String, ItemId), Vec<Validity>>,
    rows: &mut Vec<EntryRow>,
    diag: &mut Diagnostics,
) {
    let owner = head.meta.id.as_str();
    let columns = Columns::exact(&ENTRY_COLUMNS, &ENTRY_OPTIONAL);
    let Some(table) = Table::load(source, rel, &columns, diag) else {
        return;
    };
    for row in &table.rows {
        let local = table.get(row, "local_code");
        if local.is_empty() {
            diag.push(table.err(row, "local_code", Code::Empty, "empty local code"));
            continue;
        }
        if !table.cited(row, diag) {
            continue;
        }
        let origin = table.get(row, "origin");
        if !origin.is_empty() && !ORIGINS.contains(&origin) {
            diag.push(
                table
                    .err(
                        row,
                        "origin",
                        Code::UnknownWord,
                        "unknown origin of control",
                    )
                    .accepted(ORIGINS.join(", ")),
            );
        }
        let Some(item) = entry_item(&table, row, catalogue, owner, origin, diag) else {
            continue;
        };
        if let Err(other) = catalogue.alias(local, item)
            && catalogue.get(other).code != local
        {
            // A local spelling that names another catalogue item would make input ambiguous.
            diag.push(table.err(
                row,
                "local_code",
                Code::Duplicate,
                &format!(
                    "local code already names catalogue item `{}`",
                    catalogue.get(other).code
                ),
            ));
            continue;
        }
        let mut validity = validity_cells(&table, row, diag);
        if let Some(h) = history.get(local) {
            if validity.is_dated() {
                diag.push(table.err(
                    row,
                    "valid_from",
                    Code::Duplicate,
                    "dated both here and in history.csv",
                ));
            }
            validity = h.clone();
        }
        let key = (local.to_string(), item);
        if seen
            .get(&key)
            .is_some_and(|vs| vs.iter().any(|v| overlaps(v, &validity)))
        {
            diag.push(table.err(
                row,
                "local_code",
                Code::Duplicate,
                "duplicate row for this local code and item (overlapping validity)",
            ));
            continue;
        }
        let (excluded, special, value_limit) = entry_flags(&table, row, diag);
        let confidence = confidence_cell(&table, row, diag);
        let tags: Vec<String> = list(table.get(row, "tags")).map(str::to_string).collect();
        let control_origin = if origin.is_empty() {
            catalogue.get(item).origin.clone()
        } else {
            origin.to_string()
        };
        rows.push(EntryRow {
            line: row.line,
            local_code: local.to_string(),
            item,
            label: table.get(row, "label").to_string(),
            reasons: list(table.get(row, "reasons"))
                .map(str::to_string)
                .collect(),
            not_listed: tags.iter().any(|t| t == "not-listed"),
            tags,
            special,
            excluded_end_uses: excluded,
            source: table.get(row, "source").to_string(),
            confidence,
            origin: owner.to_string(),
            control_origin,
            value_limit,
            validity: validity.clone(),
        });
        seen.entry(key).or_default().push(validity);
    }
}

fn overlaps(a: &Validity, b: &Validity) -> bool {
    let a_from = a.from;
    let b_from = b.from;
    a_from.is_none_or(|af| b.to.is_none_or(|bt| af <= bt))
        && b_from.is_none_or(|bf| a.to.is_none_or(|at| bf <= at))
}

fn load_history(source: &Source, rel: &str, diag: &mut Diagnostics) -> BTreeMap<String, Validity> {
    let mut out = BTreeMap::new();
    if !source.exists(rel) {
        return out;
    }
    let columns = Columns::exact(&HISTORY_COLUMNS, &HISTORY_OPTIONAL);
    let Some(table) = Table::load(source, rel, &columns, diag) else {
        return out;
    };
    for row in &table.rows {
        let local = table.get(row, "local_code");
        let v = validity_cells(&table, row, diag);
        if !v.is_dated() {
            diag.push(table.err(
                row,
                "valid_from",
                Code::BadDate,
                "a history row needs a date",
            ));
            continue;
        }
        if out.insert(local.to_string(), v).is_some() {
            diag.push(table.err(row, "local_code", Code::Duplicate, "dated twice"));
        }
    }
    out
}

/// A regime folder read up to its rules: head, list rows, group tables, parties file.
type Partial = (Head, Vec<EntryRow>, Vec<GroupTable>, Option<String>);

/// National-only paragraphs (`4A005.z.1`) hang under the nearest catalogue ancestor.
fn link_national_parents(catalogue: &mut Catalogue, partial: &[Partial]) {
    let mut national: Vec<(ItemId, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (_, entries, _, _) in partial {
        for e in entries {
            let it = catalogue.get(e.item);
            if it.kind == ItemKind::National && it.parent.is_none() && seen.insert(e.item) {
                national.push((e.item, it.code.clone()));
            }
        }
    }
    for (id, code) in national {
        let mut probe = code.split(['(', ' ']).next().unwrap_or(&code).to_string();
        if let Some(parent) = catalogue.lookup(&probe)
            && parent != id
        {
            catalogue.set_parent(id, parent);
            continue;
        }
        while let Some(dot) = probe.rfind('.') {
            probe.truncate(dot);
            if let Some(parent) = catalogue.lookup(&probe)
                && parent != id
            {
                catalogue.set_parent(id, parent);
                break;
            }
        }
    }
}

fn load_groups(
    source: &Source,
    folder: &str,
    places: &Places,
    diag: &mut Diagnostics,
) -> Vec<GroupTable> {
    let mut groups = Vec::new();
    for (name, prefix) in [("country_groups.csv", ""), ("country_chart.csv", "chart:")] {
        let rel = format!("{folder}/{name}");
        if !source.exists(&rel) {
            continue;
        }
        let columns = Columns {
            required: &GROUP_TABLE_COLUMNS,
            optional: &[],
            open: true,
            fold_case: false,
        };
        let Some(table) = Table::load(source, &rel, &columns, diag) else {
            continue;
        };
        let mut these: Vec<GroupTable> = table
            .headers
            .iter()
            .filter(|h| {
                !GROUP_TABLE_COLUMNS.contains(&h.as_str())
                    && !GROUP_TABLE_FIXED.contains(&h.as_str())
            })
            .map(|h| GroupTable {
                name: format!("{prefix}{h}"),
                members: PlaceSet::default(),
                changes: Vec::new(),
                file: table.file.clone(),
            })
            .collect();
        let mut rows = PlaceSet::default();
        let mut seen = HashSet::new();
        for row in &table.rows {
            let dest = table.get(row, "destination");
            let Some(place) = places.by_code(dest) else {
                diag.push(table.err(
                    row,
                    "destination",
                    Code::UnknownPlace,
                    "unknown country code",
                ));
                continue;
            };
            if !seen.insert(dest.to_string()) {
                diag.push(table.err(row, "destination", Code::Duplicate, "duplicate destination"));
                continue;
            }
            table.cited(row, diag);
            rows.insert(place);
            for g in these.iter_mut() {
                let column = &g.name[prefix.len()..];
                match table.get(row, column) {
                    "" => {}
                    "x" | "X" => g.members.insert(place),
                    _ => diag.push(
                        table
                            .err(
                                row,
                                column,
                                Code::UnknownWord,
                                "group cell must be `x`, `X` or empty",
                            )
                            .accepted("x, X, empty"),
                    ),
                }
            }
        }
        // `{prefix}rows`: every destination the table has a row for.
        these.push(GroupTable {
            name: format!("{prefix}rows"),
            members: rows,
            changes: Vec::new(),
            file: table.file.clone(),
        });
        groups.extend(these);
    }
    let rel = format!("{folder}/group_changes.csv");
    if source.exists(&rel) {
        apply_changes(source, &rel, places, &mut groups, diag);
    }
    groups
}

/// National overlays (`extends = "eu"`): the overlay regime gets the parent's rows, rules and
/// groups before its own, and its members leave the parent.
fn apply_overlays(source: &Source, regimes: &mut [RegimeData], diag: &mut Diagnostics) {
    for i in 0..regimes.len() {
        let Some(parent_id) = regimes[i].meta.extends.clone() else {
            continue;
        };
        let file = source.display(&format!("{}/jurisdiction.toml", regimes[i].folder));
        let Some(p) = regimes.iter().position(|r| r.id == parent_id) else {
            diag.push(
                Located::new(file, "`extends` names no regime folder")
                    .column("extends")
                    .value(parent_id)
                    .code(Code::BadReference),
            );
            continue;
        };
        if regimes[p].meta.extends.is_some() {
            diag.push(
                Located::new(file, "an overlay cannot extend another overlay")
                    .column("extends")
                    .value(parent_id)
                    .code(Code::BadReference),
            );
            continue;
        }
        let codes: Vec<String> = regimes[i].members.iter().map(|m| m.code.clone()).collect();
        for code in &codes {
            if !regimes[p].members.iter().any(|m| &m.code == code) {
                diag.push(
                    Located::new(
                        &file,
                        "overlay jurisdiction is not a member of the regime it extends",
                    )
                    .value(code.clone())
                    .code(Code::BadReference),
                );
            }
        }
        let parent = &regimes[p];
        let mut entries = parent.entries.clone();
        let mut rules = parent.rules.clone();
        let mut groups = parent.groups.clone();
        let parent_categories = parent.meta.categories.clone();
        let parent_gaps = parent.meta.gaps.clone();
        for e in &regimes[i].entries {
            if entries
                .iter()
                .any(|x| x.local_code == e.local_code && x.item == e.item)
            {
                diag.push(
                    Located::new(
                        &regimes[i].entries_file,
                        "overlay row repeats a row of the regime it extends",
                    )
                    .line(e.line)
                    .value(e.local_code.clone())
                    .code(Code::Duplicate),
                );
                continue;
            }
            entries.push(e.clone());
        }
        rules.extend(std::mem::take(&mut regimes[i].rules));
        let r = &mut regimes[i];
        groups.append(&mut r.groups);
        r.entries = entries;
        r.rules = rules;
        r.groups = groups;
        if r.meta.categories.is_empty() {
            r.meta.categories = parent_categories;
        }
        let own = std::mem::take(&mut r.meta.gaps);
        r.meta.gaps = parent_gaps;
        r.meta.gaps.extend(own);
        regimes[p].members.retain(|m| !codes.contains(&m.code));
    }
}

fn check_periods(regimes: &[RegimeData], diag: &mut Diagnostics) {
    for r in regimes {
        for p in &r.meta.periods {
            if !regimes.iter().any(|o| o.id == p.regime) {
                diag.push(
                    Located::new(
                        r.rules_file.replace("rules.toml", "jurisdiction.toml"),
                        "`period` names no regime folder",
                    )
                    .column("period.regime")
                    .value(p.regime.clone())
                    .code(Code::BadReference),
                );
            }
        }
    }
}

/// The fields of every dataset table, as the loaders accept them (for the schema test): the
/// table's name and its field names.
pub fn schema_fields() -> Vec<(&'static str, Vec<String>)> {
    fn fields<T: serde::de::DeserializeOwned>() -> Vec<String> {
        let err = match toml::from_str::<T>("zz_unknown_field = 1") {
            Ok(_) => return Vec::new(),
            Err(e) => e.message().to_string(),
        };
        let Some(list) = err
            .split("expected one of ")
            .nth(1)
            .or_else(|| err.split("expected ").nth(1))
        else {
            return Vec::new();
        };
        list.split(',')
            .map(|f| f.trim().trim_matches('`').to_string())
            .filter(|f| !f.is_empty())
            .collect()
    }
    vec![
        ("jurisdiction.toml / regime.toml", fields::<RawMeta>()),
        ("[[gap]]", fields::<Gap>()),
        ("[[milestone]]", fields::<Milestone>()),
        ("[[period]]", fields::<RawPeriod>()),
        ("[deemed]", fields::<RawDeemed>()),
        ("wassenaar/list.toml", fields::<WaList>()),
        ("[[history]] (list.toml)", fields::<WaEvent>()),
    ]
    .into_iter()
    .chain(rules::schema_fields())
    .chain(schema_columns())
    .collect()
}

/// The columns of every dataset CSV table, as the loaders accept them (for the schema test):
/// the table's name and its column names, required first. Group tables list only their fixed
/// columns (every other column is a group).
pub fn schema_columns() -> Vec<(&'static str, Vec<String>)> {
    fn cols(parts: &[&[&str]]) -> Vec<String> {
        parts
            .iter()
            .flat_map(|p| p.iter())
            .map(|c| c.to_string())
            .collect()
    }
    vec![
        (
            "countries.csv",
            probe_columns("countries.csv", |s, d| {
                Places::load(s, d);
            }),
        ),
        (
            "wassenaar/entries.csv",
            probe_columns("wassenaar/entries.csv", |s, d| {
                Catalogue::load(s, d);
            }),
        ),
        ("wassenaar/participants.csv", cols(&[&PARTICIPANT_COLUMNS])),
        ("members.csv", cols(&[&MEMBER_COLUMNS, &MEMBER_OPTIONAL])),
        ("entries.csv", cols(&[&ENTRY_COLUMNS, &ENTRY_OPTIONAL])),
        ("history.csv", cols(&[&HISTORY_COLUMNS, &HISTORY_OPTIONAL])),
        (
            "group_changes.csv",
            cols(&[&GROUP_CHANGE_COLUMNS, &GROUP_CHANGE_OPTIONAL]),
        ),
        (
            "country_groups.csv / country_chart.csv (fixed columns)",
            cols(&[&GROUP_TABLE_COLUMNS, &GROUP_TABLE_FIXED]),
        ),
        (
            "parties.csv",
            probe_columns("parties.csv", |s, d| {
                parties::load(s, "parties.csv", &Places::default(), d);
            }),
        ),
    ]
}

/// The columns a loader accepts for the CSV file `rel`, read from the loader itself: it is
/// given a file whose only column is unknown, and its "unknown column" diagnostic lists the
/// accepted ones. Empty when the probe cannot run.
fn probe_columns(rel: &str, load: impl Fn(&Source, &mut Diagnostics)) -> Vec<String> {
    let Ok(dir) = tempfile::tempdir() else {
        return Vec::new();
    };
    let path = dir.path().join(rel);
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, "zz_unknown_column\n"));
    if written.is_err() {
        return Vec::new();
    }
    let mut diag = Diagnostics::default();
    load(&Source::Folder(dir.path().to_path_buf()), &mut diag);
    diag.items
        .iter()
        .find(|l| l.code == Some(Code::Header) && l.message == "unknown column")
        .and_then(|l| l.accepted.as_deref())
        .map(|a| a.split(", ").map(str::to_string).collect())
        .unwrap_or_default()
}
