//! Evaluates one scenario under one jurisdiction's compiled rules.
//!
//! Each rule contributes a range of possible outcomes `[lo, hi]` in the strictness order; the
//! result is definite when the range closes (`lo == hi`) and `indeterminate` otherwise. Rules
//! only ever raise the range, so adding a restriction can never loosen an outcome. A rule
//! whose reach is not established (a destination whose group membership is unknown on the
//! day, a rule of unknown validity) raises only the upper end.

use crate::data::catalogue::{ItemKind, UNLISTED_CYBER_SURVEILLANCE};
use crate::data::expr::Scope;
use crate::data::load::DeemedRule;
use crate::data::rules::{PartyEffect, ReachKind, ValueLimit};
use crate::engine::FactId;
use crate::engine::compile::{CCondition, CScope, Regime, World};
use crate::model::{
    Confidence, Currency, LicencePolicy, Member, Outcome, PartyHit, PlaceSet, Scenario,
};

/// No list row.
pub const NO_ENTRY: u32 = u32::MAX;

/// One link of the rule chain: an interned fact, the list row it was about, and an outcome
/// where the fact reports one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Step {
    /// The fact.
    pub fact: FactId,
    /// The list row (`NO_ENTRY` for none).
    pub entry: u32,
    /// The outcome the fact reports, if any.
    pub outcome: Option<Outcome>,
    /// The listed party the fact is about (`NO_ENTRY` for none).
    pub party: u32,
}

impl Step {
    pub(crate) fn new(fact: FactId, entry: u32) -> Step {
        Step {
            fact,
            entry,
            outcome: None,
            party: NO_ENTRY,
        }
    }

    fn about(fact: FactId, party: u32) -> Step {
        Step {
            fact,
            entry: NO_ENTRY,
            outcome: None,
            party,
        }
    }
}

/// Why another regime's law follows (or does not follow) the item out of the exporter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReachStep {
    /// The exporter is that regime's own jurisdiction.
    OwnLaw,
    /// Its own software exported on its own.
    OriginSoftware {
        /// Index into the reaching regime's reach rules.
        rule: u16,
    },
    /// Controlled content at or below the de minimis level.
    BelowDeMinimis {
        /// Share given.
        pct: f64,
        /// Level for the destination.
        threshold: f64,
        /// Rule index.
        rule: u16,
    },
    /// Above the level, and the content needs a licence to the destination.
    AboveDeMinimis {
        /// Share given.
        pct: f64,
        /// Level.
        threshold: f64,
        /// Rule index.
        rule: u16,
    },
    /// Above the level, but the content needs no licence to the destination, so it is not
    /// controlled content.
    NotControlledContent {
        /// Share given.
        pct: f64,
        /// Level.
        threshold: f64,
        /// Rule index.
        rule: u16,
    },
    /// Whether the content is controlled is not established.
    ContentUndetermined {
        /// Share given.
        pct: f64,
        /// Level.
        threshold: f64,
        /// Rule index.
        rule: u16,
    },
    /// The scenario gives neither a share of content nor the origin of software.
    NoFacts,
}

/// The answer of the reaching regime (the EAR) for a non-US exporter.
#[derive(Debug, Clone, PartialEq)]
pub struct Reach {
    /// Whether the law follows the item; `None` when not computable.
    pub applies: Option<bool>,
    /// Why.
    pub step: ReachStep,
    /// Its determination, where it follows the item from a foreign exporter.
    pub det: Option<Box<Determination>>,
}

/// A determination in compact form; `render` expands it into the contract's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Determination {
    /// Jurisdiction index (`ANY_JURISDICTION` in shared tables).
    pub jurisdiction: usize,
    /// The outcome.
    pub outcome: Outcome,
    /// Index into the regime's authorisations.
    pub authorisation: Option<u16>,
    /// Licensing policy.
    pub policy: LicencePolicy,
    /// Lowest confidence of the rules used.
    pub confidence: Confidence,
    /// List rows that decided (local entries).
    pub entries: Vec<u32>,
    /// The rule chain.
    pub reasons: Vec<Step>,
    /// Conditions a person can act on.
    pub conditions: Vec<Step>,
    /// Party-list hits shown in `screening`.
    pub screening: Vec<PartyHit>,
    /// The reaching regime's answer.
    pub reach: Option<Box<Reach>>,
    /// Jurisdiction whose law is not modelled (an exporter place).
    pub unmodelled: Option<u16>,
}

