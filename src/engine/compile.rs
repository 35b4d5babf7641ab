//! Compiles the loaded datasets, as in force on one day, into dense tables: destinations as
//! three-valued bitsets, end users and end uses as masks, every text interned once as a
//! [`Fact`]. Rows and rules not in force that day are left out; those whose validity is not
//! established become "may apply", so an unknown never turns into a clearance.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::data::catalogue::{Catalogue, ItemId};
use crate::data::expr::{DestAtom, DestExpr, ItemPattern, Scope, SetOp};
use crate::data::load::{DeemedRule, EntryRow, GroupTable, JurisdictionMeta, RegimeMeta};
use crate::data::parties::Party;
use crate::data::places::{PlaceId, Places};
use crate::data::rules::{
    Authorisation, CatchAll, Condition, Effect, Free, Overlay, PartyEffect, PartyList, Reach,
    ReachKind, Requirement, RuleMeta, RuleOutcome, ValueLimit,
};
use crate::data::{Datasets, RegimeData, Source};
use crate::engine::screen::Screening;
use crate::error::Result;
use crate::model::{
    Confidence, Date, InForce, IndexSet, LicencePolicy, Outcome, PlaceSet, TriSet, Validity,
};

/// Index of an interned fact.
pub type FactId = u32;

/// What a fact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactKind {
    /// A rule of law; its citation goes to `citations`.
    Law,
    /// A choice the project makes where the law is silent or the data incomplete; shown as
    /// "modelling choice: …" in `reasons`, never in `citations`.
    Modelling,
}

/// An interned piece of explanation: a short text (with `{dest}`, `{entry}`, `{exporter}`,
/// `{item}`, `{outcome}`, `{limit}`, `{as_of}` placeholders) and the legal source it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fact {
    /// The text.
    pub text: String,
    /// The legal source (empty for modelling choices).
    pub citation: String,
    /// How it was established.
    pub confidence: Confidence,
    /// Law or modelling choice.
    pub kind: FactKind,
    /// Stable code of a condition a person can act on (`LVS-VALUE`); empty for reasons.
    pub code: String,
    /// The text cut at its placeholders, for rendering without rescanning it.
    pub(crate) segs: Vec<crate::engine::render::Seg>,
}

/// One compiled list row.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Local code.
    pub local_code: String,
    /// Catalogue item.
    pub item: ItemId,
    /// US reasons for control.
    pub reasons: Vec<String>,
    /// Applies only when named.
    pub special: bool,
    /// End uses a Note takes out of the entry (mask).
    pub excluded_end_uses: u32,
    /// "listed" fact.
    pub listed_fact: FactId,
    /// Note-exclusion fact.
    pub exclusion_fact: FactId,
    /// Row confidence.
    pub confidence: Confidence,
    /// Product group letter.
    pub group: Option<char>,
    /// The row covers the item only in part, or its listing is unverified: the outcome may be
    /// `not-listed`.
    pub partial_fact: Option<FactId>,
    /// Value limit in US dollars (LVS).
    pub value_limit: Option<f64>,
    /// The row is inferred from the Wassenaar list (tag `inferred-listing`): an authorisation
    /// can only may-authorise it.
    pub inferred_fact: Option<FactId>,
    /// Index of the row in the regime's `entries.csv` rows.
    pub row: usize,
    /// Folder the row comes from.
    pub origin: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Short label.
    pub label: String,
}

/// Which list rows decide an item in one regime.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Rows that decide (one, or several paragraphs to aggregate); empty = not listed.
    pub units: Vec<u32>,
    /// Paragraphs that apply only when named; noted when they would change the answer.
    pub special: Vec<u32>,
    /// Why the item is not listed, when a row says so (a `not-listed` row, or a row not in
    /// force on the day).
    pub unlisted_fact: Option<FactId>,
}

/// Which list rows and items a rule reaches.
#[derive(Debug, Clone, Default)]
pub struct ItemMatcher {
    /// Rows of the regime.
    pub entries: IndexSet,
    /// Catalogue items (and everything below them).
    pub items: Vec<ItemId>,
}

