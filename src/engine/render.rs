//! Expands a compact determination into the columns of the determination contract.

use crate::engine::compile::{FactKind, World};
use crate::engine::evaluate::{Determination, NO_ENTRY, Reach, ReachStep, Step};
use crate::model::{Outcome, Scenario};

/// The columns of one determination row: the contract columns, then the appended ones.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    /// Scenario id.
    pub scenario_id: String,
    /// Exporting jurisdiction.
    pub jurisdiction: String,
    /// Item (canonical code).
    pub item: String,
    /// Local list entries that decided.
    pub local_entry: String,
    /// Destination.
    pub destination: String,
    /// End user.
    pub end_user: String,
    /// End use.
    pub end_use: String,
    /// Outcome word.
    pub outcome: String,
    /// Authorisation used.
    pub authorisation: String,
    /// Licensing policy.
    pub licence_policy: String,
    /// Conditions (`CODE: sentence`, `;`-separated).
    pub conditions: String,
    /// Rule chain.
    pub reasons: String,
    /// Legal citations.
    pub citations: String,
    /// Confidence.
    pub confidence: String,
    /// Whether the EAR follows the item (`true`, `false`, empty).
    pub ear_applies: String,
    /// Party-list hits.
    pub screening: String,
    /// US outcome for a foreign exporter where the EAR follows the item.
    pub us_outcome: String,
    /// US authorisation then.
    pub us_authorisation: String,
    /// Why: de minimis share and level, and the US rule chain.
    pub us_reasons: String,
}

/// Column names, in contract order (the contract columns, then those appended after
/// `ear_applies`).
pub const COLUMNS: [&str; 19] = [
    "scenario_id",
    "jurisdiction",
    "item",
    "local_entry",
    "destination",
    "end_user",
    "end_use",
    "outcome",
    "authorisation",
    "licence_policy",
    "conditions",
    "reasons",
    "citations",
    "confidence",
    "ear_applies",
    "screening",
    "us_outcome",
    "us_authorisation",
    "us_reasons",
];

impl Rendered {
    /// The cells, in `COLUMNS` order, taken out of the row.
    pub fn into_fields(self) -> [String; 19] {
        [
            self.scenario_id,
            self.jurisdiction,
            self.item,
            self.local_entry,
            self.destination,
            self.end_user,
            self.end_use,
            self.outcome,
            self.authorisation,
            self.licence_policy,
            self.conditions,
            self.reasons,
            self.citations,
            self.confidence,
            self.ear_applies,
            self.screening,
            self.us_outcome,
            self.us_authorisation,
            self.us_reasons,
        ]
    }

    /// The cells, in `COLUMNS` order.
    pub fn fields(&self) -> [&str; 19] {
        [
            &self.scenario_id,
            &self.jurisdiction,
            &self.item,
            &self.local_entry,
            &self.destination,
            &self.end_user,
            &self.end_use,
            &self.outcome,
            &self.authorisation,
            &self.licence_policy,
            &self.conditions,
            &self.reasons,
            &self.citations,
            &self.confidence,
            &self.ear_applies,
            &self.screening,
            &self.us_outcome,
            &self.us_authorisation,
            &self.us_reasons,
        ]
    }
}

/// The columns of a determination that depend on the rule chain (not on the scenario's id,
/// end user or end use), so bulk writers can cache them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// Local entries.
    pub local_entry: String,
    /// Authorisation.
    pub authorisation: String,
    /// Policy.
    pub licence_policy: String,
    /// Conditions.
    pub conditions: String,
    /// Reasons.
    pub reasons: String,
    /// Citations.
    pub citations: String,
}

/// How the destination enters a rendering made for every destination
/// ([`World::render_any_dest`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestUse {
    /// Not at all.
    None,
    /// Exactly where the texts say `{dest}`.
    Placeholders,
    /// Where the texts say `{dest}`, and the data says `{dest}` too.
    Ambiguous,
}

