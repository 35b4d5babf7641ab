//! Loads the whole `datasets/` folder into memory, checking references as it goes.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::data::catalogue::{Catalogue, Item, ItemId, ItemKind};
use crate::data::places::Places;
use crate::data::rules::RulesFile;
use crate::data::table::{Columns, Table, list};
use crate::error::{Error, Located, Result};
use crate::model::{Confidence, EndUse};

/// The datasets folder: `$WASSENAAR_DATASETS`, else `./datasets` when it exists, else the
/// folder this package was built from.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("WASSENAAR_DATASETS") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("datasets");
    if local.join("countries.csv").is_file() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub affects: String,
}

/// A dated event in a regime's history (for the report's timeline and the planned `--as-of`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// ISO date (`2014-12-31`), or year-month / year where the day is not established.
    pub date: String,
    /// `cyber-controls` (the intrusion-software / IP-surveillance entries take effect),
    /// `note-4e001` (the vulnerability-disclosure note), `general-licence`, `list-update`,
    /// `other`.
    pub kind: String,
    pub event: String,
    pub source: String,
    #[serde(default)]
    pub confidence: Option<String>,
}

/// `regime.toml` (a regime shared by `members.csv`) or `jurisdiction.toml` (one state).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegimeToml {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    pub regime: String,
    pub legal_basis: String,
    pub list_name: String,
    pub list_version: String,
    pub list_date: String,
    #[serde(default)]
    pub wa_year: Option<u16>,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub deemed_exports: bool,
    pub source: String,
    #[serde(default)]
    pub gap: Vec<Gap>,
    /// WA categories the datasets model for this list (`["4", "5"]`); empty = all. Items of
    /// other categories are `indeterminate`, never `not-listed`.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Why no licence is needed where no requirement applies, when no `[[free]]` rule says.
    #[serde(default)]
    pub no_requirement_citation: Option<String>,
    /// A national overlay: this folder's entries and rules are added to those of the named
    /// regime folder (e.g. `eu`), for this jurisdiction only.
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default)]
    pub milestone: Vec<Milestone>,
}

/// One exporting jurisdiction as the datasets describe it.
#[derive(Debug, Clone)]
pub struct JurisdictionMeta {
    pub code: String,
    pub name: String,
    pub regime_id: String,
    pub confidence: Confidence,
    pub notes: String,
    pub source: String,
}

/// One list row of a jurisdiction (`entries.csv`).
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub line: u64,
    pub local_code: String,
    pub item: ItemId,
    pub label: String,
    pub reasons: Vec<String>,
    pub tags: Vec<String>,
    pub special: bool,
    pub excluded_end_uses: Vec<EndUse>,
    pub source: String,
    pub confidence: Confidence,
    /// Listed with tag `not-listed`: the row records that the list does *not* cover the item.
    pub not_listed: bool,
    /// The folder (regime id) the row comes from: `@all` in a rule means the rows of the rule's
    /// own folder, so a parent regime's rules do not reach an overlay's national rows.
    pub origin: String,
}

/// A named set of destinations defined by a jurisdiction's tables (US Country Groups, chart
/// columns).
#[derive(Debug, Clone)]
pub struct GroupDef {
    pub name: String,
    pub members: Vec<String>,
    pub file: String,
}

/// A folder of rules shared by one or more jurisdictions.
#[derive(Debug)]
pub struct RegimeData {
    pub id: String,
    pub folder: PathBuf,
    pub meta: RegimeToml,
    pub confidence: Confidence,
    pub members: Vec<JurisdictionMeta>,
    pub entries: Vec<EntryRow>,
    pub entries_file: String,
    pub rules: RulesFile,
    pub rules_file: String,
    pub groups: Vec<GroupDef>,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub code: String,
    pub name: String,
    pub joined: String,
    pub eu_member: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaList {
    pub version: String,
    pub date: String,
    #[serde(default)]
    pub plenary: String,
    pub source: String,
    #[serde(default)]
    pub entries: Option<u32>,
    #[serde(default)]
    pub history: Vec<WaEvent>,
}

/// A dated event of the Wassenaar list (`wassenaar/list.toml` `[[history]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaEvent {
    pub date: String,
    pub event: String,
    #[serde(default)]
    pub source: String,
}

