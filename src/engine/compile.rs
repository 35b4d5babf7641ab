//! Compiles the loaded datasets into dense tables: destinations as bitsets, end users and end
//! uses as masks, every text (reason, citation) interned once as a `Fact`.

use std::collections::HashMap;

use crate::data::catalogue::{Catalogue, ItemId};
use crate::data::load::{EntryRow, JurisdictionMeta, Participant, RegimeToml, WaList};
use crate::data::places::{PlaceId, Places};
use crate::data::rules::Condition;
use crate::data::{Datasets, RegimeData};
use crate::engine::bitset::{IndexSet, PlaceSet};
use crate::error::{Error, Located, Result};
use crate::model::{Confidence, EndUse, EndUser, LicencePolicy, Outcome, Transaction};

pub type FactId = u32;

/// An interned piece of explanation: a short text (with `{dest}`, `{entry}`, `{exporter}`,
/// `{item}`, `{outcome}` placeholders) and the legal source it rests on.
#[derive(Debug, Clone)]
pub struct Fact {
    pub text: String,
    pub citation: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub local_code: String,
    pub item: ItemId,
    pub reasons: Vec<String>,
    pub special: bool,
    pub excluded_end_uses: u32,
    pub listed_fact: FactId,
    pub exclusion_fact: FactId,
    pub confidence: Confidence,
    pub group: Option<char>,
    /// The row covers the item only in part (tag `partial-scope`): the outcome may be
    /// `not-listed` for the rest.
    pub partial_fact: Option<FactId>,
}

/// Which list rows decide an item in one regime.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Rows that decide (one, or several paragraphs to aggregate); empty = not listed.
    pub units: Vec<u32>,
    /// Paragraphs that apply only when named; noted when they would change the answer.
    pub special: Vec<u32>,
    /// A row says the list does not cover this item.
    pub explicitly_unlisted: Option<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct ItemMatcher {
    pub entries: IndexSet,
    pub items: Vec<ItemId>,
}

impl ItemMatcher {
    pub fn matches(
        &self,
        catalogue: &Catalogue,
        entry: Option<(usize, ItemId)>,
        item: ItemId,
    ) -> bool {
        if let Some((idx, entry_item)) = entry {
            if self.entries.contains(idx) {
                return true;
            }
            if self
                .items
                .iter()
                .any(|&p| catalogue.is_within(entry_item, p))
            {
                return true;
            }
        }
        self.items.iter().any(|&p| catalogue.is_within(item, p))
    }
}

