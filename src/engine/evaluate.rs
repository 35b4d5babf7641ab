//! Evaluates one scenario under one jurisdiction's compiled rules.
//!
//! Each rule contributes a range of possible outcomes `[lo, hi]` in the strictness order; the
//! result is definite when the range closes (`lo == hi`) and `indeterminate` otherwise. Rules
//! only ever raise the range, so adding a restriction can never loosen an outcome.

use crate::data::catalogue::{ItemKind, UNLISTED_CYBER_SURVEILLANCE};
use crate::engine::FactId;
use crate::engine::compile::{CCondition, ItemClass, Regime, World};
use crate::model::{Confidence, LicencePolicy, Outcome, Scenario};

/// No list row.
pub const NO_ENTRY: u32 = u32::MAX;

/// One link of the rule chain: an interned fact, the list row it was about, and an outcome
/// where the fact reports one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Step {
    pub fact: FactId,
    pub entry: u32,
    pub outcome: Option<Outcome>,
}

impl Step {
    fn new(fact: FactId, entry: u32) -> Step {
        Step {
            fact,
            entry,
            outcome: None,
        }
    }
}

/// A determination in compact form; `render` expands it into the contract's columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Determination {
    pub jurisdiction: usize,
    pub outcome: Outcome,
    /// Index into the regime's authorisations.
    pub authorisation: Option<u16>,
    pub policy: LicencePolicy,
    pub confidence: Confidence,
    /// List rows that decided (local entries).
    pub entries: Vec<u32>,
    pub reasons: Vec<Step>,
    pub conditions: Vec<Step>,
    pub ear_applies: Option<bool>,
}

#[derive(Debug, Clone)]
struct Acc {
    lo: Outcome,
    hi: Outcome,
    pre_auth: Outcome,
    auth: Option<u16>,
    policy: LicencePolicy,
    reasons: Vec<Step>,
    conditions: Vec<Step>,
}

impl Acc {
    fn definite(o: Outcome) -> Acc {
        Acc {
            lo: o,
            hi: o,
            pre_auth: o,
            auth: None,
            policy: LicencePolicy::Unstated,
            reasons: Vec::new(),
            conditions: Vec::new(),
        }
    }

    fn outcome(&self) -> Outcome {
        if self.lo == self.hi {
            self.lo
        } else {
            Outcome::Indeterminate
        }
    }