/// Everything loaded from `datasets/`.
#[derive(Debug)]
pub struct Datasets {
    pub dir: PathBuf,
    pub places: Places,
    pub catalogue: Catalogue,
    pub participants: Vec<Participant>,
    pub wa_list: WaList,
    pub regimes: Vec<RegimeData>,
}

impl Datasets {
    pub fn load(dir: &Path) -> Result<Datasets> {
        if !dir.join("countries.csv").is_file() {
            return Err(Error::dataset(
                Located::new(dir.display().to_string(), "not a datasets folder")
                    .hint("expected `countries.csv` in it; set --datasets or WASSENAAR_DATASETS"),
            ));
        }
        let places = Places::load(&dir.join("countries.csv"))?;
        let mut catalogue = Catalogue::load(&dir.join("wassenaar/entries.csv"))?;
        let wa_list: WaList = read_toml(&dir.join("wassenaar/list.toml"))?;
        catalogue.version = wa_list.version.clone();
        catalogue.date = wa_list.date.clone();
        let participants = load_participants(&dir.join("wassenaar/participants.csv"), &places)?;

        let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io("read", dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("regime.toml").is_file() || p.join("jurisdiction.toml").is_file())
            .collect();
        folders.sort();
        let mut regimes = Vec::new();
        for folder in folders {
            regimes.push(load_regime(&folder, &places, &mut catalogue)?);
        }
        apply_overlays(&mut regimes)?;
        Ok(Datasets {
            dir: dir.to_path_buf(),
            places,
            catalogue,
            participants,
            wa_list,
            regimes,
        })
    }
}

pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    toml::from_str(&text).map_err(|e| {
        let mut located = Located::new(path.display().to_string(), e.message().to_lowercase());
        if let Some(span) = e.span() {
            let line = text[..span.start.min(text.len())]
                .bytes()
                .filter(|&b| b == b'\n')
                .count() as u64
                + 1;
            located = located.line(line);
        }
        Error::dataset(located)
    })
}

fn load_participants(path: &Path, places: &Places) -> Result<Vec<Participant>> {
    let table = Table::read_path(
        path,
        &Columns {
            required: &["code", "name", "joined", "eu_member", "source"],
            optional: &[],
            open: false,
        },
    )?;
    let mut out: Vec<Participant> = Vec::new();
    for row in &table.rows {
        let code = table.get(row, "code");
        table.known_place(row, "code", places)?;
        if out.iter().any(|p| p.code == code) {
            return Err(Error::dataset(table.err(
                row,
                "code",
                "duplicate participant",
            )));
        }
        table.cited(row)?;
        out.push(Participant {
            code: code.to_string(),
            name: table.get(row, "name").to_string(),
            joined: table.get(row, "joined").to_string(),
            eu_member: table.get(row, "eu_member") == "true",
        });
    }
    Ok(out)
}

fn parse_confidence(value: Option<&str>, file: &str, line: Option<u64>) -> Result<Confidence> {
    let v = value.unwrap_or("");
    Confidence::parse(v).ok_or_else(|| {
        let mut l = Located::new(file, "unknown confidence")
            .column("confidence")
            .value(v)
            .accepted("primary, secondary, assumed");
        if let Some(line) = line {
            l = l.line(line);
        }
        Error::dataset(l)
    })
}