#[derive(Debug, Clone, Default)]
pub struct CCondition {
    pub destinations: Option<PlaceSet>,
    pub end_users: Option<u32>,
    pub end_uses: Option<u32>,
    pub items: Option<ItemMatcher>,
    pub deemed: Option<bool>,
    pub transactions: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct CRequirement {
    pub id: String,
    pub items: ItemMatcher,
    pub destinations: PlaceSet,
    pub policy: LicencePolicy,
    pub fact: FactId,
}

#[derive(Debug, Clone)]
pub struct CFree {
    pub items: ItemMatcher,
    pub destinations: PlaceSet,
    pub fact: FactId,
}

#[derive(Debug, Clone)]
pub struct CRestriction {
    pub when: CCondition,
    pub unless: Vec<CCondition>,
    pub fact: FactId,
}

#[derive(Debug, Clone)]
pub struct CAuthorisation {
    pub id: String,
    pub items: ItemMatcher,
    pub excluded: ItemMatcher,
    pub destinations: PlaceSet,
    pub transactions: u32,
    pub only_reasons: Vec<String>,
    pub may_only: bool,
    pub restrictions: Vec<CRestriction>,
    pub fact: FactId,
    pub conditions_fact: Option<FactId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemClass {
    All,
    Listed,
    Unlisted,
    UnlistedCyberSurveillance,
}

#[derive(Debug, Clone)]
pub struct CCatchAll {
    pub class: Option<ItemClass>,
    pub items: ItemMatcher,
    pub when: CCondition,
    /// `None` = indeterminate: the rule may raise the outcome up to licence-required.
    pub outcome: Option<Outcome>,
    pub policy: LicencePolicy,
    pub fact: FactId,
}

#[derive(Debug, Clone)]
pub struct COverlay {
    pub destinations: PlaceSet,
    pub all_items: bool,
    pub deemed: bool,
    pub outcome: Outcome,
    pub policy: LicencePolicy,
    pub fact: FactId,
}

/// One compiled body of law, shared by its member jurisdictions.
#[derive(Debug)]
pub struct Regime {
    pub id: String,
    pub meta: RegimeToml,
    pub confidence: Confidence,
    pub entries: Vec<Entry>,
    pub plans: Vec<Plan>,
    pub requirements: Vec<CRequirement>,
    pub frees: Vec<CFree>,
    pub authorisations: Vec<CAuthorisation>,
    pub catch_alls: Vec<CCatchAll>,
    pub overlays: Vec<COverlay>,
    pub not_listed_fact: FactId,
    pub not_modelled_fact: FactId,
    pub no_requirement_fact: FactId,
    pub no_deemed_fact: FactId,
    pub deemed_hardware_fact: FactId,
    pub not_applicable_fact: FactId,
    pub paragraphs_differ_fact: FactId,
    pub paragraph_outcome_fact: FactId,
    pub special_fact: FactId,
    pub groups: HashMap<String, PlaceSet>,
    pub entries_file: String,
}

/// One exporting jurisdiction.
#[derive(Debug, Clone)]
pub struct Jurisdiction {
    pub code: String,
    pub place: PlaceId,
    pub regime: usize,
    pub meta: JurisdictionMeta,
}

/// The compiled datasets: everything an evaluation needs, built once.
#[derive(Debug)]
pub struct World {
    pub places: Places,
    pub catalogue: Catalogue,
    pub participants: Vec<Participant>,
    pub wa_list: WaList,
    pub regimes: Vec<Regime>,
    /// Sorted by ISO code.
    pub jurisdictions: Vec<Jurisdiction>,
    pub facts: Vec<Fact>,
    pub dataset_dir: std::path::PathBuf,
}

struct Interner {
    facts: Vec<Fact>,
    index: HashMap<(String, String, Confidence), FactId>,
}

impl Interner {
    fn fact(&mut self, text: &str, citation: &str, confidence: Confidence) -> FactId {
        let key = (text.to_string(), citation.to_string(), confidence);
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = self.facts.len() as FactId;
        self.facts.push(Fact {
            text: text.to_string(),
            citation: citation.to_string(),
            confidence,
        });
        self.index.insert(key, id);
        id
    }
}

struct Ctx<'a> {
    places: &'a Places,
    catalogue: &'a Catalogue,
    groups: &'a HashMap<String, PlaceSet>,
    entries: &'a [EntryRow],
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, rule: &str, message: String, value: &str) -> Error {
        Error::dataset(
            Located::new(self.file, message)
                .column(rule.to_string())
                .value(value),
        )
    }

    fn destinations(&self, rule: &str, expr: &str) -> Result<PlaceSet> {
        let mut set = PlaceSet::default();
        for term in expr.split_whitespace() {
            let (op, atom) = match term.as_bytes()[0] {
                b'+' | b'-' | b'&' => (term.as_bytes()[0], &term[1..]),
                _ => (b'+', term),
            };
            let value = if let Some(group) = atom.strip_prefix('@') {
                match self.groups.get(group) {
                    Some(g) => *g,
                    None => {
                        let mut names: Vec<&str> = self.groups.keys().map(String::as_str).collect();
                        names.sort();
                        return Err(Error::dataset(
                            Located::new(self.file, "unknown destination group")
                                .column(rule.to_string())
                                .value(atom)
                                .accepted(format!("@{}", names.join(", @"))),
                        ));
                    }
                }
            } else {
                let Some(id) = self.places.by_code(atom) else {
                    return Err(self.err(
                        rule,
                        "unknown country code in a destination expression".into(),
                        atom,
                    ));
                };
                let mut one = PlaceSet::default();
                one.insert(id);
                one
            };
            set = match op {
                b'-' => set.difference(&value),
                b'&' => set.intersection(&value),
                _ => set.union(&value),
            };
        }
        Ok(set)
    }