impl ItemMatcher {
    /// Whether the rule reaches `item` (decided by list row `entry`, if any).
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

/// A compiled condition.
#[derive(Debug, Clone, Default)]
pub struct CCondition {
    /// Destinations.
    pub destinations: Option<TriSet>,
    /// End users mask.
    pub end_users: Option<u32>,
    /// End uses mask.
    pub end_uses: Option<u32>,
    /// Items.
    pub items: Option<ItemMatcher>,
    /// Deemed or not.
    pub deemed: Option<bool>,
    /// Transactions mask.
    pub transactions: Option<u32>,
    /// Value above a limit.
    pub value_above: Option<ValueLimit>,
}

/// A compiled licence requirement.
#[derive(Debug, Clone)]
pub struct CRequirement {
    /// Rule id (matched by `only_reasons`).
    pub id: String,
    /// Items.
    pub items: ItemMatcher,
    /// Destinations.
    pub destinations: TriSet,
    /// Policy.
    pub policy: LicencePolicy,
    /// Explanation.
    pub fact: FactId,
}

/// A compiled "why no licence" rule.
#[derive(Debug, Clone)]
pub struct CFree {
    /// Items.
    pub items: ItemMatcher,
    /// Destinations.
    pub destinations: TriSet,
    /// Explanation.
    pub fact: FactId,
}

/// A compiled restriction of an authorisation.
#[derive(Debug, Clone)]
pub struct CRestriction {
    /// Rule id (`ACE-C1I`).
    pub id: String,
    /// When it bars.
    pub when: CCondition,
    /// Exceptions.
    pub unless: Vec<CCondition>,
    /// Explanation.
    pub fact: FactId,
    /// Its validity on the day is not established: it may bar.
    pub uncertain: bool,
}

/// A compiled authorisation.
#[derive(Debug, Clone)]
pub struct CAuthorisation {
    /// Id used in output.
    pub id: String,
    /// Items covered.
    pub items: ItemMatcher,
    /// Items excluded.
    pub excluded: ItemMatcher,
    /// Destinations.
    pub destinations: TriSet,
    /// Transactions mask.
    pub transactions: u32,
    /// Only when every applying requirement is one of these.
    pub only_reasons: Vec<String>,
    /// May authorise only.
    pub may_only: bool,
    /// Granted on application: named in the conditions, never lowers the outcome.
    pub on_application: bool,
    /// Value limit.
    pub max_value: Option<ValueLimit>,
    /// Restrictions.
    pub restrictions: Vec<CRestriction>,
    /// Explanation.
    pub fact: FactId,
    /// Conditions to act on.
    pub conditions_fact: Option<FactId>,
    /// Value condition, when the value decides and the scenario has none.
    pub value_fact: Option<FactId>,
}

/// A compiled item scope.
#[derive(Debug, Clone)]
pub enum CScope {
    /// Every item.
    All,
    /// Listed items.
    Listed,
    /// Items on no list row.
    Unlisted,
    /// Unlisted cyber-surveillance items.
    UnlistedCyberSurveillance,
    /// The rows and items named.
    Patterns(ItemMatcher),
}

/// A compiled catch-all.
#[derive(Debug, Clone)]
pub struct CCatchAll {
    /// Items.
    pub scope: CScope,
    /// When.
    pub when: CCondition,
    /// `None` = may apply, up to `up_to`.
    pub outcome: Option<Outcome>,
    /// Strictest outcome when indeterminate.
    pub up_to: Outcome,
    /// Policy.
    pub policy: LicencePolicy,
    /// Explanation.
    pub fact: FactId,
}

/// A compiled embargo or sanction.
#[derive(Debug, Clone)]
pub struct COverlay {
    /// Destinations.
    pub destinations: TriSet,
    /// Items.
    pub scope: CScope,
    /// Further conditions.
    pub when: CCondition,
    /// Applies to deemed exports.
    pub deemed: bool,
    /// `None` = may apply, up to `up_to`.
    pub outcome: Option<Outcome>,
    /// Strictest outcome when indeterminate.
    pub up_to: Outcome,
    /// Policy.
    pub policy: LicencePolicy,
    /// Explanation.
    pub fact: FactId,
}

/// A compiled reach rule.
#[derive(Debug, Clone)]
pub struct CReach {
    /// De minimis or origin software.
    pub kind: ReachKind,
    /// Threshold (de minimis).
    pub threshold_pct: f64,
    /// Destinations.
    pub destinations: TriSet,
    /// Rule id.
    pub id: String,
    /// Citation.
    pub citation: String,
    /// Confidence.
    pub confidence: Confidence,
}

/// A compiled party-list rule.
#[derive(Debug, Clone)]
pub struct CPartyList {
    /// List id.
    pub list: String,
    /// Label of the list (`Entity List`).
    pub label: String,
    /// What a hit does.
    pub effect: PartyEffect,
    /// Citation of the list.
    pub citation: String,
    /// "{party} is on the list" (placeholders `{party}`, `{notice}`).
    pub hit_fact: FactId,
    /// "{party} may be on the list".
    pub near_fact: FactId,
    /// Condition shown with each exact hit.
    pub condition_fact: Option<FactId>,
}

/// Standard facts every regime uses.
#[derive(Debug, Clone)]
pub struct RegimeFacts {
    /// Item on no row.
    pub not_listed: FactId,
    /// Category not in the datasets.
    pub not_modelled: FactId,
    /// Another list's entry of multilateral origin that this list has no row for.
    pub foreign_multilateral: FactId,
    /// No requirement applies.
    pub no_requirement: FactId,
    /// No deemed-export rule.
    pub no_deemed: FactId,
    /// Deemed-export rule unknown.
    pub deemed_unknown: FactId,
    /// Deemed exports reach technology and software only.
    pub deemed_hardware: FactId,
    /// Not an export.
    pub not_applicable: FactId,
    /// Paragraphs differ.
    pub paragraphs_differ: FactId,
    /// One paragraph's outcome.
    pub paragraph_outcome: FactId,
    /// A named paragraph would change the answer.
    pub special: FactId,
    /// A named `.z` paragraph (US advanced-computing variants) would change the answer.
    pub special_z: FactId,
    /// A row whose validity on the day is not established.
    pub row_unknown: FactId,
    /// Before the earliest modelled date.
    pub before_modelled: FactId,
    /// A hit on a list the regime's rules do not treat.
    pub party_unknown_list: FactId,
    /// A near match on such a list.
    pub party_unknown_list_near: FactId,
}

/// One compiled body of law, shared by its member jurisdictions.
#[derive(Debug)]
pub struct Regime {
    /// Regime id.
    pub id: String,
    /// Index into `Datasets::regimes`.
    pub data: usize,
    /// The head.
    pub meta: RegimeMeta,
    /// Confidence.
    pub confidence: Confidence,
    /// Rows in force (or of unknown validity) on the day.
    pub entries: Vec<Entry>,
    /// Per catalogue item: which rows decide it.
    pub plans: Vec<Plan>,
    /// Licence requirements.
    pub requirements: Vec<CRequirement>,
    /// "No licence" explanations.
    pub frees: Vec<CFree>,
    /// Authorisations.
    pub authorisations: Vec<CAuthorisation>,
    /// Catch-alls.
    pub catch_alls: Vec<CCatchAll>,
    /// Embargoes and sanctions.
    pub overlays: Vec<COverlay>,
    /// Extraterritorial reach.
    pub reach: Vec<CReach>,
    /// Party-list treatment.
    pub party_lists: Vec<CPartyList>,
    /// Standard facts.
    pub facts: RegimeFacts,
    /// Groups as on the day.
    pub groups: HashMap<String, TriSet>,
    /// The day is before the earliest modelled date.
    pub before_modelled: bool,
    /// Deemed-export rule.
    pub deemed: DeemedRule,
    /// `entries.csv` as named in messages.
    pub entries_file: String,
}

/// One exporting jurisdiction.
#[derive(Debug, Clone)]
pub struct Jurisdiction {
    /// ISO code.
    pub code: String,
    /// Its place.
    pub place: PlaceId,
    /// Places inside it (the place and territories its law treats as part of it).
    pub home: PlaceSet,
    /// Index into `World::regimes` of the law that governs it on the day.
    pub regime: usize,
    /// As described by the datasets.
    pub meta: JurisdictionMeta,
}

/// The compiled datasets for one day: everything an evaluation needs, built once.
#[derive(Debug)]
pub struct World {
    /// The loaded datasets.
    pub data: Arc<Datasets>,
    /// The day the law is taken as of.
    pub as_of: Date,
    /// Compiled regimes.
    pub regimes: Vec<Regime>,
    /// Jurisdictions, sorted by ISO code.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Interned facts.
    pub facts: Vec<Fact>,
    /// The jurisdiction whose law has reach rules (de minimis), if any.
    pub reach: Option<usize>,
    pub(crate) parties: OnceLock<Parties>,
    pub(crate) screening: OnceLock<Screening>,
    /// Shared facts.
    pub(crate) common: CommonFacts,
}

/// The listed parties of every regime, in force on the day.
#[derive(Debug, Default)]
pub struct Parties {
    /// Each party with the index of the regime (dataset folder) that lists it.
    pub list: Vec<(usize, Party)>,
    /// Per party: whether it was on the list on the day is not established (an undated
    /// listing, a day before the list's version date).
    pub uncertain: Vec<bool>,
    /// Problems found reading the party files.
    pub problems: Vec<crate::error::Located>,
}

/// Facts that do not belong to one regime.
#[derive(Debug, Clone)]
pub(crate) struct CommonFacts {
    pub not_modelled_exporter: FactId,
    pub no_party_list: FactId,
}

pub(crate) struct Interner {
    facts: Vec<Fact>,
    /// Facts without their segments (a function of the text) to their id.
    index: rustc_hash::FxHashMap<Fact, FactId>,
}

impl Interner {
    pub(crate) fn new() -> Interner {
        Interner {
            facts: Vec::new(),
            index: rustc_hash::FxHashMap::default(),
        }
    }