impl Eq for Determination {}

impl std::hash::Hash for Determination {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.jurisdiction.hash(h);
        self.outcome.hash(h);
        self.authorisation.hash(h);
        self.policy.hash(h);
        self.confidence.hash(h);
        self.entries.hash(h);
        self.reasons.hash(h);
        self.conditions.hash(h);
        self.screening.hash(h);
        self.unmodelled.hash(h);
    }
}

#[derive(Debug, Clone)]
struct Acc {
    lo: Outcome,
    hi: Outcome,
    pre_auth: Outcome,
    auth: Option<u16>,
    /// The reason step the authorisation added (taken back with it).
    auth_step: Option<Step>,
    policy: LicencePolicy,
    reasons: Vec<Step>,
    conditions: Vec<Step>,
    /// Steps that name a licence granted on application (taken back by a rule that bars
    /// authorisations).
    application: Vec<Step>,
}

/// A determination before the end user's party-list hits: the rule chain of one scenario
/// under one jurisdiction, which the scenario shares with every end-user name
/// ([`World::chain`], [`World::evaluate_with`]).
#[derive(Debug, Clone)]
pub struct Chain {
    acc: Acc,
    entries: Vec<u32>,
}

impl Acc {
    fn definite(o: Outcome) -> Acc {
        Acc {
            lo: o,
            hi: o,
            pre_auth: o,
            auth: None,
            auth_step: None,
            policy: LicencePolicy::Unstated,
            reasons: Vec::new(),
            conditions: Vec::new(),
            application: Vec::new(),
        }
    }

    fn outcome(&self) -> Outcome {
        if self.lo == self.hi {
            self.lo
        } else {
            Outcome::Indeterminate
        }
    }

    /// Takes back an authorisation (a rule bars it).
    fn drop_auth(&mut self) {
        if self.auth.take().is_some() {
            self.lo = self.pre_auth;
            self.hi = self.hi.max(self.pre_auth);
            self.conditions.clear();
            if let Some(st) = self.auth_step.take() {
                self.reasons.retain(|r| *r != st);
            }
        }
    }

    /// A rule that definitely applies and bars authorisations.
    fn raise(&mut self, o: Outcome, policy: LicencePolicy, step: Step) {
        self.drop_auth();
        if !self.application.is_empty() {
            let app = std::mem::take(&mut self.application);
            self.reasons.retain(|r| !app.contains(r));
            self.conditions.retain(|r| !app.contains(r));
        }
        if o > self.hi || (o == self.hi && self.policy == LicencePolicy::Unstated) {
            self.policy = policy;
        }
        self.lo = self.lo.max(o);
        self.hi = self.hi.max(o);
        self.reasons.push(step);
    }

    /// A rule that may apply (the data cannot tell): the outcome may be as strict as `o`.
    fn maybe(&mut self, o: Outcome, step: Step) {
        self.hi = self.hi.max(o);
        self.reasons.push(step);
    }
}

impl World {
    fn condition_matches(
        &self,
        c: &CCondition,
        entry: Option<(usize, u32)>,
        value_limit: Option<f64>,
        s: &Scenario,
    ) -> Member {
        if let Some(m) = c.end_users
            && m & s.end_user.bit() == 0
        {
            return Member::No;
        }
        if let Some(m) = c.end_uses
            && m & s.end_use.bit() == 0
        {
            return Member::No;
        }
        if let Some(d) = c.deemed
            && d != s.deemed
        {
            return Member::No;
        }
        if let Some(m) = c.transactions
            && m & s.transaction.bit() == 0
        {
            return Member::No;
        }
        if let Some(items) = &c.items
            && !items.matches(self.catalogue(), entry, s.item)
        {
            return Member::No;
        }
        let mut result = Member::Yes;
        if let Some(v) = c.value_above {
            match within_value(v, value_limit, s) {
                Member::Yes => return Member::No,
                Member::No => {}
                Member::Maybe => result = Member::Maybe,
            }
        }
        if let Some(d) = &c.destinations {
            match d.get(s.destination) {
                Member::No => return Member::No,
                Member::Maybe => result = Member::Maybe,
                Member::Yes => {}
            }
        }
        result
    }