/// What a step's text is about: who exports, what item, where, which list.
struct Subject<'a> {
    exporter: &'a str,
    item: u32,
    /// `None` keeps the `{dest}` placeholder (texts shared by many destinations).
    dest: Option<u16>,
    regime: Option<usize>,
    /// How many `{dest}` placeholders were kept (with `dest` `None`).
    kept: std::cell::Cell<usize>,
}

/// A placeholder of a fact's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Var {
    Dest,
    Exporter,
    Item,
    Entry,
    AsOf,
    List,
    ListVersion,
    ListDate,
    ModelledFrom,
    Label,
    Limit,
    Outcome,
    Party,
    Notice,
}

const VARS: [(&str, Var); 14] = [
    ("{dest}", Var::Dest),
    ("{exporter}", Var::Exporter),
    ("{item}", Var::Item),
    ("{entry}", Var::Entry),
    ("{as_of}", Var::AsOf),
    ("{list}", Var::List),
    ("{list_version}", Var::ListVersion),
    ("{list_date}", Var::ListDate),
    ("{modelled_from}", Var::ModelledFrom),
    ("{label}", Var::Label),
    ("{limit}", Var::Limit),
    ("{outcome}", Var::Outcome),
    ("{party}", Var::Party),
    ("{notice}", Var::Notice),
];

impl Var {
    fn placeholder(self) -> &'static str {
        VARS.iter()
            .find(|(_, v)| *v == self)
            .map(|(k, _)| *k)
            .unwrap_or("")
    }
}

/// A piece of a fact's text: literal text (`;` already made `,`) or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    Lit(Box<str>),
    Var(Var),
}

/// `text` cut at its placeholders (compiled once per fact, so rendering a step is appending).
pub(crate) fn segments(text: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        lit.push_str(&rest[..open]);
        let tail = &rest[open..];
        match VARS.iter().find(|(k, _)| tail.starts_with(k)) {
            Some((k, v)) => {
                if !lit.is_empty() {
                    out.push(Seg::Lit(std::mem::take(&mut lit).replace(';', ",").into()));
                }
                out.push(Seg::Var(*v));
                rest = &tail[k.len()..];
            }
            None => {
                lit.push('{');
                rest = &tail[1..];
            }
        }
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        out.push(Seg::Lit(lit.replace(';', ",").into()));
    }
    out
}

/// Appends `v` with `;` made `,` (`;` separates reasons in the output).
fn push_clean(out: &mut String, v: &str) {
    if v.contains(';') {
        out.push_str(&v.replace(';', ","));
    } else {
        out.push_str(v);
    }
}