    fn put(&mut self, f: Fact) -> FactId {
        debug_assert!(f.segs.is_empty());
        if let Some(&id) = self.index.get(&f) {
            return id;
        }
        let id = self.facts.len() as FactId;
        let segs = crate::engine::render::segments(&f.text);
        self.facts.push(Fact { segs, ..f.clone() });
        self.index.insert(f, id);
        id
    }

    pub(crate) fn law(&mut self, text: &str, citation: &str, confidence: Confidence) -> FactId {
        self.put(Fact {
            text: text.to_string(),
            citation: citation.to_string(),
            confidence,
            kind: FactKind::Law,
            code: String::new(),
            segs: Vec::new(),
        })
    }

    pub(crate) fn choice(&mut self, text: &str, confidence: Confidence) -> FactId {
        self.put(Fact {
            text: text.to_string(),
            citation: String::new(),
            confidence,
            kind: FactKind::Modelling,
            code: String::new(),
            segs: Vec::new(),
        })
    }

    pub(crate) fn condition(
        &mut self,
        code: &str,
        text: &str,
        citation: &str,
        confidence: Confidence,
    ) -> FactId {
        self.put(Fact {
            text: text.to_string(),
            citation: citation.to_string(),
            confidence,
            kind: FactKind::Law,
            code: code.to_string(),
            segs: Vec::new(),
        })
    }
}

/// Resolution context of one regime on one day.
struct Ctx<'a> {
    groups: &'a HashMap<String, TriSet>,
    places: &'a Places,
    /// Rows in force (or unknown), with their tags and reasons.
    entries: &'a [Entry],
}

impl Ctx<'_> {
    fn destinations(&self, e: &DestExpr) -> TriSet {
        let mut set = TriSet::default();
        for (op, atom) in &e.terms {
            let value = match atom {
                DestAtom::Place(p) => {
                    let mut one = PlaceSet::default();
                    one.insert(*p);
                    TriSet::known(one)
                }
                DestAtom::Group(g) => self.groups.get(g).copied().unwrap_or_default(),
            };
            set = match op {
                SetOp::Union => set.union(&value),
                SetOp::Minus => set.difference(&value),
                SetOp::And => set.intersection(&value),
            };
        }
        set
    }

    fn items(&self, origin: &str, patterns: &[ItemPattern]) -> ItemMatcher {
        let mut m = ItemMatcher {
            entries: IndexSet::with_capacity(self.entries.len()),
            items: Vec::new(),
        };
        let own = |e: &Entry| origin.is_empty() || e.origin == origin;
        for p in patterns {
            match p {
                ItemPattern::OwnRows => {
                    for (i, e) in self.entries.iter().enumerate() {
                        if own(e) {
                            m.entries.insert(i);
                        }
                    }
                }
                ItemPattern::Tag(t) => {
                    for (i, e) in self.entries.iter().enumerate() {
                        if e.tags.iter().any(|x| x == t) {
                            m.entries.insert(i);
                        }
                    }
                }
                ItemPattern::Group(g) => {
                    for (i, e) in self.entries.iter().enumerate() {
                        if own(e) && e.local_code.chars().nth(1) == Some(*g) {
                            m.entries.insert(i);
                        }
                    }
                }
                ItemPattern::Reason(r) => {
                    for (i, e) in self.entries.iter().enumerate() {
                        if own(e) && e.reasons.iter().any(|x| x == r) {
                            m.entries.insert(i);
                        }
                    }
                }
                ItemPattern::Item(id) => m.items.push(*id),
            }
        }
        m
    }

    fn scope(&self, origin: &str, s: &Scope) -> CScope {
        match s {
            Scope::All => CScope::All,
            Scope::Listed => CScope::Listed,
            Scope::Unlisted => CScope::Unlisted,
            Scope::UnlistedCyberSurveillance => CScope::UnlistedCyberSurveillance,
            Scope::Patterns(p) => CScope::Patterns(self.items(origin, p)),
        }
    }

    fn condition(&self, origin: &str, c: &Condition, uncertain: bool) -> CCondition {
        let dest = c.destinations.as_ref().map(|d| self.destinations(d));
        CCondition {
            destinations: match (dest, uncertain) {
                (Some(d), true) => Some(d.uncertain()),
                (d, _) => d,
            },
            end_users: c.end_users,
            end_uses: c.end_uses,
            items: c.items.as_ref().map(|i| self.items(origin, i)),
            deemed: c.deemed,
            transactions: c.transactions,
            value_above: c.value_above,
        }
    }

    fn all(&self) -> PlaceSet {
        let mut s = PlaceSet::default();
        for p in self.places.ids() {
            s.insert(p);
        }
        s
    }
}