    /// A rule that definitely applies and bars authorisations.
    fn raise(&mut self, o: Outcome, policy: LicencePolicy, step: Step) {
        if self.auth.take().is_some() {
            self.lo = self.pre_auth;
            self.hi = self.pre_auth;
            self.conditions.clear();
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

fn condition_matches(
    world: &World,
    c: &CCondition,
    entry: Option<(usize, u32)>,
    s: &Scenario,
) -> bool {
    if let Some(d) = &c.destinations
        && !d.contains(s.destination)
    {
        return false;
    }
    if let Some(m) = c.end_users
        && m & s.end_user.bit() == 0
    {
        return false;
    }
    if let Some(m) = c.end_uses
        && m & s.end_use.bit() == 0
    {
        return false;
    }
    if let Some(d) = c.deemed
        && d != s.deemed
    {
        return false;
    }
    if let Some(m) = c.transactions
        && m & s.transaction.bit() == 0
    {
        return false;
    }
    if let Some(items) = &c.items
        && !items.matches(&world.catalogue, entry, s.item)
    {
        return false;
    }
    true
}

impl World {
    /// The determination for scenario `s` under jurisdiction `j` (index into `jurisdictions`).
    pub fn evaluate(&self, j: usize, s: &Scenario) -> Determination {
        let jur = &self.jurisdictions[j];
        let regime = &self.regimes[jur.regime];
        let mut d = self.decide(j, regime, s, Some(jur.place));
        d.ear_applies = self.ear_applies(j, s, d.outcome);
        d
    }

    /// The rule chain of `regime` for `s`. `home` is the exporting state (for "not an
    /// export"); bulk tables pass `None` and check it themselves.
    pub(crate) fn decide(
        &self,
        j: usize,
        regime: &Regime,
        s: &Scenario,
        home: Option<u16>,
    ) -> Determination {
        let item = self.catalogue.get(s.item);
        let plan = &regime.plans[s.item as usize];
        let finish = |acc: Acc, entries: Vec<u32>| self.finish(j, regime, acc, entries);

        if home == Some(s.destination) {
            let mut acc = Acc::definite(Outcome::NotApplicable);
            acc.reasons
                .push(Step::new(regime.not_applicable_fact, NO_ENTRY));
            return finish(acc, Vec::new());
        }
        if s.deemed {
            let listed = !plan.units.is_empty();
            let fact = if !regime.meta.deemed_exports {
                Some(regime.no_deemed_fact)
            } else if matches!(item.group(), Some('A' | 'B' | 'C')) {
                Some(regime.deemed_hardware_fact)
            } else {
                None
            };
            if let Some(fact) = fact {
                let mut acc = if listed {
                    Acc::definite(Outcome::NoLicenceRequired)
                } else {
                    let mut a = Acc::definite(Outcome::NotListed);
                    a.reasons.push(Step::new(regime.not_listed_fact, NO_ENTRY));
                    a
                };
                acc.reasons.push(Step::new(fact, NO_ENTRY));
                return finish(acc, plan.units.clone());
            }
        }

        if plan.units.is_empty() && !self.category_modelled(regime, s.item) {
            let mut acc = Acc::definite(Outcome::NotListed);
            acc.hi = Outcome::LicenceRequired;
            acc.reasons
                .push(Step::new(regime.not_modelled_fact, NO_ENTRY));
            self.apply_overrides(regime, None, s, &mut acc);
            return finish(acc, Vec::new());
        }
        if plan.units.is_empty() {
            let mut acc = Acc::definite(Outcome::NotListed);
            let fact = match plan.explicitly_unlisted {
                Some(r) => regime.entries[r as usize].listed_fact,
                None => regime.not_listed_fact,
            };
            acc.reasons.push(Step::new(fact, NO_ENTRY));
            self.apply_overrides(regime, None, s, &mut acc);
            return finish(acc, Vec::new());
        }

        let mut results: Vec<(u32, Acc)> = plan
            .units
            .iter()
            .map(|&u| {
                let mut acc = self.eval_unit(regime, u, s);
                self.apply_overrides(regime, Some(u), s, &mut acc);
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
                agg.reasons
                    .push(Step::new(regime.paragraphs_differ_fact, NO_ENTRY));
                for (u, a) in &results {
                    agg.reasons.push(Step {
                        fact: regime.paragraph_outcome_fact,
                        entry: *u,
                        outcome: Some(a.outcome()),
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
            let mut sa = self.eval_unit(regime, sp, s);
            self.apply_overrides(regime, Some(sp), s, &mut sa);
            let o = sa.outcome();
            if o != final_outcome {
                acc.conditions.push(Step {
                    fact: regime.special_fact,
                    entry: sp,
                    outcome: Some(o),
                });
            }
        }
        finish(acc, plan.units.clone())
    }

    /// Whether the datasets model the item's category for this regime's list.
    fn category_modelled(&self, regime: &Regime, item: u32) -> bool {
        let it = self.catalogue.get(item);
        if it.kind != ItemKind::Wassenaar || regime.meta.categories.is_empty() {
            return true;
        }
        let cat = it.code.get(..1).unwrap_or("");
        regime.meta.categories.iter().any(|c| c == cat)
    }

    fn eval_unit(&self, regime: &Regime, u: u32, s: &Scenario) -> Acc {
        let entry = &regime.entries[u as usize];
        if entry.excluded_end_uses & s.end_use.bit() != 0 {
            let mut acc = Acc::definite(Outcome::NotListed);
            acc.reasons.push(Step::new(entry.exclusion_fact, u));
            return acc;
        }
        let mut acc = self.eval_listed(regime, u, s);
        if let Some(pf) = entry.partial_fact {
            acc.lo = Outcome::NotListed;
            acc.reasons.push(Step::new(pf, u));
        }
        acc
    }

    fn eval_listed(&self, regime: &Regime, u: u32, s: &Scenario) -> Acc {
        let entry = &regime.entries[u as usize];
        let key = Some((u as usize, entry.item));
        let mut acc = Acc::definite(Outcome::NoLicenceRequired);
        acc.reasons.push(Step::new(entry.listed_fact, u));
        let mut triggered: Vec<usize> = Vec::new();
        for (i, r) in regime.requirements.iter().enumerate() {
            if r.destinations.contains(s.destination)
                && r.items.matches(&self.catalogue, key, s.item)
            {
                triggered.push(i);
            }
        }
        if triggered.is_empty() {
            let mut explained = false;
            for f in &regime.frees {
                if f.destinations.contains(s.destination)
                    && f.items.matches(&self.catalogue, key, s.item)
                {
                    acc.reasons.push(Step::new(f.fact, u));
                    explained = true;
                }
            }
            if !explained {
                acc.reasons.push(Step::new(regime.no_requirement_fact, u));
            }
            return acc;
        }
        acc.lo = Outcome::LicenceRequired;
        acc.hi = Outcome::LicenceRequired;
        acc.pre_auth = Outcome::LicenceRequired;
        acc.policy = regime.requirements[triggered[0]].policy;
        for &i in &triggered {
            acc.reasons.push(Step::new(regime.requirements[i].fact, u));
        }
        'auths: for (ai, a) in regime.authorisations.iter().enumerate() {
            if a.transactions & s.transaction.bit() == 0
                || !a.destinations.contains(s.destination)
                || !a.items.matches(&self.catalogue, key, s.item)
                || a.excluded.matches(&self.catalogue, key, s.item)
            {
                continue;
            }
            if !a.only_reasons.is_empty()
                && triggered
                    .iter()
                    .any(|&i| !a.only_reasons.contains(&regime.requirements[i].id))
            {
                continue;
            }
            for r in &a.restrictions {
                if condition_matches(self, &r.when, key, s)
                    && !r.unless.iter().any(|c| condition_matches(self, c, key, s))
                {
                    acc.reasons.push(Step::new(r.fact, u));
                    continue 'auths;
                }
            }
            acc.auth = Some(ai as u16);
            acc.lo = Outcome::Authorised;
            acc.hi = if a.may_only {
                Outcome::LicenceRequired
            } else {
                Outcome::Authorised
            };
            acc.reasons.push(Step::new(a.fact, u));
            if let Some(cf) = a.conditions_fact {
                acc.conditions.push(Step::new(cf, u));
            }
            break;
        }
        acc
    }

    /// Catch-alls and embargo/sanction overlays: they raise the outcome and bar authorisations.
    fn apply_overrides(&self, regime: &Regime, unit: Option<u32>, s: &Scenario, acc: &mut Acc) {
        let entry = unit.map(|u| (u as usize, regime.entries[u as usize].item));
        let entry_step = unit.unwrap_or(NO_ENTRY);
        let is_ucs = {
            let it = self.catalogue.get(s.item);
            it.kind == ItemKind::Pseudo && it.code == UNLISTED_CYBER_SURVEILLANCE
        };
        for ca in &regime.catch_alls {
            let class_ok = match ca.class {
                Some(ItemClass::All) => true,
                Some(ItemClass::Listed) => entry.is_some(),
                Some(ItemClass::Unlisted) => entry.is_none(),
                Some(ItemClass::UnlistedCyberSurveillance) => entry.is_none() && is_ucs,
                None => ca.items.matches(&self.catalogue, entry, s.item),
            };
            if !class_ok || !condition_matches(self, &ca.when, entry, s) {
                continue;
            }
            let step = Step::new(ca.fact, entry_step);
            match ca.outcome {
                Some(o) => acc.raise(o, ca.policy, step),
                None => acc.maybe(Outcome::LicenceRequired, step),
            }
        }
        for ov in &regime.overlays {
            if !ov.destinations.contains(s.destination)
                || (!ov.all_items && entry.is_none())
                || (s.deemed && !ov.deemed)
            {
                continue;
            }
            acc.raise(ov.outcome, ov.policy, Step::new(ov.fact, entry_step));
        }
    }

    fn finish(&self, j: usize, regime: &Regime, acc: Acc, entries: Vec<u32>) -> Determination {
        let mut confidence = Confidence::Primary;
        for st in &acc.reasons {
            confidence = confidence.min(self.fact(st.fact).confidence);
            if st.entry != NO_ENTRY {
                confidence = confidence.min(regime.entries[st.entry as usize].confidence);
            }
        }
        let outcome = acc.outcome();
        Determination {
            jurisdiction: j,
            outcome,
            authorisation: if outcome == Outcome::Authorised {
                acc.auth
            } else {
                acc.auth.filter(|_| outcome == Outcome::Indeterminate)
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
            ear_applies: None,
        }
    }

    /// Whether the EAR follows the item (15 CFR 734.3, 734.4): always for a US exporter; for
    /// others, US-origin software exported on its own, or US controlled content above the de
    /// minimis level (25 %, 10 % for Country Groups E:1/E:2). `None` when not computable.
    fn ear_applies(&self, j: usize, s: &Scenario, outcome: Outcome) -> Option<bool> {
        if outcome == Outcome::NotApplicable {
            return None;
        }
        let us = self.jurisdiction("US")?;
        if us == j {
            return Some(true);
        }
        if s.us_origin_software {
            return Some(true);
        }
        let pct = s.us_content_pct?;
        let us_regime = &self.regimes[self.jurisdictions[us].regime];
        let e_group = ["E1", "E2"].iter().any(|g| {
            us_regime
                .groups
                .get(*g)
                .is_some_and(|set| set.contains(s.destination))
        });
        let threshold = if e_group { 10.0 } else { 25.0 };
        if pct <= threshold {
            return Some(false);
        }
        // Controlled content is content that would need a licence to this destination
        // (Supp. 2 to Part 734 (a)(1)): ask the US rules about the same item.
        let mut as_us = s.clone();
        as_us.deemed = false;
        let us_outcome = self
            .decide(us, us_regime, &as_us, Some(self.jurisdictions[us].place))
            .outcome;
        match us_outcome {
            Outcome::NotListed | Outcome::NoLicenceRequired | Outcome::NotApplicable => Some(false),
            Outcome::Indeterminate => None,
            _ => Some(true),
        }
    }
}