    fn items(&self, rule: &str, origin: &str, patterns: &[String]) -> Result<ItemMatcher> {
        let mut m = ItemMatcher {
            entries: IndexSet::with_capacity(self.entries.len()),
            items: Vec::new(),
        };
        for p in patterns {
            // `@all`, `@group:` and `@reason:` mean the rows of the rule's own folder.
            let listed = |e: &EntryRow| !e.not_listed && (origin.is_empty() || e.origin == origin);
            if p == "@all" {
                for (i, e) in self.entries.iter().enumerate() {
                    if listed(e) {
                        m.entries.insert(i);
                    }
                }
            } else if let Some(tag) = p.strip_prefix("@tag:") {
                let mut any = false;
                for (i, e) in self.entries.iter().enumerate() {
                    if !e.not_listed && e.tags.iter().any(|t| t == tag) {
                        m.entries.insert(i);
                        any = true;
                    }
                }
                if !any {
                    return Err(self.err(rule, "no list entry carries this tag".into(), p));
                }
            } else if let Some(group) = p.strip_prefix("@group:") {
                for (i, e) in self.entries.iter().enumerate() {
                    if listed(e)
                        && e.local_code
                            .chars()
                            .nth(1)
                            .map(|c| c.to_string())
                            .as_deref()
                            == Some(group)
                    {
                        m.entries.insert(i);
                    }
                }
            } else if let Some(reason) = p.strip_prefix("@reason:") {
                for (i, e) in self.entries.iter().enumerate() {
                    if listed(e) && e.reasons.iter().any(|r| r == reason) {
                        m.entries.insert(i);
                    }
                }
            } else {
                match self.catalogue.lookup(p) {
                    Some(id) => m.items.push(id),
                    None => {
                        return Err(self.err(
                            rule,
                            "item pattern names no catalogue item".into(),
                            p,
                        ));
                    }
                }
            }
        }
        Ok(m)
    }

    fn condition(&self, rule: &str, origin: &str, c: &Condition) -> Result<CCondition> {
        Ok(CCondition {
            destinations: c
                .destinations
                .as_deref()
                .map(|d| self.destinations(rule, d))
                .transpose()?,
            end_users: c
                .end_users
                .as_ref()
                .map(|v| {
                    mask(
                        rule,
                        v,
                        self.file,
                        EndUser::parse,
                        EndUser::bit,
                        crate::model::END_USERS,
                    )
                })
                .transpose()?,
            end_uses: c
                .end_uses
                .as_ref()
                .map(|v| {
                    mask(
                        rule,
                        v,
                        self.file,
                        EndUse::parse,
                        EndUse::bit,
                        crate::model::END_USES,
                    )
                })
                .transpose()?,
            items: c
                .items
                .as_ref()
                .map(|v| self.items(rule, origin, v))
                .transpose()?,
            deemed: c.deemed,
            transactions: c
                .transactions
                .as_ref()
                .map(|v| {
                    mask(
                        rule,
                        v,
                        self.file,
                        Transaction::parse,
                        Transaction::bit,
                        crate::model::TRANSACTIONS,
                    )
                })
                .transpose()?,
        })
    }
}

fn mask<T: Copy>(
    rule: &str,
    words: &[String],
    file: &str,
    parse: fn(&str) -> Option<T>,
    bit: fn(T) -> u32,
    accepted: &[&str],
) -> Result<u32> {
    let mut m = 0;
    for w in words {
        match parse(w) {
            Some(v) => m |= bit(v),
            None => {
                return Err(Error::dataset(
                    Located::new(file, "unknown word in a condition")
                        .column(rule.to_string())
                        .value(w.clone())
                        .accepted(accepted.join(", ")),
                ));
            }
        }
    }
    Ok(m)
}

fn confidence(file: &str, rule: &str, c: &Option<String>) -> Result<Confidence> {
    let v = c.as_deref().unwrap_or("");
    Confidence::parse(v).ok_or_else(|| {
        Error::dataset(
            Located::new(file, "unknown confidence")
                .column(rule.to_string())
                .value(v)
                .accepted("primary, secondary, assumed"),
        )
    })
}