/// The status of a rule on the day; `None` = not in force (leave it out).
fn status(v: &Validity, day: Date, baseline: Date) -> Option<bool> {
    match v.on(day, baseline) {
        InForce::Yes => Some(false),
        InForce::Unknown => Some(true),
        InForce::No => None,
    }
}

impl World {
    /// Loads and compiles the datasets of `source` as in force on their current date.
    pub fn load(source: Source) -> Result<World> {
        let data = Arc::new(Datasets::load(source)?);
        let day = datasets_date(&data);
        World::compile(data, day)
    }

    /// Loads the embedded datasets (or `$WASSENAAR_DATASETS`).
    pub fn bundled() -> Result<World> {
        World::load(Source::from_env())
    }

    /// The same datasets compiled for another day.
    pub fn at(&self, day: Date) -> Result<World> {
        World::compile(self.data.clone(), day)
    }

    /// The places.
    pub fn places(&self) -> &Places {
        &self.data.places
    }

    /// The item catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.data.catalogue
    }

    /// The datasets' current date: the latest list version date of any regime.
    pub fn current_date(&self) -> Date {
        datasets_date(&self.data)
    }

    /// Compiles `data` as in force on `day`.
    pub fn compile(data: Arc<Datasets>, day: Date) -> Result<World> {
        let mut interner = Interner::new();
        let version = datasets_date(&data);
        let all_places = {
            let mut s = PlaceSet::default();
            for p in data.places.ids() {
                s.insert(p);
            }
            s
        };
        let clip = |t: TriSet| TriSet {
            sure: t.sure.intersection(&all_places),
            maybe: t.maybe.intersection(&all_places),
        };
        let global_from = Date::parse(GLOBAL_GROUPS_FROM_DATE).unwrap_or(version);
        let mut global: HashMap<String, TriSet> = HashMap::new();
        for g in &data.global_groups {
            global.insert(g.name.clone(), clip(g.at(day, version, global_from)));
        }
        let mut regimes = Vec::new();
        for (ri, rd) in data.regimes.iter().enumerate() {
            regimes.push(compile_regime(
                ri,
                rd,
                &data,
                &global,
                day,
                &clip,
                &mut interner,
            ));
        }
        let mut jurisdictions: Vec<Jurisdiction> = Vec::new();
        for (ri, rd) in data.regimes.iter().enumerate() {
            for m in &rd.members {
                let Some(place) = data.places.by_code(&m.code) else {
                    continue;
                };
                if jurisdictions.iter().any(|j| j.code == m.code) {
                    continue;
                }
                // A period under another regime's law (the UK under EU law until 2020).
                let mut regime = ri;
                for p in &rd.meta.periods {
                    if p.validity.on(day, Date::MIN) == InForce::Yes
                        && let Some(other) = data.regimes.iter().position(|r| r.id == p.regime)
                    {
                        regime = other;
                    }
                }
                let mut home = PlaceSet::default();
                for &p in &m.home {
                    home.insert(p);
                }
                home.insert(place);
                jurisdictions.push(Jurisdiction {
                    code: m.code.clone(),
                    place,
                    home,
                    regime,
                    meta: m.clone(),
                });
            }
        }
        jurisdictions.sort_by(|a, b| a.code.cmp(&b.code));
        let reach = jurisdictions.iter().position(|j| {
            !regimes[j.regime].reach.is_empty()
                && data.regimes[regimes[j.regime].data]
                    .members
                    .iter()
                    .any(|m| m.code == j.code)
        });

        let common = CommonFacts {
            not_modelled_exporter: interner.choice(
                "the law of {exporter} is not modelled in the datasets: its own outcome is not established",
                Confidence::Assumed,
            ),
            no_party_list: interner.condition(
                "SCREENING",
                "the datasets hold no party list of {exporter}: screen the end user against its lists",
                "",
                Confidence::Primary,
            ),
        };
        Ok(World {
            data,
            as_of: day,
            regimes,
            jurisdictions,
            facts: interner.facts,
            reach,
            parties: OnceLock::new(),
            screening: OnceLock::new(),
            common,
        })
    }

    /// The listed parties in force on the day, read on first use.
    pub fn parties(&self) -> &Parties {
        self.parties.get_or_init(|| {
            let mut out = Parties::default();
            let mut diag = crate::error::Diagnostics::default();
            for (ri, rd) in self.data.regimes.iter().enumerate() {
                for p in self.data.parties(ri, &mut diag) {
                    if p.listed_on.is_none_or(|d| d <= self.as_of) {
                        out.uncertain
                            .push(p.listed_on.is_none() && self.as_of < rd.meta.list_date);
                        out.list.push((ri, p));
                    }
                }
            }
            out.problems = diag.items;
            out
        })
    }

    /// The jurisdiction with ISO code `code`.
    pub fn jurisdiction(&self, code: &str) -> Option<usize> {
        self.jurisdictions
            .binary_search_by(|j| j.code.as_str().cmp(code))
            .ok()
    }

    /// Fact `id`.
    pub fn fact(&self, id: FactId) -> &Fact {
        &self.facts[id as usize]
    }

    /// The regime data (as loaded) of compiled regime `r`.
    pub fn regime_data(&self, r: usize) -> &RegimeData {
        &self.data.regimes[self.regimes[r].data]
    }
}