    /// The determination for scenario `s` under jurisdiction `j` (index into
    /// `jurisdictions`), with the reaching regime's answer for a foreign exporter.
    pub fn evaluate(&self, j: usize, s: &Scenario) -> Determination {
        let jur = &self.jurisdictions[j];
        let regime = &self.regimes[jur.regime];
        let mut d = self.decide(j, regime, s, Some(&jur.home));
        d.reach = self
            .reach_answer(Some(j), jur.place, s, d.outcome)
            .map(Box::new);
        d
    }

    /// The rule chain of scenario `s` under jurisdiction `j` before its party-list hits: the
    /// same for `s` with any end-user name.
    pub fn chain(&self, j: usize, s: &Scenario) -> Chain {
        let jur = &self.jurisdictions[j];
        self.chain_of(&self.regimes[jur.regime], s, Some(&jur.home))
    }

    /// The determination for `s` under `j` from `chain`, the chain of a scenario that differs
    /// from `s` at most in its end-user name and hits: the same as [`World::evaluate`] of `s`.
    pub fn evaluate_with(&self, j: usize, chain: &Chain, s: &Scenario) -> Determination {
        let jur = &self.jurisdictions[j];
        let regime = &self.regimes[jur.regime];
        let mut d = self.finish(j, regime, chain.acc.clone(), chain.entries.clone(), s);
        d.reach = self
            .reach_answer(Some(j), jur.place, s, d.outcome)
            .map(Box::new);
        d
    }

    /// Whether jurisdiction `j`'s law reads an end-user name only through its party-list
    /// hits: a name that no list holds then leaves the determination as it is without a
    /// name. True where the regime keeps party lists (and so does the reaching regime, whose
    /// answer is part of the determination); elsewhere a name adds the condition that no
    /// party list of that regime is in the datasets.
    pub fn name_read_only_through_hits(&self, j: usize) -> bool {
        let keeps = |j: usize| {
            self.jurisdictions
                .get(j)
                .is_some_and(|x| !self.regimes[x.regime].party_lists.is_empty())
        };
        keeps(j) && self.reach.is_none_or(keeps)
    }

    /// The determination for an exporter whose law the datasets do not model: its own
    /// outcome is indeterminate, the reaching regime's answer is still given.
    pub fn evaluate_unmodelled(&self, place: u16, s: &Scenario) -> Determination {
        let mut acc = Acc::definite(Outcome::NotListed);
        acc.hi = Outcome::Prohibited;
        acc.reasons
            .push(Step::new(self.common.not_modelled_exporter, NO_ENTRY));
        let mut d = Determination {
            jurisdiction: usize::MAX,
            outcome: Outcome::Indeterminate,
            authorisation: None,
            policy: LicencePolicy::Unstated,
            confidence: Confidence::Assumed,
            entries: Vec::new(),
            reasons: acc.reasons,
            conditions: Vec::new(),
            screening: Vec::new(),
            reach: None,
            unmodelled: Some(place),
        };
        if place == s.destination && !s.deemed {
            d.outcome = Outcome::NotApplicable;
        }
        if s.end_user_name.is_some() {
            d.conditions
                .push(Step::new(self.common.no_party_list, NO_ENTRY));
        }
        d.reach = self.reach_answer(None, place, s, d.outcome).map(Box::new);
        d
    }

    /// The rule chain of `regime` for `s`. `home` is the exporting state (for "not an
    /// export"); bulk tables pass `None` and check it themselves.
    pub(crate) fn decide(
        &self,
        j: usize,
        regime: &Regime,
        s: &Scenario,
        home: Option<&PlaceSet>,
    ) -> Determination {
        let Chain { acc, entries } = self.chain_of(regime, s, home);
        self.finish(j, regime, acc, entries, s)
    }