fn load_regime(folder: &Path, places: &Places, catalogue: &mut Catalogue) -> Result<RegimeData> {
    let regime_path = folder.join("regime.toml");
    let single = !regime_path.is_file();
    let meta_path = if single {
        folder.join("jurisdiction.toml")
    } else {
        regime_path
    };
    let meta_file = meta_path.display().to_string();
    let meta: RegimeToml = read_toml(&meta_path)?;
    let confidence = parse_confidence(meta.confidence.as_deref(), &meta_file, None)?;
    for m in &meta.milestone {
        const KINDS: [&str; 5] = [
            "cyber-controls",
            "note-4e001",
            "general-licence",
            "list-update",
            "other",
        ];
        if !KINDS.contains(&m.kind.as_str()) {
            return Err(Error::dataset(
                Located::new(&meta_file, "unknown milestone kind")
                    .column("kind")
                    .value(m.kind.clone())
                    .accepted(KINDS.join(", ")),
            ));
        }
        let ok = m.date.split('-').enumerate().all(|(i, p)| {
            p.chars().all(|c| c.is_ascii_digit()) && p.len() == if i == 0 { 4 } else { 2 }
        }) && m.date.split('-').count() <= 3;
        if !ok {
            return Err(Error::dataset(
                Located::new(
                    &meta_file,
                    "milestone date is not YYYY, YYYY-MM or YYYY-MM-DD",
                )
                .column("date")
                .value(m.date.clone()),
            ));
        }
        parse_confidence(m.confidence.as_deref(), &meta_file, None)?;
        if m.source.trim().is_empty() {
            return Err(Error::dataset(
                Located::new(&meta_file, "every milestone must cite its source")
                    .value(m.event.clone()),
            ));
        }
    }
    let folder_name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = meta.id.clone().unwrap_or_else(|| folder_name.clone());
    let members = if single {
        let Some(code) = meta.code.clone() else {
            return Err(Error::dataset(Located::new(
                &meta_file,
                "missing `code`: the ISO code of the jurisdiction",
            )));
        };
        if places.by_code(&code).is_none() {
            return Err(Error::dataset(
                Located::new(&meta_file, "unknown country code")
                    .column("code")
                    .value(code),
            ));
        }
        vec![JurisdictionMeta {
            code,
            name: meta.name.clone(),
            regime_id: id.clone(),
            confidence,
            notes: String::new(),
            source: meta.source.clone(),
        }]
    } else {
        load_members(&folder.join("members.csv"), places, &id, confidence)?
    };
    if meta.list_date.len() != 10 || !meta.list_date.as_bytes()[4].eq(&b'-') {
        return Err(Error::dataset(
            Located::new(&meta_file, "`list_date` must be an ISO date")
                .value(meta.list_date.clone())
                .accepted("YYYY-MM-DD"),
        ));
    }
    let entries_path = folder.join("entries.csv");
    let entries = load_entries(&entries_path, catalogue, &id)?;
    let rules_path = folder.join("rules.toml");
    let mut rules: RulesFile = if rules_path.is_file() {
        read_toml(&rules_path)?
    } else {
        RulesFile::default()
    };
    rules.set_origin(&id);
    let mut groups = Vec::new();
    let groups_path = folder.join("country_groups.csv");
    if groups_path.is_file() {
        groups.extend(load_groups(&groups_path, places, "", &["footnotes"])?);
    }
    let chart_path = folder.join("country_chart.csv");
    if chart_path.is_file() {
        groups.extend(load_groups(&chart_path, places, "chart:", &["footnotes"])?);
    }
    Ok(RegimeData {
        id,
        folder: folder.to_path_buf(),
        meta,
        confidence,
        members,
        entries,
        entries_file: entries_path.display().to_string(),
        rules,
        rules_file: rules_path.display().to_string(),
        groups,
    })
}

fn load_members(
    path: &Path,
    places: &Places,
    regime: &str,
    regime_confidence: Confidence,
) -> Result<Vec<JurisdictionMeta>> {
    let table = Table::read_path(
        path,
        &Columns {
            required: &["code", "name", "source"],
            optional: &["competent_authority", "national_measures", "confidence"],
            open: false,
        },
    )?;
    let mut out: Vec<JurisdictionMeta> = Vec::new();
    for row in &table.rows {
        let code = table.get(row, "code");
        table.known_place(row, "code", places)?;
        if out.iter().any(|m| m.code == code) {
            return Err(Error::dataset(table.err(row, "code", "duplicate member")));
        }
        table.cited(row)?;
        let confidence = parse_confidence(
            Some(table.get(row, "confidence")),
            &table.file,
            Some(row.line),
        )?;
        out.push(JurisdictionMeta {
            code: code.to_string(),
            name: table.get(row, "name").to_string(),
            regime_id: regime.to_string(),
            confidence: confidence.min(regime_confidence),
            notes: table.get(row, "national_measures").to_string(),
            source: table.get(row, "source").to_string(),
        });
    }
    Ok(out)
}