/// Date from which the global groups' recorded changes (`group_changes.csv`) are complete.
const GLOBAL_GROUPS_FROM_DATE: &str = "2000-01-01";

/// The latest list version date of any regime: the default `--as-of`.
pub fn datasets_date(data: &Datasets) -> Date {
    data.regimes
        .iter()
        .map(|r| r.meta.list_date)
        .max()
        .unwrap_or(Date::MIN)
}

fn fact_of(
    interner: &mut Interner,
    meta: &RuleMeta,
    text: &str,
    uncertain: bool,
    confidence: Confidence,
) -> FactId {
    let c = if uncertain {
        confidence.min(Confidence::Secondary)
    } else {
        confidence
    };
    let text = if uncertain {
        format!(
            "{text} [in force on {{as_of}} not established: undated rule of the {{list_version}} version]"
        )
    } else {
        text.to_string()
    };
    interner.law(&text, &meta.citation, c)
}

#[allow(clippy::too_many_lines)]
/// What a catch-all or overlay does: its definite outcome (none when it only may apply, or its
/// status on the day is not established), the strictest outcome it can give, and its
/// confidence (a rule that may or may not apply leaves the result resting on an unestablished
/// fact: at most secondary).
fn decided(
    outcome: RuleOutcome,
    up_to: Outcome,
    uncertain: bool,
    confidence: Confidence,
) -> (Option<Outcome>, Outcome, Confidence) {
    let definite = match (outcome, uncertain) {
        (RuleOutcome::Indeterminate, _) | (_, true) => None,
        (RuleOutcome::LicenceRequired, false) => Some(Outcome::LicenceRequired),
        (RuleOutcome::Prohibited, false) => Some(Outcome::Prohibited),
    };
    let strictest = match outcome {
        RuleOutcome::Prohibited => Outcome::Prohibited,
        RuleOutcome::LicenceRequired => Outcome::LicenceRequired,
        RuleOutcome::Indeterminate => up_to,
    };
    let c = if definite.is_none() {
        confidence.min(Confidence::Secondary)
    } else {
        confidence
    };
    (definite, strictest, c)
}

/// Compiles one regime's rules for a day: destination expressions against the day's groups,
/// item patterns against its rows, texts into interned facts.
struct RuleCompiler<'a> {
    ctx: Ctx<'a>,
    /// Every place of the datasets (destination sets are clipped to it).
    all: PlaceSet,
    day: Date,
    /// The folder's version date (undated rules are in force from it).
    base: Date,
    interner: &'a mut Interner,
}