    /// The rule chain of `regime` for `s` up to its party-list hits, which [`World::finish`]
    /// applies: it reads neither the end-user name nor its hits.
    fn chain_of(&self, regime: &Regime, s: &Scenario, home: Option<&PlaceSet>) -> Chain {
        let f = &regime.facts;
        if regime.before_modelled {
            let mut acc = Acc::definite(Outcome::NotListed);
            acc.hi = Outcome::Prohibited;
            acc.reasons.push(Step::new(f.before_modelled, NO_ENTRY));
            return Chain {
                acc,
                entries: Vec::new(),
            };
        }
        let plan = &regime.plans[s.item as usize];
        if home.is_some_and(|h| h.contains(s.destination)) && !s.deemed {
            let mut acc = Acc::definite(Outcome::NotApplicable);
            acc.reasons.push(Step::new(f.not_applicable, NO_ENTRY));
            return Chain {
                acc,
                entries: Vec::new(),
            };
        }
        if s.deemed {
            let listed = !plan.units.is_empty();
            let base = |fact: FactId| {
                let mut a = if listed {
                    Acc::definite(Outcome::NoLicenceRequired)
                } else {
                    let mut a = Acc::definite(Outcome::NotListed);
                    a.reasons.push(Step::new(
                        plan.unlisted_fact.unwrap_or(f.not_listed),
                        NO_ENTRY,
                    ));
                    a
                };
                a.reasons.push(Step::new(fact, NO_ENTRY));
                a
            };
            match regime.deemed {
                DeemedRule::None => {
                    return Chain {
                        acc: base(f.no_deemed),
                        entries: plan.units.clone(),
                    };
                }
                DeemedRule::Unknown => {
                    let mut a = base(f.deemed_unknown);
                    a.hi = Outcome::LicenceRequired.max(a.hi);
                    return Chain {
                        acc: a,
                        entries: plan.units.clone(),
                    };
                }
                DeemedRule::TechnologyAndSoftware => {
                    let item = self.catalogue().get(s.item);
                    if matches!(item.group(), Some('A' | 'B' | 'C')) {
                        return Chain {
                            acc: base(f.deemed_hardware),
                            entries: plan.units.clone(),
                        };
                    }
                }
            }
        }
        if plan.units.is_empty() && !self.category_modelled(regime, s.item) {
            let mut acc = Acc::definite(Outcome::NotListed);
            acc.hi = Outcome::LicenceRequired;
            acc.reasons.push(Step::new(f.not_modelled, NO_ENTRY));
            self.apply_overrides(regime, None, s, &mut acc);
            return Chain {
                acc,
                entries: Vec::new(),
            };
        }
        if plan.units.is_empty() && self.foreign_multilateral(regime, s.item) {
            let mut acc = Acc::definite(Outcome::NotListed);
            acc.hi = Outcome::LicenceRequired;
            acc.reasons
                .push(Step::new(f.foreign_multilateral, NO_ENTRY));
            self.apply_overrides(regime, None, s, &mut acc);
            return Chain {
                acc,
                entries: Vec::new(),
            };
        }
        if plan.units.is_empty() {
            let mut acc = Acc::definite(Outcome::NotListed);
            acc.reasons.push(Step::new(
                plan.unlisted_fact.unwrap_or(f.not_listed),
                NO_ENTRY,
            ));
            self.apply_overrides(regime, None, s, &mut acc);
            return Chain {
                acc,
                entries: Vec::new(),
            };
        }
        let mut results: Vec<(u32, Acc)> = plan
            .units
            .iter()
            .map(|&u| {
                let (mut acc, listed) = self.eval_unit(regime, u, s);
                self.apply_overrides(regime, listed.then_some(u), s, &mut acc);
                (u, acc)
            })
            .collect();
        let mut acc = if results.len() == 1 {
            results
                .pop()
                .map(|(_, a)| a)
                .unwrap_or_else(|| Acc::definite(Outcome::Indeterminate))
        } else {
            let first = (results[0].1.lo, results[0].1.hi, results[0].1.auth);
            if results.iter().all(|(_, a)| (a.lo, a.hi, a.auth) == first) {
                let mut merged = results[0].1.clone();
                for (_, a) in &results[1..] {
                    for st in &a.reasons {
                        if !merged.reasons.contains(st) {
                            merged.reasons.push(*st);
                        }
                    }
                }
                merged
            } else {
                let mut agg = Acc::definite(Outcome::NotListed);
                agg.lo = results
                    .iter()
                    .map(|(_, a)| a.lo)
                    .min()
                    .unwrap_or(Outcome::NotListed);
                agg.hi = results
                    .iter()
                    .map(|(_, a)| a.hi)
                    .max()
                    .unwrap_or(Outcome::Prohibited);
                if agg.lo == agg.hi {
                    agg.hi = Outcome::Prohibited.max(agg.lo);
                }
                agg.reasons.push(Step::new(f.paragraphs_differ, NO_ENTRY));
                for (u, a) in &results {
                    agg.reasons.push(Step {
                        fact: f.paragraph_outcome,
                        entry: *u,
                        outcome: Some(a.outcome()),
                        party: NO_ENTRY,
                    });
                    // Keep the rules each paragraph rests on, for citations and confidence.
                    for st in &a.reasons {
                        if !agg.reasons.contains(st) {
                            agg.reasons.push(*st);
                        }
                    }
                }
                agg
            }
        };
        let final_outcome = acc.outcome();
        for &sp in &plan.special {
            let (mut sa, listed) = self.eval_unit(regime, sp, s);
            self.apply_overrides(regime, listed.then_some(sp), s, &mut sa);
            let o = sa.outcome();
            if o != final_outcome {
                acc.conditions.push(Step {
                    fact: if regime.entries[sp as usize].local_code.contains(".z") {
                        f.special_z
                    } else {
                        f.special
                    },
                    entry: sp,
                    outcome: Some(o),
                    party: NO_ENTRY,
                });
            }
        }
        Chain {
            acc,
            entries: plan.units.clone(),
        }
    }