fn load_entries(path: &Path, catalogue: &mut Catalogue, owner: &str) -> Result<Vec<EntryRow>> {
    let table = Table::read_path(
        path,
        &Columns {
            required: &["local_code", "item", "label", "source"],
            optional: &[
                "reasons",
                "tags",
                "special",
                "excluded_end_uses",
                "confidence",
                "valid_from",
            ],
            open: false,
        },
    )?;
    let mut rows: Vec<EntryRow> = Vec::new();
    let mut pending_parents = Vec::new();
    for row in &table.rows {
        let local = table.get(row, "local_code");
        if local.is_empty() {
            return Err(Error::dataset(table.err(
                row,
                "local_code",
                "empty local code",
            )));
        }
        table.cited(row)?;
        let item_code = table.get(row, "item");
        let item = if item_code.is_empty() {
            // A national-only entry becomes a catalogue item of its own.
            // A conditional row (`4A001.a (meeting 4A101 parameters)`) keeps its text as code.
            let code =
                crate::data::catalogue::canonical_code(local).unwrap_or_else(|| local.to_string());
            match catalogue.add(Item {
                code: code.clone(),
                wa_code: String::new(),
                parent: None,
                children: Vec::new(),
                label: table.get(row, "label").to_string(),
                tags: list(table.get(row, "tags")).map(str::to_string).collect(),
                kind: ItemKind::National,
                owner: Some(owner.to_string()),
                source: table.get(row, "source").to_string(),
            }) {
                Ok(id) => {
                    pending_parents.push((id, code));
                    id
                }
                Err(existing) if catalogue.get(existing).kind == ItemKind::National => existing,
                Err(_) => {
                    return Err(Error::dataset(
                        table
                            .err(
                                row,
                                "item",
                                "empty item, but the local code is a Wassenaar entry",
                            )
                            .hint(format!("set `item` to `{code}`")),
                    ));
                }
            }
        } else {
            let Some(id) = catalogue.lookup(item_code) else {
                let mut err = table.err(
                    row,
                    "item",
                    "item is not in the catalogue (wassenaar/entries.csv)",
                );
                if let Some(s) = catalogue.suggest(item_code) {
                    err = err.hint(format!("did you mean `{s}`?"));
                }
                return Err(Error::dataset(err));
            };
            id
        };
        if let Err(other) = catalogue.alias(local, item) {
            // A local spelling that names another catalogue item is only allowed when it is
            // the same code (paragraph rows); otherwise the input would be ambiguous.
            if catalogue.get(other).code != local {
                return Err(Error::dataset(table.err(
                    row,
                    "local_code",
                    &format!(
                        "local code already names catalogue item `{}`",
                        catalogue.get(other).code
                    ),
                )));
            }
        }
        // One row per (local code, item): a row may map one local entry to a qualified item.
        if rows.iter().any(|r| r.local_code == local && r.item == item) {
            return Err(Error::dataset(table.err(
                row,
                "local_code",
                "duplicate row for this local code and item",
            )));
        }
        let mut excluded = Vec::new();
        for word in list(table.get(row, "excluded_end_uses")) {
            match EndUse::parse(word) {
                Some(e) => excluded.push(e),
                None => {
                    return Err(Error::dataset(
                        table
                            .err(row, "excluded_end_uses", "unknown end use")
                            .value(word)
                            .accepted(crate::model::END_USES.join(", ")),
                    ));
                }
            }
        }
        let special = match table.get(row, "special") {
            "true" => true,
            "" | "false" => false,
            _ => {
                return Err(Error::dataset(
                    table
                        .err(row, "special", "not a boolean")
                        .accepted("true, false, empty"),
                ));
            }
        };
        let confidence = parse_confidence(
            Some(table.get(row, "confidence")),
            &table.file,
            Some(row.line),
        )?;
        let tags: Vec<String> = list(table.get(row, "tags")).map(str::to_string).collect();
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
        });
    }
    // National-only paragraphs (`4A005.z.1`) hang under the nearest catalogue ancestor.
    for (id, code) in pending_parents {
        let mut probe = code.split(" (").next().unwrap_or(&code);
        if let Some(parent) = catalogue.lookup(probe)
            && parent != id
        {
            catalogue.set_parent(id, parent);
            continue;
        }
        while let Some(dot) = probe.rfind('.') {
            probe = &probe[..dot];
            if let Some(parent) = catalogue.lookup(probe)
                && parent != id
            {
                catalogue.set_parent(id, parent);
                break;
            }
        }
    }
    Ok(rows)
}