impl RuleCompiler<'_> {
    /// A destination expression as a three-valued set (all "maybe" when the rule's status on
    /// the day is not established).
    fn dest(&self, e: &DestExpr, uncertain: bool) -> TriSet {
        let d = self.ctx.destinations(e);
        let d = TriSet {
            sure: d.sure.intersection(&self.all),
            maybe: d.maybe.intersection(&self.all),
        };
        if uncertain { d.uncertain() } else { d }
    }

    /// Licence requirements in force (or of unknown status) on the day.
    fn requirements(&mut self, rules: &[Requirement]) -> Vec<CRequirement> {
        let mut requirements = Vec::new();
        for r in rules {
            let Some(unc) = status(&r.meta.validity, self.day, self.base) else {
                continue;
            };
            requirements.push(CRequirement {
                id: r.meta.id.clone(),
                items: self.ctx.items(&r.meta.origin, &r.items),
                destinations: self.dest(&r.destinations, unc),
                policy: r.policy,
                fact: fact_of(
                    self.interner,
                    &r.meta,
                    &r.meta.text(),
                    unc,
                    r.meta.confidence,
                ),
            });
        }
        requirements
    }

    /// "No licence" rules.
    fn frees(&mut self, rules: &[Free]) -> Vec<CFree> {
        let mut frees = Vec::new();
        for r in rules {
            let Some(unc) = status(&r.meta.validity, self.day, self.base) else {
                continue;
            };
            frees.push(CFree {
                items: self.ctx.items(&r.meta.origin, &r.items),
                destinations: self.dest(&r.destinations, unc),
                fact: fact_of(
                    self.interner,
                    &r.meta,
                    &r.meta.text(),
                    unc,
                    r.meta.confidence,
                ),
            });
        }
        frees
    }

    /// Authorisations with their restrictions, texts, conditions and value limits.
    fn authorisations(&mut self, rules: &[Authorisation]) -> Vec<CAuthorisation> {
        let mut authorisations = Vec::new();
        for a in rules {
            let Some(unc) = status(&a.meta.validity, self.day, self.base) else {
                continue;
            };
            let may_only = a.effect == Effect::MayAuthorise || unc;
            let mut restrictions = Vec::new();
            for r in &a.restrictions {
                // An undated restriction is in force with its authorisation.
                let v = if r.meta.validity.is_dated() {
                    &r.meta.validity
                } else {
                    &a.meta.validity
                };
                let Some(runc) = status(v, self.day, self.base) else {
                    continue;
                };
                restrictions.push(CRestriction {
                    id: r.meta.id.clone(),
                    when: self.ctx.condition(&a.meta.origin, &r.when, false),
                    unless: r
                        .unless
                        .iter()
                        .map(|u| self.ctx.condition(&a.meta.origin, u, false))
                        .collect(),
                    fact: fact_of(
                        self.interner,
                        &r.meta,
                        &format!("{}: {}", a.meta.id, r.meta.text()),
                        runc,
                        r.meta.confidence,
                    ),
                    uncertain: runc,
                });
            }
            let c = if may_only {
                a.meta.confidence.min(Confidence::Secondary)
            } else {
                a.meta.confidence
            };
            let text = if a.effect == Effect::MayAuthorise {
                format!(
                    "{} may apply: {}",
                    a.meta.id,
                    a.meta.note.clone().unwrap_or_default()
                )
            } else if a.effect == Effect::OnApplication {
                format!(
                    "{} is granted on application: it covers this export only if the exporter holds one that names it, otherwise an individual licence: {}",
                    a.meta.id,
                    a.meta.note.clone().unwrap_or_default()
                )
            } else {
                format!("{} applies", a.meta.id)
            };
            let code = if a.condition_code.is_empty() {
                format!("{}-CONDITIONS", a.meta.id)
            } else {
                a.condition_code.clone()
            };
            let value_fact = a.max_value.map(|v| {
                let limit = match v {
                    ValueLimit::Entry => "{limit}".to_string(),
                    ValueLimit::Fixed(x, cur) => format!("{} {}", super::render::group(x), cur.as_str()),
                };
                self.interner.condition(
                    &format!("{}-VALUE", a.meta.id),
                    &format!("{} applies only if the value of the shipment is at most {limit}: give `value` and `currency`", a.meta.id),
                    &a.meta.citation,
                    a.meta.confidence,
                )
            });
            authorisations.push(CAuthorisation {
                id: a.meta.id.clone(),
                items: self.ctx.items(&a.meta.origin, &a.items),
                excluded: self.ctx.items(&a.meta.origin, &a.excluded),
                destinations: self.dest(&a.destinations, false),
                transactions: a.transactions,
                only_reasons: a.only_reasons.clone(),
                may_only,
                on_application: a.effect == Effect::OnApplication,
                max_value: a.max_value,
                restrictions,
                fact: fact_of(self.interner, &a.meta, &text, unc, c),
                conditions_fact: (!a.conditions.is_empty()).then(|| {
                    self.interner.condition(
                        &code,
                        &format!("{}: {}", a.meta.id, a.conditions),
                        &a.meta.citation,
                        c,
                    )
                }),
                value_fact,
            });
        }
        authorisations
    }

    /// End-use and end-user catch-alls.
    fn catch_alls(&mut self, rules: &[CatchAll]) -> Vec<CCatchAll> {
        let mut catch_alls = Vec::new();
        for r in rules {
            let Some(unc) = status(&r.meta.validity, self.day, self.base) else {
                continue;
            };
            let (outcome, up_to, c) = decided(r.outcome, r.up_to, unc, r.meta.confidence);
            catch_alls.push(CCatchAll {
                scope: self.ctx.scope(&r.meta.origin, &r.scope),
                when: self.ctx.condition(&r.meta.origin, &r.when, unc),
                outcome,
                up_to,
                policy: r.policy,
                fact: fact_of(
                    self.interner,
                    &r.meta,
                    &format!("{}: {}", r.meta.id, r.meta.text()),
                    unc,
                    c,
                ),
            });
        }
        catch_alls
    }

    /// Embargoes and sanctions.
    fn overlays(&mut self, rules: &[Overlay]) -> Vec<COverlay> {
        let mut overlays = Vec::new();
        for o in rules {
            let Some(unc) = status(&o.meta.validity, self.day, self.base) else {
                continue;
            };
            let (outcome, up_to, c) = decided(o.outcome, o.up_to, unc, o.meta.confidence);
            overlays.push(COverlay {
                destinations: self.dest(&o.destinations, unc),
                scope: self.ctx.scope(&o.meta.origin, &o.scope),
                when: self.ctx.condition(&o.meta.origin, &o.when, false),
                deemed: o.deemed,
                outcome,
                up_to,
                policy: o.policy,
                fact: fact_of(
                    self.interner,
                    &o.meta,
                    &format!("{}: {}", o.meta.id, o.meta.text()),
                    unc,
                    c,
                ),
            });
        }
        overlays
    }

    /// Rules by which this law follows items out of other states.
    fn reach(&mut self, rules: &[Reach]) -> Vec<CReach> {
        let mut reach = Vec::new();
        for r in rules {
            let Some(unc) = status(&r.meta.validity, self.day, self.base) else {
                continue;
            };
            reach.push(CReach {
                kind: r.kind,
                threshold_pct: r.threshold_pct,
                destinations: self.dest(&r.destinations, unc),
                id: r.meta.id.clone(),
                citation: r.meta.citation.clone(),
                confidence: if unc {
                    r.meta.confidence.min(Confidence::Secondary)
                } else {
                    r.meta.confidence
                },
            });
        }
        reach
    }

    /// What a hit on each party list does.
    fn party_lists(&mut self, rules: &[PartyList]) -> Vec<CPartyList> {
        let mut party_lists = Vec::new();
        for p in rules {
            if status(&p.meta.validity, self.day, self.base).is_none() {
                continue;
            }
            let what = match p.effect {
                PartyEffect::Requirement => {
                    "licence for the items its entry names, no licence exception"
                }
                PartyEffect::Prohibition => "dealings barred",
                PartyEffect::NoExceptions => "no licence exception",
                PartyEffect::Notice => "listed: review before dealing",
            };
            party_lists.push(CPartyList {
                list: p.list.clone(),
                label: p.meta.label.clone(),
                effect: p.effect,
                citation: p.meta.citation.clone(),
                hit_fact: self.interner.law(
                    &format!("{}: {{party}} ({{notice}}): {what}", p.meta.label),
                    &p.meta.citation,
                    p.meta.confidence,
                ),
                near_fact: self.interner.law(
                    &format!(
                        "possible {} match: {{party}} ({{notice}}), a person must review the name",
                        p.meta.label
                    ),
                    &p.meta.citation,
                    Confidence::Secondary,
                ),
                condition_fact: (!p.condition.is_empty()).then(|| {
                    self.interner.condition(
                        "SCREENING",
                        &format!("{}: {{party}}: {}", p.meta.label, p.condition),
                        &p.meta.citation,
                        p.meta.confidence,
                    )
                }),
            });
        }
        party_lists
    }
}