    /// Whether the item is another list's national-only entry whose control comes from a
    /// multilateral regime (`wa`, `mtcr`, `nsg`, `ag`, `cwc`): a list without a row for it may
    /// still control the item under another entry or another list.
    fn foreign_multilateral(&self, regime: &Regime, item: u32) -> bool {
        let it = self.catalogue().get(item);
        it.kind == ItemKind::National
            && it.owner.as_deref() != Some(regime.id.as_str())
            && matches!(it.origin.as_str(), "wa" | "mtcr" | "nsg" | "ag" | "cwc")
    }

    /// Whether the datasets model the item's category for this regime's list.
    fn category_modelled(&self, regime: &Regime, item: u32) -> bool {
        let it = self.catalogue().get(item);
        if it.kind != ItemKind::Wassenaar || regime.meta.categories.is_empty() {
            return true;
        }
        let cat = it.code.get(..1).unwrap_or("");
        regime.meta.categories.iter().any(|c| c == cat)
    }

    /// One deciding row; `false` when a Note takes the item out of the entry for this end use
    /// (overrides then see it as unlisted).
    fn eval_unit(&self, regime: &Regime, u: u32, s: &Scenario) -> (Acc, bool) {
        let entry = &regime.entries[u as usize];
        if entry.excluded_end_uses & s.end_use.bit() != 0 {
            let mut acc = Acc::definite(Outcome::NotListed);
            acc.reasons.push(Step::new(entry.exclusion_fact, u));
            return (acc, false);
        }
        let mut acc = self.eval_listed(regime, u, s);
        if let Some(pf) = entry.partial_fact {
            acc.lo = Outcome::NotListed;
            acc.reasons.push(Step::new(pf, u));
        }
        (acc, true)
    }