fn load_groups(path: &Path, places: &Places, prefix: &str, skip: &[&str]) -> Result<Vec<GroupDef>> {
    let table = Table::read_path(
        path,
        &Columns {
            required: &["destination", "source"],
            optional: &[],
            open: true,
        },
    )?;
    let file = table.file.clone();
    let mut groups: Vec<GroupDef> = table
        .headers
        .iter()
        .filter(|h| !matches!(h.as_str(), "destination" | "chart_row" | "source" | "notes"))
        .filter(|h| !skip.contains(&h.as_str()))
        .map(|h| GroupDef {
            name: format!("{prefix}{h}"),
            members: Vec::new(),
            file: file.clone(),
        })
        .collect();
    // `{prefix}rows`: every destination the table has a row for.
    groups.push(GroupDef {
        name: format!("{prefix}rows"),
        members: table
            .rows
            .iter()
            .map(|r| table.get(r, "destination").to_string())
            .collect(),
        file: file.clone(),
    });
    let mut seen = std::collections::HashSet::new();
    for row in &table.rows {
        let dest = table.get(row, "destination");
        table.known_place(row, "destination", places)?;
        if !seen.insert(dest.to_string()) {
            return Err(Error::dataset(table.err(
                row,
                "destination",
                "duplicate destination",
            )));
        }
        table.cited(row)?;
        for g in groups.iter_mut().filter(|g| !g.name.ends_with("rows")) {
            let column = &g.name[prefix.len()..];
            let cell = table.get(row, column);
            match cell {
                "" => {}
                "x" | "X" => g.members.push(dest.to_string()),
                _ => {
                    return Err(Error::dataset(table.err(
                        row,
                        column,
                        "group cell must be `x`, `X` or empty",
                    )));
                }
            }
        }
    }
    Ok(groups)
}

/// National overlays (`extends = "eu"`): the overlay regime gets the parent's rows and rules
/// before its own, and its members leave the parent.
fn apply_overlays(regimes: &mut [RegimeData]) -> Result<()> {
    for i in 0..regimes.len() {
        let Some(parent_id) = regimes[i].meta.extends.clone() else {
            continue;
        };
        let Some(p) = regimes.iter().position(|r| r.id == parent_id) else {
            return Err(Error::dataset(
                Located::new(
                    regimes[i]
                        .folder
                        .join("jurisdiction.toml")
                        .display()
                        .to_string(),
                    "`extends` names no regime folder",
                )
                .value(parent_id),
            ));
        };
        if regimes[p].meta.extends.is_some() {
            return Err(Error::dataset(
                Located::new(
                    regimes[i].folder.display().to_string(),
                    "an overlay cannot extend another overlay",
                )
                .value(parent_id),
            ));
        }
        let codes: Vec<String> = regimes[i].members.iter().map(|m| m.code.clone()).collect();
        for code in &codes {
            if !regimes[p].members.iter().any(|m| &m.code == code) {
                return Err(Error::dataset(
                    Located::new(
                        regimes[i].folder.display().to_string(),
                        "overlay jurisdiction is not a member of the regime it extends",
                    )
                    .value(code.clone()),
                ));
            }
        }
        let parent = &regimes[p];
        let mut entries = parent.entries.clone();
        let rules_parent = parent.rules.clone();
        let groups_parent = parent.groups.clone();
        let parent_categories = parent.meta.categories.clone();
        let parent_gaps = parent.meta.gap.clone();
        for e in &regimes[i].entries {
            if entries
                .iter()
                .any(|x| x.local_code == e.local_code && x.item == e.item)
            {
                return Err(Error::dataset(
                    Located::new(
                        &regimes[i].entries_file,
                        "overlay row repeats a row of the regime it extends",
                    )
                    .line(e.line)
                    .value(e.local_code.clone()),
                ));
            }
            entries.push(e.clone());
        }
        let own = std::mem::take(&mut regimes[i].rules);
        let mut rules = rules_parent;
        rules.requirement.extend(own.requirement);
        rules.free.extend(own.free);
        rules.authorisation.extend(own.authorisation);
        rules.catch_all.extend(own.catch_all);
        rules.overlay.extend(own.overlay);
        let r = &mut regimes[i];
        r.entries = entries;
        r.rules = rules;
        let mut groups = groups_parent;
        groups.append(&mut r.groups);
        r.groups = groups;
        if r.meta.categories.is_empty() {
            r.meta.categories = parent_categories;
        }
        let own_gaps = std::mem::take(&mut r.meta.gap);
        r.meta.gap = parent_gaps;
        r.meta.gap.extend(own_gaps);
        regimes[p].members.retain(|m| !codes.contains(&m.code));
    }
    Ok(())
}