/// The standard facts of a regime (texts the engine uses whatever the rules).
fn regime_facts(rd: &RegimeData, interner: &mut Interner) -> RegimeFacts {
    let list_name = rd.meta.list_name.clone();
    let rc = rd.confidence();
    let basis = rd.meta.legal_basis.clone();
    let deemed = &rd.meta.deemed;
    RegimeFacts {
        not_listed: interner.law(&format!("{{item}} not on {list_name}"), &list_name, rc),
        not_modelled: interner.choice("this category of {list} is not in the datasets", Confidence::Assumed),
        foreign_multilateral: interner.choice(
            "{item} is an entry of another state's list implementing a multilateral regime: whether {list} controls the item (under another entry or another list) is not established",
            Confidence::Assumed,
        ),
        no_requirement: interner.law(
            "no licence requirement of {exporter} applies to {entry} for {dest}",
            rd.meta.no_requirement_citation.as_deref().unwrap_or(&basis),
            rc,
        ),
        no_deemed: interner.law(
            "{exporter} has no deemed-export rule: release inside {exporter} is not an export",
            &deemed.citation,
            deemed.confidence,
        ),
        deemed_unknown: interner.choice(
            "whether {exporter} controls the release of technology to foreign nationals inside the state (a deemed export) is not established",
            Confidence::Assumed,
        ),
        deemed_hardware: interner.law(
            "a deemed export concerns technology and source code, not {item}",
            &deemed.citation,
            deemed.confidence,
        ),
        not_applicable: match &rd.meta.export_definition {
            Some(c) => interner.law("destination is inside the exporting state: not an export", c, Confidence::Primary),
            None => interner.choice("a transfer inside the exporting state is not an export", Confidence::Primary),
        },
        paragraphs_differ: interner.choice("paragraphs of {item} differ: name one", Confidence::Primary),
        paragraph_outcome: interner.law("{entry}: {outcome}", &list_name, Confidence::Primary),
        special: interner.condition("NAMED-PARAGRAPH", "{entry} ({label}), if named, gives {outcome}", &list_name, Confidence::Primary),
        special_z: interner.condition("Z-PARAGRAPH", "{entry} ({label}), if named, gives {outcome}", &list_name, Confidence::Primary),
        row_unknown: interner.choice(
            "whether {entry} was in force on {as_of} is not established: the datasets hold {list_version} (dated {list_date})",
            Confidence::Secondary,
        ),
        before_modelled: interner.choice(
            "the datasets hold the law of {exporter} from {modelled_from}: {as_of} is before it",
            Confidence::Assumed,
        ),
        party_unknown_list: interner.condition(
            "SCREENING",
            "{party} ({notice}) is on a list the datasets do not model the effect of: review before dealing",
            "",
            Confidence::Secondary,
        ),
        party_unknown_list_near: interner.condition(
            "SCREENING",
            "{party} ({notice}) may be on a list the datasets do not model the effect of: review the name",
            "",
            Confidence::Secondary,
        ),
    }
}

fn compile_regime(
    ri: usize,
    rd: &RegimeData,
    data: &Datasets,
    global: &HashMap<String, TriSet>,
    day: Date,
    clip: &dyn Fn(TriSet) -> TriSet,
    interner: &mut Interner,
) -> Regime {
    let mut groups = global.clone();
    for g in &rd.groups {
        groups.insert(g.name.clone(), clip(group_at(g, day, &rd.meta)));
    }
    let entries = compile_entries(rd, day, interner);
    let plans = plans(&data.catalogue, rd, &entries, day, interner);
    let rules = &rd.rules;
    let ctx = Ctx {
        groups: &groups,
        places: &data.places,
        entries: &entries,
    };
    let mut rc = RuleCompiler {
        all: ctx.all(),
        ctx,
        day,
        base: rd.meta.list_date,
        interner,
    };
    let requirements = rc.requirements(&rules.requirements);
    let frees = rc.frees(&rules.frees);
    let authorisations = rc.authorisations(&rules.authorisations);
    let catch_alls = rc.catch_alls(&rules.catch_alls);
    let overlays = rc.overlays(&rules.overlays);
    let reach = rc.reach(&rules.reach);
    let party_lists = rc.party_lists(&rules.party_lists);
    let facts = regime_facts(rd, interner);
    Regime {
        id: rd.id.clone(),
        data: ri,
        meta: rd.meta.clone(),
        confidence: rd.confidence(),
        entries,
        plans,
        requirements,
        frees,
        authorisations,
        catch_alls,
        overlays,
        reach,
        party_lists,
        facts,
        groups,
        before_modelled: day < rd.meta.modelled_from,
        deemed: rd.meta.deemed.rule,
        entries_file: rd.entries_file.clone(),
    }
}

fn group_at(g: &GroupTable, day: Date, meta: &RegimeMeta) -> TriSet {
    g.at(day, meta.list_date, meta.groups_known_from)
}

impl RegimeData {
    /// The regime's confidence.
    pub fn confidence(&self) -> Confidence {
        self.meta.confidence
    }
}