    #[allow(clippy::too_many_lines)]
    fn eval_listed(&self, regime: &Regime, u: u32, s: &Scenario) -> Acc {
        let entry = &regime.entries[u as usize];
        let key = Some((u as usize, entry.item));
        let mut acc = Acc::definite(Outcome::NoLicenceRequired);
        acc.reasons.push(Step::new(entry.listed_fact, u));
        let mut sure: Vec<usize> = Vec::new();
        let mut maybe: Vec<usize> = Vec::new();
        for (i, r) in regime.requirements.iter().enumerate() {
            if !r.items.matches(self.catalogue(), key, s.item) {
                continue;
            }
            match r.destinations.get(s.destination) {
                Member::Yes => sure.push(i),
                Member::Maybe => maybe.push(i),
                Member::No => {}
            }
        }
        for &i in &maybe {
            acc.maybe(
                Outcome::LicenceRequired,
                Step::new(regime.requirements[i].fact, u),
            );
        }
        if sure.is_empty() {
            if maybe.is_empty() {
                let mut explained = false;
                for f in &regime.frees {
                    if f.destinations.get(s.destination) == Member::Yes
                        && f.items.matches(self.catalogue(), key, s.item)
                    {
                        acc.reasons.push(Step::new(f.fact, u));
                        explained = true;
                    }
                }
                if !explained {
                    acc.reasons.push(Step::new(regime.facts.no_requirement, u));
                }
            }
            return acc;
        }
        acc.lo = Outcome::LicenceRequired;
        acc.hi = Outcome::LicenceRequired;
        acc.pre_auth = Outcome::LicenceRequired;
        acc.policy = regime.requirements[sure[0]].policy;
        for &i in &sure {
            acc.reasons.push(Step::new(regime.requirements[i].fact, u));
        }
        'auths: for (ai, a) in regime.authorisations.iter().enumerate() {
            if a.transactions & s.transaction.bit() == 0
                || !a.items.matches(self.catalogue(), key, s.item)
                || a.excluded.matches(self.catalogue(), key, s.item)
            {
                continue;
            }
            let mut certain = true;
            match a.destinations.get(s.destination) {
                Member::No => continue,
                Member::Maybe => certain = false,
                Member::Yes => {}
            }
            if !a.only_reasons.is_empty() {
                if sure
                    .iter()
                    .any(|&i| !a.only_reasons.contains(&regime.requirements[i].id))
                {
                    continue;
                }
                if maybe
                    .iter()
                    .any(|&i| !a.only_reasons.contains(&regime.requirements[i].id))
                {
                    certain = false;
                }
            }
            let mut value_step = None;
            if let Some(v) = a.max_value {
                match within_value(v, entry.value_limit, s) {
                    Member::Yes => {}
                    Member::No => continue,
                    Member::Maybe => {
                        certain = false;
                        value_step = a.value_fact.map(|f| Step::new(f, u));
                    }
                }
            }
            for r in &a.restrictions {
                let when = self.condition_matches(&r.when, key, entry.value_limit, s);
                if when == Member::No {
                    continue;
                }
                let mut unless = Member::No;
                for c in &r.unless {
                    match self.condition_matches(c, key, entry.value_limit, s) {
                        Member::Yes => {
                            unless = Member::Yes;
                            break;
                        }
                        Member::Maybe => unless = Member::Maybe,
                        Member::No => {}
                    }
                }
                let bars = match (when, unless, r.uncertain) {
                    (_, Member::Yes, _) => Member::No,
                    (Member::Yes, Member::No, false) => Member::Yes,
                    _ => Member::Maybe,
                };
                match bars {
                    Member::Yes => {
                        acc.reasons.push(Step::new(r.fact, u));
                        continue 'auths;
                    }
                    Member::Maybe => {
                        acc.reasons.push(Step::new(r.fact, u));
                        certain = false;
                    }
                    Member::No => {}
                }
            }
            if a.on_application {
                // A licence granted on application: named, the outcome stays as it is.
                let st = Step::new(a.fact, u);
                acc.reasons.push(st);
                acc.application.push(st);
                if let Some(cf) = a.conditions_fact {
                    let c = Step::new(cf, u);
                    acc.conditions.push(c);
                    acc.application.push(c);
                }
                continue;
            }
            if let Some(f) = entry.inferred_fact {
                certain = false;
                acc.reasons.push(Step::new(f, u));
            }
            acc.auth = Some(ai as u16);
            acc.auth_step = Some(Step::new(a.fact, u));
            acc.lo = Outcome::Authorised;
            acc.hi = if a.may_only || !certain {
                Outcome::LicenceRequired
            } else {
                Outcome::Authorised
            };
            acc.reasons.push(Step::new(a.fact, u));
            if let Some(cf) = a.conditions_fact {
                acc.conditions.push(Step::new(cf, u));
            }
            if let Some(v) = value_step {
                acc.conditions.push(v);
            }
            break;
        }
        acc
    }

    fn scope_reaches(&self, scope: &CScope, entry: Option<(usize, u32)>, s: &Scenario) -> bool {
        match scope {
            CScope::All => true,
            CScope::Listed => entry.is_some(),
            CScope::Unlisted => entry.is_none(),
            CScope::UnlistedCyberSurveillance => entry.is_none() && self.is_cyber_surveillance(s),
            CScope::Patterns(m) => m.matches(self.catalogue(), entry, s.item),
        }
    }

    fn is_cyber_surveillance(&self, s: &Scenario) -> bool {
        let it = self.catalogue().get(s.item);
        it.kind == ItemKind::Pseudo && it.code == UNLISTED_CYBER_SURVEILLANCE
    }

    /// Catch-alls and embargo/sanction overlays: they raise the outcome and bar
    /// authorisations, each reaching exactly the items its scope names.
    fn apply_overrides(&self, regime: &Regime, unit: Option<u32>, s: &Scenario, acc: &mut Acc) {
        let entry = unit.map(|u| (u as usize, regime.entries[u as usize].item));
        let value_limit = unit.and_then(|u| regime.entries[u as usize].value_limit);
        let entry_step = unit.unwrap_or(NO_ENTRY);
        for ca in &regime.catch_alls {
            if !self.scope_reaches(&ca.scope, entry, s) {
                continue;
            }
            let m = self.condition_matches(&ca.when, entry, value_limit, s);
            let step = Step::new(ca.fact, entry_step);
            match (m, ca.outcome) {
                (Member::No, _) => {}
                (Member::Yes, Some(o)) => acc.raise(o, ca.policy, step),
                _ => acc.maybe(ca.up_to, step),
            }
        }
        for ov in &regime.overlays {
            if (s.deemed && !ov.deemed) || !self.scope_reaches(&ov.scope, entry, s) {
                continue;
            }
            let mut m = ov.destinations.get(s.destination);
            if m != Member::No {
                match self.condition_matches(&ov.when, entry, value_limit, s) {
                    Member::No => m = Member::No,
                    Member::Maybe => m = Member::Maybe,
                    Member::Yes => {}
                }
            }
            let step = Step::new(ov.fact, entry_step);
            match (m, ov.outcome) {
                (Member::No, _) => {}
                (Member::Yes, Some(o)) => acc.raise(o, ov.policy, step),
                _ => acc.maybe(ov.up_to, step),
            }
        }
    }

    /// Party-list hits: each list's effect on the determination of the regime that keeps it.
    fn apply_parties(
        &self,
        regime: &Regime,
        s: &Scenario,
        acc: &mut Acc,
        listed: bool,
    ) -> Vec<PartyHit> {
        let mut shown = Vec::new();
        for hit in &s.hits {
            let Some((ri, party)) = self.parties().list.get(hit.party as usize) else {
                continue;
            };
            if regime.data != *ri {
                continue;
            }
            shown.push(*hit);
            let rule = regime.party_lists.iter().find(|p| p.list == party.list);
            let effect = rule.map(|r| r.effect).unwrap_or(PartyEffect::Notice);
            let (hit_fact, near_fact) = match rule {
                Some(r) => (r.hit_fact, r.near_fact),
                None => (
                    regime.facts.party_unknown_list,
                    regime.facts.party_unknown_list_near,
                ),
            };
            let uncertain = self
                .parties()
                .uncertain
                .get(hit.party as usize)
                .copied()
                .unwrap_or(false);
            if !hit.exact || uncertain {
                let up_to = match effect {
                    PartyEffect::Prohibition => Outcome::Prohibited,
                    PartyEffect::Requirement | PartyEffect::NoExceptions => {
                        Outcome::LicenceRequired
                    }
                    PartyEffect::Notice => acc.hi,
                };
                acc.maybe(up_to, Step::about(near_fact, hit.party));
                continue;
            }
            let step = Step::about(hit_fact, hit.party);
            match effect {
                PartyEffect::Prohibition => {
                    acc.raise(Outcome::Prohibited, LicencePolicy::Unstated, step)
                }
                PartyEffect::Requirement => match &party.scope {
                    Scope::All => acc.raise(Outcome::LicenceRequired, party.policy, step),
                    Scope::Listed if listed => {
                        acc.raise(Outcome::LicenceRequired, party.policy, step)
                    }
                    Scope::Listed => acc.reasons.push(step),
                    _ => {
                        acc.drop_auth();
                        acc.maybe(Outcome::LicenceRequired, step);
                    }
                },
                PartyEffect::NoExceptions => {
                    acc.drop_auth();
                    acc.reasons.push(step);
                    if let Some(cf) = rule.and_then(|r| r.condition_fact)
                        && acc.hi <= Outcome::NoLicenceRequired
                    {
                        acc.conditions.push(Step::about(cf, hit.party));
                    }
                }
                PartyEffect::Notice => acc.conditions.push(step),
            }
        }
        shown
    }

    fn finish(
        &self,
        j: usize,
        regime: &Regime,
        mut acc: Acc,
        entries: Vec<u32>,
        s: &Scenario,
    ) -> Determination {
        let screening = if s.hits.is_empty() {
            Vec::new()
        } else {
            self.apply_parties(regime, s, &mut acc, !entries.is_empty())
        };
        if s.end_user_name.is_some() && regime.party_lists.is_empty() {
            acc.conditions
                .push(Step::new(self.common.no_party_list, NO_ENTRY));
        }
        let mut confidence = Confidence::Primary;
        for st in acc.reasons.iter() {
            confidence = confidence.min(self.fact(st.fact).confidence);
            if st.entry != NO_ENTRY {
                confidence = confidence.min(regime.entries[st.entry as usize].confidence);
            }
        }
        let outcome = acc.outcome();
        Determination {
            jurisdiction: j,
            outcome,
            authorisation: if outcome == Outcome::Authorised || outcome == Outcome::Indeterminate {
                acc.auth
            } else {
                None
            },
            policy: if matches!(outcome, Outcome::LicenceRequired | Outcome::Prohibited) {
                acc.policy
            } else {
                LicencePolicy::Unstated
            },
            confidence,
            entries,
            reasons: acc.reasons,
            conditions: acc.conditions,
            screening,
            reach: None,
            unmodelled: None,
        }
    }

    /// Whether the reaching regime's law (the EAR) follows the item out of the exporter at
    /// `place` (15 CFR 734.3, 734.4 as data: `[[reach]]` rules), and its answer then.
    pub(crate) fn reach_answer(
        &self,
        j: Option<usize>,
        place: u16,
        s: &Scenario,
        own: Outcome,
    ) -> Option<Reach> {
        if own == Outcome::NotApplicable {
            return None;
        }
        let rj = self.reach?;
        let rjur = &self.jurisdictions[rj];
        if j == Some(rj) || place == rjur.place {
            return Some(Reach {
                applies: Some(true),
                step: ReachStep::OwnLaw,
                det: None,
            });
        }
        let regime = &self.regimes[rjur.regime];
        let us_det = || {
            let mut as_us = s.clone();
            as_us.deemed = false;
            self.decide(rj, regime, &as_us, Some(&rjur.home))
        };
        if s.us_origin_software
            && let Some(i) = regime.reach.iter().position(|r| {
                r.kind == ReachKind::OriginSoftware
                    && r.destinations.get(s.destination) != Member::No
            })
        {
            return Some(Reach {
                applies: Some(true),
                step: ReachStep::OriginSoftware { rule: i as u16 },
                det: Some(Box::new(us_det())),
            });
        }
        let Some(pct) = s.us_content_pct else {
            return Some(Reach {
                applies: None,
                step: ReachStep::NoFacts,
                det: None,
            });
        };
        let Some(i) = regime.reach.iter().position(|r| {
            r.kind == ReachKind::DeMinimis && r.destinations.get(s.destination) == Member::Yes
        }) else {
            return Some(Reach {
                applies: None,
                step: ReachStep::NoFacts,
                det: None,
            });
        };
        let threshold = regime.reach[i].threshold_pct;
        let rule = i as u16;
        if pct <= threshold {
            return Some(Reach {
                applies: Some(false),
                step: ReachStep::BelowDeMinimis {
                    pct,
                    threshold,
                    rule,
                },
                det: None,
            });
        }
        // Controlled content is content that would need a licence to this destination
        // (15 CFR 734 Supp. 2 (a)(1)): ask the reaching regime about the same item.
        let d = us_det();
        match d.outcome {
            Outcome::NotListed | Outcome::NoLicenceRequired | Outcome::NotApplicable => {
                Some(Reach {
                    applies: Some(false),
                    step: ReachStep::NotControlledContent {
                        pct,
                        threshold,
                        rule,
                    },
                    det: None,
                })
            }
            Outcome::Indeterminate => Some(Reach {
                applies: None,
                step: ReachStep::ContentUndetermined {
                    pct,
                    threshold,
                    rule,
                },
                det: Some(Box::new(d)),
            }),
            _ => Some(Reach {
                applies: Some(true),
                step: ReachStep::AboveDeMinimis {
                    pct,
                    threshold,
                    rule,
                },
                det: Some(Box::new(d)),
            }),
        }
    }
}

/// Whether the scenario's value is within `limit` (the row's limit for `Entry`): `Maybe` when
/// the value or a comparable currency is missing.
fn within_value(limit: ValueLimit, row_limit: Option<f64>, s: &Scenario) -> Member {
    let (amount, currency) = match limit {
        ValueLimit::Entry => match row_limit {
            Some(x) => (x, Currency::Usd),
            None => return Member::No,
        },
        ValueLimit::Fixed(x, c) => (x, c),
    };
    match (s.value, s.currency) {
        (Some(v), Some(c)) if c == currency => {
            if v <= amount {
                Member::Yes
            } else {
                Member::No
            }
        }
        _ => Member::Maybe,
    }
}