fn policy(file: &str, rule: &str, p: &str) -> Result<LicencePolicy> {
    LicencePolicy::parse(p).ok_or_else(|| {
        Error::dataset(
            Located::new(file, "unknown licence policy")
                .column(rule.to_string())
                .value(p)
                .accepted("case-by-case, denial, approval, empty"),
        )
    })
}

fn with_note(label: &str, note: &Option<String>) -> String {
    match note {
        Some(n) if !n.is_empty() => format!("{label} ({n})"),
        _ => label.to_string(),
    }
}

fn require_citation(file: &str, rule: &str, citation: &str) -> Result<()> {
    if citation.trim().is_empty() {
        return Err(Error::dataset(
            Located::new(file, "every rule must cite its legal source").column(rule.to_string()),
        ));
    }
    Ok(())
}

impl World {
    pub fn load(dir: &std::path::Path) -> Result<World> {
        World::compile(Datasets::load(dir)?)
    }

    pub fn compile(data: Datasets) -> Result<World> {
        let mut interner = Interner {
            facts: Vec::new(),
            index: HashMap::new(),
        };
        let mut global: HashMap<String, PlaceSet> = HashMap::new();
        let mut all = PlaceSet::default();
        let mut eu = PlaceSet::default();
        for id in data.places.ids() {
            all.insert(id);
            if data.places.get(id).eu_customs {
                eu.insert(id);
            }
        }
        let mut wa = PlaceSet::default();
        for p in &data.participants {
            if let Some(id) = data.places.by_code(&p.code) {
                wa.insert(id);
            }
        }
        global.insert("all".into(), all);
        global.insert("EU".into(), eu);
        global.insert("WA".into(), wa);

        let mut regimes = Vec::new();
        let mut jurisdictions = Vec::new();
        for rd in &data.regimes {
            let regime = compile_regime(rd, &data, &global, &mut interner)?;
            for m in &rd.members {
                let Some(place) = data.places.by_code(&m.code) else {
                    return Err(Error::dataset(
                        Located::new(rd.folder.display().to_string(), "unknown member code")
                            .value(m.code.clone()),
                    ));
                };
                if jurisdictions
                    .iter()
                    .any(|j: &Jurisdiction| j.code == m.code)
                {
                    return Err(Error::dataset(
                        Located::new(
                            rd.folder.display().to_string(),
                            "jurisdiction defined twice",
                        )
                        .value(m.code.clone()),
                    ));
                }
                jurisdictions.push(Jurisdiction {
                    code: m.code.clone(),
                    place,
                    regime: regimes.len(),
                    meta: m.clone(),
                });
            }
            regimes.push(regime);
        }
        jurisdictions.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(World {
            places: data.places,
            catalogue: data.catalogue,
            participants: data.participants,
            wa_list: data.wa_list,
            regimes,
            jurisdictions,
            facts: interner.facts,
            dataset_dir: data.dir,
        })
    }

    pub fn jurisdiction(&self, code: &str) -> Option<usize> {
        self.jurisdictions
            .binary_search_by(|j| j.code.as_str().cmp(code))
            .ok()
    }

    pub fn fact(&self, id: FactId) -> &Fact {
        &self.facts[id as usize]
    }
}

