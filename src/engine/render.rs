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

/// What a step's text is about: who exports, what item, where, which list.
struct Subject<'a> {
    exporter: &'a str,
    item: u32,
    /// `None` keeps the `{dest}` placeholder (texts shared by many destinations).
    dest: Option<u16>,
    regime: Option<usize>,
}

impl World {
    fn step_text(&self, sub: &Subject<'_>, step: &Step) -> String {
        let fact = self.fact(step.fact);
        let item_code = self.catalogue().get(sub.item).code.as_str();
        let regime = sub.regime.map(|r| &self.regimes[r]);
        let entry = match (step.entry, regime) {
            (NO_ENTRY, _) | (_, None) => item_code,
            (e, Some(r)) => r.entries[e as usize].local_code.as_str(),
        };
        let mut text = fact.text.clone();
        let mut put = |key: &str, value: &str| {
            if text.contains(key) {
                text = text.replace(key, value);
            }
        };
        if let Some(dest) = sub.dest {
            put("{dest}", self.places().code(dest));
        }
        put("{exporter}", sub.exporter);
        put("{item}", item_code);
        put("{entry}", entry);
        put("{as_of}", &self.as_of.to_string());
        if let Some(r) = regime {
            put("{list}", &r.meta.list_name);
            put("{list_version}", &r.meta.list_version);
            put("{list_date}", &r.meta.list_date.to_string());
            put("{modelled_from}", &r.meta.modelled_from.to_string());
            if step.entry != NO_ENTRY {
                put(
                    "{label}",
                    &r.entries[step.entry as usize].label.replace(';', ","),
                );
                let limit = r.entries[step.entry as usize]
                    .value_limit
                    .map(|v| format!("{} USD", group(v)))
                    .unwrap_or_else(|| "the entry's limit".to_string());
                put("{limit}", &limit);
            }
        }
        if let Some(o) = step.outcome {
            put("{outcome}", o.as_str());
        }
        if step.party != NO_ENTRY
            && let Some((_, p)) = self.parties().list.get(step.party as usize)
        {
            put("{party}", &p.name);
            put(
                "{notice}",
                if p.notice.is_empty() {
                    &p.source
                } else {
                    &p.notice
                },
            );
        }
        // `;` separates reasons in the output; keep it out of the texts.
        let text = text.replace(';', ",");
        let text = if fact.kind == FactKind::Modelling {
            format!("modelling choice: {text}")
        } else {
            text
        };
        if fact.code.is_empty() {
            text
        } else {
            format!("{}: {text}", fact.code)
        }
    }

    fn join_steps(&self, sub: &Subject<'_>, steps: &[Step]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for st in steps {
            let t = self.step_text(sub, st);
            if !parts.contains(&t) {
                parts.push(t);
            }
        }
        parts.join("; ")
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

    fn parts_for(&self, j: usize, item: u32, dest: Option<u16>, d: &Determination) -> Parts {
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
        };
        Parts {
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
        }
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