impl World {
    /// Appends the text of `step` to `out`: the fact's text with its placeholders filled
    /// (a placeholder with nothing to fill stays as written).
    fn step_text(&self, sub: &Subject<'_>, step: &Step, out: &mut String) {
        let fact = self.fact(step.fact);
        if !fact.code.is_empty() {
            out.push_str(&fact.code);
            out.push_str(": ");
        }
        if fact.kind == FactKind::Modelling {
            out.push_str("modelling choice: ");
        }
        let item_code = self.catalogue().get(sub.item).code.as_str();
        let regime = sub.regime.map(|r| &self.regimes[r]);
        let entry = match (step.entry, regime) {
            (NO_ENTRY, _) | (_, None) => None,
            (e, Some(r)) => r.entries.get(e as usize),
        };
        let party = if step.party == NO_ENTRY {
            None
        } else {
            self.parties().list.get(step.party as usize).map(|(_, p)| p)
        };
        for seg in &fact.segs {
            let v = match seg {
                Seg::Lit(t) => {
                    out.push_str(t);
                    continue;
                }
                Seg::Var(v) => *v,
            };
            match (v, regime) {
                (Var::Dest, _) => match sub.dest {
                    Some(d) => push_clean(out, self.places().code(d)),
                    None => {
                        sub.kept.set(sub.kept.get() + 1);
                        out.push_str("{dest}")
                    }
                },
                (Var::Exporter, _) => push_clean(out, sub.exporter),
                (Var::Item, _) => push_clean(out, item_code),
                (Var::Entry, _) => {
                    push_clean(out, entry.map_or(item_code, |e| e.local_code.as_str()))
                }
                (Var::AsOf, _) => push_clean(out, &self.as_of.to_string()),
                (Var::List, Some(r)) => push_clean(out, &r.meta.list_name),
                (Var::ListVersion, Some(r)) => push_clean(out, &r.meta.list_version),
                (Var::ListDate, Some(r)) => push_clean(out, &r.meta.list_date.to_string()),
                (Var::ModelledFrom, Some(r)) => push_clean(out, &r.meta.modelled_from.to_string()),
                (Var::Label, Some(_)) if entry.is_some() => {
                    push_clean(out, entry.map_or("", |e| e.label.as_str()))
                }
                (Var::Limit, Some(_)) if entry.is_some() => match entry.and_then(|e| e.value_limit)
                {
                    Some(v) => push_clean(out, &format!("{} USD", group(v))),
                    None => out.push_str("the entry's limit"),
                },
                (Var::Outcome, _) if step.outcome.is_some() => {
                    push_clean(out, step.outcome.map_or("", |o| o.as_str()))
                }
                (Var::Party, _) if party.is_some() => {
                    push_clean(out, party.map_or("", |p| p.name.as_str()))
                }
                (Var::Notice, _) if party.is_some() => push_clean(
                    out,
                    party.map_or("", |p| {
                        if p.notice.is_empty() {
                            p.source.as_str()
                        } else {
                            p.notice.as_str()
                        }
                    }),
                ),
                _ => out.push_str(v.placeholder()),
            }
        }
    }

    fn join_steps(&self, sub: &Subject<'_>, steps: &[Step]) -> String {
        let mut out = String::new();
        // Where each distinct step's text lies in `out`.
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(steps.len());
        for st in steps {
            let at = out.len();
            if !spans.is_empty() {
                out.push_str("; ");
            }
            let start = out.len();
            self.step_text(sub, st, &mut out);
            let t = &out[start..];
            if spans.iter().any(|&(a, b)| &out[a..b] == t) {
                out.truncate(at);
            } else {
                spans.push((start, out.len()));
            }
        }
        out
    }