fn compile_regime(
    rd: &RegimeData,
    data: &Datasets,
    global: &HashMap<String, PlaceSet>,
    interner: &mut Interner,
) -> Result<Regime> {
    let mut groups = global.clone();
    let ctx_places = &data.places;
    for g in &rd.groups {
        let mut set = PlaceSet::default();
        for code in &g.members {
            if let Some(id) = ctx_places.by_code(code) {
                set.insert(id);
            }
        }
        groups.insert(g.name.clone(), set);
    }
    let file = rd.rules_file.as_str();
    let ctx = Ctx {
        places: &data.places,
        catalogue: &data.catalogue,
        groups: &groups,
        entries: &rd.entries,
        file,
    };
    let list_name = rd.meta.list_name.clone();
    let mut entries = Vec::with_capacity(rd.entries.len());
    for e in &rd.entries {
        let reasons = if e.reasons.is_empty() {
            String::new()
        } else {
            format!(" {}", e.reasons.join(","))
        };
        let listed_fact = if e.not_listed {
            interner.fact("{item} not covered by {list}", &e.source, e.confidence)
        } else {
            interner.fact(
                &format!("{{entry}}{reasons} listed"),
                &e.source,
                e.confidence,
            )
        };
        let exclusion_fact = interner.fact(
            "{entry} does not control items for this end use (entry note)",
            &e.source,
            e.confidence,
        );
        let mut excluded = 0;
        for u in &e.excluded_end_uses {
            excluded |= u.bit();
        }
        entries.push(Entry {
            local_code: e.local_code.clone(),
            item: e.item,
            reasons: e.reasons.clone(),
            special: e.special,
            excluded_end_uses: excluded,
            listed_fact,
            exclusion_fact,
            confidence: e.confidence,
            group: e
                .local_code
                .chars()
                .nth(1)
                .filter(|c| ('A'..='E').contains(c)),
            partial_fact: if e.tags.iter().any(|t| t == "partial-scope") {
                Some(interner.fact(
                    "{entry} covers {item} only in part: the rest is not listed",
                    &e.source,
                    Confidence::Secondary,
                ))
            } else if e.tags.iter().any(|t| t == "unverified-listing") {
                Some(interner.fact(
                    "whether {exporter} lists {entry} is not established",
                    &e.source,
                    e.confidence.min(Confidence::Secondary),
                ))
            } else {
                None
            },
        });
    }
    // Plans: for every catalogue item, which rows decide it.
    let cat = &data.catalogue;
    let mut by_item: HashMap<ItemId, Vec<u32>> = HashMap::new();
    for (i, e) in rd.entries.iter().enumerate() {
        by_item.entry(e.item).or_default().push(i as u32);
    }
    let mut plans = vec![Plan::default(); cat.len()];
    for item in cat.ids() {
        let plan = &mut plans[item as usize];
        // Rows at the item itself or below it.
        let mut below: Vec<u32> = Vec::new();
        for (&it, rows) in &by_item {
            if it != item && cat.is_within(it, item) {
                below.extend(rows.iter().copied());
            }
        }
        below.sort_unstable();
        let own = by_item.get(&item).cloned().unwrap_or_default();
        // Nearest ancestor with a row.
        let mut ancestor = None;
        if own.is_empty() {
            let mut cur = cat.get(item).parent;
            while let Some(p) = cur {
                if let Some(rows) = by_item.get(&p) {
                    ancestor = Some(rows.clone());
                    break;
                }
                cur = cat.get(p).parent;
            }
        }
        let base: Vec<u32> = if own.is_empty() {
            ancestor.unwrap_or_default()
        } else {
            own
        };
        let (special, ordinary): (Vec<u32>, Vec<u32>) = below
            .into_iter()
            .partition(|&r| rd.entries[r as usize].special);
        let ordinary: Vec<u32> = ordinary
            .into_iter()
            .filter(|&r| !rd.entries[r as usize].not_listed)
            .collect();
        let mut units: Vec<u32> = Vec::new();
        for r in base.iter().chain(ordinary.iter()) {
            let row = &rd.entries[*r as usize];
            if row.not_listed {
                plan.explicitly_unlisted = Some(*r);
            } else if row.special && !cat.is_within(item, row.item) {
                continue;
            } else if !units.contains(r) {
                units.push(*r);
            }
        }
        plan.units = units;
        plan.special = special;
    }

    let mut requirements = Vec::new();
    for r in &rd.rules.requirement {
        require_citation(file, &r.id, &r.citation)?;
        let c = confidence(file, &r.id, &r.confidence)?;
        requirements.push(CRequirement {
            id: r.id.clone(),
            items: ctx.items(&r.id, &r.origin, &r.items)?,
            destinations: ctx.destinations(&r.id, &r.destinations)?,
            policy: policy(file, &r.id, r.licence_policy.as_deref().unwrap_or(""))?,
            fact: interner.fact(&with_note(&r.label, &r.note), &r.citation, c),
        });
    }
    let mut frees = Vec::new();
    for r in &rd.rules.free {
        require_citation(file, &r.id, &r.citation)?;
        let c = confidence(file, &r.id, &r.confidence)?;
        let text = match &r.note {
            Some(n) => format!("{} ({n})", r.label),
            None => r.label.clone(),
        };
        frees.push(CFree {
            items: ctx.items(&r.id, &r.origin, &r.items)?,
            destinations: ctx.destinations(&r.id, &r.destinations)?,
            fact: interner.fact(&text, &r.citation, c),
        });
    }
    let mut authorisations = Vec::new();
    for a in &rd.rules.authorisation {
        require_citation(file, &a.id, &a.citation)?;
        let c = confidence(file, &a.id, &a.confidence)?;
        let may_only = match a.effect.as_deref() {
            None | Some("authorises") => false,
            Some("may-authorise") => true,
            Some(other) => {
                return Err(Error::dataset(
                    Located::new(file, "unknown authorisation effect")
                        .column(a.id.clone())
                        .value(other)
                        .accepted("authorises, may-authorise"),
                ));
            }
        };
        let mut restrictions = Vec::new();
        for r in &a.restriction {
            require_citation(file, &r.id, &r.citation)?;
            let rc = confidence(file, &r.id, &r.confidence)?;
            restrictions.push(CRestriction {
                when: ctx.condition(&r.id, &a.origin, &r.when)?,
                unless: r
                    .unless
                    .iter()
                    .map(|u| ctx.condition(&r.id, &a.origin, u))
                    .collect::<Result<_>>()?,
                fact: interner.fact(
                    &format!("{}: {}", a.id, with_note(&r.label, &r.note)),
                    &r.citation,
                    rc,
                ),
            });
        }
        let transactions = if a.transactions.is_empty() {
            u32::MAX
        } else {
            mask(
                &a.id,
                &a.transactions,
                file,
                Transaction::parse,
                Transaction::bit,
                crate::model::TRANSACTIONS,
            )?
        };
        let c = if may_only {
            c.min(Confidence::Secondary)
        } else {
            c
        };
        let text = if may_only {
            format!("{} may apply: {}", a.id, a.note.clone().unwrap_or_default())
        } else {
            format!("{} applies", a.id)
        };
        authorisations.push(CAuthorisation {
            id: a.id.clone(),
            items: ctx.items(&a.id, &a.origin, &a.items)?,
            excluded: ctx.items(&a.id, &a.origin, &a.excluded_items)?,
            destinations: ctx.destinations(&a.id, &a.destinations)?,
            transactions,
            only_reasons: a.only_reasons.clone(),
            may_only,
            restrictions,
            fact: interner.fact(&text, &a.citation, c),
            conditions_fact: (!a.conditions.is_empty())
                .then(|| interner.fact(&format!("{}: {}", a.id, a.conditions), &a.citation, c)),
        });
    }
    let mut catch_alls = Vec::new();
    for r in &rd.rules.catch_all {
        require_citation(file, &r.id, &r.citation)?;
        let c = confidence(file, &r.id, &r.confidence)?;
        let (class, patterns): (Option<ItemClass>, Vec<String>) = match r.items.as_slice() {
            [one] if one == "all" => (Some(ItemClass::All), vec![]),
            [one] if one == "listed" => (Some(ItemClass::Listed), vec![]),
            [one] if one == "unlisted" => (Some(ItemClass::Unlisted), vec![]),
            [one] if one == crate::data::catalogue::UNLISTED_CYBER_SURVEILLANCE => {
                (Some(ItemClass::UnlistedCyberSurveillance), vec![])
            }
            other => (None, other.to_vec()),
        };
        let outcome = match r.outcome.as_str() {
            "indeterminate" => None,
            o => match Outcome::parse(o).filter(|o| o.strictness().is_some()) {
                Some(o) => Some(o),
                None => {
                    return Err(Error::dataset(
                        Located::new(file, "unknown catch-all outcome")
                            .column(r.id.clone())
                            .value(o)
                            .accepted("licence-required, prohibited, indeterminate"),
                    ));
                }
            },
        };
        let text = match &r.note {
            Some(n) => format!("{}: {} ({n})", r.id, r.label),
            None => format!("{}: {}", r.id, r.label),
        };
        // A rule that may or may not apply leaves the result resting on an unestablished fact.
        let c = if outcome.is_none() {
            c.min(Confidence::Secondary)
        } else {
            c
        };
        catch_alls.push(CCatchAll {
            class,
            items: ctx.items(&r.id, &r.origin, &patterns)?,
            when: ctx.condition(&r.id, &r.origin, &r.when)?,
            outcome,
            policy: policy(file, &r.id, &r.licence_policy)?,
            fact: interner.fact(&text, &r.citation, c),
        });
    }
    let mut overlays = Vec::new();
    for o in &rd.rules.overlay {
        require_citation(file, &o.id, &o.citation)?;
        let c = confidence(file, &o.id, &o.confidence)?;
        let outcome = match Outcome::parse(&o.outcome) {
            Some(x @ (Outcome::LicenceRequired | Outcome::Prohibited)) => x,
            _ => {
                return Err(Error::dataset(
                    Located::new(file, "unknown overlay outcome")
                        .column(o.id.clone())
                        .value(o.outcome.clone())
                        .accepted("licence-required, prohibited"),
                ));
            }
        };
        let all_items = match o.items.as_str() {
            "all" => true,
            "listed" => false,
            other => {
                return Err(Error::dataset(
                    Located::new(file, "unknown overlay item scope")
                        .column(o.id.clone())
                        .value(other)
                        .accepted("all, listed"),
                ));
            }
        };
        let text = match &o.note {
            Some(n) => format!("{}: {} ({n})", o.id, o.label),
            None => format!("{}: {}", o.id, o.label),
        };
        overlays.push(COverlay {
            destinations: ctx.destinations(&o.id, &o.destinations)?,
            all_items,
            deemed: o.deemed.unwrap_or(true),
            outcome,
            policy: policy(file, &o.id, &o.licence_policy)?,
            fact: interner.fact(&text, &o.citation, c),
        });
    }
    let basis = rd.meta.legal_basis.clone();
    let rc = rd.confidence;
    Ok(Regime {
        id: rd.id.clone(),
        meta: rd.meta.clone(),
        confidence: rc,
        entries,
        plans,
        requirements,
        frees,
        authorisations,
        catch_alls,
        overlays,
        not_listed_fact: interner.fact(&format!("{{item}} not on {list_name}"), &list_name, rc),
        not_modelled_fact: interner.fact(
            "this category of {list} is not in the datasets",
            &list_name,
            Confidence::Assumed,
        ),
        no_requirement_fact: interner.fact(
            "no licence requirement of {exporter} applies to {entry} for {dest}",
            rd.meta.no_requirement_citation.as_deref().unwrap_or(&basis),
            rc,
        ),
        no_deemed_fact: interner.fact(
            "{exporter} has no deemed-export rule: release inside {exporter} is not an export",
            &basis,
            Confidence::Secondary,
        ),
        deemed_hardware_fact: interner.fact(
            "deemed exports concern technology and source code, not {item}",
            "15 CFR 734.13(a)(2)",
            Confidence::Secondary,
        ),
        not_applicable_fact: interner.fact(
            "destination is the exporting state: not an export",
            "DESIGN.md Clarifications (not an export)",
            Confidence::Primary,
        ),
        paragraphs_differ_fact: interner.fact(
            "paragraphs of {item} differ; name one",
            "DESIGN.md Clarifications (codes for items)",
            Confidence::Primary,
        ),
        paragraph_outcome_fact: interner.fact(
            "{entry}: {outcome}",
            &list_name,
            Confidence::Primary,
        ),
        special_fact: interner.fact(
            "if named, {entry} gives {outcome}",
            &list_name,
            Confidence::Primary,
        ),
        groups,
        entries_file: rd.entries_file.clone(),
    })
}