fn compile_entries(rd: &RegimeData, day: Date, interner: &mut Interner) -> Vec<Entry> {
    let base = rd.meta.list_date;
    let mut out = Vec::new();
    for (row, e) in rd.entries.iter().enumerate() {
        let status = e.validity.on(day, base);
        // A `name-only` row only names a paragraph: its nearest ancestor's rows decide it.
        if status == InForce::No || e.tags.iter().any(|t| t == "name-only") {
            continue;
        }
        let entry = compile_entry(row, e, status == InForce::Unknown, interner);
        out.push(entry);
    }
    out
}

fn compile_entry(row: usize, e: &EntryRow, unknown: bool, interner: &mut Interner) -> Entry {
    let reasons = if e.reasons.is_empty() {
        String::new()
    } else {
        format!(" {}", e.reasons.join(","))
    };
    let listed_fact = if e.not_listed {
        interner.law("{item} not covered by {list}", &e.source, e.confidence)
    } else {
        interner.law(
            &format!("{{entry}}{reasons} listed"),
            &e.source,
            e.confidence,
        )
    };
    let exclusion_fact = interner.law(
        "{entry} does not control items for this end use (entry note)",
        &e.source,
        e.confidence,
    );
    let mut excluded = 0;
    for u in &e.excluded_end_uses {
        excluded |= u.bit();
    }
    let partial_fact = if unknown {
        Some(interner.choice(
            "whether {entry} was in force on {as_of} is not established: the datasets hold {list_version} (dated {list_date})",
            Confidence::Secondary,
        ))
    } else if e.tags.iter().any(|t| t == "partial-scope") {
        Some(interner.law(
            "{entry} covers {item} only in part: the rest is not listed",
            &e.source,
            Confidence::Secondary,
        ))
    } else if e.tags.iter().any(|t| t == "unverified-listing") {
        Some(interner.law(
            "whether {exporter} lists {entry} is not established",
            &e.source,
            e.confidence.min(Confidence::Secondary),
        ))
    } else {
        None
    };
    let inferred_fact = e.tags.iter().any(|t| t == "inferred-listing").then(|| {
        interner.choice(
            "{entry} is inferred from the Wassenaar list, its national text not read: whether the authorisation reaches it is not established",
            e.confidence.min(Confidence::Secondary),
        )
    });
    Entry {
        inferred_fact,
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
        partial_fact,
        value_limit: e.value_limit,
        row,
        origin: e.origin.clone(),
        tags: e.tags.clone(),
        label: e.label.clone(),
    }
}

/// For every catalogue item: which rows decide it on the day.
fn plans(
    cat: &Catalogue,
    rd: &RegimeData,
    entries: &[Entry],
    day: Date,
    interner: &mut Interner,
) -> Vec<Plan> {
    let mut by_item: rustc_hash::FxHashMap<ItemId, Vec<u32>> = Default::default();
    for (i, e) in entries.iter().enumerate() {
        by_item.entry(e.item).or_default().push(i as u32);
    }
    // Items whose own rows exist but are not in force on the day: the dated row records when
    // the item entered (or left) the list, so it is not listed then, and no ancestor row
    // decides it instead.
    let mut out_of_force: rustc_hash::FxHashMap<ItemId, FactId> = Default::default();
    for e in &rd.entries {
        if e.validity.on(day, rd.meta.list_date) == InForce::No && !by_item.contains_key(&e.item) {
            let v = &e.validity;
            let text = match (v.from, v.to) {
                (Some(f), _) if day < f => {
                    format!("{{entry}} was added to {{list}} on {f}: not listed on {{as_of}}")
                }
                (_, Some(t)) => {
                    format!("{{entry}} left {{list}} after {t}: not listed on {{as_of}}")
                }
                _ => "{entry} not in force on {as_of}".to_string(),
            };
            let citation = if v.from.is_some_and(|f| day < f) {
                &v.from_source
            } else {
                &v.to_source
            };
            let fact = interner.law(
                &text.replace("{entry}", &e.local_code),
                citation,
                e.confidence,
            );
            out_of_force.entry(e.item).or_insert(fact);
        }
    }
    // The rows below every item: each row's item hands its rows to all its ancestors.
    let mut below_of: rustc_hash::FxHashMap<ItemId, Vec<u32>> = Default::default();
    for (&it, rows) in &by_item {
        let mut cur = cat.get(it).parent;
        while let Some(p) = cur {
            below_of.entry(p).or_default().extend(rows.iter().copied());
            cur = cat.get(p).parent;
        }
    }
    let mut plans = vec![Plan::default(); cat.len()];
    for item in cat.ids() {
        let plan = &mut plans[item as usize];
        if let Some(&f) = out_of_force.get(&item) {
            plan.unlisted_fact = Some(f);
            // Rows below the item may still be in force; keep them as the units.
        }
        let mut below: Vec<u32> = below_of.remove(&item).unwrap_or_default();
        below.sort_unstable();
        let own = by_item.get(&item).cloned().unwrap_or_default();
        let mut ancestor = None;
        if own.is_empty() && !out_of_force.contains_key(&item) {
            let mut cur = cat.get(item).parent;
            while let Some(p) = cur {
                if out_of_force.contains_key(&p) {
                    plan.unlisted_fact = out_of_force.get(&p).copied();
                    break;
                }
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
            .partition(|&r| entries[r as usize].special);
        let ordinary: Vec<u32> = ordinary
            .into_iter()
            .filter(|&r| !rd.entries[entries[r as usize].row].not_listed)
            .collect();
        let mut units: Vec<u32> = Vec::new();
        for r in base.iter().chain(ordinary.iter()) {
            let e = &entries[*r as usize];
            if rd.entries[e.row].not_listed {
                plan.unlisted_fact = Some(e.listed_fact);
            } else if e.special && !cat.is_within(item, e.item) {
                continue;
            } else if !units.contains(r) {
                units.push(*r);
            }
        }
        plan.units = units;
        plan.special = special;
    }
    plans
}