    fn citations(&self, d: &Determination) -> String {
        let mut citations: Vec<&str> = Vec::new();
        for st in &d.reasons {
            let f = self.fact(st.fact);
            if f.kind == FactKind::Law
                && !f.citation.is_empty()
                && !citations.contains(&f.citation.as_str())
            {
                citations.push(&f.citation);
            }
        }
        citations
            .iter()
            .map(|c| c.replace(';', ","))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Expands the rule chain of `d` as jurisdiction `j` applied it to `item` and `dest`.
    pub fn render_parts(&self, j: usize, item: u32, dest: u16, d: &Determination) -> Parts {
        self.parts_for(j, item, Some(dest), d)
    }

    /// Like [`World::render_parts`], but keeps `{dest}` in the texts, so one rendering serves
    /// every destination that shares the determination.
    pub fn render_template(&self, j: usize, item: u32, d: &Determination) -> Parts {
        self.parts_for(j, item, None, d)
    }

    /// A rendering of `d` for every destination at once: [`World::render_template`]'s parts,
    /// and how the destination enters them: [`DestUse::None`] (the parts are those of every
    /// destination), [`DestUse::Placeholders`] (each `{dest}` in `conditions` and `reasons`
    /// stands for the destination, so [`World::fill_dest`] gives [`World::render_parts`]'s
    /// texts), or [`DestUse::Ambiguous`] (some `{dest}` came from the data itself: render per
    /// destination).
    pub fn render_any_dest(&self, j: usize, item: u32, d: &Determination) -> (Parts, DestUse) {
        let (parts, kept) = self.parts_counted(j, item, None, d);
        let found =
            parts.conditions.matches("{dest}").count() + parts.reasons.matches("{dest}").count();
        let used = if kept == 0 {
            DestUse::None
        } else if found == kept {
            DestUse::Placeholders
        } else {
            DestUse::Ambiguous
        };
        (parts, used)
    }

    /// `template` (a text of [`World::render_any_dest`] with [`DestUse::Placeholders`]) with
    /// `dest` written where it says `{dest}`, as [`World::render_parts`] writes it.
    pub fn fill_dest(&self, template: &str, dest: u16) -> String {
        if !template.contains("{dest}") {
            return template.to_string();
        }
        let mut code = String::new();
        push_clean(&mut code, self.places().code(dest));
        template.replace("{dest}", &code)
    }

    fn parts_for(&self, j: usize, item: u32, dest: Option<u16>, d: &Determination) -> Parts {
        self.parts_counted(j, item, dest, d).0
    }

    fn parts_counted(
        &self,
        j: usize,
        item: u32,
        dest: Option<u16>,
        d: &Determination,
    ) -> (Parts, usize) {
        let (code, regime) = match self.jurisdictions.get(j) {
            Some(jur) => (jur.code.as_str(), Some(jur.regime)),
            None => (
                d.unmodelled.map(|p| self.places().code(p)).unwrap_or(""),
                None,
            ),
        };
        let sub = Subject {
            exporter: code,
            item,
            dest,
            regime,
            kept: std::cell::Cell::new(0),
        };
        let parts = Parts {
            local_entry: match regime {
                Some(r) => d
                    .entries
                    .iter()
                    .map(|&e| self.regimes[r].entries[e as usize].local_code.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                None => String::new(),
            },
            authorisation: match (d.authorisation, regime) {
                (Some(a), Some(r)) => self.regimes[r].authorisations[a as usize].id.clone(),
                _ => String::new(),
            },
            licence_policy: d.policy.as_str().to_string(),
            conditions: self.join_steps(&sub, &d.conditions),
            reasons: self.join_steps(&sub, &d.reasons),
            citations: self.citations(d),
        };
        (parts, sub.kept.get())
    }

    /// The `screening` cell: `LIST: NAME (notice)` per hit, `possible …` for near matches.
    pub fn screening_text(&self, d: &Determination) -> String {
        let mut out: Vec<String> = Vec::new();
        let mut push = |d: &Determination| {
            for h in &d.screening {
                let Some((ri, p)) = self.parties().list.get(h.party as usize) else {
                    continue;
                };
                let label = self
                    .regimes
                    .iter()
                    .find(|r| r.data == *ri)
                    .and_then(|r| r.party_lists.iter().find(|l| l.list == p.list))
                    .map(|l| l.label.as_str())
                    .unwrap_or(p.list.as_str());
                let notice = if p.notice.is_empty() {
                    &p.source
                } else {
                    &p.notice
                };
                let t = if h.exact {
                    format!("{label}: {} ({notice})", p.name)
                } else {
                    format!("possible {label}: {} ({notice})", p.name)
                };
                let t = t.replace(';', ",");
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        };
        push(d);
        if let Some(r) = &d.reach
            && let Some(us) = &r.det
        {
            push(us);
        }
        out.join("; ")
    }

    fn reach_text(&self, r: &Reach, dest: u16) -> String {
        let Some(rj) = self.reach else {
            return String::new();
        };
        let regime = &self.regimes[self.jurisdictions[rj].regime];
        let cite = |rule: u16| {
            regime
                .reach
                .get(rule as usize)
                .map(|x| x.citation.as_str())
                .unwrap_or("")
        };
        let d = self.places().code(dest);
        let pc = |x: f64| {
            if x.fract() == 0.0 {
                format!("{x:.0} %")
            } else {
                format!("{x} %")
            }
        };
        match r.step {
            ReachStep::OwnLaw | ReachStep::NoFacts => String::new(),
            ReachStep::OriginSoftware { rule } => format!(
                "US-origin software exported on its own: the EAR follows it ({})",
                cite(rule)
            ),
            ReachStep::BelowDeMinimis {
                pct,
                threshold,
                rule,
            } => format!(
                "{} US controlled content is at or below the {} de minimis level for {d}: the foreign-made item is not subject to the EAR ({})",
                pc(pct),
                pc(threshold),
                cite(rule)
            ),
            ReachStep::AboveDeMinimis {
                pct,
                threshold,
                rule,
            } => format!(
                "{} US controlled content exceeds the {} de minimis level for {d}: the EAR follows the item ({})",
                pc(pct),
                pc(threshold),
                cite(rule)
            ),
            ReachStep::NotControlledContent {
                pct,
                threshold,
                rule,
            } => format!(
                "{} US content exceeds the {} level for {d}, but it needs no US licence to {d}, so it is not controlled content ({}; 15 CFR 734 Supp. 2)",
                pc(pct),
                pc(threshold),
                cite(rule)
            ),
            ReachStep::ContentUndetermined {
                pct,
                threshold,
                rule,
            } => format!(
                "{} US content exceeds the {} level for {d}: whether it is controlled content is not established ({})",
                pc(pct),
                pc(threshold),
                cite(rule)
            ),
        }
    }

    /// Expands `d` (a determination of scenario `s`) into the contract's columns.
    pub fn render(&self, s: &Scenario, d: &Determination) -> Rendered {
        let j = d.jurisdiction;
        let p = self.render_parts(j, s.item, s.destination, d);
        let jurisdiction = match self.jurisdictions.get(j) {
            Some(jur) => jur.code.clone(),
            None => d
                .unmodelled
                .map(|x| self.places().code(x).to_string())
                .unwrap_or_default(),
        };
        let (ear, us_outcome, us_auth, us_reasons) = match &d.reach {
            None => (String::new(), String::new(), String::new(), String::new()),
            Some(r) => {
                let ear = ear_text(r.applies).to_string();
                let lead = self.reach_text(r, s.destination);
                match (&r.det, self.reach) {
                    (Some(us), Some(rj)) if r.step != ReachStep::OwnLaw => {
                        let up = self.render_parts(rj, s.item, s.destination, us);
                        let reasons = if lead.is_empty() {
                            up.reasons
                        } else {
                            format!("{lead}; {}", up.reasons)
                        };
                        let shown =
                            if r.applies == Some(true) || us.outcome == Outcome::Indeterminate {
                                us.outcome.as_str().to_string()
                            } else {
                                String::new()
                            };
                        (ear, shown, up.authorisation, reasons)
                    }
                    _ => (ear, String::new(), String::new(), lead),
                }
            }
        };
        Rendered {
            scenario_id: s.id.clone(),
            jurisdiction,
            item: self.catalogue().get(s.item).code.clone(),
            local_entry: p.local_entry,
            destination: self.places().code(s.destination).to_string(),
            end_user: s.end_user.as_str().to_string(),
            end_use: s.end_use.as_str().to_string(),
            outcome: d.outcome.as_str().to_string(),
            authorisation: p.authorisation,
            licence_policy: p.licence_policy,
            conditions: p.conditions,
            reasons: p.reasons,
            citations: p.citations,
            confidence: d.confidence.as_str().to_string(),
            ear_applies: ear,
            screening: self.screening_text(d),
            us_outcome,
            us_authorisation: us_auth,
            us_reasons,
        }
    }
}

/// A whole amount with thousands separators (`5,000`).
pub(crate) fn group(x: f64) -> String {
    let n = x.round() as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `true`, `false` or empty.
pub fn ear_text(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    }
}
